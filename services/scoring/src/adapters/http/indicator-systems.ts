/** The indicator systems routes: translate HTTP (weights and pass marks as decimal percentages) to the use cases and back. */
import { OFFICER_ROLES, type Role } from '@learning/auth';
import {
  PageOf,
  pageQueryFields,
  principalOf,
  PUBLIC_PORTAL_TAG,
  publicPageKey,
  publicPageSender,
  expectedRevision,
  splitPage,
  Title,
  Uuid,
  type CachedPages,
  type HttpServer,
} from '@learning/http';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { indicatorView } from '../../application/indicator-systems/audit.js';
import type { CopySystem } from '../../application/indicator-systems/copy-system.js';
import type {
  CreateSystem,
  SystemTerms,
} from '../../application/indicator-systems/create-system.js';
import {
  indicatorSystemErrors,
  revisionInvalid,
} from '../../application/indicator-systems/errors.js';
import type { StoredIndicatorSystem } from '../../application/indicator-systems/ports.js';
import type {
  GetSystem,
  ListSystems,
  SystemAtVersion,
} from '../../application/indicator-systems/read-systems.js';
import type { ReplaceSystem } from '../../application/indicator-systems/replace-system.js';
import {
  INDICATOR_METRIC_UNKNOWN,
  INDICATOR_WEIGHT_INVALID,
  isMetricKey,
  MAX_INDICATORS,
  METRIC_KEYS,
  METRICS,
  PASS_MARK_INVALID,
  formatHundredths,
  parseHundredths,
  SYSTEM_TARGETS,
  type IndicatorMethod,
  type MetricKey,
  type SystemTarget,
} from '../../domain/evaluation.js';

export interface IndicatorSystemsUseCases {
  createSystem: CreateSystem;
  replaceSystem: ReplaceSystem;
  copySystem: CopySystem;
  getSystem: GetSystem;
  listSystems: ListSystems;
  publicPages: CachedPages;
  /** `cache-control: max-age` of the public list. */
  publicMaxAgeSeconds: number;
}

const TAG = 'indicator systems';

/** Who may read the systems: those assessed on them, those who assess, and the experts who review. */
export const SYSTEM_READERS: readonly Role[] = [...OFFICER_ROLES, 'org_admin', 'expert'];

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const Target = Type.Unsafe<SystemTarget>(
  Type.String({
    enum: [...SYSTEM_TARGETS],
    description: 'One kind of learning organization, or area (townships and streets as such).',
  }),
);
const Year = Type.Integer({ minimum: 2000, maximum: 9999, description: 'From 2000 to next year.' });
const Percent = (description: string) =>
  Type.Union([Type.String({ minLength: 1, maxLength: 16 }), Type.Number()], { description });
const Metric = Type.String({
  minLength: 1,
  maxLength: 60,
  description: 'A key of GET /v1/indicator-metrics.',
});
const Figure = (description: string) => Type.Number({ description });
const Band = {
  from: Figure('At or below it: 0 points (0 or more).'),
  to: Figure('At or above it: full points (above from).'),
};
const Method = Type.Union(
  [
    Type.Object(
      {
        kind: Type.Literal('threshold'),
        metric: Metric,
        atLeast: Figure('Full points at or above it, none below.'),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      { kind: Type.Literal('linear_band'), metric: Metric, ...Band },
      { additionalProperties: false },
    ),
    Type.Object({ kind: Type.Literal('yes_no'), metric: Metric }, { additionalProperties: false }),
    Type.Object(
      {
        kind: Type.Union([Type.Literal('ratio'), Type.Literal('per_capita')]),
        numerator: Metric,
        denominator: Metric,
        ...Band,
      },
      { additionalProperties: false },
    ),
  ],
  {
    description:
      'threshold: full points at atLeast; linear_band: 0 at from, full at to, linear between; ' +
      'yes_no: full points when the figure is yes; ratio: numerator ÷ denominator on a band; ' +
      'per_capita: the same over a count of people (training spend per employee).',
  },
);
const IndicatorBody = Type.Object(
  {
    key: Type.String({
      minLength: 1,
      maxLength: 40,
      description: 'Stable within the system: a–z, 0–9, _ and -.',
    }),
    name: Title(100),
    weight: Percent('Percent of the total, above 0, at most two decimals: "25", 12.5.'),
    method: Method,
  },
  { additionalProperties: false },
);
const Terms = {
  name: Title(100),
  passMark: Percent('The standard (达标) is met at or above it: 0 to 100, two decimals at most.'),
  indicators: Type.Array(IndicatorBody, { maxItems: MAX_INDICATORS }),
};
const CreateBody = Type.Object(
  { year: Year, target: Target, ...Terms },
  { additionalProperties: false },
);
const ReplaceBody = Type.Object(
  {
    ...Terms,
    revision: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: 'The version last read (or send it as If-Match); absent: the current one.',
      }),
    ),
  },
  { additionalProperties: false },
);
const CopyBody = Type.Object(
  { year: Year, name: Type.Optional(Title(100)) },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
const GetQuery = Type.Object(
  { version: Type.Optional(Type.Integer({ minimum: 1, description: 'A past version.' })) },
  { additionalProperties: false },
);
const ListQuery = Type.Object(
  { year: Type.Optional(Year), target: Type.Optional(Target), ...pageQueryFields },
  { additionalProperties: false },
);
const PublicQuery = Type.Object(
  { year: Type.Optional(Year), ...pageQueryFields },
  { additionalProperties: false },
);

const MethodView = Type.Object({
  kind: Type.String(),
  metric: Type.Optional(Type.String()),
  atLeast: Type.Optional(Type.Number()),
  from: Type.Optional(Type.Number()),
  to: Type.Optional(Type.Number()),
  numerator: Type.Optional(Type.String()),
  denominator: Type.Optional(Type.String()),
});
const IndicatorView = Type.Object({
  key: Type.String(),
  name: Type.String(),
  weight: Type.String({ description: 'Percent, two decimals: "25.00".' }),
  method: MethodView,
});
const PublicSystemFields = {
  id: Type.String(),
  year: Type.Integer(),
  target: Type.String(),
  name: Type.String(),
  version: Type.Integer({ description: 'The version shown.' }),
  passMark: Type.String({ description: 'Points, two decimals: "60.00".' }),
  indicators: Type.Array(IndicatorView),
};
const PublicSystemView = Type.Object(PublicSystemFields);
const SystemView = Type.Object({
  ...PublicSystemFields,
  currentVersion: Type.Integer({
    description: 'Also the ETag; send it back to change the system.',
  }),
  supersededAt: Nullable(
    Type.String({ format: 'date-time', description: 'A past version: when it was replaced.' }),
  ),
  supersededBy: Nullable(Type.String()),
  history: Type.Array(
    Type.Object({
      version: Type.Integer(),
      supersededAt: Type.String({ format: 'date-time' }),
      supersededBy: Type.String(),
    }),
    { description: 'Past versions, oldest first; read one with ?version=.' },
  ),
  frozenAt: Nullable(
    Type.String({ format: 'date-time', description: 'Set once an assessment under it is locked.' }),
  ),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
const MetricView = Type.Object({
  key: Type.String(),
  label: Type.String(),
  unit: Type.String(),
  source: Type.String(),
  subjects: Type.Array(Type.String()),
});

const publicResponse = (system: StoredIndicatorSystem) => ({
  id: system.id,
  year: system.year,
  target: system.target,
  name: system.name,
  version: system.version,
  passMark: formatHundredths(system.passMark),
  indicators: system.indicators.map(indicatorView),
});

/** The system at the version asked for, with what it is now: a past version shows its own terms. */
const systemResponse = ({ system, past }: SystemAtVersion) => ({
  ...publicResponse(system),
  ...(past === null
    ? { supersededAt: null, supersededBy: null }
    : {
        version: past.version,
        passMark: formatHundredths(past.passMark),
        indicators: past.indicators.map(indicatorView),
        supersededAt: past.supersededAt.toISOString(),
        supersededBy: past.supersededBy,
      }),
  currentVersion: system.version,
  history: system.history.map((entry) => ({
    version: entry.version,
    supersededAt: entry.supersededAt.toISOString(),
    supersededBy: entry.supersededBy,
  })),
  frozenAt: system.frozenAt === null ? null : system.frozenAt.toISOString(),
  createdBy: system.createdBy,
  createdAt: system.createdAt.toISOString(),
  updatedAt: system.updatedAt.toISOString(),
});

const metricsResponse = METRIC_KEYS.map((key) => ({
  key,
  label: METRICS[key].label,
  unit: METRICS[key].unit,
  source: METRICS[key].source,
  subjects: [...METRICS[key].subjects],
}));

/** A percentage in hundredths, or 400 `code` at `field`; the domain checks the range. */
function hundredthsAt(
  value: string | number,
  field: string,
  code: typeof PASS_MARK_INVALID | typeof INDICATOR_WEIGHT_INVALID,
): number {
  const hundredths = parseHundredths(value);
  if (hundredths !== undefined) return hundredths;
  const message = 'A percentage from 0 to 100 with at most two decimals, such as "25" or 12.5.';
  throw indicatorSystemErrors.error(code, message, { details: [{ field, message }] });
}

function metricAt(name: string, field: string): MetricKey {
  if (isMetricKey(name)) return name;
  const message = `"${name}" is no figure the platform keeps; see GET /v1/indicator-metrics.`;
  throw indicatorSystemErrors.error(INDICATOR_METRIC_UNKNOWN, message, {
    details: [{ field, message }],
  });
}

type MethodBody = Static<typeof Method>;

function methodOf(method: MethodBody, field: string): IndicatorMethod {
  switch (method.kind) {
    case 'threshold':
      return {
        kind: method.kind,
        metric: metricAt(method.metric, `${field}/metric`),
        atLeast: method.atLeast,
      };
    case 'linear_band':
      return {
        kind: method.kind,
        metric: metricAt(method.metric, `${field}/metric`),
        from: method.from,
        to: method.to,
      };
    case 'yes_no':
      return { kind: method.kind, metric: metricAt(method.metric, `${field}/metric`) };
    default:
      return {
        kind: method.kind,
        numerator: metricAt(method.numerator, `${field}/numerator`),
        denominator: metricAt(method.denominator, `${field}/denominator`),
        from: method.from,
        to: method.to,
      };
  }
}

const termsOf = (body: Static<typeof ReplaceBody>): SystemTerms => ({
  name: body.name,
  passMark: hundredthsAt(body.passMark, '/passMark', PASS_MARK_INVALID),
  indicators: body.indicators.map((indicator, index) => {
    const at = `/indicators/${String(index)}`;
    return {
      key: indicator.key,
      name: indicator.name,
      weight: hundredthsAt(indicator.weight, `${at}/weight`, INDICATOR_WEIGHT_INVALID),
      method: methodOf(indicator.method, `${at}/method`),
    };
  }),
});

interface HeaderSetter {
  header(name: string, value: string): unknown;
}
/** The ETag is the current version, what a change must name; a past version has none, as it cannot be changed. */
const withETag = (reply: HeaderSetter, read: SystemAtVersion) => {
  if (read.past === null) reply.header('etag', `"${String(read.system.version)}"`);
  return systemResponse(read);
};
const current = (system: StoredIndicatorSystem): SystemAtVersion => ({ system, past: null });

const SYSTEM_ERRORS =
  'INDICATORS_INVALID, INDICATOR_KEY_INVALID, INDICATOR_WEIGHT_INVALID, INDICATOR_WEIGHTS_NOT_FULL, ' +
  'INDICATOR_METRIC_UNKNOWN, INDICATOR_METRIC_NOT_FOR_TARGET, INDICATOR_METHOD_INVALID, ' +
  'PASS_MARK_INVALID, VALIDATION_FAILED';

export function registerIndicatorSystemsRoutes(
  http: HttpServer,
  useCases: IndicatorSystemsUseCases,
): void {
  http.post(
    '/v1/indicator-systems',
    {
      config: { roles: ['city_admin'], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Set a year’s indicator system for an organization kind or the areas',
        description:
          'City admins; needs an Idempotency-Key. One system per year and target; weights sum to ' +
          '100 (percent, two decimals at most), each indicator draws on figures of ' +
          'GET /v1/indicator-metrics kept for the target. Stored as version 1. Errors: 400 ' +
          `${SYSTEM_ERRORS}, INDICATOR_SYSTEM_YEAR_INVALID; 403 ROLE_REQUIRED; 409 ` +
          'INDICATOR_SYSTEM_EXISTS (names the system the year has).',
        body: CreateBody,
        response: { 201: SystemView },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const system = await useCases.createSystem(principalOf(request), {
        year: body.year,
        target: body.target,
        ...termsOf(body),
      });
      return reply.code(201).send(withETag(reply, current(system)));
    },
  );

  http.get(
    '/v1/indicator-systems',
    {
      config: { roles: [...SYSTEM_READERS] },
      schema: {
        tags: [TAG],
        summary: 'List the indicator systems, oldest first',
        description:
          'Officers, organization admins and experts: what organizations and areas are assessed ' +
          'on. Of a year, of a target. Errors: 400 CURSOR_INVALID, VALIDATION_FAILED; 403 ROLE_REQUIRED.',
        querystring: ListQuery,
        response: { 200: PageOf(SystemView) },
      },
    },
    async (request) => {
      const { filters, page: asked } = splitPage(request.query);
      const page = await useCases.listSystems({
        ...(filters.year === undefined ? {} : { year: filters.year }),
        ...(filters.target === undefined ? {} : { target: filters.target }),
        ...asked,
      });
      return {
        items: page.items.map((system) => systemResponse(current(system))),
        nextPageToken: page.nextPageToken,
      };
    },
  );

  http.get(
    '/v1/indicator-systems/:id',
    {
      config: { roles: [...SYSTEM_READERS] },
      schema: {
        tags: [TAG],
        summary: 'Get an indicator system, at its current or a past version',
        description:
          'Officers, organization admins and experts. The ETag is the current version (none on a ' +
          'past version, which cannot be changed). Errors: 403 ROLE_REQUIRED; 404 ' +
          'INDICATOR_SYSTEM_NOT_FOUND, INDICATOR_SYSTEM_VERSION_NOT_FOUND.',
        params: IdParams,
        querystring: GetQuery,
        response: { 200: SystemView },
      },
    },
    async (request, reply) =>
      withETag(reply, await useCases.getSystem(request.params.id, request.query.version)),
  );

  http.put(
    '/v1/indicator-systems/:id',
    {
      config: { roles: ['city_admin'] },
      schema: {
        tags: [TAG],
        summary: 'Change a system’s name, pass mark and indicators: the next version',
        description:
          'City admins; If-Match (or body revision) applies it only at that version. The version ' +
          'replaced stays readable with ?version=. Refused once an assessment under the system is ' +
          `locked. Errors: 400 ${SYSTEM_ERRORS}, INDICATOR_SYSTEM_REVISION_INVALID; 403 ` +
          'ROLE_REQUIRED; 404 INDICATOR_SYSTEM_NOT_FOUND; 409 INDICATOR_SYSTEM_FROZEN, VERSION_CONFLICT.',
        params: IdParams,
        body: ReplaceBody,
        response: { 200: SystemView },
      },
    },
    async (request, reply) => {
      const system = await useCases.replaceSystem(principalOf(request), request.params.id, {
        ...termsOf(request.body),
        ...expectedRevision(request.headers['if-match'], request.body.revision, {
          refuse: revisionInvalid,
        }),
      });
      return withETag(reply, current(system));
    },
  );

  http.post(
    '/v1/indicator-systems/:id/copies',
    {
      config: { roles: ['city_admin'], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Start another year with the same indicators',
        description:
          'City admins; needs an Idempotency-Key. A new system (version 1) for the same target in ' +
          '`year`, with the current pass mark and indicators, named as the source unless `name` ' +
          'is given; checked again against the metric catalogue. Errors: 400 ' +
          `${SYSTEM_ERRORS}, INDICATOR_SYSTEM_YEAR_INVALID; 403 ROLE_REQUIRED; 404 ` +
          'INDICATOR_SYSTEM_NOT_FOUND; 409 INDICATOR_SYSTEM_EXISTS.',
        params: IdParams,
        body: CopyBody,
        response: { 201: SystemView },
      },
    },
    async (request, reply) => {
      const system = await useCases.copySystem(principalOf(request), request.params.id, {
        year: request.body.year,
        ...(request.body.name === undefined ? {} : { name: request.body.name }),
      });
      return reply.code(201).send(withETag(reply, current(system)));
    },
  );

  http.get(
    '/v1/indicator-metrics',
    {
      config: { roles: [...SYSTEM_READERS] },
      schema: {
        tags: [TAG],
        summary: 'The figures an indicator may draw on',
        description:
          'Officers, organization admins and experts. The whole catalogue (a fixed list of a few ' +
          'dozen, so not paged): each figure’s key, label, unit, the service it comes from and ' +
          'whether it is kept for organizations, areas or both. Errors: 403 ROLE_REQUIRED.',
        response: { 200: Type.Object({ items: Type.Array(MetricView) }) },
      },
    },
    () => ({ items: metricsResponse }),
  );

  const sendPublic = publicPageSender(useCases.publicPages, useCases.publicMaxAgeSeconds);

  http.get(
    '/v1/public/indicator-systems',
    {
      config: { auth: 'none' },
      schema: {
        tags: [PUBLIC_PORTAL_TAG],
        summary: 'What learning organizations and areas are assessed on',
        description:
          'No sign-in needed. Each indicator system at its current version, of a year, oldest ' +
          'first. Served from a shared cache (x-cache: hit or miss) that every change to a system ' +
          'clears. Errors: 400 CURSOR_INVALID, VALIDATION_FAILED.',
        querystring: PublicQuery,
        response: { 200: PageOf(PublicSystemView) },
      },
    },
    async (request, reply) => {
      await sendPublic(
        reply,
        publicPageKey('/v1/public/indicator-systems', request.query),
        async () => {
          const { filters, page: asked } = splitPage(request.query);
          const page = await useCases.listSystems({
            ...(filters.year === undefined ? {} : { year: filters.year }),
            ...asked,
          });
          return { items: page.items.map(publicResponse), nextPageToken: page.nextPageToken };
        },
      );
    },
  );
}
