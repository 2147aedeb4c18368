/**
 * What others see of a programme: its launch event (with the routing every
 * training event carries) and the audit log's view of it; and the one write
 * every change goes through (the version read, the events, the audit record).
 */
import type { AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import {
  activityEvents,
  contentCategoryMapping,
  trainingTargetGroupMapping,
} from '@learning/contracts';
import { AppError } from '@learning/errors';
import { newEvent, type OutboxEntry } from '@learning/events';
import { activities, common } from '@learning/proto';
import type { Programme } from '../../../domain/training.js';
import { storeVersionedChange } from '../../versioned-change.js';
import type {
  ProgrammeFields,
  ProgrammeRepository,
  StoredProgramme,
} from './programme-repository.js';

type Planned = Omit<Programme, 'version'>;

/**
 * A programme's routing: its lead department and area; an enterprise's own
 * programme is organized by that enterprise, any other by its lead department.
 */
export const programmeRoutingOf = (programme: Planned): activities.TrainingRouting => ({
  programmeId: programme.id,
  leadDepartment: programme.leadDepartment,
  jurisdictionPath: [...programme.jurisdictionPath],
  organizerKind:
    programme.enterpriseId === null
      ? activities.OrganizerKind.ORGANIZER_KIND_DEPARTMENT
      : activities.OrganizerKind.ORGANIZER_KIND_ORGANIZATION,
  organizerId: programme.enterpriseId ?? programme.leadDepartment,
  organizationKind:
    programme.enterpriseId === null
      ? common.OrganizationKind.ORGANIZATION_KIND_UNSPECIFIED
      : common.OrganizationKind.ORGANIZATION_KIND_ENTERPRISE,
});

/** People to train in `year` over every township's quota. */
export const quotaOfYear = (programme: Pick<Programme, 'quotas'>, year: number): number =>
  programme.quotas
    .filter((quota) => quota.year === year)
    .reduce((sum, quota) => sum + quota.people, 0);

export const launchedEventOf = (programme: Planned, launchedAt: Date): OutboxEntry =>
  newEvent(activityEvents.TrainingProgrammeLaunched, programme.id, {
    programmeId: programme.id,
    title: programme.title,
    firstYear: programme.firstYear,
    lastYear: programme.lastYear,
    targetGroups: programme.targetGroups.map(trainingTargetGroupMapping.toProto),
    categories: programme.categories.map(contentCategoryMapping.toProto),
    firstYearQuota: quotaOfYear(programme, programme.firstYear),
    requiredMinutes: programme.requiredMinutes,
    launchedAt,
    routing: programmeRoutingOf(programme),
  });

/** What the audit log keeps of a programme: it holds no personal data. */
export const auditViewOf = (programme: Planned) => ({
  title: programme.title,
  description: programme.description,
  leadDepartment: programme.leadDepartment,
  enterpriseId: programme.enterpriseId,
  jurisdictionPath: [...programme.jurisdictionPath],
  firstYear: programme.firstYear,
  lastYear: programme.lastYear,
  targetGroups: [...programme.targetGroups],
  categories: [...programme.categories],
  requiredMinutes: programme.requiredMinutes,
  skillsTest: programme.skillsTest,
  quotas: programme.quotas.map((quota) => ({ ...quota })),
  status: programme.status,
});

export const versionConflict = (): AppError =>
  new AppError(
    'aborted',
    'VERSION_CONFLICT',
    'The programme was changed by someone else; reload it and try again.',
  );

/** VERSION_CONFLICT unless `version` (when given) is the programme's. */
export const assertVersion = (programme: StoredProgramme, version: number | undefined): void => {
  if (version !== undefined && version !== programme.version) throw versionConflict();
};

export interface ProgrammeWriteDeps {
  readonly programmes: ProgrammeRepository;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
}

/** Writes `set` over `programme` if it is still at the version read, with `events` and the audit record. */
export const storeChange = (
  deps: Pick<ProgrammeWriteDeps, 'programmes' | 'audit'>,
  principal: Principal,
  action: string,
  programme: StoredProgramme,
  change: { readonly set: Partial<ProgrammeFields>; readonly at: Date },
  events: readonly OutboxEntry[] = [],
): Promise<StoredProgramme> =>
  storeVersionedChange(
    { store: deps.programmes, audit: deps.audit },
    { entityType: 'training_programme', viewOf: auditViewOf },
    principal,
    action,
    programme,
    change,
    events,
  );
