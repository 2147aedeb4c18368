/** The coverage routes: translate HTTP to the use cases and back, deciding nothing. */
import { OFFICER_ROLES } from '@learning/auth';
import { CONTENT_CATEGORIES } from '@learning/domain';
import { JurisdictionCode, principalOf, type HttpServer } from '@learning/http';
import { Type } from '@sinclair/typebox';
import type { CoverageReport, GetCoverage } from '../../application/coverage/get-coverage.js';
import type { Gaps, GetGaps, TownshipGap } from '../../application/coverage/get-gaps.js';
import type { GetRuralShare } from '../../application/coverage/get-rural-share.js';
import type {
  GetSuggestions,
  SuggestedTownship,
  Suggestions,
} from '../../application/coverage/get-suggestions.js';
import {
  MAX_LOOK_BACK_MONTHS,
  MAX_SUGGESTIONS,
  MAX_YEAR,
  MIN_YEAR,
  type Figures,
  type QuarterFigures,
} from '../../domain/coverage.js';
import { TRAVEL_RADII } from '../../domain/experts.js';
import { VENUE_SETTINGS } from '../../domain/sessions.js';

export interface CoverageUseCases {
  getCoverage: GetCoverage;
  getGaps: GetGaps;
  getRuralShare: GetRuralShare;
  getSuggestions: GetSuggestions;
}

const TAG = 'coverage';
const READERS = OFFICER_ROLES;

// Ranges are the use cases' (stable codes), so the schema only asks for whole numbers.
const Year = Type.Integer({
  description: `The city's calendar year, ${MIN_YEAR} to ${MAX_YEAR}; default: this year.`,
});
const Months = Type.Integer({
  description: `The look-back in calendar months, 1 to ${MAX_LOOK_BACK_MONTHS}; default: COVERAGE_GAP_MONTHS.`,
});
const Root = Type.Unsafe<string>({
  ...JurisdictionCode,
  description:
    'The city, or a township or street: coverage is counted per township or street below it.',
});

const CoverageQuery = Type.Object(
  { jurisdictionCode: Root, year: Type.Optional(Year) },
  { additionalProperties: false },
);
const GapsQuery = Type.Object(
  { jurisdictionCode: Root, months: Type.Optional(Months) },
  { additionalProperties: false },
);
const RuralShareQuery = Type.Object({ year: Type.Optional(Year) }, { additionalProperties: false });
const SuggestionsQuery = Type.Object(
  {
    jurisdictionCode: Root,
    months: Type.Optional(Months),
    idleMonths: Type.Optional(
      Type.Integer({
        description: `An expert is idle with no session in this many months and none coming; 1 to ${MAX_LOOK_BACK_MONTHS}, default: months.`,
      }),
    ),
    limit: Type.Optional(
      Type.Integer({ description: `Pairs to suggest, 1 to ${MAX_SUGGESTIONS}; default 20.` }),
    ),
  },
  { additionalProperties: false },
);

const DateTime = Type.String({ format: 'date-time' });
const NullableDateTime = Type.Union([DateTime, Type.Null()]);
const Setting = Type.String({
  enum: [...VENUE_SETTINGS],
  description: 'countryside: a township (乡镇); city: a street (街道).',
});
const Category = Type.String({ enum: [...CONTENT_CATEGORIES] });
const Share = Type.Object({
  sessions: Type.Integer(),
  countrysideSessions: Type.Integer(),
  share: Type.Union([Type.Number(), Type.Null()], {
    description: 'countrysideSessions / sessions to four decimals; null without sessions.',
  }),
});
const figureFields = {
  sessions: Type.Integer({ description: 'Held and scheduled, not cancelled, by start.' }),
  held: Type.Integer(),
  scheduled: Type.Integer({
    description: 'Scheduled and not yet held (later in the year, or due).',
  }),
  attendance: Type.Integer({ description: 'Attendance recorded in the township in the span.' }),
};
const QuarterView = Type.Object({
  quarter: Type.Integer({ minimum: 1, maximum: 4 }),
  ...figureFields,
});

const CoverageView = Type.Object({
  jurisdictionCode: Type.String(),
  year: Type.Integer(),
  quarterBoundaries: Type.Array(DateTime, {
    description: 'Where Q1..Q4 begin (00:00 China time), then where the year ends.',
  }),
  townships: Type.Array(
    Type.Object({
      jurisdictionCode: Type.String(),
      name: Type.String(),
      setting: Setting,
      ...figureFields,
      quarters: Type.Array(QuarterView),
    }),
  ),
  totals: Type.Object({
    ...figureFields,
    quarters: Type.Array(QuarterView),
    townships: Type.Integer(),
  }),
  townshipsWithoutSessions: Type.Array(Type.String()),
  ruralShare: Share,
});

const GapView = Type.Object({
  jurisdictionCode: Type.String(),
  name: Type.String(),
  setting: Setting,
  lastSessionAt: NullableDateTime,
  nextSessionAt: Type.Union([DateTime, Type.Null()], {
    description:
      'A session scheduled there, not started yet: it does not close the gap until it is held.',
  }),
});

const GapsView = Type.Object({
  jurisdictionCode: Type.String(),
  months: Type.Integer(),
  since: Type.Unsafe<string>({ ...DateTime, description: 'Sessions started after this count.' }),
  asOf: DateTime,
  townships: Type.Integer({ description: 'Townships and streets in the subtree.' }),
  gaps: Type.Array(GapView, { description: 'Never covered first, then the longest uncovered.' }),
});

const RuralShareView = Type.Object({
  year: Type.Integer(),
  countedWithin: Type.Union([Type.Array(Type.String()), Type.Null()], {
    description: 'The subtrees counted (an area officer’s); null: the whole city.',
  }),
  forums: Type.Array(
    Type.Object({
      forumId: Type.String(),
      name: Type.String(),
      status: Type.String(),
      ...Share.properties,
    }),
  ),
  total: Share,
});

const SuggestedTownshipView = Type.Object({
  ...GapView.properties,
  wantedCategories: Type.Array(Category, {
    description: 'The categories it has had fewest sessions in (all four when it never had one).',
  }),
});

const SuggestionsView = Type.Object({
  jurisdictionCode: Type.String(),
  months: Type.Integer(),
  idleMonths: Type.Integer(),
  asOf: DateTime,
  gaps: Type.Integer(),
  suggestions: Type.Array(
    Type.Object({
      rank: Type.Integer({ minimum: 1 }),
      township: SuggestedTownshipView,
      expert: Type.Object({
        id: Type.String(),
        displayName: Type.String(),
        title: Type.String(),
        fields: Type.Array(Category),
        travelRadius: Type.String({ enum: [...TRAVEL_RADII] }),
        recentSessions: Type.Integer({ description: 'Sessions started in the idle look-back.' }),
        upcomingSessions: Type.Integer(),
      }),
      idle: Type.Boolean(),
      matchedFields: Type.Array(Category),
    }),
  ),
  unmatched: Type.Array(SuggestedTownshipView, {
    description: 'Uncovered townships no expert left fits by field and travel radius.',
  }),
});

const figures = (f: Figures) => ({
  sessions: f.sessions,
  held: f.held,
  scheduled: f.scheduled,
  attendance: f.attendance,
});
const quarters = (list: readonly QuarterFigures[]) =>
  list.map((q) => ({ quarter: q.quarter, ...figures(q) }));

const coverageResponse = (report: CoverageReport) => ({
  jurisdictionCode: report.jurisdictionCode,
  year: report.year,
  quarterBoundaries: report.quarterBoundaries.map((at) => at.toISOString()),
  townships: report.townships.map((township) => ({
    jurisdictionCode: township.townshipCode,
    name: township.name,
    setting: township.setting,
    ...figures(township),
    quarters: quarters(township.quarters),
  })),
  totals: {
    ...figures(report.totals),
    quarters: quarters(report.totals.quarters),
    townships: report.townships.length,
  },
  townshipsWithoutSessions: [...report.townshipsWithoutSessions],
  ruralShare: { ...report.ruralShare },
});

const gapView = (gap: TownshipGap) => ({
  jurisdictionCode: gap.townshipCode,
  name: gap.name,
  setting: gap.setting,
  lastSessionAt: gap.lastSessionAt?.toISOString() ?? null,
  nextSessionAt: gap.nextSessionAt?.toISOString() ?? null,
});

const gapsResponse = (gaps: Gaps) => ({
  jurisdictionCode: gaps.jurisdictionCode,
  months: gaps.months,
  since: gaps.since.toISOString(),
  asOf: gaps.asOf.toISOString(),
  townships: gaps.townships,
  gaps: gaps.gaps.map(gapView),
});

const suggestedTownship = (township: SuggestedTownship) => ({
  ...gapView(township),
  wantedCategories: [...township.wantedCategories],
});

const suggestionsResponse = (result: Suggestions) => ({
  jurisdictionCode: result.jurisdictionCode,
  months: result.months,
  idleMonths: result.idleMonths,
  asOf: result.asOf.toISOString(),
  gaps: result.gaps,
  suggestions: result.suggestions.map(({ rank, township, expert, idle, matchedFields }) => ({
    rank,
    township: suggestedTownship(township),
    expert: {
      id: expert.expertId,
      displayName: expert.displayName,
      title: expert.title,
      fields: [...expert.fields],
      travelRadius: expert.travelRadius,
      recentSessions: expert.recentSessions,
      upcomingSessions: expert.upcomingSessions,
    },
    idle,
    matchedFields: [...matchedFields],
  })),
  unmatched: result.unmatched.map(suggestedTownship),
});

const WHO =
  'City admins and the officers of the department running the lecture series, city-wide; area ' +
  'officers within their jurisdictions.';
const REFUSALS =
  '403 ROLE_REQUIRED, COVERAGE_READ_FORBIDDEN (another department), SCOPE_EMPTY; 404 ' +
  'COVERAGE_JURISDICTION_NOT_FOUND (also outside your reach)';

export function registerCoverageRoutes(http: HttpServer, useCases: CoverageUseCases): void {
  http.get(
    '/v1/coverage',
    {
      config: { roles: [...READERS] },
      schema: {
        tags: [TAG],
        summary: 'Sessions and attendance per township or street per quarter (覆盖全市城乡)',
        description:
          `${WHO} Sessions scheduled or held (never cancelled) count by their start, in the ` +
          'quarter of the city’s calendar (China time) it falls in; a scheduled one later in the ' +
          'year counts (the programme as planned) and is shown apart from the held. The rural ' +
          'share is of those sessions at countryside venues. Errors: 400 COVERAGE_YEAR_INVALID, ' +
          `COVERAGE_LEVEL_INVALID, VALIDATION_FAILED; ${REFUSALS}.`,
        querystring: CoverageQuery,
        response: { 200: CoverageView },
      },
    },
    async (request) =>
      coverageResponse(
        await useCases.getCoverage(
          principalOf(request),
          request.query.jurisdictionCode,
          request.query.year,
        ),
      ),
  );

  http.get(
    '/v1/coverage/gaps',
    {
      config: { roles: [...READERS] },
      schema: {
        tags: [TAG],
        summary: 'Townships and streets with no session in the last months',
        description:
          `${WHO} A gap: no session (not cancelled) started there since the same China time ` +
          '`months` calendar months ago; one scheduled but not started yet is shown as the next ' +
          'and closes the gap only once held. Errors: 400 COVERAGE_MONTHS_INVALID, ' +
          `COVERAGE_LEVEL_INVALID, VALIDATION_FAILED; ${REFUSALS}.`,
        querystring: GapsQuery,
        response: { 200: GapsView },
      },
    },
    async (request) => {
      const { jurisdictionCode, months } = request.query;
      return gapsResponse(
        await useCases.getGaps(
          principalOf(request),
          jurisdictionCode,
          months === undefined ? {} : { months },
        ),
      );
    },
  );

  http.get(
    '/v1/coverage/rural-share',
    {
      config: { roles: [...READERS] },
      schema: {
        tags: [TAG],
        summary: 'The share of each forum’s sessions at countryside venues',
        description:
          `${WHO} Every forum of the catalogue, with the year’s sessions (scheduled or held, by ` +
          'start) and those at countryside venues; an area officer’s count covers their ' +
          'jurisdictions only. Errors: 400 COVERAGE_YEAR_INVALID, VALIDATION_FAILED; 403 ' +
          'ROLE_REQUIRED, COVERAGE_READ_FORBIDDEN, SCOPE_EMPTY.',
        querystring: RuralShareQuery,
        response: { 200: RuralShareView },
      },
    },
    async (request) => {
      const shares = await useCases.getRuralShare(principalOf(request), request.query.year);
      return {
        year: shares.year,
        countedWithin: shares.countedWithin === null ? null : [...shares.countedWithin],
        forums: shares.forums.map((forum) => ({ ...forum })),
        total: { ...shares.total },
      };
    },
  );

  http.get(
    '/v1/coverage/suggestions',
    {
      config: { roles: [...READERS] },
      schema: {
        tags: [TAG],
        summary: 'Idle experts paired with uncovered townships',
        description:
          `${WHO} The gaps (as /v1/coverage/gaps finds them), longest uncovered first, each ` +
          'paired with one active expert lecturing in a category the township has had least of ' +
          'and who travels there (a city-radius expert never to a countryside township): idle ' +
          'experts (no session in idleMonths, none coming) first, then the least busy; each ' +
          'expert once. Errors: 400 COVERAGE_MONTHS_INVALID, COVERAGE_LIMIT_INVALID, ' +
          `COVERAGE_LEVEL_INVALID, VALIDATION_FAILED; ${REFUSALS}.`,
        querystring: SuggestionsQuery,
        response: { 200: SuggestionsView },
      },
    },
    async (request) => {
      const { jurisdictionCode, ...options } = request.query;
      return suggestionsResponse(
        await useCases.getSuggestions(principalOf(request), jurisdictionCode, options),
      );
    },
  );
}
