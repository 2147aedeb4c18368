/** The learning-record routes: translate HTTP to the use cases and back, deciding nothing. */
import { chinaDateOf } from '@learning/domain';
import {
  DEFAULT_PAGE_SIZE,
  PageOf,
  pageQueryFields,
  principalOf,
  Uuid,
  type HttpServer,
} from '@learning/http';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { ExportRecord, RecordExport } from '../../application/records/export-record.js';
import type {
  MemberCredits,
  RecordReads,
  RecordSubject,
} from '../../application/records/read-records.js';
import { formatCredits, formatHours } from '../../domain/credits.js';
import { SOURCE_KINDS } from '../../domain/facts.js';
import type { RecordEntry, RecordTotals } from '../../domain/records.js';
import { recordCsv } from '../exports/csv.js';
import { recordPdf } from '../exports/pdf.js';
import { verificationPath } from './verifications.js';

export interface RecordUseCases {
  readonly reads: RecordReads;
  readonly exportRecord: ExportRecord;
}

const TAG = 'learning records';

/** Each export renders a document and issues a certificate: a few a minute is plenty for a person. */
const EXPORT_LIMIT = { points: 20, durationSeconds: 60 };

const Year = Type.Integer({
  description:
    'A city-calendar year from 2000 to next year (RECORD_YEAR_INVALID); the current one when absent.',
});
const YearQuery = Type.Object({ year: Type.Optional(Year) }, { additionalProperties: false });
const EntriesQuery = Type.Object(
  { year: Type.Optional(Year), ...pageQueryFields },
  { additionalProperties: false },
);
const ParticipantParams = Type.Object({ participantId: Uuid }, { additionalProperties: false });
const OrganizationParams = Type.Object({ organizationId: Uuid }, { additionalProperties: false });
const MembersQuery = Type.Object(
  {
    year: Type.Optional(Year),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: DEFAULT_PAGE_SIZE })),
    pageToken: pageQueryFields.pageToken,
  },
  { additionalProperties: false },
);

const Decimal = (description: string) => Type.String({ description });
const Category = Type.Union([Type.String(), Type.Null()], {
  description: 'A content category (§3); null for sources that name none.',
});

const Totals = Type.Object({
  credits: Decimal('Credits, a decimal string ("12.5").'),
  hours: Decimal('Learning hours, two fraction digits at most.'),
  entryCount: Type.Integer({
    description: 'Ledger entries behind the totals, reversals included.',
  }),
  byCategory: Type.Array(
    Type.Object({ category: Category, credits: Type.String(), hours: Type.String() }),
  ),
});

const Entry = Type.Object({
  id: Type.String(),
  date: Type.String({ description: 'The city-calendar date it happened.' }),
  occurredAt: Type.String({ format: 'date-time' }),
  title: Type.String(),
  source: Type.String({ enum: [...SOURCE_KINDS] }),
  category: Category,
  ruleId: Type.String(),
  ruleVersion: Type.Integer(),
  credits: Decimal('Signed: reversals and corrections are negative.'),
  hours: Type.String(),
  reason: Type.String({ enum: ['awarded', 'source_withdrawn', 'cap_reevaluated'] }),
});

const PersonTotals = Type.Object({
  participantId: Type.String(),
  name: Type.String(),
  year: Type.Integer(),
  totals: Totals,
});

const totalsResponse = (totals: RecordTotals) => ({
  credits: formatCredits(totals.credits),
  hours: formatHours(totals.minutes),
  entryCount: totals.entries,
  byCategory: totals.byCategory.map((total) => ({
    category: total.category,
    credits: formatCredits(total.credits),
    hours: formatHours(total.minutes),
  })),
});

const entryResponse = (entry: RecordEntry) => ({
  id: entry.id,
  date: chinaDateOf(entry.occurredAt),
  occurredAt: entry.occurredAt.toISOString(),
  title: entry.title,
  source: entry.source,
  category: entry.category,
  ruleId: entry.ruleId,
  ruleVersion: entry.ruleVersion,
  credits: formatCredits(entry.amount),
  hours: formatHours(entry.minutes),
  reason: entry.reason,
});

const memberResponse = (member: MemberCredits) => ({
  participantId: member.participantId,
  role: member.role,
  name: member.name,
  credits: formatCredits(member.totals.credits),
  hours: formatHours(member.totals.minutes),
  entryCount: member.totals.entries,
});

const fileName = (record: RecordExport, extension: string): string =>
  `learning-record-${record.year}-${record.certificate.code}.${extension}`;

async function sendExport(
  reply: FastifyReply,
  record: RecordExport,
  format: 'csv' | 'pdf',
): Promise<FastifyReply> {
  const body =
    format === 'csv'
      ? recordCsv(record)
      : await recordPdf(record, verificationPath(record.certificate.code));
  return reply
    .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/pdf')
    .header('content-disposition', `attachment; filename="${fileName(record, format)}"`)
    .header('verification-code', record.certificate.code)
    .header('cache-control', 'no-store')
    .send(body);
}

const OWN = 'Participants: your own record (your account is matched to your registration).';
const OTHERS =
  "Who may see the person's record: the admins of an organization they are a member of now, " +
  'the area officers of the area they live in, city admins, and the person. Anyone else is ' +
  'answered 404 RECORD_NOT_FOUND, as for a participant that does not exist, so the answer ' +
  'never tells whether someone is registered.';
const EXPORTS =
  'Each export issues a certificate: its verification code is in the document (PDF), the file ' +
  'name and the verification-code header, and GET /v1/public/verifications/{code} checks it.';
const CSV_TEXT =
  'text/csv, UTF-8 with BOM, CRLF: a Chinese header row (日期 date, 学习内容 title, 来源 source, ' +
  '类别 category, 规则 rule, 规则版本 rule version, 学分 credits, 学时 hours, 说明 reason), one ' +
  'row per ledger entry in event-time order, reversals included.';
const PDF_TEXT =
  'application/pdf in Chinese: title, name, year, totals by category, the entries, the ' +
  'verification code and path, the issue date.';

export function registerRecordRoutes(http: HttpServer, useCases: RecordUseCases): void {
  const { reads, exportRecord } = useCases;

  const totalsRoute = (url: string, own: boolean) =>
    http.get(
      url,
      {
        ...(own ? { config: { roles: ['participant'] } } : {}),
        schema: {
          tags: [TAG],
          summary: own ? 'Your credits for a year' : "A participant's credits for a year",
          description:
            `${own ? OWN : OTHERS} Totals are the ledger's sums (reversals included). Errors: 400 ` +
            `RECORD_YEAR_INVALID, VALIDATION_FAILED; ${own ? '403 ROLE_REQUIRED; 404 RECORD_NOT_REGISTERED.' : '404 RECORD_NOT_FOUND.'}`,
          ...(own ? {} : { params: ParticipantParams }),
          querystring: YearQuery,
          response: { 200: PersonTotals },
        },
      },
      async (request) => {
        const subject: RecordSubject = own
          ? { own: true }
          : { participantId: (request.params as { participantId: string }).participantId };
        const { participant, year, totals } = await reads.totals(
          principalOf(request),
          subject,
          request.query.year,
        );
        return {
          participantId: participant.id,
          name: participant.name,
          year,
          totals: totalsResponse(totals),
        };
      },
    );

  const entriesRoute = (url: string, own: boolean) =>
    http.get(
      url,
      {
        ...(own ? { config: { roles: ['participant'] } } : {}),
        schema: {
          tags: [TAG],
          summary: own ? 'Your learning record for a year' : "A participant's learning record",
          description:
            `${own ? OWN : OTHERS} The ledger's entries in event-time order, paged, each with ` +
            'its date, title, source, rule and version, credits and reason. Errors: 400 ' +
            `RECORD_YEAR_INVALID, CURSOR_INVALID, VALIDATION_FAILED; ${own ? '403 ROLE_REQUIRED; 404 RECORD_NOT_REGISTERED.' : '404 RECORD_NOT_FOUND.'}`,
          ...(own ? {} : { params: ParticipantParams }),
          querystring: EntriesQuery,
          response: {
            200: Type.Object({
              participantId: Type.String(),
              year: Type.Integer(),
              ...PageOf(Entry).properties,
            }),
          },
        },
      },
      async (request) => {
        const query = request.query;
        const subject: RecordSubject = own
          ? { own: true }
          : { participantId: (request.params as { participantId: string }).participantId };
        const { participant, year, page } = await reads.entries(
          principalOf(request),
          subject,
          query.year,
          {
            pageSize: query.pageSize ?? DEFAULT_PAGE_SIZE,
            ...(query.pageToken === undefined ? {} : { pageToken: query.pageToken }),
          },
        );
        return {
          participantId: participant.id,
          year,
          items: page.items.map(entryResponse),
          nextPageToken: page.nextCursor,
        };
      },
    );

  const exportRoute = (url: string, own: boolean, format: 'csv' | 'pdf') =>
    http.get(
      url,
      {
        config: { ...(own ? { roles: ['participant' as const] } : {}), rateLimit: EXPORT_LIMIT },
        schema: {
          tags: [TAG],
          summary: `${own ? 'Your' : "A participant's"} learning record for a year as ${format.toUpperCase()}`,
          description:
            `${own ? OWN : OTHERS} ${format === 'csv' ? CSV_TEXT : PDF_TEXT} ${EXPORTS} Errors: ` +
            `400 RECORD_YEAR_INVALID, VALIDATION_FAILED; ${own ? '403 ROLE_REQUIRED; 404 RECORD_NOT_REGISTERED' : '404 RECORD_NOT_FOUND'}; ` +
            '429 RATE_LIMITED (20 exports a minute).',
          ...(own ? {} : { params: ParticipantParams }),
          querystring: YearQuery,
          produces: [format === 'csv' ? 'text/csv' : 'application/pdf'],
        },
      },
      async (request, reply) => {
        const subject: RecordSubject = own
          ? { own: true }
          : { participantId: (request.params as { participantId: string }).participantId };
        const record = await exportRecord(
          principalOf(request),
          subject,
          request.query.year,
          format,
        );
        return sendExport(reply, record, format);
      },
    );

  totalsRoute('/v1/me/credits', true);
  entriesRoute('/v1/me/record', true);
  exportRoute('/v1/me/record.csv', true, 'csv');
  exportRoute('/v1/me/record.pdf', true, 'pdf');
  totalsRoute('/v1/participants/:participantId/credits', false);
  entriesRoute('/v1/participants/:participantId/record', false);
  exportRoute('/v1/participants/:participantId/record.csv', false, 'csv');
  exportRoute('/v1/participants/:participantId/record.pdf', false, 'pdf');

  http.get(
    '/v1/organizations/:organizationId/members/credits',
    {
      schema: {
        tags: [TAG],
        summary: "One page of an organization's current members with their credits for a year",
        description:
          "The organization's admins, the area officers of its area and city admins. Members " +
          "in registration's order, each with name, role and year totals; never phone or ID " +
          'numbers. Errors: 400 RECORD_YEAR_INVALID, VALIDATION_FAILED; 403 ' +
          'RECORD_ORGANIZATION_FORBIDDEN; 404 RECORD_ORGANIZATION_NOT_FOUND.',
        params: OrganizationParams,
        querystring: MembersQuery,
        response: {
          200: Type.Object({
            organizationId: Type.String(),
            year: Type.Integer(),
            ...PageOf(
              Type.Object({
                participantId: Type.String(),
                role: Type.String({ enum: ['member', 'admin'] }),
                name: Type.Union([Type.String(), Type.Null()]),
                credits: Type.String(),
                hours: Type.String(),
                entryCount: Type.Integer(),
              }),
            ).properties,
          }),
        },
      },
    },
    async (request) => {
      const { year, pageSize, pageToken } = request.query;
      const page = await reads.membersCredits(
        principalOf(request),
        request.params.organizationId,
        year,
        { size: pageSize ?? DEFAULT_PAGE_SIZE, token: pageToken ?? '' },
      );
      return {
        organizationId: request.params.organizationId,
        year: page.year,
        items: page.members.map(memberResponse),
        nextPageToken: page.nextPageToken,
      };
    },
  );
}
