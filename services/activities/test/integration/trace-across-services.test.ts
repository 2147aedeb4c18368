/**
 * One trace across three services, each app traced by the runtime's own setup
 * with an in-memory exporter in place of OTLP: a sign-up sent to registration
 * with a caller's traceparent; registration asks activities for a seat over
 * gRPC; its outbox relay publishes EnrollmentConfirmed with the CloudEvents
 * traceparent extension; notifications handles it. Every span of the sign-up
 * carries the caller's trace id, each a child of the step before it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { enrollmentEvents } from '@learning/contracts';
import { consumerGroups } from '@learning/events';
import { notificationsService } from '@learning/notifications/service';
import { loadNotificationsConfig } from '@learning/notifications/config';
import { generatePiiEnvironment } from '@learning/pii';
import { seedJurisdictions } from '@learning/registration/testing';
import { registrationService } from '@learning/registration/service';
import { loadRegistrationConfig } from '@learning/registration/config';
import { reservePort, serviceToken, useServiceApp } from '@learning/runtime/testing';
import { describeWithServers, eventually, jurisdictionTree } from '@learning/testing';
import { InMemorySpanExporter, type ReadableSpan } from '@learning/tracing';
import { SpanKind } from '@opentelemetry/api';
import { beforeAll, expect, it } from 'vitest';
import { activitiesService } from '../../src/app.js';
import { loadActivitiesConfig } from '../../src/config.js';
import { draftBody, idNumberOf, idOf, peopleOf, request, T1_V1 } from '../support/activities.js';
import type { Stack } from '../support/stack.js';

/** Spans leave each app's batch after this long instead of the production 5 s. */
const traced = { OTEL_BSP_SCHEDULE_DELAY: '50' };

const serviceOf = (span: ReadableSpan): unknown => span.resource.attributes['service.name'];

/**
 * Notifications' reactions handling EnrollmentConfirmed (its inbox entry). Groups that take
 * events in runs (webhooks) handle a run in a span linked to each event's trace instead.
 */
const reactionToConfirmation = (span: ReadableSpan): boolean =>
  serviceOf(span) === 'notifications' &&
  span.kind === SpanKind.CONSUMER &&
  span.attributes['messaging.consumer.group.name'] === consumerGroups.notificationsReactions &&
  span.attributes['cloudevents.event_type'] === enrollmentEvents.EnrollmentConfirmed.type;

describeWithServers(['mongo', 'kafka', 'redis'], 'one trace across three services', (servers) => {
  // One exporter for the three apps: each span says which service made it.
  const spans = new InMemorySpanExporter();
  const tree = jurisdictionTree({ townships: 3, villagesPerTownship: 4 });
  let activitiesGrpcPort = 0;
  beforeAll(async () => {
    activitiesGrpcPort = await reservePort();
  });
  const registration = useServiceApp(registrationService, servers, {
    loadConfig: loadRegistrationConfig,
    spanExporter: spans,
    environment: async (issuer) => ({
      ...generatePiiEnvironment(),
      SEATING_ACTIVITIES_GRPC_ADDRESS: `127.0.0.1:${activitiesGrpcPort}`,
      SEATING_SERVICE_TOKEN: await serviceToken(issuer, 'registration'),
      ...traced,
    }),
  });
  const activities = useServiceApp(activitiesService, servers, {
    loadConfig: loadActivitiesConfig,
    spanExporter: spans,
    environment: async (issuer) => ({
      GRPC_PORT: String(activitiesGrpcPort),
      REGISTRATION_GRPC_ADDRESS: `127.0.0.1:${registration.ports.grpcPort}`,
      REGISTRATION_SERVICE_TOKEN: await serviceToken(issuer, 'activities'),
      VERIFICATION_KEY: randomBytes(32).toString('base64'),
      SCHEDULER_TICK_MS: String(60 * 60_000),
      ...traced,
    }),
  });
  useServiceApp(notificationsService, servers, {
    loadConfig: loadNotificationsConfig,
    spanExporter: spans,
    environment: async (issuer) => ({
      ...generatePiiEnvironment(),
      REGISTRATION_GRPC_ADDRESS: `127.0.0.1:${registration.ports.grpcPort}`,
      REGISTRATION_SERVICE_TOKEN: await serviceToken(issuer, 'notifications'),
      ...traced,
    }),
  });
  const stack: Stack = {
    registration,
    activities,
    database: 'unused',
    tree,
    token: (principal) => activities.issuer.sign(principal),
  };
  let activityId = '';
  let citizen = '';

  beforeAll(async () => {
    const admin = await stack.token({
      subject: 'city-admin',
      roles: ['city_admin'],
      cityWide: true,
    });
    await seedJurisdictions(registration.base, admin, tree);
    const people = await peopleOf(stack);
    activityId = idOf(
      await request(stack, 'POST', '/v1/activities', people.adminA, draftBody(people.orgA)),
    );
    const published = await request(
      stack,
      'POST',
      `/v1/activities/${activityId}:publish`,
      people.adminA,
      {},
    );
    expect(published.status).toBe(200);
    citizen = await stack.token({ subject: `traced-${randomUUID()}`, roles: ['participant'] });
    const registered = await registration.send('POST', '/v1/participants', citizen, {
      name: '钱七',
      tier: 'ordinary_citizen',
      homeJurisdiction: T1_V1,
      idNumber: idNumberOf(901),
      language: 'zh-CN',
      consent: { notifications: false },
    });
    expect(registered.status).toBe(201);
  });

  it('when a citizen signs up, then registration, activities and notifications record one trace, each step a child of the one before', async () => {
    // The caller's own span, as a portal or gateway in front of registration would send it.
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const signedUp = await registration.send(
      'POST',
      '/v1/enrollments',
      citizen,
      { owner: 'activities', eventId: activityId },
      { headers: { traceparent: `00-${traceId}-${callerSpanId}-01` } },
    );
    expect(signedUp.status, await signedUp.clone().text()).toBe(201);

    const confirmedType = enrollmentEvents.EnrollmentConfirmed.type;
    const trace = await eventually(
      'the sign-up handled by notifications, in the trace',
      () => {
        const inTrace = spans
          .getFinishedSpans()
          .filter((span) => span.spanContext().traceId === traceId);
        return inTrace.some(reactionToConfirmation) ? inTrace : undefined;
      },
      45_000,
    );

    const one = (what: string, test: (span: ReadableSpan) => boolean): ReadableSpan => {
      const found = trace.filter(test);
      expect(
        found,
        `${what} in ${trace.map((span) => `${String(serviceOf(span))}:${span.name}`).join(', ')}`,
      ).toHaveLength(1);
      return found[0] as ReadableSpan;
    };
    const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;
    const idOfSpan = (span: ReadableSpan): string => span.spanContext().spanId;

    const request_ = one(
      'registration serving the sign-up',
      (span) =>
        serviceOf(span) === 'registration' &&
        span.kind === SpanKind.SERVER &&
        span.name === 'POST /v1/enrollments',
    );
    expect(parentOf(request_)).toBe(callerSpanId);
    expect(request_.attributes['http.response.status_code']).toBe(201);

    const seatAsked = trace.filter(
      (span) => serviceOf(span) === 'registration' && span.kind === SpanKind.CLIENT,
    );
    expect(seatAsked.length).toBeGreaterThan(0);
    for (const call of seatAsked) expect(parentOf(call)).toBe(idOfSpan(request_));
    const seatServed = trace.filter(
      (span) => serviceOf(span) === 'activities' && span.kind === SpanKind.SERVER,
    );
    expect(seatServed.map((span) => span.name).sort()).toEqual(
      seatAsked.map((span) => span.name).sort(),
    );
    for (const served of seatServed) expect(seatAsked.map(idOfSpan)).toContain(parentOf(served));

    const published = one(
      'the relay publishing EnrollmentConfirmed',
      (span) =>
        serviceOf(span) === 'registration' &&
        span.kind === SpanKind.PRODUCER &&
        span.attributes['cloudevents.event_type'] === confirmedType,
    );
    expect(parentOf(published)).toBe(idOfSpan(request_));

    const handled = one('notifications reacting to EnrollmentConfirmed', reactionToConfirmation);
    expect(parentOf(handled)).toBe(idOfSpan(published));
    expect(handled.attributes['learning.event.outcome']).toBe('processed');

    expect(new Set(trace.map(serviceOf))).toEqual(
      new Set(['registration', 'activities', 'notifications']),
    );
  });
});
