/** Enterprises' own training reports: translate HTTP to the use cases and back, deciding nothing. */
import { ORGANIZER_ROLES, OFFICER_ROLES } from '@learning/auth';
import { formatYuan } from '@learning/domain';
import {
  JurisdictionCode,
  PageOf,
  principalOf,
  expectedRevision,
  splitPage,
  pageQueryFields,
  Text,
  Uuid,
  type HttpServer,
} from '@learning/http';
import { Type } from '@sinclair/typebox';
import { revisionInvalid } from '../../application/training/enterprise/errors.js';
import type { ReportRevision, StoredReport } from '../../application/training/enterprise/ports.js';
import type {
  GetReport,
  GetReportHistory,
  ListReports,
  ReportWithRecorded,
} from '../../application/training/enterprise/read-reports.js';
import type { ReportTraining } from '../../application/training/enterprise/report-training.js';
import { formatHours, MAX_TRAINEES, type ReportTotals } from '../../domain/enterprise-training.js';

export interface EnterpriseTrainingUseCases {
  reportTraining: ReportTraining;
  getReport: GetReport;
  getReportHistory: GetReportHistory;
  listReports: ListReports;
}

const TAG = 'training: enterprises';
const BASE = '/v1/training/enterprise-reports';

const Year = Type.Integer({
  description: 'The calendar year reported: from 2000 to this year.',
});
const ReportParams = Type.Object(
  {
    organizationId: Type.Unsafe<string>({
      ...Uuid,
      description: "The enterprise's id as a learning organization in registration.",
    }),
    year: Year,
  },
  { additionalProperties: false },
);

const ReportBody = Type.Object(
  {
    trainees: Type.Integer({
      minimum: 0,
      maximum: MAX_TRAINEES,
      description: 'People trained in the year (each once).',
    }),
    trainingMinutes: Type.Integer({
      minimum: 0,
      maximum: 2_000_000_000,
      description:
        'Training time in the year, in MINUTES, every trainee’s added up (hours × 60): the ' +
        'classes the enterprise ran and any outside training it paid for.',
    }),
    spendYuan: Type.String({
      maxLength: 20,
      description:
        'What the training cost, in yuan: a plain decimal ≥ 0 with at most two fraction digits ' +
        '("125000", "3800.5"); stored in fen.',
    }),
    note: Type.Optional(Text(2000, { description: 'What the year’s training was; no names.' })),
  },
  { additionalProperties: false },
);

const ListQuery = Type.Object(
  {
    year: Year,
    jurisdiction: Type.Optional(
      Type.Unsafe<string>({
        ...JurisdictionCode,
        description: 'Only enterprises in the subtree of this jurisdiction.',
      }),
    ),
    leadDepartment: Type.Optional(
      Type.String({
        pattern: '^[a-z][a-z-]{0,39}$',
        description: 'Only enterprises this department leads, e.g. "renshe-ju".',
      }),
    ),
    ...pageQueryFields,
  },
  { additionalProperties: false },
);

const DateTime = Type.String({ format: 'date-time' });
const Hours = Type.String({ description: 'Minutes as hours, at most two fraction digits: "1.5".' });
const Yuan = Type.String({ description: 'Yuan with two fraction digits: "125000.50".' });

const FigureFields = {
  trainees: Type.Integer(),
  trainingMinutes: Type.Integer(),
  trainingHours: Hours,
  spendYuan: Yuan,
};

const Revision = Type.Object({
  revision: Type.Integer(),
  ...FigureFields,
  note: Type.String(),
  reportedBy: Type.String({ description: "The admin's account (token subject)." }),
  reportedAt: DateTime,
});

const ReportFields = {
  id: Type.String({ description: '<organizationId>:<year>.' }),
  organizationId: Type.String(),
  organizationName: Type.String({ description: 'As registration had it at the last report.' }),
  year: Type.Integer(),
  leadDepartment: Type.String(),
  jurisdictionPath: Type.Array(Type.String(), {
    description: "The enterprise's place, from the city down.",
  }),
  ...FigureFields,
  note: Type.String(),
  revision: Type.Integer({ description: 'Also the ETag; send it as If-Match to change the year.' }),
  reportedBy: Type.String(),
  reportedAt: DateTime,
  createdAt: DateTime,
};

const Report = Type.Object(ReportFields);

const ReportWithRecordedView = Type.Object({
  ...ReportFields,
  recordedMinutes: Type.Integer({
    description:
      "Minutes the platform recorded (session check-ins) that year in the enterprise's own " +
      'programmes, to hold against the reported minutes.',
  }),
  recordedHours: Hours,
});

const History = Type.Object({
  ...ReportFields,
  revisions: Type.Array(Revision, { description: 'Every revision, newest first.' }),
});

const Totals = Type.Object({
  reports: Type.Integer({ description: 'Enterprises that reported the year.' }),
  ...FigureFields,
  minutesPerTrainee: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Null when nobody was trained.',
  }),
  spendYuanPerTrainee: Type.Union([Yuan, Type.Null()], {
    description: 'Null when nobody was trained.',
  }),
});

const ListView = Type.Object({
  ...PageOf(ReportWithRecordedView).properties,
  totals: Type.Object(Totals.properties, {
    description: 'Over every report the query matches that you may see, not just this page.',
  }),
});

const figures = (report: Pick<ReportRevision, 'trainees' | 'trainingMinutes' | 'spendFen'>) => ({
  trainees: report.trainees,
  trainingMinutes: report.trainingMinutes,
  trainingHours: formatHours(report.trainingMinutes),
  spendYuan: formatYuan(report.spendFen),
});

const reportResponse = (report: StoredReport) => ({
  id: report.id,
  organizationId: report.organizationId,
  organizationName: report.organizationName,
  year: report.year,
  leadDepartment: report.leadDepartment,
  jurisdictionPath: [...report.jurisdictionPath],
  ...figures(report),
  note: report.note,
  revision: report.revision,
  reportedBy: report.reportedBy,
  reportedAt: report.reportedAt.toISOString(),
  createdAt: report.createdAt.toISOString(),
});

const withRecorded = ({ report, recordedMinutes }: ReportWithRecorded) => ({
  ...reportResponse(report),
  recordedMinutes,
  recordedHours: formatHours(recordedMinutes),
});

const revisionResponse = (revision: ReportRevision) => ({
  revision: revision.revision,
  ...figures(revision),
  note: revision.note,
  reportedBy: revision.reportedBy,
  reportedAt: revision.reportedAt.toISOString(),
});

const totalsResponse = (totals: ReportTotals) => ({
  reports: totals.reports,
  ...figures(totals),
  minutesPerTrainee: totals.minutesPerTrainee,
  spendYuanPerTrainee:
    totals.spendFenPerTrainee === null ? null : formatYuan(totals.spendFenPerTrainee),
});

interface HeaderSetter {
  header(name: string, value: string): unknown;
}
const withETag = <T>(reply: HeaderSetter, report: Pick<StoredReport, 'revision'>, body: T): T => {
  reply.header('etag', `"${String(report.revision)}"`);
  return body;
};

const NOT_FOUND =
  '404 ENTERPRISE_REPORT_NOT_FOUND (also when you may not see it: only its admins, officers of ' +
  'its lead department, area officers over its place and city admins do)';

export function registerEnterpriseTrainingRoutes(
  http: HttpServer,
  useCases: EnterpriseTrainingUseCases,
): void {
  http.put(
    `${BASE}/:organizationId/:year`,
    {
      config: { roles: ['org_admin'], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: "Report an enterprise's own training in a year (hours and spend)",
        description:
          "The enterprise's admins (org_admin of that organization); needs an Idempotency-Key. " +
          'The first report of a year ' +
          'is revision 1 (201, no If-Match); a change sends the ETag last read as If-Match and ' +
          'makes the next revision (200). Each revision publishes EnterpriseTrainingReported ' +
          '(routed by the enterprise’s lead department and place in registration). The same ' +
          'figures and note as the current revision change nothing (200, same revision, no ' +
          'event), whatever If-Match says: even a retry under a new key is harmless. Errors: 400 ' +
          'ENTERPRISE_REPORT_SPEND_INVALID, ENTERPRISE_REPORT_YEAR_INVALID, ' +
          'ENTERPRISE_REPORT_FIGURES_INCONSISTENT, ENTERPRISE_REPORT_NOT_ENTERPRISE, ' +
          'ENTERPRISE_REPORT_REVISION_INVALID, VALIDATION_FAILED; 403 ROLE_REQUIRED, ' +
          'ENTERPRISE_REPORT_NOT_ADMIN; 404 ENTERPRISE_REPORT_ORGANIZATION_NOT_FOUND; 409 ' +
          'ENTERPRISE_REPORT_ENTERPRISE_NOT_ACTIVE, ENTERPRISE_REPORT_REVISION_REQUIRED, ' +
          'ENTERPRISE_REPORT_REVISIONS_EXHAUSTED, VERSION_CONFLICT.',
        params: ReportParams,
        body: ReportBody,
        response: { 200: Report, 201: Report },
      },
    },
    async (request, reply) => {
      const { organizationId, year } = request.params;
      const outcome = await useCases.reportTraining(principalOf(request), organizationId, year, {
        trainees: request.body.trainees,
        trainingMinutes: request.body.trainingMinutes,
        spendYuan: request.body.spendYuan,
        note: request.body.note ?? '',
        ...expectedRevision(request.headers['if-match'], undefined, { refuse: revisionInvalid }),
      });
      return reply
        .code(outcome.created ? 201 : 200)
        .send(withETag(reply, outcome.report, reportResponse(outcome.report)));
    },
  );

  http.get(
    `${BASE}/:organizationId/:year`,
    {
      config: { roles: [...ORGANIZER_ROLES] },
      schema: {
        tags: [TAG],
        summary: "An enterprise's training report for a year, with what the platform recorded",
        description: `The current revision (ETag: its revision). Errors: 400 VALIDATION_FAILED; 403 ROLE_REQUIRED; ${NOT_FOUND}.`,
        params: ReportParams,
        response: { 200: ReportWithRecordedView },
      },
    },
    async (request, reply) => {
      const { organizationId, year } = request.params;
      const found = await useCases.getReport(principalOf(request), organizationId, year);
      return withETag(reply, found.report, withRecorded(found));
    },
  );

  http.get(
    `${BASE}/:organizationId/:year/revisions`,
    {
      config: { roles: [...ORGANIZER_ROLES] },
      schema: {
        tags: [TAG],
        summary: "A year's report with every revision it had",
        description: `Who may read the report. Newest first (at most 100). Errors: 400 VALIDATION_FAILED; 403 ROLE_REQUIRED; ${NOT_FOUND}.`,
        params: ReportParams,
        response: { 200: History },
      },
    },
    async (request, reply) => {
      const { organizationId, year } = request.params;
      const report = await useCases.getReportHistory(principalOf(request), organizationId, year);
      return withETag(reply, report, {
        ...reportResponse(report),
        revisions: report.revisions.map(revisionResponse).reverse(),
      });
    },
  );

  http.get(
    BASE,
    {
      config: { roles: [...OFFICER_ROLES] },
      schema: {
        tags: [TAG],
        summary: "Enterprises' training reports of a year, with totals",
        description:
          'Officers: city admins see every enterprise, area officers those in their ' +
          'jurisdictions, department officers those their department leads (both, for someone ' +
          'with both roles). In id order; totals (and per trainee) over every report the query ' +
          'matches that you may see; beside each, the minutes the platform recorded that year in ' +
          "the enterprise's own programmes. Errors: 400 CURSOR_INVALID, VALIDATION_FAILED; 403 " +
          'ROLE_REQUIRED.',
        querystring: ListQuery,
        response: { 200: ListView },
      },
    },
    async (request) => {
      const { filters, page } = splitPage(request.query);
      const list = await useCases.listReports(principalOf(request), {
        year: filters.year,
        ...(filters.jurisdiction === undefined ? {} : { jurisdictionCode: filters.jurisdiction }),
        ...(filters.leadDepartment === undefined ? {} : { leadDepartment: filters.leadDepartment }),
        ...page,
      });
      return {
        items: list.items.map(withRecorded),
        nextPageToken: list.nextPageToken,
        totals: totalsResponse(list.totals),
      };
    },
  );
}
