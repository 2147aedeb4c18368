/**
 * Webhook deliveries under load: --events ActivityPublished events to
 * --subscribers subscriptions (each matching every event), sent by the
 * notifications app started in this process on the harness's servers to a
 * local recording receiver that fails --fail-fraction of calls (503).
 *
 *   pnpm --filter @learning/notifications bench:webhooks [--quick] [--events 10000]
 *     [--subscribers 20] [--fail-fraction 0.1] [--max-seconds 900]
 *
 * --quick is 50 events to 5 subscribers, given at most 180 s.
 * The receiver dedupes by webhook-id per subscriber (its path): the run ends
 * once every subscriber has accepted every event, and checks that none was
 * accepted twice (exactly once in effect) and none is missing.
 */
import { createLocalIssuer } from '@learning/auth';
import { activityEvents } from '@learning/contracts';
import { newEvent, toCloudEvent, toKafkaMessage } from '@learning/events';
import { failFraction, startRecordingReceiver, type RecordedRequest } from '@learning/local-infra';
import { generatePiiEnvironment } from '@learning/pii';
import { activities, common } from '@learning/proto';
import { buildServiceApp } from '@learning/runtime';
import { obtainServiceServers, serviceTestEnvironment } from '@learning/runtime/testing';
import { isLocalStandIn, printBenchSummary, uniqueName } from '@learning/testing';
import { Kafka, logLevel } from 'kafkajs';
import { setTimeout } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { notificationsService } from '../src/app.js';
import { loadNotificationsConfig } from '../src/config.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    events: { type: 'string' },
    subscribers: { type: 'string' },
    'fail-fraction': { type: 'string', default: '0.1' },
    'max-seconds': { type: 'string' },
  },
});
const EVENTS = Number(values.events ?? (values.quick ? '50' : '10000'));
const SUBSCRIBERS = Number(values.subscribers ?? (values.quick ? '5' : '20'));
const FAIL_FRACTION = Number(values['fail-fraction']);
const MAX_SECONDS = Number(values['max-seconds'] ?? (values.quick ? '180' : '900'));
const PRODUCE_BATCH = 500;
/** Event keys: events of one key are delivered in order, so keys bound the parallelism per subscriber. */
const KEYS = 1_000;
const PROGRESS_MS = 10_000;

const { servers, stop: stopServers } = await obtainServiceServers();
const issuer = await createLocalIssuer({ issuer: 'bench', audience: 'bench' });
const department = uniqueName('bench').toLowerCase().slice(0, 40);

/** Accepted (2xx) webhook-ids per subscriber path, with how often each was accepted. */
const accepted = new Map<string, Map<string, number>>();
let calls = 0;
const accept = (request: RecordedRequest) => {
  const id = String(request.headers['webhook-id']);
  const seen = accepted.get(request.path) ?? new Map<string, number>();
  seen.set(id, (seen.get(id) ?? 0) + 1);
  accepted.set(request.path, seen);
  return { status: 200 };
};
const failSome = failFraction({ fraction: FAIL_FRACTION, seed: 17 }, accept);
const receiver = await startRecordingReceiver({
  respond: (request) => {
    calls += 1;
    return failSome(request);
  },
});

const app = buildServiceApp(
  notificationsService,
  loadNotificationsConfig({
    ...serviceTestEnvironment('notifications-bench', servers, issuer),
    ...generatePiiEnvironment(),
    LOG_LEVEL: 'warn',
    KAFKA_GROUP_NAMESPACE: uniqueName('notifications-bench'),
    // Subscriptions filter on a department, never on a place: registration is never asked.
    REGISTRATION_GRPC_ADDRESS: '127.0.0.1:9',
    WEBHOOK_TARGET_POLICY: 'allow-private',
    WEBHOOK_FIRST_RETRY_MS: '100',
    WEBHOOK_RETRY_WINDOW_MS: String(MAX_SECONDS * 1000),
  }),
);
const { httpPort } = await app.start();
const producer = new Kafka({
  brokers: servers.kafka.brokers,
  logLevel: logLevel.NOTHING,
}).producer();
await producer.connect();

let summary: Parameters<typeof printBenchSummary>[1] | undefined;
let failure: Error | undefined;
try {
  const admin = await issuer.sign({
    subject: 'bench-office',
    roles: ['city_admin'],
    cityWide: true,
  });
  for (let index = 0; index < SUBSCRIBERS; index += 1) {
    const response = await fetch(`http://127.0.0.1:${httpPort}/v1/webhook-subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        url: `${receiver.url}/s${index}`,
        eventTypes: [activityEvents.ActivityPublished.type],
        filters: { leadDepartments: [department] },
      }),
    });
    if (response.status !== 201) throw new Error(`subscribing answered ${response.status}`);
  }

  const started = performance.now();
  for (let first = 0; first < EVENTS; first += PRODUCE_BATCH) {
    const messages = [];
    for (let index = first; index < Math.min(EVENTS, first + PRODUCE_BATCH); index += 1) {
      const key = `activity-${index % KEYS}`;
      const entry = newEvent(
        activityEvents.ActivityPublished,
        key,
        activities.ActivityPublished.fromPartial({
          activityId: key,
          title: `Event ${index}`,
          organizationKind: common.OrganizationKind.ORGANIZATION_KIND_COMMUNITY,
          leadDepartment: department,
          jurisdictionPath: ['330281000000'],
          publishedAt: new Date(),
        }),
      );
      messages.push(toKafkaMessage(toCloudEvent(entry, '/learning/activities')));
    }
    await producer.send({ topic: activityEvents.ActivityPublished.topic.name, messages });
  }
  const produced = performance.now();
  console.log(`produced ${EVENTS} events in ${Math.round(produced - started)} ms`);

  const expected = EVENTS * SUBSCRIBERS;
  const unique = () => [...accepted.values()].reduce((sum, seen) => sum + seen.size, 0);
  const deadline = started + MAX_SECONDS * 1000;
  let lastProgress = performance.now();
  while (unique() < expected && performance.now() < deadline) {
    await setTimeout(200);
    if (performance.now() - lastProgress > PROGRESS_MS) {
      lastProgress = performance.now();
      console.log(`${unique()} / ${expected} accepted, ${calls} calls`);
    }
  }
  const elapsedSeconds = (performance.now() - started) / 1000;
  const deliveredOnce = unique();
  const acceptedTwice = [...accepted.values()].reduce(
    (sum, seen) => sum + [...seen.values()].filter((count) => count > 1).length,
    0,
  );
  const complete =
    accepted.size === SUBSCRIBERS && [...accepted.values()].every((seen) => seen.size === EVENTS);
  console.log(
    `${deliveredOnce} of ${expected} deliveries accepted in ${elapsedSeconds.toFixed(1)} s ` +
      `(${calls} calls, ${calls - deliveredOnce - acceptedTwice} failed by the receiver and retried); ` +
      `accepted twice: ${acceptedTwice}; every subscriber got every event: ${complete}`,
  );
  summary = {
    events: EVENTS,
    subscribers: SUBSCRIBERS,
    failFraction: FAIL_FRACTION,
    deliveries: deliveredOnce,
    expected,
    calls,
    seconds: Number(elapsedSeconds.toFixed(1)),
    deliveriesPerSecond: Number((deliveredOnce / elapsedSeconds).toFixed(1)),
    acceptedTwice,
    complete: complete && acceptedTwice === 0,
    // The worker's claim, ordering check and outcome are queries the stand-in answers one at a time.
    boundByStandIn: isLocalStandIn(servers.mongo.origin) ? ['seconds', 'deliveriesPerSecond'] : [],
  };
} catch (error) {
  failure = error instanceof Error ? error : new Error(JSON.stringify(error));
} finally {
  await producer.disconnect();
  await app.stop();
  await receiver.stop();
  await stopServers();
}
if (failure !== undefined) throw failure;
// No speed goal in the README: every subscriber gets every event, none twice.
if (summary !== undefined)
  printBenchSummary('notifications-webhooks', summary, {
    complete: { equals: true },
    acceptedTwice: { equals: 0 },
  });
