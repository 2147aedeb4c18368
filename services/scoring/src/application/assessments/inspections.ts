/**
 * Officers' inspections of organizations and areas (policy §5.6): findings,
 * a 0–100 rating and photo references, entered by the office or an officer
 * over the subject. An inspection is a figure (`inspections`,
 * `inspection_rating`), so it marks the subject's current provisional
 * assessment of its year stale for the next recomputation.
 */
import { actorOf, type AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { chinaDateOf, partsOf } from '@learning/domain';
import type { Logger } from '@learning/logger';
import type { SubjectKind } from '../../domain/evaluation.js';
import { inspects, readsSubject } from '../evaluation/access.js';
import type { SubjectDirectory } from '../evaluation/ports.js';
import {
  inspectionDateInvalid,
  inspectionOutOfScope,
  inspectionSubjectNotFound,
} from './errors.js';
import type { AssessmentStore, InspectionStore, StoredInspection } from './ports.js';

export interface InspectionDeps {
  readonly inspections: InspectionStore;
  readonly assessments: AssessmentStore;
  readonly subjects: SubjectDirectory;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
  readonly newId: () => string;
  readonly logger: Logger;
}

export interface InspectionInput {
  readonly subjectKind: SubjectKind;
  readonly subjectId: string;
  /** `YYYY-MM-DD`, the city's calendar. */
  readonly inspectedOn: string;
  readonly findings: string;
  readonly rating: number;
  readonly photos: readonly { readonly fileRef: string; readonly caption: string }[];
}

export function inspectionsOf(deps: InspectionDeps) {
  const { inspections, assessments, subjects, audit, clock } = deps;

  return {
    async record(principal: Principal, input: InspectionInput): Promise<StoredInspection> {
      const subject = await subjects.subject(input.subjectKind, input.subjectId);
      if (subject === undefined) throw inspectionSubjectNotFound();
      if (!inspects(principal, subject)) throw inspectionOutOfScope();
      // CALENDAR_DATE_INVALID for a day the calendar does not have.
      const { year } = partsOf(input.inspectedOn);
      // City dates compare as text: YYYY-MM-DD sorts as the calendar does.
      if (input.inspectedOn > chinaDateOf(clock())) throw inspectionDateInvalid();
      const inspection = {
        id: deps.newId(),
        year,
        subject,
        inspectedOn: input.inspectedOn,
        inspectorId: principal.subject,
        findings: input.findings,
        rating: input.rating,
        photos: input.photos.map(({ fileRef, caption }) => ({ fileRef, caption })),
        createdAt: clock(),
      };
      const stored = await inspections.add(inspection, [
        audit.entry({
          actor: actorOf(principal),
          action: 'inspection.record',
          entityType: 'inspection',
          entityId: inspection.id,
          jurisdictionPath: subject.jurisdictionPath,
          before: null,
          // The findings are the officer's prose about a body, not a person: the rating and date say enough here.
          after: {
            subjectKind: subject.subjectKind,
            subjectId: subject.subjectId,
            inspectedOn: inspection.inspectedOn,
            rating: inspection.rating,
            photos: inspection.photos.length,
          },
        }),
      ]);
      const marked = await assessments.markStale(subject.subjectKind, subject.subjectId, year);
      deps.logger.info(
        { inspection: stored.id, subjectKind: subject.subjectKind, year, assessmentStale: marked },
        'inspection recorded',
      );
      return stored;
    },

    async list(
      principal: Principal,
      kind: SubjectKind,
      subjectId: string,
      year: number,
      page: { readonly pageSize: number; readonly pageToken?: string },
    ) {
      const subject = await subjects.subject(kind, subjectId);
      if (subject === undefined || !readsSubject(principal, subject))
        throw inspectionSubjectNotFound();
      return inspections.list(kind, subjectId, year, page);
    },
  };
}

export type Inspections = ReturnType<typeof inspectionsOf>;
