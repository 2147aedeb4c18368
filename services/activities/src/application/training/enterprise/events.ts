/** The report's event and audit view: figures and routing, no one's personal data. */
import { activityEvents, organizationKindMapping } from '@learning/contracts';
import { formatYuan } from '@learning/domain';
import { newEvent, type OutboxEntry } from '@learning/events';
import { activities } from '@learning/proto';
import type { ReportFigures } from '../../../domain/enterprise-training.js';

interface ReportedRevision extends ReportFigures {
  readonly id: string;
  readonly organizationId: string;
  readonly year: number;
  readonly revision: number;
  readonly leadDepartment: string;
  readonly jurisdictionPath: readonly string[];
  readonly reportedAt: Date;
}

/** Keyed by the report, so its revisions reach consumers in order. */
export const trainingReported = (report: ReportedRevision): OutboxEntry =>
  newEvent(activityEvents.EnterpriseTrainingReported, report.id, {
    reportId: report.id,
    organizationId: report.organizationId,
    year: report.year,
    trainees: report.trainees,
    trainingMinutes: report.trainingMinutes,
    spendYuan: formatYuan(report.spendFen),
    revision: report.revision,
    reportedAt: report.reportedAt,
    routing: {
      // An enterprise's own report belongs to no one programme.
      programmeId: '',
      leadDepartment: report.leadDepartment,
      jurisdictionPath: [...report.jurisdictionPath],
      organizerKind: activities.OrganizerKind.ORGANIZER_KIND_ORGANIZATION,
      organizerId: report.organizationId,
      organizationKind: organizationKindMapping.toProto('enterprise'),
    },
  });

export const reportAuditView = (report: ReportFigures & { readonly revision: number }) => ({
  revision: report.revision,
  trainees: report.trainees,
  trainingMinutes: report.trainingMinutes,
  spendYuan: formatYuan(report.spendFen),
  note: report.note,
});
