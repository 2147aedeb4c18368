/** The catalogue routes (series, forums, lecture types): translate HTTP to the use cases and back. */
import { CONTENT_CATEGORIES, TIERS, type ContentCategory, type Tier } from '@learning/domain';
import {
  PageOf,
  pageQueryFields,
  principalOf,
  splitPage,
  Text,
  Title,
  UUID_PATTERN,
  Uuid,
  type HttpServer,
} from '@learning/http';
import { Type } from '@sinclair/typebox';
import type {
  ChangeForum,
  CreateForum,
  GetForum,
  GetPublicForum,
  ListForums,
  ListPublicForums,
  MoveForum,
} from '../../application/catalogue/forums.js';
import { lectureTypes } from '../../application/catalogue/lecture-types.js';
import type { StoredForum, StoredSeries } from '../../application/catalogue/ports.js';
import type {
  ChangeSeries,
  CreateSeries,
  GetSeries,
  ListSeries,
} from '../../application/catalogue/series.js';
import { FORUM_STATUSES, LECTURE_TYPES, type ForumStatus } from '../../domain/catalogue.js';
import { FORUM_DESCRIPTIVE_FIELDS } from '../../domain/forums.js';

export interface CatalogueUseCases {
  createSeries: CreateSeries;
  changeSeries: ChangeSeries;
  getSeries: GetSeries;
  listSeries: ListSeries;
  createForum: CreateForum;
  changeForum: ChangeForum;
  retireForum: MoveForum;
  reactivateForum: MoveForum;
  getForum: GetForum;
  listForums: ListForums;
  listPublicForums: ListPublicForums;
  getPublicForum: GetPublicForum;
}

const TAG = 'catalogue';
/** Who reaches the office's routes; the use cases decide which series (owner department). */
const OFFICE_ROLES = ['city_admin', 'department_officer'] as const;

const DepartmentCode = Type.String({
  pattern: '^[a-z][a-z-]{0,39}$',
  description: 'A department code registration lists, e.g. "xuanchuan-bu".',
});
const AccountSubject = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: '^[\\x21-\\x7e]+$',
  description: 'The `sub` of a person’s token.',
});
const TierSchema = Type.Unsafe<Tier>(Type.String({ enum: [...TIERS] }));
const CategorySchema = Type.Unsafe<ContentCategory>(
  Type.String({ enum: [...CONTENT_CATEGORIES], description: 'One of the four of §3.' }),
);
const StatusSchema = Type.Unsafe<ForumStatus>(Type.String({ enum: [...FORUM_STATUSES] }));
const Tiers = Type.Array(TierSchema, { minItems: 1, maxItems: TIERS.length, uniqueItems: true });
const Categories = Type.Array(CategorySchema, {
  minItems: 1,
  maxItems: CONTENT_CATEGORIES.length,
  uniqueItems: true,
});
const Managers = Type.Array(AccountSubject, { maxItems: 20, uniqueItems: true });
const Name = Title(200);
const Description = Text(4000);
const Version = Type.Integer({ minimum: 1, description: 'The version you read.' });

const CreateSeriesBody = Type.Object(
  { name: Name, description: Type.Optional(Description), ownerDepartment: DepartmentCode },
  { additionalProperties: false },
);
const ChangeSeriesBody = Type.Object(
  { version: Version, name: Type.Optional(Name), description: Type.Optional(Description) },
  { additionalProperties: false },
);
const CreateForumBody = Type.Object(
  {
    name: Name,
    description: Type.Optional(Description),
    managerSubjects: Type.Optional(Managers),
    targetTiers: Tiers,
    categories: Categories,
    leadDepartment: DepartmentCode,
  },
  { additionalProperties: false },
);
const ChangeForumBody = Type.Object(
  {
    version: Version,
    name: Type.Optional(Name),
    description: Type.Optional(Description),
    managerSubjects: Type.Optional(Managers),
    targetTiers: Type.Optional(Tiers),
    categories: Type.Optional(Categories),
    leadDepartment: Type.Optional(DepartmentCode),
  },
  { additionalProperties: false },
);
const MoveBody = Type.Object(
  {
    version: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Apply only if it is still at this version.' }),
    ),
  },
  { additionalProperties: false },
);
const PageQuery = Type.Object({ ...pageQueryFields }, { additionalProperties: false });
const ForumFilters = {
  seriesId: Type.Optional(Uuid),
  tier: Type.Optional(TierSchema),
  category: Type.Optional(CategorySchema),
  ...pageQueryFields,
};
const ForumQuery = Type.Object(
  { ...ForumFilters, status: Type.Optional(StatusSchema) },
  { additionalProperties: false },
);
const PublicForumQuery = Type.Object(ForumFilters, { additionalProperties: false });
const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

const DateTime = Type.String({ format: 'date-time' });
const Series = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  ownerDepartment: Type.String({ description: 'Fixed once the series is created.' }),
  createdBy: Type.String(),
  createdAt: DateTime,
  updatedAt: DateTime,
  version: Type.Integer(),
});
const PublicForum = Type.Object({
  id: Type.String(),
  seriesId: Type.String(),
  name: Type.String(),
  description: Type.String(),
  targetTiers: Type.Array(Type.String()),
  categories: Type.Array(Type.String()),
  leadDepartment: Type.String(),
});
const Forum = Type.Object({
  ...PublicForum.properties,
  managerSubjects: Type.Array(Type.String()),
  ownerDepartment: Type.Union([Type.String(), Type.Null()], {
    description: 'The series’ owner department: its officers run the forum with the city admins.',
  }),
  status: StatusSchema,
  createdBy: Type.String(),
  createdAt: DateTime,
  updatedAt: DateTime,
  version: Type.Integer(),
});
const LectureTypeView = Type.Object({
  code: Type.Unsafe<string>(Type.String({ enum: [...LECTURE_TYPES] })),
  labels: Type.Object({ 'zh-CN': Type.String(), en: Type.String() }),
});

const seriesResponse = (series: StoredSeries) => ({
  id: series.id,
  name: series.name,
  description: series.description,
  ownerDepartment: series.ownerDepartment,
  createdBy: series.createdBy,
  createdAt: series.createdAt.toISOString(),
  updatedAt: series.updatedAt.toISOString(),
  version: series.version,
});

const publicForumResponse = (forum: StoredForum) => ({
  id: forum.id,
  seriesId: forum.seriesId,
  name: forum.name,
  description: forum.description,
  targetTiers: [...forum.targetTiers],
  categories: [...forum.categories],
  leadDepartment: forum.leadDepartment,
});

const forumResponse = (forum: StoredForum) => ({
  ...publicForumResponse(forum),
  managerSubjects: [...forum.managerSubjects],
  ownerDepartment: forum.ownerDepartment ?? null,
  status: forum.status,
  createdBy: forum.createdBy,
  createdAt: forum.createdAt.toISOString(),
  updatedAt: forum.updatedAt.toISOString(),
  version: forum.version,
});

const OFFICE_ONLY =
  '403 CATALOGUE_OFFICE_ONLY (not a city admin nor an officer of the series’ owner department), ROLE_REQUIRED';
const FORUM_REFUSALS =
  '403 FORUM_MANAGE_FORBIDDEN (a forum you do not manage); 404 FORUM_NOT_FOUND';
const DESCRIPTIVE = FORUM_DESCRIPTIVE_FIELDS.join(', ');

export function registerCatalogueRoutes(http: HttpServer, useCases: CatalogueUseCases): void {
  http.get(
    '/v1/lecture-types',
    {
      config: { auth: 'none' },
      schema: {
        tags: [TAG],
        summary: 'The five lecture types, with zh-CN and English labels',
        description: 'Public. In the policy’s order (§5.2); sessions name one by its code.',
        response: { 200: Type.Object({ items: Type.Array(LectureTypeView) }) },
      },
    },
    async () => ({ items: lectureTypes() }),
  );

  http.post(
    '/v1/series',
    {
      config: { roles: ['city_admin'], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Add a lecture series (e.g. 玉海大讲坛)',
        description:
          'City admins (the campaign office); needs an Idempotency-Key. The owner department is ' +
          'fixed once created; its officers may edit the series and run its forums. Errors: 400 ' +
          'DEPARTMENT_UNKNOWN (a department registration does not list), VALIDATION_FAILED; ' +
          '403 ROLE_REQUIRED; 409 SERIES_ALREADY_EXISTS (the name is taken).',
        body: CreateSeriesBody,
        response: { 201: Series },
      },
    },
    async (request, reply) => {
      const series = await useCases.createSeries(principalOf(request), request.body);
      return reply.code(201).send(seriesResponse(series));
    },
  );

  http.get(
    '/v1/series',
    {
      config: { roles: [...OFFICE_ROLES] },
      schema: {
        tags: [TAG],
        summary: 'List the lecture series, by name',
        description:
          'City admins and department officers. Errors: 400 CURSOR_INVALID; 403 ROLE_REQUIRED.',
        querystring: PageQuery,
        response: { 200: PageOf(Series) },
      },
    },
    async (request) => {
      const page = await useCases.listSeries(splitPage(request.query).page);
      return { items: page.items.map(seriesResponse), nextPageToken: page.nextPageToken };
    },
  );

  http.get(
    '/v1/series/:id',
    {
      config: { roles: [...OFFICE_ROLES] },
      schema: {
        tags: [TAG],
        summary: 'Get a lecture series',
        description:
          'City admins and department officers. Errors: 403 ROLE_REQUIRED; 404 SERIES_NOT_FOUND.',
        params: IdParams,
        response: { 200: Series },
      },
    },
    async (request) => seriesResponse(await useCases.getSeries(request.params.id)),
  );

  http.patch(
    '/v1/series/:id',
    {
      config: { roles: [...OFFICE_ROLES], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Change a series’ name or description',
        description:
          'City admins and officers of the owner department; needs an Idempotency-Key. Errors: ' +
          `400 CATALOGUE_CHANGE_EMPTY, VALIDATION_FAILED; ${OFFICE_ONLY}; 404 SERIES_NOT_FOUND; ` +
          '409 VERSION_CONFLICT, SERIES_ALREADY_EXISTS.',
        params: IdParams,
        body: ChangeSeriesBody,
        response: { 200: Series },
      },
    },
    async (request) =>
      seriesResponse(
        await useCases.changeSeries(principalOf(request), request.params.id, request.body),
      ),
  );

  http.post(
    '/v1/series/:id/forums',
    {
      config: { roles: [...OFFICE_ROLES], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Add a forum to a series (人文讲坛, 青年讲坛, 企业家讲坛, …)',
        description:
          'City admins and officers of the series’ owner department; needs an Idempotency-Key. ' +
          'managerSubjects are the account subjects of the people who run it. Errors: 400 ' +
          `DEPARTMENT_UNKNOWN (lead department), VALIDATION_FAILED; ${OFFICE_ONLY}; ` +
          '404 SERIES_NOT_FOUND; 409 FORUM_ALREADY_EXISTS (a forum of that name in the series).',
        params: IdParams,
        body: CreateForumBody,
        response: { 201: Forum },
      },
    },
    async (request, reply) => {
      const forum = await useCases.createForum(
        principalOf(request),
        request.params.id,
        request.body,
      );
      return reply.code(201).send(forumResponse(forum));
    },
  );

  http.get(
    '/v1/forums',
    {
      schema: {
        tags: [TAG],
        summary: 'List the forums you run, in id order',
        description:
          'City admins: every forum; department officers: their department’s series’ forums; ' +
          'anyone signed in: the forums they manage (none otherwise). Retired ones included ' +
          'unless status filters them. Errors: 400 CURSOR_INVALID, VALIDATION_FAILED; 401.',
        querystring: ForumQuery,
        response: { 200: PageOf(Forum) },
      },
    },
    async (request) => {
      const { filters, page: pageAsked } = splitPage(request.query);
      const page = await useCases.listForums(principalOf(request), {
        ...filters,
        ...pageAsked,
      });
      return { items: page.items.map(forumResponse), nextPageToken: page.nextPageToken };
    },
  );

  http.get(
    '/v1/forums/:id',
    {
      schema: {
        tags: [TAG],
        summary: 'Get a forum you run, with its managers',
        description: `The office and the forum’s managers. Errors: 401; ${FORUM_REFUSALS}.`,
        params: IdParams,
        response: { 200: Forum },
      },
    },
    async (request) =>
      forumResponse(await useCases.getForum(principalOf(request), request.params.id)),
  );

  http.patch(
    '/v1/forums/:id',
    {
      config: { idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Change a forum',
        description:
          'Needs an Idempotency-Key. The office changes any field (managers included); the ' +
          `forum’s managers only ${DESCRIPTIVE}. Errors: 400 CATALOGUE_CHANGE_EMPTY, ` +
          `DEPARTMENT_UNKNOWN, VALIDATION_FAILED; 401; ${FORUM_REFUSALS}; 403 ` +
          'FORUM_FIELD_OFFICE_ONLY (a manager naming another field); 409 VERSION_CONFLICT, ' +
          'FORUM_ALREADY_EXISTS.',
        params: IdParams,
        body: ChangeForumBody,
        response: { 200: Forum },
      },
    },
    async (request) =>
      forumResponse(
        await useCases.changeForum(principalOf(request), request.params.id, request.body),
      ),
  );

  const move = (verb: 'retire' | 'reactivate', summary: string, refusal: string) => {
    // '::' is fastify's escape for a literal colon (AIP-136 custom method).
    http.post(
      `/v1/forums/:id(${UUID_PATTERN})::${verb}`,
      {
        config: { idempotency: 'required' },
        schema: {
          tags: [TAG],
          summary,
          description:
            'The office; needs an Idempotency-Key. A retired forum leaves the public list. ' +
            `Errors: 400 VALIDATION_FAILED; 401; ${FORUM_REFUSALS}; 403 FORUM_FIELD_OFFICE_ONLY ` +
            `(its manager); 409 ${refusal}, VERSION_CONFLICT.`,
          params: IdParams,
          body: MoveBody,
          response: { 200: Forum },
        },
      },
      async (request) => {
        const run = verb === 'retire' ? useCases.retireForum : useCases.reactivateForum;
        return forumResponse(await run(principalOf(request), request.params.id, request.body));
      },
    );
  };
  move('retire', 'Retire a forum', 'FORUM_ALREADY_RETIRED');
  move('reactivate', 'Reactivate a retired forum', 'FORUM_NOT_RETIRED');

  http.get(
    '/v1/public/forums',
    {
      config: { auth: 'none' },
      schema: {
        tags: [TAG],
        summary: 'The programme’s active forums, in id order',
        description: 'Public: no managers named. Errors: 400 CURSOR_INVALID, VALIDATION_FAILED.',
        querystring: PublicForumQuery,
        response: { 200: PageOf(PublicForum) },
      },
    },
    async (request) => {
      const { filters, page: pageAsked } = splitPage(request.query);
      const page = await useCases.listPublicForums({
        ...filters,
        ...pageAsked,
      });
      return { items: page.items.map(publicForumResponse), nextPageToken: page.nextPageToken };
    },
  );

  http.get(
    '/v1/public/forums/:id',
    {
      config: { auth: 'none' },
      schema: {
        tags: [TAG],
        summary: 'An active forum',
        description: 'Public. Errors: 404 FORUM_NOT_FOUND (also a retired one).',
        params: IdParams,
        response: { 200: PublicForum },
      },
    },
    async (request) => publicForumResponse(await useCases.getPublicForum(request.params.id)),
  );
}
