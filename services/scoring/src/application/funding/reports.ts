/**
 * Enterprises' yearly training reports, as activities publishes them: the
 * highest revision is the year's, so a late or repeated lower one changes
 * nothing; read by the office, the department leading enterprises and each
 * enterprise's own admins.
 */
import { hasRole, type Principal } from '@learning/auth';
import { isOffice } from '../evaluation/access.js';
import { reportsNotPermitted } from './errors.js';
import type {
  EnterpriseReport,
  EnterpriseReportQuery,
  EnterpriseReports,
  Page,
  PageAsk,
} from './ports.js';

export type KeepReport = (report: EnterpriseReport) => Promise<boolean>;

export const keepReport =
  (reports: EnterpriseReports): KeepReport =>
  (report) =>
    reports.keep(report);

export type ListReports = (
  principal: Principal,
  year: number,
  page: PageAsk,
) => Promise<Page<EnterpriseReport>>;

export const listReports =
  (reports: EnterpriseReports): ListReports =>
  (principal, year, page) =>
    reports.list(scopeOf(principal, year), page);

function scopeOf(principal: Principal, year: number): EnterpriseReportQuery {
  if (isOffice(principal)) return { year };
  if (hasRole(principal, 'department_officer') && principal.department !== undefined)
    return { year, leadDepartment: principal.department };
  if (hasRole(principal, 'org_admin') && principal.organizations.length > 0)
    return { year, organizationIds: principal.organizations };
  throw reportsNotPermitted();
}
