/** The training programme routes: translate HTTP to the use cases and back, deciding nothing. */
import { ORGANIZER_ROLES } from '@learning/auth';
import {
  CONTENT_CATEGORIES,
  TRAINING_TARGET_GROUPS,
  type ContentCategory,
  type TrainingTargetGroup,
} from '@learning/domain';
import {
  JurisdictionCode,
  PageOf,
  pageQueryFields,
  principalOf,
  revisionFromIfMatch,
  Text,
  Title as TitleOf,
  UUID_PATTERN,
  Uuid,
  type HttpServer,
} from '@learning/http';
import { Type } from '@sinclair/typebox';
import type { ChangeProgramme } from '../../application/training/programmes/change-programme.js';
import type { CreateProgramme } from '../../application/training/programmes/create-programme.js';
import {
  PROGRAMME_VERSION_INVALID,
  programmeErrors,
} from '../../application/training/programmes/errors.js';
import type { StoredProgramme } from '../../application/training/programmes/programme-repository.js';
import type {
  GetProgrammeProgress,
  ProgrammeProgress,
  QuotaProgress,
} from '../../application/training/programmes/progress.js';
import type {
  GetProgramme,
  ListedProgramme,
  ListProgrammes,
} from '../../application/training/programmes/read-programmes.js';
import type { SetQuotas } from '../../application/training/programmes/set-quotas.js';
import type {
  CloseProgramme,
  LaunchProgramme,
} from '../../application/training/programmes/status-moves.js';
import { MAX_REQUIRED_MINUTES } from '../../domain/training-programmes.js';
import { BEHIND_THRESHOLD, MAX_QUOTA_TOWNSHIPS } from '../../domain/training-quotas.js';
import { PROGRAMME_YEARS, type ProgrammeStatus } from '../../domain/training.js';

export interface TrainingProgrammeUseCases {
  createProgramme: CreateProgramme;
  changeProgramme: ChangeProgramme;
  launchProgramme: LaunchProgramme;
  closeProgramme: CloseProgramme;
  setQuotas: SetQuotas;
  getProgramme: GetProgramme;
  listProgrammes: ListProgrammes;
  getProgrammeProgress: GetProgrammeProgress;
}

const TAG = 'training programmes';
const BASE = '/v1/training/programmes';
const MANAGERS = ['city_admin', 'department_officer', 'org_admin'] as const;
const READERS = ORGANIZER_ROLES;
const PROGRAMME_STATUSES = ['draft', 'launched', 'closed'] as const satisfies ProgrammeStatus[];

const DepartmentCode = Type.String({
  pattern: '^[a-z][a-z-]{0,39}$',
  description: 'A department code, e.g. "nongye-ju".',
});
const Year = Type.Integer({ minimum: PROGRAMME_YEARS.min, maximum: PROGRAMME_YEARS.max });
// Plain JSON Schema enums rather than unions, so a bad value is one error, not one per alternative.
const TargetGroup = Type.Unsafe<TrainingTargetGroup>(
  Type.String({ enum: [...TRAINING_TARGET_GROUPS] }),
);
const Category = Type.Unsafe<ContentCategory>(
  Type.String({ enum: [...CONTENT_CATEGORIES], description: 'One of the four of §3.' }),
);
const Status = Type.Unsafe<ProgrammeStatus>(Type.String({ enum: [...PROGRAMME_STATUSES] }));
const TargetGroups = Type.Array(TargetGroup, {
  minItems: 1,
  maxItems: TRAINING_TARGET_GROUPS.length,
  uniqueItems: true,
});
const Categories = Type.Array(Category, {
  minItems: 1,
  maxItems: CONTENT_CATEGORIES.length,
  uniqueItems: true,
});
const RequiredMinutes = Type.Integer({
  minimum: 1,
  maximum: MAX_REQUIRED_MINUTES,
  description: 'Minutes of attendance a completion needs within one year (hours × 60).',
});
const Title = TitleOf(200);
const Description = Text(4000);

const CreateBody = Type.Object(
  {
    title: Title,
    description: Type.Optional(Description),
    leadDepartment: Type.Optional(DepartmentCode),
    enterpriseId: Type.Optional(Uuid),
    jurisdictionCode: JurisdictionCode,
    firstYear: Year,
    lastYear: Year,
    targetGroups: TargetGroups,
    categories: Categories,
    requiredMinutes: RequiredMinutes,
    skillsTest: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const VersionField = Type.Integer({
  minimum: 1,
  description: 'The version you read (or send it as If-Match); absent: the current one.',
});

const ChangeBody = Type.Object(
  {
    version: Type.Optional(VersionField),
    title: Type.Optional(Title),
    description: Type.Optional(Description),
    jurisdictionCode: Type.Optional(JurisdictionCode),
    firstYear: Type.Optional(Year),
    lastYear: Type.Optional(Year),
    targetGroups: Type.Optional(TargetGroups),
    categories: Type.Optional(Categories),
    requiredMinutes: Type.Optional(RequiredMinutes),
    skillsTest: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const TransitionBody = Type.Object(
  { version: Type.Optional(VersionField) },
  { additionalProperties: false },
);

const QuotasBody = Type.Object(
  {
    version: Type.Optional(VersionField),
    quotas: Type.Array(
      Type.Object(
        {
          jurisdictionCode: JurisdictionCode,
          people: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: MAX_QUOTA_TOWNSHIPS },
    ),
  },
  { additionalProperties: false },
);

const ListQuery = Type.Object(
  {
    year: Type.Optional(Year),
    leadDepartment: Type.Optional(DepartmentCode),
    status: Type.Optional(Status),
    targetGroup: Type.Optional(TargetGroup),
    category: Type.Optional(Category),
    ...pageQueryFields,
  },
  { additionalProperties: false },
);

const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
const QuotaParams = Type.Object({ id: Uuid, year: Year }, { additionalProperties: false });
const ProgressQuery = Type.Object({ year: Type.Optional(Year) }, { additionalProperties: false });

const DateTime = Type.String({ format: 'date-time' });
const NullableDateTime = Type.Union([DateTime, Type.Null()]);

const Programme = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Type.String(),
  leadDepartment: Type.String(),
  enterpriseId: Type.Union([Type.String(), Type.Null()], {
    description: 'Set for an enterprise’s own programme, for its staff.',
  }),
  jurisdictionCode: Type.String({ description: 'The area covered: the city or a township.' }),
  jurisdictionPath: Type.Array(Type.String(), { description: 'From the city down to the area.' }),
  firstYear: Type.Integer(),
  lastYear: Type.Integer(),
  targetGroups: Type.Array(Type.String()),
  categories: Type.Array(Type.String()),
  requiredMinutes: Type.Integer(),
  skillsTest: Type.Boolean(),
  quotas: Type.Array(
    Type.Object({ year: Type.Integer(), jurisdictionCode: Type.String(), people: Type.Integer() }),
  ),
  status: Status,
  createdBy: Type.String(),
  createdAt: DateTime,
  updatedAt: DateTime,
  launchedAt: NullableDateTime,
  version: Type.Integer({ description: 'Also the ETag.' }),
});

const ListedProgrammeView = Type.Intersect([
  Programme,
  Type.Object({
    thisYear: Type.Union(
      [
        Type.Object({
          year: Type.Integer(),
          quota: Type.Integer(),
          trained: Type.Integer(),
          completed: Type.Integer(),
        }),
        Type.Null(),
      ],
      {
        description:
          'The current year, city-wide, for a programme you lead and that runs this year; else null.',
      },
    ),
  }),
]);

const PaceFields = {
  quota: Type.Integer(),
  trained: Type.Integer({ description: 'People with at least one session attended this year.' }),
  completed: Type.Integer({ description: 'People who met the hours (and the test) this year.' }),
  expectedByNow: Type.Integer({ description: 'quota × the elapsed fraction of the year.' }),
  behind: Type.Boolean({
    description: `trained below ${BEHIND_THRESHOLD} × expectedByNow (never with a zero quota or before the year).`,
  }),
  forecast: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Trained by the year’s end at the pace so far; null before the year begins.',
  }),
};
const Figures = Type.Object({ trained: Type.Integer(), completed: Type.Integer() });

const Progress = Type.Object({
  programmeId: Type.String(),
  year: Type.Integer(),
  countedWithin: Type.Array(Type.String(), {
    description: 'Roots of what is counted: the programme’s area, or an area officer’s part of it.',
  }),
  asOf: DateTime,
  elapsedFraction: Type.Number(),
  behindThreshold: Type.Number(),
  total: Type.Object(PaceFields),
  townships: Type.Array(Type.Object({ jurisdictionCode: Type.String(), ...PaceFields })),
  behind: Type.Array(Type.String(), { description: 'Townships falling behind, by code.' }),
  targetGroups: Type.Array(Type.Intersect([Type.Object({ targetGroup: Type.String() }), Figures])),
  months: Type.Array(
    Type.Intersect([
      Type.Object({
        month: Type.String({
          description: 'YYYY-MM: trained by first attendance, completed by completion.',
        }),
      }),
      Figures,
    ]),
  ),
});

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());

const response = (programme: StoredProgramme) => ({
  id: programme.id,
  title: programme.title,
  description: programme.description,
  leadDepartment: programme.leadDepartment,
  enterpriseId: programme.enterpriseId,
  jurisdictionCode: programme.jurisdictionPath.at(-1) ?? '',
  jurisdictionPath: [...programme.jurisdictionPath],
  firstYear: programme.firstYear,
  lastYear: programme.lastYear,
  targetGroups: [...programme.targetGroups],
  categories: [...programme.categories],
  requiredMinutes: programme.requiredMinutes,
  skillsTest: programme.skillsTest,
  quotas: programme.quotas.map((quota) => ({ ...quota })),
  status: programme.status,
  createdBy: programme.createdBy,
  createdAt: programme.createdAt.toISOString(),
  updatedAt: programme.updatedAt.toISOString(),
  launchedAt: iso(programme.launchedAt),
  version: programme.version,
});

const listedResponse = (listed: ListedProgramme) => ({
  ...response(listed.programme),
  thisYear: listed.thisYear === null ? null : { ...listed.thisYear },
});

const paceResponse = (progress: QuotaProgress) => ({
  quota: progress.quota,
  trained: progress.trained,
  completed: progress.completed,
  expectedByNow: progress.expectedByNow,
  behind: progress.behind,
  forecast: progress.forecast,
});

const progressResponse = (progress: ProgrammeProgress) => ({
  programmeId: progress.programmeId,
  year: progress.year,
  countedWithin: [...progress.countedWithin],
  asOf: progress.asOf.toISOString(),
  elapsedFraction: progress.elapsedFraction,
  behindThreshold: progress.behindThreshold,
  total: paceResponse(progress.total),
  townships: progress.townships.map((township) => ({
    jurisdictionCode: township.jurisdictionCode,
    ...paceResponse(township),
  })),
  behind: [...progress.behind],
  targetGroups: progress.targetGroups.map((group) => ({ ...group })),
  months: progress.months.map((month) => ({ ...month })),
});

/** The version a write expects: If-Match when sent, else the body's, else none. */
function expectedVersion(
  ifMatch: string | string[] | undefined,
  body: { readonly version?: number | undefined },
): { version?: number } {
  const version =
    revisionFromIfMatch(ifMatch, {
      refuse: () =>
        programmeErrors.error(
          PROGRAMME_VERSION_INVALID,
          'If-Match must be the ETag last read, such as "3".',
        ),
    }) ?? body.version;
  return version === undefined ? {} : { version };
}

interface HeaderSetter {
  header(name: string, value: string): unknown;
}
const withETag = (reply: HeaderSetter, programme: StoredProgramme) => {
  reply.header('etag', `"${String(programme.version)}"`);
  return response(programme);
};

const NOT_FOUND =
  '404 PROGRAMME_NOT_FOUND (also one you may not see: another department’s, a draft you do not lead, one outside your area)';
const FORBIDDEN = '403 PROGRAMME_MANAGE_FORBIDDEN (you may read it, not manage it), ROLE_REQUIRED';
const PLAN_ERRORS =
  'PROGRAMME_YEARS_INVALID, PROGRAMME_REQUIRED_MINUTES_INVALID, PROGRAMME_AREA_LEVEL_INVALID, ' +
  'JURISDICTION_UNKNOWN, VALIDATION_FAILED, FORBIDDEN_KEY';
const WRITE_NOTE =
  'Its leaders (city admins, officers of the lead department, an enterprise programme’s admins); ' +
  'needs an Idempotency-Key; If-Match (or body version) applies it only at that version; the ' +
  'answer’s ETag is the new version.';

export function registerTrainingProgrammeRoutes(
  http: HttpServer,
  useCases: TrainingProgrammeUseCases,
): void {
  http.post(
    BASE,
    {
      config: { roles: [...MANAGERS], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Plan a training programme (a draft)',
        description:
          'Name leadDepartment for a department’s programme (city admins any, department ' +
          'officers their own) or enterpriseId for an enterprise’s own programme for its staff ' +
          '(its admins, or city admins; led by the department registration files the ' +
          'enterprise under). The area is the city, a township or a street. Needs an ' +
          'Idempotency-Key. Errors: 400 PROGRAMME_OWNER_INVALID, DEPARTMENT_UNKNOWN, ' +
          `PROGRAMME_ENTERPRISE_UNKNOWN, PROGRAMME_NOT_ENTERPRISE, ${PLAN_ERRORS}; 403 ` +
          'PROGRAMME_MANAGE_FORBIDDEN, ROLE_REQUIRED; 409 PROGRAMME_ENTERPRISE_NOT_ACTIVE.',
        body: CreateBody,
        response: { 201: Programme },
      },
    },
    async (request, reply) => {
      const programme = await useCases.createProgramme(principalOf(request), request.body);
      return reply.code(201).send(withETag(reply, programme));
    },
  );

  http.get(
    BASE,
    {
      config: { roles: [...READERS] },
      schema: {
        tags: [TAG],
        summary: 'List the training programmes you may see, newest first',
        description:
          'City admins: all. Department officers: their department’s. Enterprise admins: their ' +
          'enterprise’s own. Area officers: launched and closed ones whose area covers or lies ' +
          'in theirs. year: programmes running that year. Each entry you lead carries this ' +
          'year’s city-wide trained, completed and quota. Errors: 400 CURSOR_INVALID, ' +
          'VALIDATION_FAILED; 403 ROLE_REQUIRED.',
        querystring: ListQuery,
        response: { 200: PageOf(ListedProgrammeView) },
      },
    },
    async (request) => {
      const page = await useCases.listProgrammes(principalOf(request), request.query);
      return { items: page.items.map(listedResponse), nextPageToken: page.nextPageToken };
    },
  );

  http.get(
    `${BASE}/:id`,
    {
      config: { roles: [...READERS] },
      schema: {
        tags: [TAG],
        summary: 'Get a training programme',
        description: `Who may list it; the ETag is its version. Errors: 403 ROLE_REQUIRED; ${NOT_FOUND}.`,
        params: IdParams,
        response: { 200: Programme },
      },
    },
    async (request, reply) =>
      withETag(reply, await useCases.getProgramme(principalOf(request), request.params.id)),
  );

  http.patch(
    `${BASE}/:id`,
    {
      config: { roles: [...MANAGERS], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Change a draft or launched programme',
        description:
          `${WRITE_NOTE} Quotas already set must stay inside the new years and area. Errors: ` +
          `400 PROGRAMME_CHANGE_EMPTY, PROGRAMME_VERSION_INVALID, ${PLAN_ERRORS}; ${FORBIDDEN}; ` +
          `${NOT_FOUND}; 409 PROGRAMME_CLOSED, PROGRAMME_QUOTAS_OUTSIDE_PLAN, VERSION_CONFLICT.`,
        params: IdParams,
        body: ChangeBody,
        response: { 200: Programme },
      },
    },
    async (request, reply) =>
      withETag(
        reply,
        await useCases.changeProgramme(principalOf(request), request.params.id, {
          ...request.body,
          ...expectedVersion(request.headers['if-match'], request.body),
        }),
      ),
  );

  // '::' is fastify's escape for a literal colon (AIP-136 custom method); the id needs its own
  // pattern in the path, or the router would read "id::launch" as the parameter's name.
  http.post(
    `${BASE}/:id(${UUID_PATTERN})::launch`,
    {
      config: { roles: [...MANAGERS], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Launch a draft programme',
        description:
          `${WRITE_NOTE} Publishes TrainingProgrammeLaunched ` +
          '(activities.training-programme.launched.v1 on learning.activities.training.v1, keyed ' +
          'by the programme id) with its first year’s quota and the routing (programme, lead ' +
          'department, area path; an enterprise programme organized by its enterprise). Errors: ' +
          `400 PROGRAMME_VERSION_INVALID, VALIDATION_FAILED; ${FORBIDDEN}; ${NOT_FOUND}; ` +
          '409 PROGRAMME_NOT_DRAFT, PROGRAMME_ALREADY_ENDED, VERSION_CONFLICT.',
        params: IdParams,
        body: TransitionBody,
        response: { 200: Programme },
      },
    },
    async (request, reply) =>
      withETag(
        reply,
        await useCases.launchProgramme(
          principalOf(request),
          request.params.id,
          expectedVersion(request.headers['if-match'], request.body),
        ),
      ),
  );

  http.post(
    `${BASE}/:id(${UUID_PATTERN})::close`,
    {
      config: { roles: [...MANAGERS], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Close a launched programme',
        description:
          `${WRITE_NOTE} Its figures stay readable; nothing in it changes any more. Errors: ` +
          `400 PROGRAMME_VERSION_INVALID, VALIDATION_FAILED; ${FORBIDDEN}; ${NOT_FOUND}; ` +
          '409 PROGRAMME_NOT_LAUNCHED, VERSION_CONFLICT.',
        params: IdParams,
        body: TransitionBody,
        response: { 200: Programme },
      },
    },
    async (request, reply) =>
      withETag(
        reply,
        await useCases.closeProgramme(
          principalOf(request),
          request.params.id,
          expectedVersion(request.headers['if-match'], request.body),
        ),
      ),
  );

  http.put(
    `${BASE}/:id/quotas/:year`,
    {
      config: { roles: [...MANAGERS], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Set one year’s quotas: people to train per township',
        description:
          `${WRITE_NOTE} Replaces the year’s table: each township or street (known to ` +
          'registration, inside the programme’s area) once. A quota below the people already ' +
          'trained there that year (a township left out counts as 0) is refused, naming each ' +
          'township and its trained count, and nothing changes. Errors: 400 ' +
          'PROGRAMME_YEAR_OUTSIDE, PROGRAMME_QUOTA_INVALID, PROGRAMME_QUOTA_DUPLICATE, ' +
          'PROGRAMME_QUOTA_NOT_TOWNSHIP, PROGRAMME_QUOTA_OUTSIDE_AREA, JURISDICTION_UNKNOWN, ' +
          `PROGRAMME_VERSION_INVALID, VALIDATION_FAILED; ${FORBIDDEN}; ${NOT_FOUND}; ` +
          '409 PROGRAMME_QUOTA_BELOW_TRAINED, PROGRAMME_CLOSED, VERSION_CONFLICT.',
        params: QuotaParams,
        body: QuotasBody,
        response: { 200: Programme },
      },
    },
    async (request, reply) =>
      withETag(
        reply,
        await useCases.setQuotas(principalOf(request), request.params.id, request.params.year, {
          quotas: request.body.quotas,
          ...expectedVersion(request.headers['if-match'], request.body),
        }),
      ),
  );

  http.get(
    `${BASE}/:id/progress`,
    {
      config: { roles: [...READERS] },
      schema: {
        tags: [TAG],
        summary: 'Progress of a programme in a year against its quotas',
        description:
          'Trained and completed per township, target group and month against the year’s ' +
          `quotas; behind: trained below ${BEHIND_THRESHOLD} × quota × the elapsed fraction of ` +
          'the year; forecast: trained / elapsed fraction. Its leaders see the whole programme; ' +
          'an area officer only the townships in their area, totals over those. year: absent, ' +
          'the current one. Errors: 400 PROGRAMME_YEAR_OUTSIDE, VALIDATION_FAILED; 403 ' +
          `ROLE_REQUIRED; ${NOT_FOUND}.`,
        params: IdParams,
        querystring: ProgressQuery,
        response: { 200: Progress },
      },
    },
    async (request) =>
      progressResponse(
        await useCases.getProgrammeProgress(principalOf(request), request.params.id, request.query),
      ),
  );
}
