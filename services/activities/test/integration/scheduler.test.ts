/**
 * The scheduler as deployed: replicas of the activities app on one database,
 * each ticking, and a replica that starts after every one was down.
 */
import { topics } from '@learning/events';
import { buildServiceApp, type App } from '@learning/runtime';
import { send, serviceTestEnvironment, type HarnessServers } from '@learning/runtime/testing';
import {
  describeWithServers,
  eventually,
  uniqueName,
  watchTopics,
  type TopicWatch,
} from '@learning/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { activitiesService } from '../../src/app.js';
import { loadActivitiesConfig } from '../../src/config.js';
import { about, sessionIn, T1_V1 } from '../support/activities.js';
import { replicaEnvironment, useActivitiesStack, type Stack } from '../support/stack.js';

const STARTED = 'activities.activity.started.v1';
const COMPLETED = 'activities.activity.completed.v1';

interface Replica {
  readonly app: App;
  readonly base: string;
}

/** An activities app on `database`, ticking every `tickMs`, its consumer groups apart from the stack's. */
async function startReplica(
  servers: HarnessServers,
  stack: Stack,
  database: string,
  tickMs: number,
): Promise<Replica> {
  const config = loadActivitiesConfig({
    ...serviceTestEnvironment('activities', servers, stack.activities.issuer),
    ...(await replicaEnvironment(stack, stack.activities.issuer, {
      MONGODB_DATABASE: database,
      SCHEDULER_TICK_MS: String(tickMs),
      LOG_LEVEL: 'silent',
    })),
  });
  const app = buildServiceApp(activitiesService, config);
  const { httpPort } = await app.start();
  return { app, base: `http://127.0.0.1:${httpPort}` };
}

describeWithServers(['mongo', 'kafka', 'redis'], 'the activity scheduler', (servers) => {
  const stack = useActivitiesStack(servers);
  let watch: TopicWatch;
  let admin: string;

  beforeAll(async () => {
    watch = await watchTopics(servers.kafka, [topics.activitiesActivities.name]);
    admin = await stack.token({ subject: 'city-admin', roles: ['city_admin'], cityWide: true });
  });
  afterAll(async () => {
    await watch.stop();
  });

  /**
   * A published activity organized by a department, from `startIn` to `endIn` ms from now.
   * Starts are seconds ahead: creating and publishing on a loaded CI machine can take more
   * than a second, and a schedule that has begun by then is refused as in the past.
   */
  async function publishedOn(replica: Replica, startIn: number, endIn: number): Promise<string> {
    const created = await send(replica.base, 'POST', '/v1/activities', admin, {
      title: '干部夜学',
      description: '理论学习',
      kind: 'cadre_night_school',
      organizer: { kind: 'department', department: 'wenming-ban' },
      jurisdictionCode: T1_V1,
      venue: { name: '党群服务中心' },
      schedule: sessionIn(startIn, endIn),
      capacity: 40,
      targetTiers: ['ordinary_cadre'],
      categories: ['political_theory'],
    });
    const body = (await created.json()) as { id?: string };
    if (created.status !== 201 || body.id === undefined)
      throw new Error(`creating: ${created.status} ${JSON.stringify(body)}`);
    const published = await send(
      replica.base,
      'POST',
      `/v1/activities/${body.id}:publish`,
      admin,
      {},
    );
    if (published.status !== 200)
      throw new Error(`publishing: ${published.status} ${await published.text()}`);
    return body.id;
  }

  async function statusOn(replica: Replica, id: string): Promise<unknown> {
    const response = await send(replica.base, 'GET', `/v1/activities/${id}`, admin);
    return ((await response.json()) as { status?: unknown }).status;
  }

  it('when two replicas tick side by side, then an activity is started and completed at its times, each event once', async () => {
    const database = uniqueName('activities-replicas');
    const replicas = [
      await startReplica(servers, stack, database, 200),
      await startReplica(servers, stack, database, 200),
    ];
    try {
      const [first] = replicas;
      if (first === undefined) throw new Error('two replicas');
      // Its session begins no earlier than this: publishing on a loaded machine may take
      // longer than the lead, so "not started early" is read from the event, not the status.
      const startsNoEarlierThan = Date.now() + 4_000;
      const id = await publishedOn(first, 4_000, 5_000);

      await eventually(
        'completed by the scheduler',
        async () => ((await statusOn(first, id)) === 'completed' ? true : undefined),
        30_000,
      );
      await watch.waitFor('completed', about(id, COMPLETED));
      // Long enough for further ticks on both replicas to have published a repeat.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const started = watch.messages.filter(about(id, STARTED));
      expect(started).toHaveLength(1);
      expect(watch.messages.filter(about(id, COMPLETED))).toHaveLength(1);
      const startedAt = Date.parse(started[0]?.message.headers?.['ce_time']?.toString() ?? '');
      expect(startedAt).toBeGreaterThanOrEqual(startsNoEarlierThan);
    } finally {
      await Promise.all(replicas.map((replica) => replica.app.stop()));
    }
  });

  it("when every replica was down past an activity's start and end, then the first to start catches up: started, then completed, once each", async () => {
    const database = uniqueName('activities-downtime');
    const hourly = 60 * 60_000;
    const before = await startReplica(servers, stack, database, hourly);
    let id: string;
    const endsAt = Date.now() + 4_500;
    try {
      id = await publishedOn(before, 4_000, 4_500);
    } finally {
      await before.app.stop();
    }
    // Down until past the end, so the next replica finds both moments missed.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, endsAt - Date.now()) + 500));

    const after = await startReplica(servers, stack, database, hourly);
    try {
      await eventually('caught up', async () =>
        (await statusOn(after, id)) === 'completed' ? true : undefined,
      );
      await watch.waitFor('completed', about(id, COMPLETED));
      // Each of its events, in the order they were read: started first.
      const order = watch.messages
        .filter(about(id))
        .map((message) => message.message.headers?.['ce_type']?.toString());
      expect(order.filter((type) => type === STARTED || type === COMPLETED)).toEqual([
        STARTED,
        COMPLETED,
      ]);
      expect(watch.messages.filter(about(id, STARTED))).toHaveLength(1);
      expect(watch.messages.filter(about(id, COMPLETED))).toHaveLength(1);
    } finally {
      await after.app.stop();
    }
  });
});
