/** The credit rules routes: translate HTTP (amounts as decimal strings) to the use cases and back. */
import { OFFICER_ROLES } from '@learning/auth';
import {
  CONTENT_CATEGORIES,
  domainCall,
  TIERS,
  type ContentCategory,
  type Tier,
} from '@learning/domain';
import { AppError } from '@learning/errors';
import {
  expectedRevision,
  PageOf,
  pageQueryFields,
  principalOf,
  PUBLIC_PORTAL_TAG,
  publicPageKey,
  publicPageSender,
  splitPage,
  Title,
  Uuid,
  type CachedPages,
  type HttpServer,
} from '@learning/http';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { AddVersion } from '../../application/rules/add-version.js';
import { versionView } from '../../application/rules/audit.js';
import type { CreateRule } from '../../application/rules/create-rule.js';
import { revisionInvalid } from '../../application/rules/errors.js';
import type { GetRule } from '../../application/rules/get-rule.js';
import type { ListRules } from '../../application/rules/list-rules.js';
import type { StoredRule } from '../../application/rules/ports.js';
import type { PublicRule, PublicRules } from '../../application/rules/public-rules.js';
import type { RetireRule } from '../../application/rules/retire-rule.js';
import { parseCredits, type Hundredths } from '../../domain/credits.js';
import { SOURCE_KINDS } from '../../domain/facts.js';
import type { VersionTerms } from '../../domain/rule-book.js';
import type { CreditBasis, RuleKind } from '../../domain/rules.js';

export interface RulesUseCases {
  createRule: CreateRule;
  addVersion: AddVersion;
  retireRule: RetireRule;
  getRule: GetRule;
  listRules: ListRules;
  publicRules: PublicRules;
  /** The city date; the public list's pages are cached per day, as announced rules come into force at midnight. */
  today: () => string;
  publicPages: CachedPages;
  /** `cache-control: max-age` of the public list. */
  publicMaxAgeSeconds: number;
}

const TAG = 'credit rules';

const Enum = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>(
    Type.String({ enum: [...values], ...(description === undefined ? {} : { description }) }),
  );
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const Source = Enum(SOURCE_KINDS, 'What the rule credits.');
const Kind = Enum<RuleKind>(
  ['base', 'bonus'],
  'base: credits its source; bonus: adds a percentage of what base rules allotted within a campaign.',
);
const Amount = Type.String({
  minLength: 1,
  maxLength: 16,
  description: 'Credits as a decimal string with at most two fraction digits, e.g. "2" or "1.25".',
});
const Day = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'A city (China) calendar date, YYYY-MM-DD.',
});
const Categories = Type.Array(Enum<ContentCategory>(CONTENT_CATEGORIES), {
  maxItems: CONTENT_CATEGORIES.length,
  description: 'None: every category.',
});
const Tiers = Type.Array(Enum<Tier>(TIERS), {
  maxItems: TIERS.length,
  description: 'None: every tier (and organizations).',
});
const Basis = Type.Union(
  [
    Type.Object(
      {
        kind: Enum(['per_occurrence', 'per_hour', 'per_unit'] as const),
        credits: Amount,
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        kind: Type.Literal('by_rank'),
        bands: Type.Array(
          Type.Object(
            { upToRank: Type.Integer({ minimum: 0, maximum: 100_000 }), credits: Amount },
            { additionalProperties: false },
          ),
          { maxItems: 50 },
        ),
      },
      { additionalProperties: false },
    ),
  ],
  {
    description:
      'Base rules only. per_occurrence (any source), per_hour (attended kinds, lesson_completed, ' +
      'activity_organized: pro rata by minute), per_unit (book_donated: per book), by_rank ' +
      '(contest_placed: rank 1..upToRank earns the band’s credits).',
  },
);
const Cap = Nullable(
  Type.String({ ...Amount, description: 'More than 0; null or omitted: none.' }),
);
const Revision = Type.Integer({
  minimum: 1,
  description: 'The revision last read (or send it as If-Match); absent: the current one.',
});
const Terms = {
  basis: Type.Optional(Basis),
  dailyCap: Type.Optional(Cap),
  yearlyCap: Type.Optional(Cap),
  bonusPercent: Type.Optional(
    Type.Integer({ description: 'Bonus rules only: 1 to 500 (50 = half as much again).' }),
  ),
};

const CreateBody = Type.Object(
  {
    kind: Type.Optional(Kind),
    name: Title(100),
    source: Source,
    categories: Type.Optional(Categories),
    tiers: Type.Optional(Tiers),
    campaignId: Type.Optional(Uuid),
    effectiveFrom: Type.Optional(Day),
    effectiveTo: Type.Optional(Nullable(Day)),
    ...Terms,
  },
  { additionalProperties: false },
);
const VersionBody = Type.Object(
  {
    effectiveFrom: Day,
    effectiveTo: Type.Optional(Nullable(Day)),
    ...Terms,
    revision: Type.Optional(Revision),
  },
  { additionalProperties: false },
);
const RetirementBody = Type.Object(
  { effectiveTo: Day, revision: Type.Optional(Revision) },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
const ListQuery = Type.Object(
  {
    source: Type.Optional(Source),
    kind: Type.Optional(Kind),
    inForceOn: Type.Optional(Day),
    ...pageQueryFields,
  },
  { additionalProperties: false },
);
const PublicQuery = Type.Object({ ...pageQueryFields }, { additionalProperties: false });

const BasisView = Nullable(
  Type.Object({
    kind: Type.String(),
    credits: Type.Optional(Type.String()),
    bands: Type.Optional(
      Type.Array(Type.Object({ upToRank: Type.Integer(), credits: Type.String() })),
    ),
  }),
);
const VersionFields = {
  version: Type.Integer(),
  effectiveFrom: Type.String(),
  effectiveTo: Nullable(Type.String()),
  basis: BasisView,
  dailyCap: Nullable(Type.String()),
  yearlyCap: Nullable(Type.String()),
  bonusPercent: Nullable(Type.Integer()),
};
const ScopeFields = {
  id: Type.String(),
  kind: Type.String(),
  name: Type.String(),
  source: Type.String(),
  categories: Type.Array(Type.String()),
  tiers: Type.Array(Type.String()),
  campaignId: Nullable(Type.String()),
};
const RuleView = Type.Object({
  ...ScopeFields,
  versions: Type.Array(
    Type.Object({
      ...VersionFields,
      createdBy: Type.String(),
      createdAt: Type.String({ format: 'date-time' }),
    }),
  ),
  revision: Type.Integer({ description: 'Also the ETag; send it back to change the rule.' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
const PublicRuleView = Type.Object({
  ...ScopeFields,
  ...VersionFields,
  status: Type.String({
    enum: ['in_force', 'announced'],
    description: 'in_force: today’s terms; announced: starts later, with its first terms.',
  }),
});
const PublicPage = Type.Object({
  day: Type.String({ description: 'The city date the list is for.' }),
  ...PageOf(PublicRuleView).properties,
});

const ruleResponse = (rule: StoredRule) => ({
  id: rule.id,
  kind: rule.kind,
  name: rule.name,
  source: rule.source,
  categories: [...rule.categories],
  tiers: [...rule.tiers],
  campaignId: rule.campaignId,
  versions: rule.versions.map((version) => ({
    ...versionView(rule, version),
    createdBy: version.createdBy,
    createdAt: version.createdAt.toISOString(),
  })),
  revision: rule.revision,
  createdAt: rule.createdAt.toISOString(),
  updatedAt: rule.updatedAt.toISOString(),
});

const publicResponse = ({ rule, version, status }: PublicRule) => ({
  id: rule.id,
  kind: rule.kind,
  name: rule.name,
  source: rule.source,
  categories: [...rule.categories],
  tiers: [...rule.tiers],
  campaignId: rule.campaignId,
  ...versionView(rule, version),
  status,
});

/** An amount in hundredths, or 400 at `field` naming what is wrong. */
function amountAt(text: string, field: string): Hundredths {
  try {
    return domainCall(() => parseCredits(text));
  } catch (error) {
    if (error instanceof AppError)
      throw new AppError(error.kind, error.code, error.message, {
        details: [{ field, message: error.message }],
      });
    throw error;
  }
}

type TermsBody = Pick<
  Static<typeof CreateBody>,
  'basis' | 'dailyCap' | 'yearlyCap' | 'bonusPercent'
>;

function basisOf(basis: NonNullable<TermsBody['basis']>): CreditBasis {
  if (basis.kind === 'by_rank')
    return {
      kind: 'by_rank',
      bands: basis.bands.map((band, index) => ({
        upToRank: band.upToRank,
        credits: amountAt(band.credits, `/basis/bands/${String(index)}/credits`),
      })),
    };
  return { kind: basis.kind, credits: amountAt(basis.credits, '/basis/credits') };
}

const capOf = (cap: string | null | undefined, field: string): Hundredths | null =>
  cap == null ? null : amountAt(cap, field);

const termsOf = (body: TermsBody): VersionTerms => ({
  basis: body.basis === undefined ? null : basisOf(body.basis),
  dailyCap: capOf(body.dailyCap, '/dailyCap'),
  yearlyCap: capOf(body.yearlyCap, '/yearlyCap'),
  bonusPercent: body.bonusPercent ?? null,
});

interface HeaderSetter {
  header(name: string, value: string): unknown;
}
const withETag = (reply: HeaderSetter, rule: StoredRule) => {
  reply.header('etag', `"${String(rule.revision)}"`);
  return ruleResponse(rule);
};

const WRITE_ERRORS =
  'RULE_BASIS_REQUIRED, RULE_BASIS_NOT_FOR_BONUS, RULE_BASIS_NOT_FOR_SOURCE, RULE_CREDITS_INVALID, ' +
  'RULE_RANK_BANDS_INVALID, RULE_CAP_INVALID, RULE_CAPS_INCONSISTENT, RULE_BONUS_PERCENT_INVALID, ' +
  'RULE_BONUS_PERCENT_NOT_FOR_BASE, RULE_EFFECTIVE_FROM_TOO_SOON, RULE_EFFECTIVE_TO_BEFORE_FROM, ' +
  'RULE_EFFECTIVE_TOO_FAR, CREDITS_INVALID, CALENDAR_DATE_INVALID, VALIDATION_FAILED';

export function registerRulesRoutes(http: HttpServer, useCases: RulesUseCases): void {
  http.post(
    '/v1/credit-rules',
    {
      config: { roles: ['city_admin'], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Add a credit rule (the campaign office)',
        description:
          'City admins; needs an Idempotency-Key. The rule’s scope (kind, source, categories, ' +
          'tiers, campaign) is fixed; its first version starts on effectiveFrom (tomorrow in the ' +
          'city when absent, never earlier) and runs to effectiveTo (null: open-ended). A bonus ' +
          'names its campaignId and bonusPercent and no basis. Errors: 400 RULE_NAME_INVALID, ' +
          'RULE_CATEGORIES_INVALID, RULE_TIERS_INVALID, RULE_TIERS_NOT_FOR_ORGANIZATIONS, ' +
          `RULE_CAMPAIGN_REQUIRED, RULE_CAMPAIGN_NOT_FOR_BASE, ${WRITE_ERRORS}; 403 ROLE_REQUIRED; ` +
          '409 RULE_OVERLAP (names the rule it overlaps), RULE_BOOK_BUSY (try again).',
        body: CreateBody,
        response: { 201: RuleView },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const rule = await useCases.createRule(principalOf(request), {
        kind: body.kind ?? 'base',
        name: body.name,
        source: body.source,
        categories: body.categories ?? [],
        tiers: body.tiers ?? [],
        campaignId: body.campaignId ?? null,
        ...(body.effectiveFrom === undefined ? {} : { effectiveFrom: body.effectiveFrom }),
        effectiveTo: body.effectiveTo ?? null,
        terms: termsOf(body),
      });
      return reply.code(201).send(withETag(reply, rule));
    },
  );

  http.get(
    '/v1/credit-rules',
    {
      config: { roles: [...OFFICER_ROLES] },
      schema: {
        tags: [TAG],
        summary: 'List the credit rules, oldest first',
        description:
          'The office and officers. Of a source, of a kind, in force on a city date. Errors: 400 ' +
          'CURSOR_INVALID, VALIDATION_FAILED; 403 ROLE_REQUIRED.',
        querystring: ListQuery,
        response: { 200: PageOf(RuleView) },
      },
    },
    async (request) => {
      const { filters, page: asked } = splitPage(request.query);
      const page = await useCases.listRules({
        ...(filters.source === undefined ? {} : { source: filters.source }),
        ...(filters.kind === undefined ? {} : { kind: filters.kind }),
        ...(filters.inForceOn === undefined ? {} : { inForceOn: filters.inForceOn }),
        ...asked,
      });
      return { items: page.items.map(ruleResponse), nextPageToken: page.nextPageToken };
    },
  );

  http.get(
    '/v1/credit-rules/:id',
    {
      config: { roles: [...OFFICER_ROLES] },
      schema: {
        tags: [TAG],
        summary: 'Get a credit rule with every version it had',
        description: 'The office and officers. Errors: 403 ROLE_REQUIRED; 404 RULE_NOT_FOUND.',
        params: IdParams,
        response: { 200: RuleView },
      },
    },
    async (request, reply) => withETag(reply, await useCases.getRule(request.params.id)),
  );

  http.post(
    '/v1/credit-rules/:id/versions',
    {
      config: { roles: ['city_admin'], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Change a rule from a day on: a new version',
        description:
          'City admins; needs an Idempotency-Key; If-Match (or body revision) applies it only at ' +
          'that revision. From effectiveFrom (tomorrow or later) the new version is what the rule ' +
          'says, to effectiveTo (null: open-ended): the version in effect the day before closes ' +
          'then (today at the earliest: a version in effect today keeps today), versions not yet ' +
          'in effect from that day are replaced. Errors: 400 ' +
          `${WRITE_ERRORS}, RULE_REVISION_INVALID; 403 ROLE_REQUIRED; 404 RULE_NOT_FOUND; 409 ` +
          'RULE_OVERLAP, RULE_BOOK_BUSY, VERSION_CONFLICT.',
        params: IdParams,
        body: VersionBody,
        response: { 201: RuleView },
      },
    },
    async (request, reply) => {
      const rule = await useCases.addVersion(principalOf(request), request.params.id, {
        terms: termsOf(request.body),
        effectiveFrom: request.body.effectiveFrom,
        effectiveTo: request.body.effectiveTo ?? null,
        ...expectedRevision(request.headers['if-match'], request.body.revision, {
          refuse: revisionInvalid,
        }),
      });
      return reply.code(201).send(withETag(reply, rule));
    },
  );

  http.post(
    '/v1/credit-rules/:id/retirement',
    {
      config: { roles: ['city_admin'], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'End a rule: its last day in effect',
        description:
          'City admins; needs an Idempotency-Key; If-Match (or body revision) as for versions. ' +
          'effectiveTo, the last day it counts, is today or later; versions starting after it are ' +
          'dropped. Errors: 400 ' +
          'RULE_RETIREMENT_PAST, RULE_RETIREMENT_BEFORE_START, RULE_REVISION_INVALID, ' +
          'CALENDAR_DATE_INVALID, VALIDATION_FAILED; 403 ROLE_REQUIRED; 404 RULE_NOT_FOUND; 409 ' +
          'RULE_ALREADY_ENDS, VERSION_CONFLICT.',
        params: IdParams,
        body: RetirementBody,
        response: { 200: RuleView },
      },
    },
    async (request, reply) =>
      withETag(
        reply,
        await useCases.retireRule(principalOf(request), request.params.id, {
          effectiveTo: request.body.effectiveTo,
          ...expectedRevision(request.headers['if-match'], request.body.revision, {
            refuse: revisionInvalid,
          }),
        }),
      ),
  );

  const sendPublic = publicPageSender(useCases.publicPages, useCases.publicMaxAgeSeconds);

  http.get(
    '/v1/public/credit-rules',
    {
      config: { auth: 'none' },
      schema: {
        tags: [PUBLIC_PORTAL_TAG],
        summary: 'What earns learning credits, today and announced',
        description:
          'No sign-in needed. Each rule in force today (city calendar) with today’s terms ' +
          '(status in_force), then each rule announced, starting later, with its first terms ' +
          '(status announced, effectiveFrom its first day); oldest first within each. Served from a shared cache (x-cache: hit or miss) that every change to a rule ' +
          'clears. Errors: 400 CURSOR_INVALID, VALIDATION_FAILED.',
        querystring: PublicQuery,
        response: { 200: PublicPage },
      },
    },
    async (request, reply) => {
      await sendPublic(
        reply,
        publicPageKey('/v1/public/credit-rules', {
          ...request.query,
          day: useCases.today(),
        }),
        async () => {
          const page = await useCases.publicRules(splitPage(request.query).page);
          return {
            day: page.day,
            items: page.items.map(publicResponse),
            nextPageToken: page.nextPageToken,
          };
        },
      );
    },
  );
}
