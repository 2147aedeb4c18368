/**
 * An enterprise's admin reports the year's training. The first report is
 * revision 1; a change names the revision it read (If-Match) and makes the
 * next one, publishing EnterpriseTrainingReported in the same write. The
 * same figures again change nothing (no revision, no event), so a retried
 * PUT is harmless whatever revision it names.
 */
import { actorOf, type AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { chinaYearOf, domainCall } from '@learning/domain';
import { AppError } from '@learning/errors';
import {
  checkFigures,
  checkReportYear,
  MAX_REPORT_REVISIONS,
  parseYuan,
  sameFigures,
  type ReportFigures,
} from '../../../domain/enterprise-training.js';
import type { Organization, Organizations } from '../../ports.js';
import { administers } from '../access.js';
import {
  ENTERPRISE_REPORT_ENTERPRISE_NOT_ACTIVE,
  ENTERPRISE_REPORT_NOT_ADMIN,
  ENTERPRISE_REPORT_NOT_ENTERPRISE,
  ENTERPRISE_REPORT_ORGANIZATION_NOT_FOUND,
  ENTERPRISE_REPORT_REVISION_REQUIRED,
  ENTERPRISE_REPORT_REVISIONS_EXHAUSTED,
  enterpriseReportErrors,
} from './errors.js';
import { reportAuditView, trainingReported } from './events.js';
import type { EnterpriseReportRepository, ReportWrite, StoredReport } from './ports.js';

export interface ReportTrainingRequest {
  readonly trainees: number;
  readonly trainingMinutes: number;
  /** Yuan as a decimal string: "125000.50". */
  readonly spendYuan: string;
  readonly note: string;
  /** The revision read (If-Match); absent for the year's first report. */
  readonly expectedRevision?: number;
}

export interface ReportTrainingDeps {
  readonly reports: EnterpriseReportRepository;
  readonly organizations: Organizations;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
}

export interface ReportOutcome {
  readonly report: StoredReport;
  /** False when the figures were the current revision's already. */
  readonly changed: boolean;
  /** True for the year's first report. */
  readonly created: boolean;
}

export const reportIdOf = (organizationId: string, year: number): string =>
  `${organizationId}:${String(year)}`;

/** The enterprise as registration has it, if it may report. */
async function reportingEnterprise(
  organizations: Organizations,
  organizationId: string,
): Promise<Organization> {
  const organization = (await organizations.find([organizationId])).get(organizationId);
  if (organization === undefined)
    throw enterpriseReportErrors.error(
      ENTERPRISE_REPORT_ORGANIZATION_NOT_FOUND,
      'There is no registered organization with that id.',
    );
  if (organization.kind !== 'enterprise')
    throw enterpriseReportErrors.error(
      ENTERPRISE_REPORT_NOT_ENTERPRISE,
      'Training reports are for enterprises; that organization is of another kind.',
    );
  if (organization.status === 'rejected' || organization.status === 'suspended')
    throw enterpriseReportErrors.error(
      ENTERPRISE_REPORT_ENTERPRISE_NOT_ACTIVE,
      `The enterprise is ${organization.status}; it may not report training.`,
    );
  return organization;
}

const revisionConflict = (): AppError =>
  new AppError(
    'aborted',
    'VERSION_CONFLICT',
    'The report is not at the revision you named; read it again and send its ETag as If-Match.',
  );

export function reportTraining(deps: ReportTrainingDeps) {
  return async (
    principal: Principal,
    organizationId: string,
    year: number,
    request: ReportTrainingRequest,
  ): Promise<ReportOutcome> => {
    if (!administers(principal, organizationId))
      throw enterpriseReportErrors.error(
        ENTERPRISE_REPORT_NOT_ADMIN,
        "Only the enterprise's admins report its training.",
      );
    const now = deps.clock();
    const figures: ReportFigures = domainCall(() => {
      checkReportYear(year, chinaYearOf(now));
      checkFigures(request);
      return {
        trainees: request.trainees,
        trainingMinutes: request.trainingMinutes,
        spendFen: parseYuan(request.spendYuan),
        note: request.note,
      };
    });
    const enterprise = await reportingEnterprise(deps.organizations, organizationId);
    const current = await deps.reports.get(organizationId, year);
    if (current !== null && sameFigures(current, figures))
      return { report: current, changed: false, created: false };
    const expected = request.expectedRevision;
    if (current === null && expected !== undefined) throw revisionConflict();
    if (current !== null) {
      if (expected === undefined)
        throw enterpriseReportErrors.error(
          ENTERPRISE_REPORT_REVISION_REQUIRED,
          `The year is reported already (revision ${String(current.revision)}); send its ETag as If-Match to change it.`,
        );
      if (expected !== current.revision) throw revisionConflict();
      if (current.revision >= MAX_REPORT_REVISIONS)
        throw enterpriseReportErrors.error(
          ENTERPRISE_REPORT_REVISIONS_EXHAUSTED,
          `A year's report may be revised ${String(MAX_REPORT_REVISIONS)} times in all.`,
        );
    }
    const id = reportIdOf(organizationId, year);
    const revision = (current?.revision ?? 0) + 1;
    const routing = {
      leadDepartment: enterprise.leadDepartment,
      jurisdictionPath: [...enterprise.jurisdictionPath],
    };
    const audit = deps.audit.entry({
      actor: actorOf(principal),
      action:
        current === null
          ? 'enterprise_training_report.create'
          : 'enterprise_training_report.revise',
      entityType: 'enterprise_training_report',
      entityId: id,
      jurisdictionPath: routing.jurisdictionPath,
      before: current === null ? null : reportAuditView(current),
      after: reportAuditView({ ...figures, revision }),
    });
    const write: ReportWrite = {
      ...figures,
      ...routing,
      organizationId,
      organizationName: enterprise.name,
      year,
      reportedBy: principal.subject,
      reportedAt: now,
      events: [
        trainingReported({
          ...figures,
          ...routing,
          id,
          organizationId,
          year,
          revision,
          reportedAt: now,
        }),
        audit,
      ],
    };
    const report =
      current === null
        ? await deps.reports.create(write)
        : await deps.reports.revise(current.revision, write);
    return { report, changed: true, created: current === null };
  };
}

export type ReportTraining = ReturnType<typeof reportTraining>;
