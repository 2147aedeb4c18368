/**
 * Reading enterprises' training reports: the enterprise's admins, officers of
 * its lead department, area officers over its place and city admins; anyone
 * else reads "not found". Beside each report, the minutes the platform
 * recorded that year for the enterprise's own programmes, so an officer sees
 * reported against recorded.
 */
import { hasRole, type Principal } from '@learning/auth';
import { totalsOf, type ReportTotals } from '../../../domain/enterprise-training.js';
import { administers, overseesArea } from '../access.js';
import { reportNotFound } from './errors.js';
import type {
  EnterpriseReportRepository,
  RecordedTraining,
  ReportQuery,
  ReportVisibility,
  StoredReport,
} from './ports.js';

export interface ReadReportsDeps {
  readonly reports: EnterpriseReportRepository;
  readonly recorded: RecordedTraining;
}

export interface ReportWithRecorded {
  readonly report: StoredReport;
  /** Minutes of session check-ins in the enterprise's own programmes that year. */
  readonly recordedMinutes: number;
}

export interface ReportList {
  readonly items: readonly ReportWithRecorded[];
  readonly nextPageToken: string | null;
  readonly totals: ReportTotals;
}

export const readsReport = (
  principal: Principal,
  report: Pick<StoredReport, 'organizationId' | 'leadDepartment' | 'jurisdictionPath'>,
): boolean =>
  hasRole(principal, 'city_admin') ||
  administers(principal, report.organizationId) ||
  (hasRole(principal, 'department_officer') && principal.department === report.leadDepartment) ||
  overseesArea(principal, report.jurisdictionPath);

/** What an officer's list covers: the union of what each of their roles reaches. */
export function visibilityOf(principal: Principal): ReportVisibility {
  const areaOfficer = hasRole(principal, 'area_officer');
  if (hasRole(principal, 'city_admin') || (areaOfficer && principal.cityWide))
    return { everything: true };
  return {
    everything: false,
    underJurisdictions: areaOfficer ? [...principal.jurisdictions] : [],
    leadDepartment: hasRole(principal, 'department_officer')
      ? (principal.department ?? null)
      : null,
  };
}

async function visibleReport(
  deps: ReadReportsDeps,
  principal: Principal,
  organizationId: string,
  year: number,
): Promise<StoredReport> {
  const report = await deps.reports.get(organizationId, year);
  if (report === null || !readsReport(principal, report)) throw reportNotFound();
  return report;
}

export const getReport =
  (deps: ReadReportsDeps) =>
  async (
    principal: Principal,
    organizationId: string,
    year: number,
  ): Promise<ReportWithRecorded> => {
    const report = await visibleReport(deps, principal, organizationId, year);
    const recorded = await deps.recorded.minutesOf([organizationId], year);
    return { report, recordedMinutes: recorded.get(organizationId) ?? 0 };
  };

/** The report with every revision (`revisions`, oldest first). */
export const getReportHistory =
  (deps: ReadReportsDeps) =>
  (principal: Principal, organizationId: string, year: number): Promise<StoredReport> =>
    visibleReport(deps, principal, organizationId, year);

export const listReports =
  (deps: ReadReportsDeps) =>
  async (principal: Principal, query: ReportQuery): Promise<ReportList> => {
    const page = await deps.reports.list(visibilityOf(principal), query);
    const recorded = await deps.recorded.minutesOf(
      page.items.map((report) => report.organizationId),
      query.year,
    );
    return {
      items: page.items.map((report) => ({
        report,
        recordedMinutes: recorded.get(report.organizationId) ?? 0,
      })),
      nextPageToken: page.nextPageToken,
      totals: totalsOf(page.sums),
    };
  };

export type GetReport = ReturnType<typeof getReport>;
export type GetReportHistory = ReturnType<typeof getReportHistory>;
export type ListReports = ReturnType<typeof listReports>;
