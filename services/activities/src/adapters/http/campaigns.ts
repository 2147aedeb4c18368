/** The campaign routes: translate HTTP to the use cases and back, deciding nothing. */
import { OFFICER_ROLES } from '@learning/auth';
import { CONTENT_CATEGORIES, TIERS, type ContentCategory, type Tier } from '@learning/domain';
import {
  JurisdictionCode,
  PageOf,
  pageQueryFields,
  principalOf,
  Text,
  Title as TitleOf,
  UUID_PATTERN,
  Uuid,
  type HttpServer,
} from '@learning/http';
import { Type } from '@sinclair/typebox';
import type {
  CampaignProgress,
  GetCampaignProgress,
} from '../../application/campaigns/campaign-progress.js';
import type { StoredCampaign } from '../../application/campaigns/campaign-repository.js';
import type { ChangeCampaign } from '../../application/campaigns/change-campaign.js';
import type { CloseCampaign } from '../../application/campaigns/close-campaign.js';
import type { CreateCampaign } from '../../application/campaigns/create-campaign.js';
import type { CreateNextEdition } from '../../application/campaigns/create-next-edition.js';
import type { LaunchCampaign } from '../../application/campaigns/launch-campaign.js';
import type { GetCampaign, ListCampaigns } from '../../application/campaigns/read-campaigns.js';
import { CAMPAIGN_STATUSES, type CampaignStatus } from '../../domain/recurrence.js';

export interface CampaignUseCases {
  createCampaign: CreateCampaign;
  changeCampaign: ChangeCampaign;
  launchCampaign: LaunchCampaign;
  closeCampaign: CloseCampaign;
  createNextEdition: CreateNextEdition;
  getCampaign: GetCampaign;
  listCampaigns: ListCampaigns;
  getCampaignProgress: GetCampaignProgress;
}

const TAG = 'campaigns';
const CAMPAIGN_MANAGERS = ['city_admin', 'department_officer'] as const;
const PROGRESS_READERS = OFFICER_ROLES;
/** The goals progress is measured against. */
export const GOAL_METRICS = [
  'activities_per_township',
  'participants_reached',
  'lecture_sessions',
] as const;

const DepartmentCode = Type.String({
  pattern: '^[a-z][a-z-]{0,39}$',
  description: 'A department code, e.g. "wenming-ban".',
});
const CalendarDate = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'YYYY-MM-DD in the city’s calendar (China time).',
});
// Plain JSON Schema enums rather than unions, so a bad value is one error, not one per alternative.
const TierSchema = Type.Unsafe<Tier>(Type.String({ enum: [...TIERS] }));
const CategorySchema = Type.Unsafe<ContentCategory>(
  Type.String({ enum: [...CONTENT_CATEGORIES], description: 'One of the four of §3.' }),
);
const Status = Type.Unsafe<CampaignStatus>(Type.String({ enum: [...CAMPAIGN_STATUSES] }));
const Metric = Type.Unsafe<(typeof GOAL_METRICS)[number]>(
  Type.String({
    enum: [...GOAL_METRICS],
    description:
      'activities_per_township: activities in the township with the fewest; participants_reached: attendance at its activities and lecture sessions; lecture_sessions: its lecture sessions, scheduled or held.',
  }),
);
const Title = TitleOf(200);
const Description = Text(4000);

const Goal = Type.Object(
  { metric: Metric, target: Type.Integer({ minimum: 1, maximum: 100_000_000 }) },
  { additionalProperties: false },
);
const Goals = Type.Array(Goal, { maxItems: GOAL_METRICS.length });
const Tiers = Type.Array(TierSchema, { minItems: 1, maxItems: TIERS.length, uniqueItems: true });
const Categories = Type.Array(CategorySchema, {
  minItems: 1,
  maxItems: CONTENT_CATEGORIES.length,
  uniqueItems: true,
});

const SubCampaign = Type.Object(
  {
    tier: TierSchema,
    title: Title,
    startsOn: CalendarDate,
    endsOn: CalendarDate,
    goals: Goals,
  },
  { additionalProperties: false },
);
const SubCampaigns = Type.Array(SubCampaign, { maxItems: TIERS.length });

const Month = Type.Integer({ minimum: 1, maximum: 12 });
const Day = Type.Integer({ minimum: 1, maximum: 31 });
const Rule = Type.Union(
  [
    Type.Object(
      {
        kind: Type.Literal('fixed_window'),
        startMonth: Month,
        startDay: Day,
        endMonth: Month,
        endDay: Day,
      },
      { additionalProperties: false, description: 'The same months and days every year.' },
    ),
    Type.Object(
      { kind: Type.Literal('same_dates') },
      { additionalProperties: false, description: 'Each edition a year after the previous.' },
    ),
  ],
  { description: 'The yearly rule of a recurring series; null or absent for a one-off.' },
);

const CreateBody = Type.Object(
  {
    title: Title,
    description: Type.Optional(Description),
    ownerDepartment: DepartmentCode,
    rule: Type.Optional(Type.Union([Rule, Type.Null()])),
    startsOn: CalendarDate,
    endsOn: CalendarDate,
    targetTiers: Tiers,
    categories: Categories,
    jurisdictionCode: JurisdictionCode,
    goals: Type.Optional(Goals),
    subCampaigns: Type.Optional(SubCampaigns),
  },
  { additionalProperties: false },
);

const ChangeBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version you read.' }),
    title: Type.Optional(Title),
    description: Type.Optional(Description),
    startsOn: Type.Optional(CalendarDate),
    endsOn: Type.Optional(CalendarDate),
    targetTiers: Type.Optional(Tiers),
    categories: Type.Optional(Categories),
    jurisdictionCode: Type.Optional(JurisdictionCode),
    goals: Type.Optional(Goals),
    subCampaigns: Type.Optional(SubCampaigns),
  },
  { additionalProperties: false },
);

const TransitionBody = Type.Object(
  {
    version: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Apply only if it is still at this version.' }),
    ),
  },
  { additionalProperties: false },
);

const ListQuery = Type.Object(
  {
    year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })),
    status: Type.Optional(Status),
    tier: Type.Optional(TierSchema),
    category: Type.Optional(CategorySchema),
    ownerDepartment: Type.Optional(DepartmentCode),
    coveringJurisdiction: Type.Optional(JurisdictionCode),
    ...pageQueryFields,
  },
  { additionalProperties: false },
);

const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

const DateTime = Type.String({ format: 'date-time' });
const NullableDateTime = Type.Union([DateTime, Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);

const GoalView = Type.Object({ metric: Type.String(), target: Type.Number() });
const Campaign = Type.Object({
  id: Type.String(),
  seriesId: Type.String({ description: 'Shared by every edition of a recurring series.' }),
  year: Type.Integer(),
  title: Type.String(),
  description: Type.String(),
  ownerDepartment: Type.String(),
  rule: Type.Union([
    Type.Object({
      kind: Type.String(),
      startMonth: Type.Optional(Type.Integer()),
      startDay: Type.Optional(Type.Integer()),
      endMonth: Type.Optional(Type.Integer()),
      endDay: Type.Optional(Type.Integer()),
    }),
    Type.Null(),
  ]),
  startsOn: Type.String(),
  endsOn: Type.String(),
  targetTiers: Type.Array(Type.String()),
  categories: Type.Array(Type.String()),
  jurisdictionCode: Type.String(),
  jurisdictionPath: Type.Array(Type.String(), { description: 'From the city down to the root.' }),
  goals: Type.Array(GoalView),
  subCampaigns: Type.Array(
    Type.Object({
      tier: Type.String(),
      title: Type.String(),
      startsOn: Type.String(),
      endsOn: Type.String(),
      goals: Type.Array(GoalView),
    }),
  ),
  status: Status,
  previousEditionId: NullableString,
  launchedAt: NullableDateTime,
  launchedBy: NullableString,
  closedAt: NullableDateTime,
  closedBy: NullableString,
  createdBy: Type.String(),
  createdAt: DateTime,
  updatedAt: DateTime,
  version: Type.Integer(),
});

const Progress = Type.Object({
  campaignId: Type.String(),
  countedWithin: Type.Array(Type.String(), {
    description:
      'Roots of the subtrees counted: the campaign’s scope, or an area officer’s part of it.',
  }),
  activities: Type.Integer({
    description: 'Activities of the campaign published, under way or completed.',
  }),
  lectureSessions: Type.Integer({
    description:
      'Lecture sessions of the campaign (from the lectures service) scheduled or held, not cancelled.',
  }),
  lectureAttendance: Type.Integer({ description: 'Attendance at those sessions once held.' }),
  participantsReached: Type.Integer({
    description: 'Attendance summed over those activities and lecture sessions.',
  }),
  townships: Type.Array(
    Type.Object({
      jurisdictionCode: Type.String(),
      activities: Type.Integer(),
      lectureSessions: Type.Integer(),
      lectureAttendance: Type.Integer(),
      participantsReached: Type.Integer(),
    }),
  ),
  townshipsInScope: Type.Integer(),
  townshipsWithoutActivities: Type.Array(Type.String()),
  goals: Type.Array(
    Type.Object({
      metric: Type.String(),
      target: Type.Number(),
      achieved: Type.Number({
        description:
          'participants_reached: the sum; activities_per_township: the lowest township count; lecture_sessions: the sessions counted.',
      }),
      met: Type.Boolean(),
    }),
  ),
});

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());

const response = (campaign: StoredCampaign) => ({
  id: campaign.id,
  seriesId: campaign.seriesId,
  year: campaign.year,
  title: campaign.title,
  description: campaign.description,
  ownerDepartment: campaign.ownerDepartment,
  rule: campaign.rule === null ? null : { ...campaign.rule },
  startsOn: campaign.startsOn,
  endsOn: campaign.endsOn,
  targetTiers: [...campaign.targetTiers],
  categories: [...campaign.categories],
  jurisdictionCode: campaign.jurisdictionCode,
  jurisdictionPath: [...campaign.jurisdictionPath],
  goals: campaign.goals.map((goal) => ({ ...goal })),
  subCampaigns: campaign.subCampaigns.map((sub) => ({
    tier: sub.tier,
    title: sub.title,
    startsOn: sub.startsOn,
    endsOn: sub.endsOn,
    goals: sub.goals.map((goal) => ({ ...goal })),
  })),
  status: campaign.status,
  previousEditionId: campaign.previousEditionId,
  launchedAt: iso(campaign.launchedAt),
  launchedBy: campaign.launchedBy,
  closedAt: iso(campaign.closedAt),
  closedBy: campaign.closedBy,
  createdBy: campaign.createdBy,
  createdAt: campaign.createdAt.toISOString(),
  updatedAt: campaign.updatedAt.toISOString(),
  version: campaign.version,
});

const progressResponse = (progress: CampaignProgress) => ({
  campaignId: progress.campaignId,
  countedWithin: [...progress.countedWithin],
  activities: progress.activities,
  lectureSessions: progress.lectureSessions,
  lectureAttendance: progress.lectureAttendance,
  participantsReached: progress.participantsReached,
  townships: progress.townships.map((township) => ({ ...township })),
  townshipsInScope: progress.townshipsInScope,
  townshipsWithoutActivities: [...progress.townshipsWithoutActivities],
  goals: progress.goals.map((goal) => ({ ...goal })),
});

const CAMPAIGN_NOT_FOUND_NOTE = '404 CAMPAIGN_NOT_FOUND (also a draft you may not see)';
const PLAN_ERRORS =
  'CAMPAIGN_ENDS_BEFORE_START, CAMPAIGN_YEAR_MISMATCH, CAMPAIGN_DATES_OFF_RULE, ' +
  'CAMPAIGN_DUPLICATE_GOAL, CAMPAIGN_DUPLICATE_TIER, CAMPAIGN_TIER_NOT_TARGETED, CAMPAIGN_SUB_CAMPAIGN_OUTSIDE_DATES, ' +
  'CALENDAR_DATE_INVALID, JURISDICTION_UNKNOWN, VALIDATION_FAILED, FORBIDDEN_KEY';
const MANAGE_FORBIDDEN = '403 CAMPAIGN_MANAGE_FORBIDDEN (not the owner department), ROLE_REQUIRED';

export function registerCampaignRoutes(http: HttpServer, useCases: CampaignUseCases): void {
  http.post(
    '/v1/campaigns',
    {
      config: { roles: [...CAMPAIGN_MANAGERS], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Plan a campaign (a draft)',
        description:
          'City admins for any department, department officers for their own; needs an ' +
          'Idempotency-Key. With a yearly rule it starts a recurring series (fixed_window: the ' +
          'dates must be the rule’s window in the year of startsOn; same_dates: each edition a ' +
          'year on); without, it is a one-off. Sub-campaigns: at most one per targeted tier, ' +
          `inside the campaign’s dates. Errors: 400 RECURRENCE_RULE_INVALID, DEPARTMENT_UNKNOWN ` +
          `(an owner department registration does not list), ${PLAN_ERRORS}; ` +
          `${MANAGE_FORBIDDEN}.`,
        body: CreateBody,
        response: { 201: Campaign },
      },
    },
    async (request, reply) => {
      const campaign = await useCases.createCampaign(principalOf(request), request.body);
      return reply.code(201).send(response(campaign));
    },
  );

  http.get(
    '/v1/campaigns',
    {
      config: { auth: 'optional' },
      schema: {
        tags: [TAG],
        summary: 'List campaigns, in order of their first day',
        description:
          'Public: launched and closed campaigns. City admins also see drafts; department ' +
          'officers their own department’s drafts. coveringJurisdiction lists the campaigns ' +
          'whose scope includes that place. Errors: 400 JURISDICTION_UNKNOWN, ' +
          'CURSOR_INVALID, VALIDATION_FAILED.',
        querystring: ListQuery,
        response: { 200: PageOf(Campaign) },
      },
    },
    async (request) => {
      const page = await useCases.listCampaigns(request.principal, request.query);
      return { items: page.items.map(response), nextPageToken: page.nextPageToken };
    },
  );

  http.get(
    '/v1/campaigns/:id',
    {
      config: { auth: 'optional' },
      schema: {
        tags: [TAG],
        summary: 'Get a campaign',
        description: `Public once launched; a draft to its owners. Errors: ${CAMPAIGN_NOT_FOUND_NOTE}.`,
        params: IdParams,
        response: { 200: Campaign },
      },
    },
    async (request) => response(await useCases.getCampaign(request.principal, request.params.id)),
  );

  http.patch(
    '/v1/campaigns/:id',
    {
      config: { roles: [...CAMPAIGN_MANAGERS], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Change a draft campaign',
        description:
          'Its owners; needs an Idempotency-Key. The year (and with it the edition) stays: ' +
          `dates move within it. Errors: 400 CAMPAIGN_CHANGE_EMPTY, ${PLAN_ERRORS}; ` +
          `${MANAGE_FORBIDDEN}; ${CAMPAIGN_NOT_FOUND_NOTE}; 409 CAMPAIGN_NOT_DRAFT, VERSION_CONFLICT.`,
        params: IdParams,
        body: ChangeBody,
        response: { 200: Campaign },
      },
    },
    async (request) =>
      response(
        await useCases.changeCampaign(principalOf(request), request.params.id, request.body),
      ),
  );

  // '::' is fastify's escape for a literal colon (AIP-136 custom method); the id needs its own
  // pattern in the path, or the router would read "id::launch" as the parameter's name.
  http.post(
    `/v1/campaigns/:id(${UUID_PATTERN})::launch`,
    {
      config: { roles: [...CAMPAIGN_MANAGERS], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Launch a draft campaign',
        description:
          'Its owners; needs an Idempotency-Key. Publishes CampaignLaunched ' +
          '(activities.campaign.launched.v1, keyed by the campaign id) for the campaign, with ' +
          'parentCampaignId empty, then one per tier sub-campaign (a theme-practice series): ' +
          'campaignId "<campaign id>:<tier>", parentCampaignId the campaign, its own title, ' +
          'dates and tier. Sub-campaigns live inside their campaign: those ids are not ' +
          'addressable here, and activities join the campaign itself. ' +
          `Errors: 400 VALIDATION_FAILED; ${MANAGE_FORBIDDEN}; ` +
          `${CAMPAIGN_NOT_FOUND_NOTE}; 409 CAMPAIGN_NOT_DRAFT, CAMPAIGN_ALREADY_ENDED, VERSION_CONFLICT.`,
        params: IdParams,
        body: TransitionBody,
        response: { 200: Campaign },
      },
    },
    async (request) =>
      response(
        await useCases.launchCampaign(principalOf(request), request.params.id, request.body),
      ),
  );

  http.post(
    `/v1/campaigns/:id(${UUID_PATTERN})::close`,
    {
      config: { roles: [...CAMPAIGN_MANAGERS], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Close a launched campaign after its last day',
        description:
          `Its owners; needs an Idempotency-Key. Errors: 400 VALIDATION_FAILED; ${MANAGE_FORBIDDEN}; ` +
          `${CAMPAIGN_NOT_FOUND_NOTE}; 409 CAMPAIGN_NOT_LAUNCHED, CAMPAIGN_NOT_ENDED, VERSION_CONFLICT.`,
        params: IdParams,
        body: TransitionBody,
        response: { 200: Campaign },
      },
    },
    async (request) =>
      response(await useCases.closeCampaign(principalOf(request), request.params.id, request.body)),
  );

  http.post(
    `/v1/campaigns/:id(${UUID_PATTERN})::next-edition`,
    {
      config: { roles: [...CAMPAIGN_MANAGERS], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Create next year’s edition of a recurring campaign, as a draft',
        description:
          'Its owners; needs an Idempotency-Key (a retry with the same key answers the same). ' +
          'Dated by the yearly rule, with the audience, scope, goals and sub-campaigns carried ' +
          `over. Errors: ${MANAGE_FORBIDDEN}; ${CAMPAIGN_NOT_FOUND_NOTE}; 409 CAMPAIGN_NOT_RECURRING, ` +
          'CAMPAIGN_EDITION_EXISTS (the existing id is in the message and details).',
        params: IdParams,
        response: { 201: Campaign },
      },
    },
    async (request, reply) => {
      const edition = await useCases.createNextEdition(principalOf(request), request.params.id);
      return reply.code(201).send(response(edition));
    },
  );

  http.get(
    '/v1/campaigns/:id/progress',
    {
      config: { roles: [...PROGRESS_READERS] },
      schema: {
        tags: [TAG],
        summary: 'Progress of a campaign against its goals',
        description:
          'City admins and officers of the owner department: the whole scope. Area officers: ' +
          'the part of a launched campaign inside their subtree (townships, totals and goals ' +
          'over that part; countedWithin names it). Counts its activities (published, under ' +
          'way or completed) per township or street, and the participants they reached. ' +
          `Errors: 401; 403 ROLE_REQUIRED; ${CAMPAIGN_NOT_FOUND_NOTE}, also a campaign outside an area ` +
          'officer’s subtree or another department’s.',
        params: IdParams,
        response: { 200: Progress },
      },
    },
    async (request) =>
      progressResponse(await useCases.getCampaignProgress(principalOf(request), request.params.id)),
  );
}
