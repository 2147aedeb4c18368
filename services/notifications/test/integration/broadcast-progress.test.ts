import { describeWithServers, uniqueName } from '@learning/testing';
import mongoose, { type Connection, type Model } from 'mongoose';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { NewBroadcast } from '../../src/application/broadcasts/ports.js';
import { broadcastMetrics } from '../../src/adapters/metrics/broadcasts.js';
import { MongoBroadcastStore } from '../../src/adapters/mongo/broadcast-store.js';
import { broadcastModel, type BroadcastDocument } from '../../src/adapters/mongo/broadcasts.js';

/**
 * The fan-out's progress as /metrics reports it (the "fan-out stalled" alert's input), read
 * from the broadcasts on the MongoDB stand-in: unfinished ones, and how long the least recently
 * moved has gone without a batch.
 */
describeWithServers(['mongo'], 'the fan-out progress metrics', (servers) => {
  let connection: Connection;
  let model: Model<BroadcastDocument>;
  let store: MongoBroadcastStore;
  const queuedAt = new Date('2026-12-01T08:00:00Z');
  const minutes = (count: number) => new Date(queuedAt.getTime() + count * 60_000);

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(servers.mongo.uri, { dbName: uniqueName('notifications-progress') })
      .asPromise();
    model = broadcastModel(connection);
    await model.syncIndexes();
    store = new MongoBroadcastStore(model);
  });
  afterAll(async () => {
    await connection.close();
  });
  beforeEach(async () => {
    await model.deleteMany({});
  });

  const broadcast = (id: string, createdAt: Date): NewBroadcast => ({
    id,
    kind: 'announcement',
    variables: {},
    rendered: { 'zh-CN': { title: '通知', body: '正文' } },
    criteria: { tiers: [], jurisdictionCodes: ['330000'], organizationKinds: [] },
    channels: ['inbox'],
    sender: 'service:test',
    sourceEventId: null,
    audienceSize: 10,
    createdAt,
  });

  async function scrape(now: Date): Promise<string> {
    const registry = new Registry();
    broadcastMetrics(registry, () => store.progress(now));
    return registry.metrics();
  }

  it('when nothing is unfinished, then both gauges are 0', async () => {
    const text = await scrape(minutes(5));
    expect(text).toMatch(/^notifications_broadcasts_unfinished 0$/m);
    expect(text).toMatch(/^notifications_broadcast_seconds_without_progress 0$/m);
  });

  it('when two are queued, then the older one counts from its queueing; a batch moves it; completing drops it', async () => {
    await store.create(broadcast('b-older', queuedAt), []);
    await store.create(broadcast('b-newer', minutes(3)), []);

    let text = await scrape(minutes(10));
    expect(text).toMatch(/^notifications_broadcasts_unfinished 2$/m);
    expect(text).toMatch(/^notifications_broadcast_seconds_without_progress 600$/m);

    const claimed = await store.claim('worker-1', minutes(10), minutes(20));
    expect(claimed?.id).toBe('b-older');
    const moved = await store.advance('b-older', 'worker-1', {
      fromCursor: null,
      toCursor: 'p-100',
      recipients: 100,
      counts: {},
      at: minutes(9),
      leaseUntil: minutes(20),
    });
    expect(moved).toBe(true);
    // Now b-newer (queued at 3 min) is the one that moved least recently.
    text = await scrape(minutes(10));
    expect(text).toMatch(/^notifications_broadcast_seconds_without_progress 420$/m);

    await store.complete('b-older', 'worker-1', minutes(10));
    text = await scrape(minutes(10));
    expect(text).toMatch(/^notifications_broadcasts_unfinished 1$/m);
  });
});
