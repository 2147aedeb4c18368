/** The webhooks routes: translate HTTP to the subscription and delivery use cases and back. */
import { OFFICER_ROLES } from '@learning/auth';
import { HOUR_MS, ORGANIZATION_KINDS } from '@learning/domain';
import {
  JurisdictionCode,
  PageOf,
  pageQueryFields,
  principalOf,
  splitPage,
  Uuid,
  type HttpServer,
} from '@learning/http';
import { Type } from '@sinclair/typebox';
import { WEBHOOK_CATALOGUE } from '../../application/webhooks/catalogue.js';
import {
  DELIVERY_STATUSES,
  type StoredDelivery,
  type StoredSubscription,
} from '../../application/webhooks/ports.js';
import type { DeliveryUseCases } from '../../application/webhooks/read-deliveries.js';
import type { SubscriptionUseCases } from '../../application/webhooks/subscriptions.js';
import type { WebhookFilters } from '../../domain/webhooks.js';
import { listedOwnerOf } from '../../application/webhooks/access.js';
import type { SubscriptionStore } from '../../application/webhooks/ports.js';

export interface WebhookRoutes {
  readonly subscriptions: SubscriptionUseCases;
  readonly deliveries: DeliveryUseCases;
  readonly store: Pick<SubscriptionStore, 'list'>;
}

const TAG = 'webhooks';
const ROLES = [...OFFICER_ROLES, 'service'] as const;
/** The old secret's overlap after a rotation: a day unless asked, between none and a week. */
const DEFAULT_OVERLAP_HOURS = 24;
const MAX_OVERLAP_HOURS = 168;

const Url = Type.String({
  minLength: 1,
  maxLength: 2048,
  description: 'https://… (http allowed only outside production); no credentials or fragment.',
});
const EventTypes = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
  minItems: 1,
  maxItems: WEBHOOK_CATALOGUE.length,
  description: 'From GET /v1/webhook-event-types.',
});
const Filters = Type.Object(
  {
    organizationKinds: Type.Optional(
      Type.Array(Type.String({ enum: [...ORGANIZATION_KINDS] }), { maxItems: 10 }),
    ),
    leadDepartments: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 30 }),
    ),
    jurisdictionCodes: Type.Optional(Type.Array(JurisdictionCode, { maxItems: 100 })),
  },
  {
    additionalProperties: false,
    description:
      'Each list narrows (empty: no narrowing); an event that does not say what a filter asks is not sent. ' +
      'Department officers: their department only (the default); area officers: inside their jurisdictions (the default).',
  },
);
const CreateBody = Type.Object(
  {
    url: Url,
    eventTypes: EventTypes,
    filters: Type.Optional(Filters),
    ownerDepartment: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'City admins: the department that owns it (default: the office itself).',
      }),
    ),
  },
  { additionalProperties: false },
);
const UpdateBody = Type.Object(
  {
    url: Type.Optional(Url),
    eventTypes: Type.Optional(EventTypes),
    filters: Type.Optional(Filters),
    revision: Type.Optional(Type.Integer({ minimum: 1, description: 'The revision last read.' })),
  },
  { additionalProperties: false },
);
const RotateBody = Type.Object(
  {
    overlapHours: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MAX_OVERLAP_HOURS,
        description: `How long the current secret still signs (default ${DEFAULT_OVERLAP_HOURS}).`,
      }),
    ),
  },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
const DeliveryParams = Type.Object(
  {
    id: Uuid,
    deliveryId: Type.String({ pattern: '^[0-9a-f-]{36}:[A-Za-z0-9._-]{1,128}$' }),
  },
  { additionalProperties: false },
);
const ListQuery = Type.Object({ ...pageQueryFields }, { additionalProperties: false });
const DeliveryQuery = Type.Object(
  { status: Type.Optional(Type.String({ enum: [...DELIVERY_STATUSES] })), ...pageQueryFields },
  { additionalProperties: false },
);

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const SubscriptionView = Type.Object({
  id: Type.String(),
  owner: Type.String(),
  url: Type.String(),
  eventTypes: Type.Array(Type.String()),
  filters: Type.Object({
    organizationKinds: Type.Array(Type.String()),
    leadDepartments: Type.Array(Type.String()),
    jurisdictionCodes: Type.Array(Type.String()),
  }),
  status: Type.String({ enum: ['active', 'paused', 'disabled'] }),
  consecutiveFailures: Type.Integer(),
  secretsValidUntil: Type.Array(Nullable(Type.String({ format: 'date-time' })), {
    description: 'Per secret signing now: when it stops (null: the current one). Never the secret.',
  }),
  revision: Type.Integer(),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
const WithSecretView = Type.Object({
  subscription: SubscriptionView,
  secret: Type.String({ description: 'whsec_<base64>: shown this once, never again.' }),
});
const DeliveryView = Type.Object({
  id: Type.String(),
  eventId: Type.String(),
  eventType: Type.String(),
  status: Type.String({ enum: [...DELIVERY_STATUSES] }),
  attempts: Type.Integer(),
  queuedAt: Type.String({ format: 'date-time' }),
  nextAttemptAt: Nullable(Type.String({ format: 'date-time' })),
  lastAttemptAt: Nullable(Type.String({ format: 'date-time' })),
  lastStatus: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Nullable(Type.String()),
  latencyMs: Type.Union([Type.Integer(), Type.Null()]),
});
const EventTypeView = Type.Object({ type: Type.String(), topic: Type.String() });

const subscriptionView = (subscription: StoredSubscription) => ({
  id: subscription.id,
  owner: subscription.owner,
  url: subscription.url,
  eventTypes: [...subscription.eventTypes],
  filters: {
    organizationKinds: [...subscription.filters.organizationKinds],
    leadDepartments: [...subscription.filters.leadDepartments],
    jurisdictionCodes: [...subscription.filters.jurisdictionCodes],
  },
  status: subscription.status,
  consecutiveFailures: subscription.consecutiveFailures,
  secretsValidUntil: subscription.secrets.map((secret) => secret.expiresAt?.toISOString() ?? null),
  revision: subscription.revision,
  createdBy: subscription.createdBy,
  createdAt: subscription.createdAt.toISOString(),
  updatedAt: subscription.updatedAt.toISOString(),
});

const deliveryView = (delivery: StoredDelivery) => ({
  id: delivery.id,
  eventId: delivery.eventId,
  eventType: delivery.eventType,
  status: delivery.status,
  attempts: delivery.attempts,
  queuedAt: delivery.queuedAt.toISOString(),
  nextAttemptAt: delivery.status === 'pending' ? delivery.nextAttemptAt.toISOString() : null,
  lastAttemptAt: delivery.lastAttemptAt?.toISOString() ?? null,
  lastStatus: delivery.lastStatus,
  lastError: delivery.lastError,
  latencyMs: delivery.latencyMs,
});

const filtersOf = (filters: {
  organizationKinds?: string[];
  leadDepartments?: string[];
  jurisdictionCodes?: string[];
}): WebhookFilters => ({
  organizationKinds: [...new Set(filters.organizationKinds ?? [])],
  leadDepartments: [...new Set(filters.leadDepartments ?? [])],
  jurisdictionCodes: [...new Set(filters.jurisdictionCodes ?? [])],
});

const WRITE_ERRORS =
  'SUBSCRIPTION_URL_INVALID, SUBSCRIPTION_TARGET_FORBIDDEN, SUBSCRIPTION_EVENT_TYPE_UNKNOWN, ' +
  'JURISDICTION_UNKNOWN, VALIDATION_FAILED';

export function registerWebhookRoutes(http: HttpServer, routes: WebhookRoutes): void {
  const { subscriptions, deliveries } = routes;

  http.get(
    '/v1/webhook-event-types',
    {
      config: { roles: ROLES },
      schema: {
        tags: [TAG],
        summary: 'The events a webhook may subscribe to, with their topics',
        response: { 200: Type.Object({ items: Type.Array(EventTypeView) }) },
      },
    },
    async () => ({
      items: WEBHOOK_CATALOGUE.map((item) => ({ type: item.definition.type, topic: item.topic })),
    }),
  );

  http.post(
    '/v1/webhook-subscriptions',
    {
      // Not replayed from the idempotency store: the answer holds the secret, which is kept nowhere in clear.
      config: { roles: ROLES, idempotency: 'off' },
      schema: {
        tags: [TAG],
        summary: 'Subscribe a URL to events; the signing secret is shown once',
        description:
          'Officers, city systems and the office. The URL is checked (in production: https to a ' +
          `public address). Errors: 400 ${WRITE_ERRORS}; 403 ROLE_REQUIRED, ` +
          'SUBSCRIPTION_FILTER_OUT_OF_SCOPE.',
        body: CreateBody,
        response: { 201: WithSecretView },
      },
    },
    async (request, reply) => {
      const created = await subscriptions.create(principalOf(request), {
        url: request.body.url,
        eventTypes: request.body.eventTypes,
        filters: filtersOf(request.body.filters ?? {}),
        ...(request.body.ownerDepartment === undefined
          ? {}
          : { ownerDepartment: request.body.ownerDepartment }),
      });
      return reply
        .code(201)
        .send({ subscription: subscriptionView(created.subscription), secret: created.secret });
    },
  );

  http.get(
    '/v1/webhook-subscriptions',
    {
      config: { roles: ROLES },
      schema: {
        tags: [TAG],
        summary: 'Your subscriptions (the office: every one), oldest first',
        querystring: ListQuery,
        response: { 200: PageOf(SubscriptionView) },
      },
    },
    async (request) => {
      const owner = listedOwnerOf(principalOf(request));
      const page = await routes.store.list({
        ...splitPage(request.query).page,
        ...(owner === undefined ? {} : { owner }),
      });
      return { items: page.items.map(subscriptionView), nextPageToken: page.nextPageToken };
    },
  );

  http.get(
    '/v1/webhook-subscriptions/:id',
    {
      config: { roles: ROLES },
      schema: {
        tags: [TAG],
        summary: 'One subscription (never its secret)',
        description: 'Errors: 404 SUBSCRIPTION_NOT_FOUND.',
        params: IdParams,
        response: { 200: SubscriptionView },
      },
    },
    async (request) =>
      subscriptionView(await subscriptions.get(principalOf(request), request.params.id)),
  );

  http.patch(
    '/v1/webhook-subscriptions/:id',
    {
      config: { roles: ROLES },
      schema: {
        tags: [TAG],
        summary: 'Change the URL, event types or filters',
        description:
          `Errors: 400 ${WRITE_ERRORS}; 403 SUBSCRIPTION_FILTER_OUT_OF_SCOPE; 404 ` +
          'SUBSCRIPTION_NOT_FOUND; 409 VERSION_CONFLICT, SUBSCRIPTION_DISABLED.',
        params: IdParams,
        body: UpdateBody,
        response: { 200: SubscriptionView },
      },
    },
    async (request) =>
      subscriptionView(
        await subscriptions.update(principalOf(request), request.params.id, {
          ...(request.body.url === undefined ? {} : { url: request.body.url }),
          ...(request.body.eventTypes === undefined ? {} : { eventTypes: request.body.eventTypes }),
          ...(request.body.filters === undefined
            ? {}
            : { filters: filtersOf(request.body.filters) }),
          ...(request.body.revision === undefined ? {} : { revision: request.body.revision }),
        }),
      ),
  );

  http.delete(
    '/v1/webhook-subscriptions/:id',
    {
      config: { roles: ROLES },
      schema: {
        tags: [TAG],
        summary: 'Disable it: nothing more is sent; the delivery log stays',
        description: 'Errors: 404 SUBSCRIPTION_NOT_FOUND.',
        params: IdParams,
        response: { 200: SubscriptionView },
      },
    },
    async (request) =>
      subscriptionView(await subscriptions.disable(principalOf(request), request.params.id)),
  );

  http.post(
    '/v1/webhook-subscriptions/:id/secret/rotate',
    {
      config: { roles: ROLES, idempotency: 'off' },
      schema: {
        tags: [TAG],
        summary: 'A new signing secret, shown once; the current one still signs for the overlap',
        description:
          'During the overlap every delivery carries both signatures. Errors: 404 ' +
          'SUBSCRIPTION_NOT_FOUND; 409 SUBSCRIPTION_DISABLED, VERSION_CONFLICT.',
        params: IdParams,
        body: RotateBody,
        response: { 200: WithSecretView },
      },
    },
    async (request) => {
      const hours = request.body.overlapHours ?? DEFAULT_OVERLAP_HOURS;
      const rotated = await subscriptions.rotateSecret(
        principalOf(request),
        request.params.id,
        hours * HOUR_MS,
      );
      return { subscription: subscriptionView(rotated.subscription), secret: rotated.secret };
    },
  );

  http.post(
    '/v1/webhook-subscriptions/:id/resume',
    {
      config: { roles: ROLES },
      schema: {
        tags: [TAG],
        summary: 'Resume a paused subscription: what waited is sent',
        description: 'Errors: 404 SUBSCRIPTION_NOT_FOUND; 409 SUBSCRIPTION_NOT_PAUSED.',
        params: IdParams,
        response: { 200: SubscriptionView },
      },
    },
    async (request) =>
      subscriptionView(await subscriptions.resume(principalOf(request), request.params.id)),
  );

  http.post(
    '/v1/webhook-subscriptions/:id/test',
    {
      config: { roles: ROLES },
      schema: {
        tags: [TAG],
        summary: 'Send a ping event (notifications.webhook.ping.v1); see the delivery log',
        description: 'Errors: 404 SUBSCRIPTION_NOT_FOUND; 409 SUBSCRIPTION_DISABLED.',
        params: IdParams,
        response: { 202: DeliveryView },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(deliveryView(await subscriptions.test(principalOf(request), request.params.id))),
  );

  http.get(
    '/v1/webhook-subscriptions/:id/deliveries',
    {
      config: { roles: ROLES },
      schema: {
        tags: [TAG],
        summary: 'The delivery log, newest first',
        description: 'Errors: 400 CURSOR_INVALID; 404 SUBSCRIPTION_NOT_FOUND.',
        params: IdParams,
        querystring: DeliveryQuery,
        response: { 200: PageOf(DeliveryView) },
      },
    },
    async (request) => {
      const { filters, page } = splitPage(request.query);
      const found = await deliveries.list(principalOf(request), request.params.id, {
        ...page,
        ...(filters.status === undefined
          ? {}
          : { status: filters.status as (typeof DELIVERY_STATUSES)[number] }),
      });
      return { items: found.items.map(deliveryView), nextPageToken: found.nextPageToken };
    },
  );

  http.post(
    '/v1/webhook-subscriptions/:id/deliveries/:deliveryId/redeliver',
    {
      config: { roles: ROLES },
      schema: {
        tags: [TAG],
        summary: 'Send a delivered or failed (dead-lettered) delivery again',
        description:
          'Errors: 404 SUBSCRIPTION_NOT_FOUND, WEBHOOK_DELIVERY_NOT_FOUND; 409 WEBHOOK_DELIVERY_PENDING.',
        params: DeliveryParams,
        response: { 202: DeliveryView },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(
          deliveryView(
            await deliveries.redeliver(
              principalOf(request),
              request.params.id,
              request.params.deliveryId,
            ),
          ),
        ),
  );
}
