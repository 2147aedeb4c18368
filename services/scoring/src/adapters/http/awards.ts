/** The annual awards routes: rounds, nominations, the expert group's reviews, approvals, publication and the public list. */
import {
  AWARD_CATEGORIES,
  formatYuan,
  maskPersonName,
  ORGANIZATION_KINDS,
  type AwardCategory,
  type OrganizationKind,
} from '@learning/domain';
import { ORGANIZER_ROLES } from '@learning/auth';
import {
  JurisdictionCode,
  PageOf,
  pageQueryFields,
  principalOf,
  PUBLIC_PORTAL_TAG,
  publicPageKey,
  publicPageSender,
  splitPage,
  Text,
  Title,
  Uuid,
  type CachedPages,
  type HttpServer,
} from '@learning/http';
import { Type, type TSchema } from '@sinclair/typebox';
import type { ApproveNominations } from '../../application/awards/approve.js';
import type { Nominate } from '../../application/awards/nominate.js';
import type { Award, AwardRound, Nomination } from '../../application/awards/ports.js';
import type { PublicAwards, PublishRound } from '../../application/awards/publish.js';
import type {
  DeclareRecusal,
  ListNominations,
  NominationStanding,
  ReviewNomination,
} from '../../application/awards/reviews.js';
import type { CreateRound, GetRound, ListRounds } from '../../application/awards/rounds.js';
import { NOMINEE_KINDS, type NomineeKind } from '../../domain/awards.js';
import { formatCredits } from '../../domain/credits.js';
import { formatHundredths } from '../../domain/evaluation.js';

export interface AwardsUseCases {
  createRound: CreateRound;
  getRound: GetRound;
  listRounds: ListRounds;
  nominate: Nominate;
  listNominations: ListNominations;
  reviewNomination: ReviewNomination;
  declareRecusal: DeclareRecusal;
  approveNominations: ApproveNominations;
  publishRound: PublishRound;
  publicAwards: PublicAwards;
  publicPages: CachedPages;
  publicMaxAgeSeconds: number;
}

const TAG = 'awards';

const Enum = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>(
    Type.String({ enum: [...values], ...(description === undefined ? {} : { description }) }),
  );
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const Year = Type.Integer({ minimum: 2000, maximum: 2100 });
const Day = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'A city (China) calendar date, YYYY-MM-DD.',
});
const Category = Enum<AwardCategory>(AWARD_CATEGORIES);
const Kind = Enum<OrganizationKind>(ORGANIZATION_KINDS);

const RoundBody = Type.Object(
  {
    year: Year,
    category: Category,
    organizationKind: Type.Optional(Kind),
    title: Title(100),
    nominationsClose: Day,
    places: Type.Integer({
      minimum: 1,
      maximum: 1000,
      description: 'How many awards the office may approve.',
    }),
    materialAwardYuan: Type.String({
      minLength: 1,
      maxLength: 12,
      description: 'Per award, in yuan: "5000.00", or "0" for an honorary award.',
    }),
    fundingLineId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
const NominationBody = Type.Object(
  {
    nomineeKind: Enum<NomineeKind>(NOMINEE_KINDS),
    nomineeId: Uuid,
    statement: Text(5000, { minLength: 1 }),
  },
  { additionalProperties: false },
);
const ReviewBody = Type.Object(
  {
    score: Type.Integer({ minimum: 0, maximum: 100, description: 'Whole points, 0–100.' }),
    comment: Text(2000),
  },
  { additionalProperties: false },
);
const RecusalBody = Type.Object(
  { reason: Text(1000, { minLength: 1 }) },
  { additionalProperties: false },
);
const ApprovalBody = Type.Object(
  { nominationIds: Type.Array(Uuid, { minItems: 1, maxItems: 100 }) },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
const ListQuery = Type.Object({ ...pageQueryFields }, { additionalProperties: false });
const RoundListQuery = Type.Object(
  {
    year: Type.Optional(Year),
    category: Type.Optional(Category),
    ...pageQueryFields,
  },
  { additionalProperties: false },
);
const PublicQuery = Type.Object(
  {
    year: Type.Optional(Year),
    category: Type.Optional(Category),
    jurisdictionCode: Type.Optional(JurisdictionCode),
    ...pageQueryFields,
  },
  { additionalProperties: false },
);

const RoundView = Type.Object({
  id: Type.String(),
  year: Type.Integer(),
  category: Type.String(),
  organizationKind: Nullable(Type.String()),
  title: Type.String(),
  nominationsClose: Type.String(),
  places: Type.Integer(),
  materialAwardYuan: Type.String(),
  fundingLineId: Nullable(Type.String()),
  status: Type.String({ enum: ['open', 'published'] }),
  createdAt: Type.String({ format: 'date-time' }),
  publishedAt: Nullable(Type.String({ format: 'date-time' })),
});
const NomineeView = Type.Object({
  kind: Type.String(),
  id: Type.String(),
  name: Type.String(),
  organizationKind: Nullable(Type.String()),
  jurisdictionPath: Type.Array(Type.String()),
});
const EvidenceView = Type.Object({
  assessment: Nullable(
    Type.Object({
      assessmentId: Type.String(),
      locked: Type.Boolean(),
      passed: Type.Boolean(),
      score: Type.String({ description: '"87.25"' }),
      rank: Type.Integer(),
      rankedOutOf: Type.Integer(),
    }),
  ),
  person: Nullable(
    Type.Object({
      credits: Type.String({ description: 'The year’s credits, "12.5".' }),
      minutes: Type.Integer(),
      trainingCompletions: Type.Integer(),
    }),
  ),
});
const NominationView = Type.Object({
  id: Type.String(),
  roundId: Type.String(),
  nominee: NomineeView,
  statement: Type.String(),
  evidence: EvidenceView,
  createdAt: Type.String({ format: 'date-time' }),
});
const StandingView = Type.Object({
  ...NominationView.properties,
  reviewCount: Type.Integer(),
  meanScore: Nullable(Type.String({ description: 'Mean of the experts’ scores, "86.50".' })),
  ownReview: Nullable(
    Type.Object({
      score: Type.Integer(),
      comment: Type.String(),
      reviewedAt: Type.String({ format: 'date-time' }),
    }),
  ),
  recused: Type.Boolean({ description: 'The caller declared a recusal from it.' }),
});
const AwardView = Type.Object({
  id: Type.String(),
  nominationId: Type.String(),
  roundId: Type.String(),
  place: Type.Integer(),
  nominee: NomineeView,
  materialAwardYuan: Type.String(),
  grantedAt: Type.String({ format: 'date-time' }),
  publishedAt: Nullable(Type.String({ format: 'date-time' })),
});
const PublicAwardView = Type.Object({
  id: Type.String(),
  year: Type.Integer(),
  category: Type.String(),
  organizationKind: Nullable(Type.String()),
  nomineeKind: Type.String(),
  name: Type.String({ description: 'An organization’s name; a person’s masked: 张*明.' }),
  jurisdictionPath: Type.Array(Type.String()),
  materialAwardYuan: Type.String(),
  publishedAt: Type.String({ format: 'date-time' }),
});

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());

const roundResponse = (round: AwardRound) => ({
  id: round.id,
  year: round.year,
  category: round.category,
  organizationKind: round.organizationKind,
  title: round.title,
  nominationsClose: round.nominationsClose,
  places: round.places,
  materialAwardYuan: formatYuan(round.materialAwardFen),
  fundingLineId: round.fundingLineId,
  status: round.status,
  createdAt: round.createdAt.toISOString(),
  publishedAt: iso(round.publishedAt),
});

const nomineeResponse = (nominee: Nomination['nominee']) => ({
  kind: nominee.kind,
  id: nominee.id,
  name: nominee.name,
  organizationKind: nominee.organizationKind,
  jurisdictionPath: [...nominee.jurisdictionPath],
});

const nominationResponse = (nomination: Nomination) => ({
  id: nomination.id,
  roundId: nomination.roundId,
  nominee: nomineeResponse(nomination.nominee),
  statement: nomination.statement,
  evidence: {
    assessment:
      nomination.evidence.assessment === null
        ? null
        : {
            ...nomination.evidence.assessment,
            score: formatHundredths(nomination.evidence.assessment.score),
          },
    person:
      nomination.evidence.person === null
        ? null
        : {
            ...nomination.evidence.person,
            credits: formatCredits(nomination.evidence.person.credits),
          },
  },
  createdAt: nomination.createdAt.toISOString(),
});

const standingResponse = (standing: NominationStanding) => ({
  ...nominationResponse(standing.nomination),
  reviewCount: standing.reviewCount,
  meanScore: standing.meanScore === null ? null : formatHundredths(standing.meanScore),
  ownReview:
    standing.ownReview === null
      ? null
      : {
          score: standing.ownReview.score,
          comment: standing.ownReview.comment,
          reviewedAt: standing.ownReview.reviewedAt.toISOString(),
        },
  recused: standing.recused,
});

const awardResponse = (award: Award) => ({
  id: award.id,
  nominationId: award.nominationId,
  roundId: award.roundId,
  place: award.place,
  nominee: nomineeResponse(award.nominee),
  materialAwardYuan: formatYuan(award.materialAwardFen),
  grantedAt: award.grantedAt.toISOString(),
  publishedAt: iso(award.publishedAt),
});

const publicAwardResponse = (award: Award) => ({
  id: award.id,
  year: award.year,
  category: award.category,
  organizationKind: award.organizationKind,
  nomineeKind: award.nominee.kind,
  name: award.nominee.kind === 'person' ? maskPersonName(award.nominee.name) : award.nominee.name,
  jurisdictionPath: [...award.nominee.jurisdictionPath],
  materialAwardYuan: formatYuan(award.materialAwardFen),
  publishedAt: (award.publishedAt ?? award.grantedAt).toISOString(),
});

/** Who works on a round: the office, officers and organization admins (who nominate), and the expert group. */
const WORKERS = [...ORGANIZER_ROLES, 'expert'] as const;

export function registerAwardsRoutes(http: HttpServer, useCases: AwardsUseCases): void {
  http.post(
    '/v1/awards/rounds',
    {
      config: { roles: ['city_admin'], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Open an award round for a year and category (the campaign office)',
        description:
          'City admins; needs an Idempotency-Key. Nominations are taken up to and including ' +
          'nominationsClose (city calendar), then the expert group reviews and the office approves ' +
          'up to `places` awards. A material award above "0" names the funding line it is paid ' +
          'from. Errors: 400 ROUND_ORGANIZATION_KIND_REQUIRED, ROUND_ORGANIZATION_KIND_NOT_FOR_CATEGORY, ' +
          'ROUND_CLOSE_PAST, ROUND_CLOSE_NOT_IN_YEAR, ROUND_AMOUNT_INVALID, ROUND_FUNDING_LINE_REQUIRED, ' +
          'VALIDATION_FAILED; 403 ROLE_REQUIRED; 404 FUNDING_LINE_NOT_FOUND.',
        body: RoundBody,
        response: { 201: RoundView },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const round = await useCases.createRound(principalOf(request), {
        year: body.year,
        category: body.category,
        organizationKind: body.organizationKind ?? null,
        title: body.title,
        nominationsClose: body.nominationsClose,
        places: body.places,
        materialAwardYuan: body.materialAwardYuan,
        fundingLineId: body.fundingLineId ?? null,
      });
      return reply.code(201).send(roundResponse(round));
    },
  );

  http.get(
    '/v1/awards/rounds',
    {
      config: { roles: [...WORKERS] },
      schema: {
        tags: [TAG],
        summary: 'The award rounds, newest first',
        description:
          'The office, officers, organization admins and experts: what is open for nominations, in ' +
          'review or published. By year and category when given. Errors: 400 CURSOR_INVALID, ' +
          'VALIDATION_FAILED; 403 ROLE_REQUIRED.',
        querystring: RoundListQuery,
        response: { 200: PageOf(RoundView) },
      },
    },
    async (request) => {
      const { filters, page } = splitPage(request.query);
      const found = await useCases.listRounds({
        ...page,
        ...(filters.year === undefined ? {} : { year: filters.year }),
        ...(filters.category === undefined ? {} : { category: filters.category }),
      });
      return { items: found.items.map(roundResponse), nextPageToken: found.nextPageToken };
    },
  );

  http.get(
    '/v1/awards/rounds/:id',
    {
      config: { roles: [...WORKERS] },
      schema: {
        tags: [TAG],
        summary: 'Get an award round',
        description:
          'The office, officers, organization admins and experts. Errors: 403 ROLE_REQUIRED; 404 ROUND_NOT_FOUND.',
        params: IdParams,
        response: { 200: RoundView },
      },
    },
    async (request) => roundResponse(await useCases.getRound(request.params.id)),
  );

  http.post(
    '/v1/awards/rounds/:id/nominations',
    {
      config: { roles: [...ORGANIZER_ROLES], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Nominate an organization or a person',
        description:
          'Organization admins (their organization, or a person who is its member), area officers ' +
          '(organizations and persons in their area), department officers (organizations of the ' +
          'kind their department leads), the office. Needs an Idempotency-Key. The evidence is ' +
          'gathered: an organization’s current assessment of the year (exemplary organizations need ' +
          'a locked one that passed), a person’s credits, learning minutes and completed trainings ' +
          'of the year. Errors: 400 NOMINEE_KIND_MISMATCH, VALIDATION_FAILED; 403 ROLE_REQUIRED; ' +
          '404 ROUND_NOT_FOUND, NOMINEE_NOT_FOUND; 409 NOMINATION_EXISTS, NOMINATION_CLOSED, ' +
          'NOMINATION_ASSESSMENT_NOT_LOCKED, NOMINATION_STANDARD_NOT_MET.',
        params: IdParams,
        body: NominationBody,
        response: { 201: NominationView },
      },
    },
    async (request, reply) => {
      const nomination = await useCases.nominate(
        principalOf(request),
        request.params.id,
        request.body,
      );
      return reply.code(201).send(nominationResponse(nomination));
    },
  );

  http.get(
    '/v1/awards/rounds/:id/nominations',
    {
      config: { roles: ['city_admin', 'expert'] },
      schema: {
        tags: [TAG],
        summary: 'The round’s nominations with their review standing, oldest first',
        description:
          'The office and the expert group. Each with the count and mean of the experts’ scores ' +
          'and the caller’s own review; never another expert’s comment. Errors: 400 CURSOR_INVALID, ' +
          'VALIDATION_FAILED; 403 ROLE_REQUIRED; 404 ROUND_NOT_FOUND.',
        params: IdParams,
        querystring: ListQuery,
        response: { 200: PageOf(StandingView) },
      },
    },
    async (request) => {
      const page = await useCases.listNominations(
        principalOf(request),
        request.params.id,
        splitPage(request.query).page,
      );
      return { items: page.items.map(standingResponse), nextPageToken: page.nextPageToken };
    },
  );

  http.post(
    '/v1/awards/nominations/:id/reviews',
    {
      config: { roles: ['expert'] },
      schema: {
        tags: [TAG],
        summary: 'Score a nomination (the expert group)',
        description:
          'Experts, once nominations have closed and until publication; sending again replaces ' +
          'the caller’s score. An expert never scores a nomination of an organization they belong ' +
          'to or administer, or of themselves. Errors: 400 VALIDATION_FAILED; 403 ROLE_REQUIRED, ' +
          'REVIEW_CONFLICT_OF_INTEREST, REVIEW_RECUSED; 404 NOMINATION_NOT_FOUND; 409 REVIEW_NOT_OPEN.',
        params: IdParams,
        body: ReviewBody,
        response: { 200: StandingView },
      },
    },
    async (request) =>
      standingResponse(
        await useCases.reviewNomination(principalOf(request), request.params.id, request.body),
      ),
  );

  http.post(
    '/v1/awards/nominations/:id/recusal',
    {
      config: { roles: ['expert'] },
      schema: {
        tags: [TAG],
        summary: 'Stand aside from a nomination (the expert group)',
        description:
          'Experts, while the round is in review. Drops the caller’s score if any; declaring it again ' +
          'changes nothing. Errors: 400 VALIDATION_FAILED; 403 ROLE_REQUIRED; 404 ' +
          'NOMINATION_NOT_FOUND; 409 REVIEW_NOT_OPEN.',
        params: IdParams,
        body: RecusalBody,
        response: { 200: StandingView },
      },
    },
    async (request) =>
      standingResponse(
        await useCases.declareRecusal(principalOf(request), request.params.id, request.body.reason),
      ),
  );

  http.post(
    '/v1/awards/rounds/:id/approvals',
    {
      config: { roles: ['city_admin'], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Approve nominations as awards (the campaign office)',
        description:
          'City admins; needs an Idempotency-Key. Once nominations have closed and before ' +
          'publication, within the round’s places; each approved nomination becomes an award, its ' +
          'material award committed against the round’s funding line, and ' +
          'scoring.award.granted.v1 is published. Approving an approved nomination again grants ' +
          'nothing more. Answers the round’s awards. Errors: 400 APPROVAL_NOMINATION_UNKNOWN, ' +
          'VALIDATION_FAILED; 403 ROLE_REQUIRED; 404 ROUND_NOT_FOUND; 409 APPROVAL_NOT_OPEN, ' +
          'AWARD_PLACES_EXCEEDED, FUNDING_LINE_EXHAUSTED, VERSION_CONFLICT.',
        params: IdParams,
        body: ApprovalBody,
        response: { 200: Type.Object({ awards: Type.Array(AwardView) }) },
      },
    },
    async (request) => ({
      awards: (
        await useCases.approveNominations(
          principalOf(request),
          request.params.id,
          request.body.nominationIds,
        )
      ).map(awardResponse),
    }),
  );

  http.post(
    '/v1/awards/rounds/:id/publication',
    {
      config: { roles: ['city_admin'], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Publish the round’s awards (the campaign office)',
        description:
          'City admins; needs an Idempotency-Key. The awards appear in the public list; the round ' +
          'takes no more reviews or approvals. Errors: 403 ROLE_REQUIRED; 404 ROUND_NOT_FOUND; ' +
          '409 ROUND_NOT_PUBLISHABLE.',
        params: IdParams,
        response: { 200: RoundView },
      },
    },
    async (request) =>
      roundResponse(await useCases.publishRound(principalOf(request), request.params.id)),
  );

  const sendPublic = publicPageSender(useCases.publicPages, useCases.publicMaxAgeSeconds);

  http.get(
    '/v1/public/awards',
    {
      config: { auth: 'none' },
      schema: {
        tags: [PUBLIC_PORTAL_TAG],
        summary: 'The published awards of the annual evaluation, newest first',
        description:
          'No sign-in needed. By year, category and the nominee’s place (a jurisdiction code and ' +
          'everything under it); persons by masked name only. Served from a shared cache (x-cache) ' +
          'that every publication clears. Errors: 400 CURSOR_INVALID, VALIDATION_FAILED.',
        querystring: PublicQuery,
        response: { 200: PageOf(PublicAwardView) },
      },
    },
    async (request, reply) => {
      await sendPublic(reply, publicPageKey('/v1/public/awards', request.query), async () => {
        const { filters, page } = splitPage(request.query);
        const found = await useCases.publicAwards({
          ...page,
          ...(filters.year === undefined ? {} : { year: filters.year }),
          ...(filters.category === undefined ? {} : { category: filters.category }),
          ...(filters.jurisdictionCode === undefined
            ? {}
            : { jurisdictionCode: filters.jurisdictionCode }),
        });
        return { items: found.items.map(publicAwardResponse), nextPageToken: found.nextPageToken };
      });
    },
  );
}
