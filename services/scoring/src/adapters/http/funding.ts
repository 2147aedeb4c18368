/** The funding routes (§6.4): translate HTTP (money as yuan decimal strings) to the use cases and back. */
import { OFFICER_ROLES } from '@learning/auth';
import { domainCall, formatYuan, type Fen } from '@learning/domain';
import { AppError } from '@learning/errors';
import {
  JurisdictionCode,
  Name,
  PageOf,
  pageQueryFields,
  principalOf,
  expectedRevision,
  splitPage,
  Title,
  Uuid,
  type HttpServer,
} from '@learning/http';
import { Type } from '@sinclair/typebox';
import { revisionInvalid } from '../../application/funding/errors.js';
import type {
  ChangeLineAmount,
  CreateLine,
  GetLine,
  ListLines,
} from '../../application/funding/lines.js';
import type {
  EnterpriseReport,
  FundingLine,
  FundingReceipt,
} from '../../application/funding/ports.js';
import type { ListReceipts, RecordReceipt } from '../../application/funding/receipts.js';
import type { ListReports } from '../../application/funding/reports.js';
import type { ReadTotals } from '../../application/funding/totals.js';
import { FUNDING_SOURCES, parseAmount } from '../../domain/funding.js';
import { lineNotFound } from '../../application/funding/errors.js';

export interface FundingUseCases {
  createLine: CreateLine;
  getLine: GetLine;
  listLines: ListLines;
  changeLineAmount: ChangeLineAmount;
  recordReceipt: RecordReceipt;
  listReceipts: ListReceipts;
  listReports: ListReports;
  readTotals: ReadTotals;
}

const TAG = 'funding';

const Year = Type.Integer({ minimum: 2000, maximum: 2100, description: 'A calendar year.' });
const Amount = Type.String({
  minLength: 1,
  maxLength: 16,
  description:
    'Yuan as a plain decimal with at most two fraction digits, more than 0 and at most 10000000000: "150000" or "150000.50".',
});
const Code = Type.String({
  pattern: '^[a-z0-9-]{1,40}$',
  description: 'Stable within the year: lower-case letters, digits and hyphens ("awards").',
});
const Purpose = Type.String({
  maxLength: 100,
  pattern: '^[A-Za-z0-9_-]*$',
  description: 'What it funds: a training programme’s id, "awards", or empty for general use.',
});
const Day = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'A city (China) calendar date, YYYY-MM-DD.',
});
const Source = Type.Unsafe<'sponsorship' | 'donation'>(
  Type.String({
    enum: ['sponsorship', 'donation'],
    description: 'sponsorship: 社会赞助; donation: 自愿捐助.',
  }),
);
const Revision = Type.Integer({
  minimum: 1,
  description: 'The revision last read (or send it as If-Match); absent: the current one.',
});

const LineBody = Type.Object(
  { year: Year, code: Code, name: Title(100), purpose: Type.Optional(Purpose), amountYuan: Amount },
  { additionalProperties: false },
);
const AmountBody = Type.Object(
  { amountYuan: Amount, revision: Type.Optional(Revision) },
  { additionalProperties: false },
);
const ReceiptBody = Type.Object(
  {
    source: Source,
    donor: Name(100, { description: 'Who gave it, as they agreed to be named.' }),
    amountYuan: Amount,
    inKind: Type.Optional(Title(200, { description: 'Goods given, described; omit for money.' })),
    programme: Type.Optional(Purpose),
    jurisdictionCode: JurisdictionCode,
    receivedOn: Day,
  },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
const LinesQuery = Type.Object(
  { year: Type.Optional(Year), ...pageQueryFields },
  { additionalProperties: false },
);
const ReceiptsQuery = Type.Object(
  {
    year: Type.Optional(Year),
    source: Type.Optional(Source),
    programme: Type.Optional(Purpose),
    jurisdictionCode: Type.Optional(JurisdictionCode),
    ...pageQueryFields,
  },
  { additionalProperties: false },
);
const ReportsQuery = Type.Object(
  { year: Year, ...pageQueryFields },
  { additionalProperties: false },
);
const TotalsQuery = Type.Object(
  { year: Year, jurisdictionCode: Type.Optional(JurisdictionCode) },
  { additionalProperties: false },
);

const LineView = Type.Object({
  id: Type.String(),
  year: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  purpose: Type.String(),
  amountYuan: Type.String(),
  remainingYuan: Type.String({ description: 'What is not yet committed (material awards).' }),
  revision: Type.Integer({ description: 'Also the ETag; send it back to change the amount.' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
const ReceiptView = Type.Object({
  id: Type.String(),
  year: Type.Integer(),
  source: Type.String(),
  donor: Type.String(),
  amountYuan: Type.String(),
  inKind: Type.String(),
  programme: Type.String(),
  jurisdictionPath: Type.Array(Type.String()),
  receivedOn: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
const ReportView = Type.Object({
  organizationId: Type.String(),
  year: Type.Integer(),
  reportId: Type.String(),
  revision: Type.Integer(),
  trainees: Type.Integer(),
  trainingMinutes: Type.Integer(),
  spendYuan: Type.String(),
  jurisdictionPath: Type.Array(Type.String()),
  reportedAt: Type.String({ format: 'date-time' }),
});
const TotalsView = Type.Object({
  year: Type.Integer(),
  jurisdictionCode: Type.Union([Type.String(), Type.Null()]),
  totalYuan: Type.String(),
  bySource: Type.Array(
    Type.Object({ source: Type.String({ enum: [...FUNDING_SOURCES] }), yuan: Type.String() }),
  ),
  byPurpose: Type.Array(Type.Object({ purpose: Type.String(), yuan: Type.String() })),
  byArea: Type.Array(
    Type.Object({ code: Type.String(), name: Type.String(), yuan: Type.String() }),
  ),
});

const lineResponse = (line: FundingLine) => ({
  id: line.id,
  year: line.year,
  code: line.code,
  name: line.name,
  purpose: line.purpose,
  amountYuan: formatYuan(line.amountFen),
  remainingYuan: formatYuan(line.remainingFen),
  revision: line.revision,
  createdAt: line.createdAt.toISOString(),
  updatedAt: line.updatedAt.toISOString(),
});

const receiptResponse = (receipt: FundingReceipt) => ({
  id: receipt.id,
  year: receipt.year,
  source: receipt.source,
  donor: receipt.donor,
  amountYuan: formatYuan(receipt.amountFen),
  inKind: receipt.inKind,
  programme: receipt.programme,
  jurisdictionPath: [...receipt.jurisdictionPath],
  receivedOn: receipt.receivedOn,
  createdAt: receipt.createdAt.toISOString(),
});

const reportResponse = (report: EnterpriseReport) => ({
  organizationId: report.organizationId,
  year: report.year,
  reportId: report.reportId,
  revision: report.revision,
  trainees: report.trainees,
  trainingMinutes: report.trainingMinutes,
  spendYuan: formatYuan(report.spendFen),
  jurisdictionPath: [...report.jurisdictionPath],
  reportedAt: report.reportedAt.toISOString(),
});

/** An amount in fen, or 400 naming the field at fault. */
function amountAt(text: string, field: string): Fen {
  try {
    return domainCall(() => parseAmount(text));
  } catch (error) {
    if (error instanceof AppError)
      throw new AppError(error.kind, error.code, error.message, {
        details: [{ field, message: error.message }],
      });
    throw error;
  }
}

interface HeaderSetter {
  header(name: string, value: string): unknown;
}
const withETag = (reply: HeaderSetter, line: FundingLine) => {
  reply.header('etag', `"${String(line.revision)}"`);
  return lineResponse(line);
};

const AREA_READS =
  'The office and department officers: the whole city; area officers: their own area ' +
  '(a jurisdictionCode outside it is 403 FUNDING_OUT_OF_SCOPE).';

export function registerFundingRoutes(http: HttpServer, useCases: FundingUseCases): void {
  http.post(
    '/v1/funding/lines',
    {
      config: { roles: ['city_admin'], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Add a line of the city’s yearly allocation (政府拨款)',
        description:
          'City admins; needs an Idempotency-Key. All of the amount remains until committed. Errors: ' +
          '400 FUNDING_AMOUNT_INVALID, FUNDING_CODE_INVALID, VALIDATION_FAILED; 403 ROLE_REQUIRED; ' +
          '409 FUNDING_LINE_EXISTS (the year has a line of that code).',
        body: LineBody,
        response: { 201: LineView },
      },
    },
    async (request, reply) => {
      const { body } = request;
      const line = await useCases.createLine(principalOf(request), {
        year: body.year,
        code: body.code,
        name: body.name,
        purpose: body.purpose ?? '',
        amountFen: amountAt(body.amountYuan, '/amountYuan'),
      });
      return reply.code(201).send(withETag(reply, line));
    },
  );

  http.get(
    '/v1/funding/lines',
    {
      config: { roles: [...OFFICER_ROLES] },
      schema: {
        tags: [TAG],
        summary: 'The allocation’s lines, by code',
        description:
          'The office and officers. Of a year when given. Errors: 400 CURSOR_INVALID, VALIDATION_FAILED; 403 ROLE_REQUIRED.',
        querystring: LinesQuery,
        response: { 200: PageOf(LineView) },
      },
    },
    async (request) => {
      const { filters, page: asked } = splitPage(request.query);
      const page = await useCases.listLines(filters.year, asked);
      return { items: page.items.map(lineResponse), nextPageToken: page.nextPageToken };
    },
  );

  http.get(
    '/v1/funding/lines/:id',
    {
      config: { roles: [...OFFICER_ROLES] },
      schema: {
        tags: [TAG],
        summary: 'One line, with what remains of it',
        description:
          'The office and officers. Errors: 403 ROLE_REQUIRED; 404 FUNDING_LINE_NOT_FOUND.',
        params: IdParams,
        response: { 200: LineView },
      },
    },
    async (request, reply) => {
      const line = await useCases.getLine(request.params.id);
      if (line === undefined) throw lineNotFound();
      return withETag(reply, line);
    },
  );

  http.patch(
    '/v1/funding/lines/:id',
    {
      config: { roles: ['city_admin'] },
      schema: {
        tags: [TAG],
        summary: 'Change a line’s amount',
        description:
          'City admins; If-Match (or body revision) applies it only at that revision. What remains ' +
          'moves by the difference; the amount is never set below what is already committed. Errors: ' +
          '400 FUNDING_AMOUNT_INVALID, FUNDING_REVISION_INVALID, VALIDATION_FAILED; 403 ROLE_REQUIRED; ' +
          '404 FUNDING_LINE_NOT_FOUND; 409 VERSION_CONFLICT, FUNDING_LINE_BELOW_COMMITTED.',
        params: IdParams,
        body: AmountBody,
        response: { 200: LineView },
      },
    },
    async (request, reply) => {
      const line = await useCases.changeLineAmount(principalOf(request), request.params.id, {
        amountFen: amountAt(request.body.amountYuan, '/amountYuan'),
        ...expectedRevision(request.headers['if-match'], request.body.revision, {
          refuse: revisionInvalid,
        }),
      });
      return withETag(reply, line);
    },
  );

  http.post(
    '/v1/funding/receipts',
    {
      config: { roles: ['city_admin', 'area_officer'], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Record a sponsorship or donation received',
        description:
          'City admins anywhere, area officers in their own area; needs an Idempotency-Key. The year ' +
          'is receivedOn’s; jurisdictionCode is the place it benefits. Errors: 400 ' +
          'FUNDING_AMOUNT_INVALID, JURISDICTION_UNKNOWN, CALENDAR_DATE_INVALID, ' +
          'VALIDATION_FAILED; 403 ROLE_REQUIRED, FUNDING_OUT_OF_SCOPE.',
        body: ReceiptBody,
        response: { 201: ReceiptView },
      },
    },
    async (request, reply) => {
      const { body } = request;
      const receipt = await useCases.recordReceipt(principalOf(request), {
        source: body.source,
        donor: body.donor,
        amountFen: amountAt(body.amountYuan, '/amountYuan'),
        inKind: body.inKind ?? '',
        programme: body.programme ?? '',
        jurisdictionCode: body.jurisdictionCode,
        receivedOn: body.receivedOn,
      });
      return reply.code(201).send(receiptResponse(receipt));
    },
  );

  http.get(
    '/v1/funding/receipts',
    {
      config: { roles: [...OFFICER_ROLES] },
      schema: {
        tags: [TAG],
        summary: 'Sponsorships and donations received, newest first',
        description:
          `${AREA_READS} Filters: year, source, programme, a place (and everything under it). Errors: ` +
          '400 JURISDICTION_UNKNOWN, CURSOR_INVALID, VALIDATION_FAILED; 403 ROLE_REQUIRED, FUNDING_OUT_OF_SCOPE.',
        querystring: ReceiptsQuery,
        response: { 200: PageOf(ReceiptView) },
      },
    },
    async (request) => {
      const { filters, page: asked } = splitPage(request.query);
      const page = await useCases.listReceipts(
        principalOf(request),
        {
          ...(filters.year === undefined ? {} : { year: filters.year }),
          ...(filters.source === undefined ? {} : { source: filters.source }),
          ...(filters.programme === undefined ? {} : { programme: filters.programme }),
          ...(filters.jurisdictionCode === undefined
            ? {}
            : { jurisdictionCode: filters.jurisdictionCode }),
        },
        asked,
      );
      return { items: page.items.map(receiptResponse), nextPageToken: page.nextPageToken };
    },
  );

  http.get(
    '/v1/funding/enterprise-reports',
    {
      config: { roles: ['city_admin', 'department_officer', 'org_admin'] },
      schema: {
        tags: [TAG],
        summary: 'Enterprises’ training reports of a year (latest revision each), by organization',
        description:
          'The office: every enterprise; officers of the department leading enterprises: the reports ' +
          'routed to it; organization admins: their own. Errors: 400 CURSOR_INVALID, ' +
          'VALIDATION_FAILED; 403 ROLE_REQUIRED, FUNDING_REPORTS_NOT_PERMITTED.',
        querystring: ReportsQuery,
        response: { 200: PageOf(ReportView) },
      },
    },
    async (request) => {
      const { filters, page: asked } = splitPage(request.query);
      const page = await useCases.listReports(principalOf(request), filters.year, asked);
      return { items: page.items.map(reportResponse), nextPageToken: page.nextPageToken };
    },
  );

  http.get(
    '/v1/funding/totals',
    {
      config: { roles: [...OFFICER_ROLES] },
      schema: {
        tags: [TAG],
        summary: 'The year’s money by source, purpose and township',
        description:
          `${AREA_READS} Without jurisdictionCode: the city, with the allocation's lines; with one: ` +
          'the receipts and enterprise spend of that place and everything under it (lines are the ' +
          'city’s own, in no area). bySource lists government_allocation, sponsorship, donation and ' +
          'enterprise_training; byPurpose merges lines’ purposes and receipts’ programmes; byArea is ' +
          'by township or street. Amounts in yuan. Errors: 400 JURISDICTION_UNKNOWN, ' +
          'VALIDATION_FAILED; 403 ROLE_REQUIRED, FUNDING_OUT_OF_SCOPE.',
        querystring: TotalsQuery,
        response: { 200: TotalsView },
      },
    },
    async (request) => {
      const { year, jurisdictionCode } = request.query;
      const totals = await useCases.readTotals(principalOf(request), year, jurisdictionCode);
      return {
        year,
        jurisdictionCode: jurisdictionCode ?? null,
        totalYuan: totals.total,
        bySource: [...totals.bySource],
        byPurpose: [...totals.byPurpose],
        byArea: [...totals.byArea],
      };
    },
  );
}
