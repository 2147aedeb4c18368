import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import type { Model } from 'mongoose';
import { Registry } from 'prom-client';
import { brokerSwitch, describeWithServers, eventually, uniqueName } from '@learning/testing';
import {
  insertWithEvents,
  MongoInbox,
  newEvent,
  OutboxRelay,
  PermanentEventError,
  subscribe,
  subscribeRuns,
  updateWithEvents,
  type EventDefinition,
} from '../../src/index.js';
import { useEventsTestBed } from '../fixtures/bed.js';
import {
  asKafkaMessage,
  thingChanged,
  thingModel,
  type Thing,
  type ThingChanged,
} from '../fixtures/things.js';

describeWithServers(['mongo', 'kafka'], 'outbox relay to consumer', (servers) => {
  const bed = useEventsTestBed(servers, 'pipeline');
  const { logger } = bed;

  /** A fresh topic, aggregate collection and consumer group, with a consumer that records what it applied. */
  async function scenario(partitions = 3) {
    const { topicName, groupId } = await bed.topicAndGroup('things', partitions);
    const event = thingChanged(topicName, partitions);
    const model = thingModel(bed.connection, uniqueName('things'));
    await model.createIndexes();
    const applied = new Map<string, number>();
    const stepsBySubject = new Map<string, number[]>();
    const registry = new Registry();
    const consumer = bed.consumer({
      groupId,
      registry,
      retry: { retries: 1, minTimeoutMs: 10, maxTimeoutMs: 20 },
      subscriptions: [
        subscribe(event, async (received) => {
          applied.set(received.id, (applied.get(received.id) ?? 0) + 1);
          stepsBySubject.set(received.subject, [
            ...(stepsBySubject.get(received.subject) ?? []),
            received.data.step,
          ]);
        }),
      ],
    });
    return { topicName, groupId, event, model, applied, stepsBySubject, consumer, registry };
  }

  async function writeThings(
    model: Model<Thing>,
    event: EventDefinition<ThingChanged>,
    count: number,
    prefix = 'thing',
  ): Promise<string[]> {
    const ids: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const id = `${prefix}-${index}`;
      const created = newEvent(event, id, { step: 1 });
      await model.create({ _id: id, step: 1, ...insertWithEvents([created]) });
      const changed = newEvent(event, id, { step: 2 });
      await model
        .updateOne({ _id: id }, updateWithEvents<Thing>({ $set: { step: 2 } }, [changed]))
        .exec();
      ids.push(created.id, changed.id);
    }
    return ids;
  }

  function expectAppliedOnceInOrder(
    applied: Map<string, number>,
    stepsBySubject: Map<string, number[]>,
    eventIds: readonly string[],
  ): void {
    expect(applied.size).toBe(eventIds.length);
    expect([...applied.keys()].sort()).toEqual([...eventIds].sort());
    expect([...applied.values()].every((times) => times === 1)).toBe(true);
    for (const steps of stepsBySubject.values()) expect(steps).toEqual([1, 2]);
  }

  it('when state changes are written with their events, then each event reaches the consumer once, in order per aggregate, and the outbox empties', async () => {
    const { event, model, applied, stepsBySubject, consumer, registry } = await scenario();
    const eventIds = await writeThings(model, event, 50);
    const relay = new OutboxRelay({
      model,
      producer: bed.producer,
      source: '/test/pipeline',
      logger,
      registry,
    });
    await consumer.start();
    relay.start();
    try {
      await eventually('every event applied', () =>
        applied.size >= eventIds.length ? true : undefined,
      );
      expectAppliedOnceInOrder(applied, stepsBySubject, eventIds);
      await eventually('outbox drained', async () =>
        (await model.countDocuments({ outboxSince: { $exists: true } })) === 0 ? true : undefined,
      );
      expect(await model.countDocuments({ 'outbox.0': { $exists: true } })).toBe(0);
      const metrics = await registry.metrics();
      expect(metrics).toMatch(/outbox_events_published_total\{collection="[^"]+"\} 100/);
      expect(metrics).toMatch(/outbox_backlog_aggregates\{collection="[^"]+"\} 0/);
    } finally {
      await relay.stop();
      await consumer.stop();
    }
  });

  it('when two consumers of one group id run in different namespaces, then each receives every event rather than sharing them', async () => {
    const { topicName, groupId, event } = await scenario(2);
    const received = { blue: new Set<string>(), green: new Set<string>() };
    const consumers = (['blue', 'green'] as const).map((namespace) =>
      bed.consumer({
        groupId,
        groupNamespace: namespace,
        subscriptions: [
          subscribe(event, async (delivered) => {
            received[namespace].add(delivered.id);
          }),
        ],
      }),
    );
    const entries = Array.from({ length: 20 }, (_, index) =>
      newEvent(event, `namespaced-${index}`, { step: index }),
    );
    for (const consumer of consumers) await consumer.start();
    try {
      await bed.producer.send({ topic: topicName, messages: entries.map(asKafkaMessage) });
      await eventually('both namespaces to receive all 20', () =>
        received.blue.size === 20 && received.green.size === 20 ? true : undefined,
      );
      expect([...received.blue].sort()).toEqual(entries.map((entry) => entry.id).sort());
    } finally {
      for (const consumer of consumers) await consumer.stop();
    }
  });

  it('when the relay process is killed mid-batch and another takes over, then every event is applied exactly once', async () => {
    const { event, model, applied, stepsBySubject, consumer } = await scenario();
    const eventIds = await writeThings(model, event, 150);
    await consumer.start();
    const tsx = createRequire(import.meta.url).resolve('tsx');
    const child = spawn(
      process.execPath,
      [
        '--conditions=@learning/source',
        '--import',
        tsx,
        fileURLToPath(new URL('../fixtures/relay-process.ts', import.meta.url)),
        servers.mongo.uri,
        bed.dbName,
        servers.kafka.brokers.join(','),
        model.collection.collectionName,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const survivor = new OutboxRelay({
      model,
      producer: bed.producer,
      source: '/test/pipeline',
      logger,
      registry: new Registry(),
      leaseMs: 1_000,
    });
    try {
      await eventually(
        'the first relay to publish',
        () => (applied.size >= 40 ? true : undefined),
        30_000,
      );
      child.kill('SIGKILL');
      await exited;
      expect(applied.size).toBeLessThan(eventIds.length);
      survivor.start();
      await eventually(
        'every event applied after the takeover',
        () => (applied.size >= eventIds.length ? true : undefined),
        30_000,
      );
      await eventually('outbox drained', async () =>
        (await model.countDocuments({ outboxSince: { $exists: true } })) === 0 ? true : undefined,
      );
      expectAppliedOnceInOrder(applied, stepsBySubject, eventIds);
    } finally {
      child.kill('SIGKILL');
      await survivor.stop();
      await consumer.stop();
    }
  });

  it('when one relay holds the lease, then it renews it only at half-life, a second stands by, and takes over once it is released', async () => {
    const { event, model, applied, consumer } = await scenario();
    const relay = (): OutboxRelay<Thing> =>
      new OutboxRelay({
        model,
        producer: bed.producer,
        source: '/test/pipeline',
        logger,
        registry: new Registry(),
        leaseMs: 3_000,
      });
    const holder = relay();
    const standby = relay();
    const lease = () =>
      bed.connection
        .collection<{ _id: string; owner: string; until: Date }>('outbox_leases')
        .findOne({ _id: `relay:${model.collection.collectionName}` });
    await consumer.start();
    holder.start();
    try {
      const first = await writeThings(model, event, 5, 'first');
      holder.notify();
      await eventually('the first events applied', () =>
        first.every((id) => applied.has(id)) ? true : undefined,
      );
      const taken = await lease();
      standby.start();
      // More rounds inside the first half of the lease: none of them rewrites it.
      const second = await writeThings(model, event, 5, 'second');
      holder.notify();
      await eventually('the second events applied', () =>
        second.every((id) => applied.has(id)) ? true : undefined,
      );
      expect(await lease()).toEqual(taken);

      await holder.stop();
      const third = await writeThings(model, event, 5, 'third');
      await eventually(
        'the standby relay to publish after the release',
        () => (third.every((id) => applied.has(id)) ? true : undefined),
        10_000,
      );
      expect((await lease())?.owner).not.toBe(taken?.owner);
    } finally {
      await holder.stop();
      await standby.stop();
      await consumer.stop();
    }
  });

  it('when the same message is delivered twice, then it is applied once and counted as a duplicate', async () => {
    const { topicName, event, applied, consumer, registry } = await scenario(1);
    const entry = newEvent(event, 'thing-dup', { step: 1 });
    const message = asKafkaMessage(entry);
    const marker = newEvent(event, 'thing-marker', { step: 1 });
    const markerMessage = asKafkaMessage(marker);
    await consumer.start();
    try {
      await bed.producer.send({
        topic: topicName,
        acks: -1,
        messages: [message, message, markerMessage],
      });
      await eventually('the marker after both copies', () =>
        applied.has(marker.id) ? true : undefined,
      );
      expect(applied.get(entry.id)).toBe(1);
      expect(await registry.metrics()).toMatch(
        /events_consumed_total\{group="[^"]+",type="test.thing.changed.v1",outcome="duplicate"\} 1/,
      );
    } finally {
      await consumer.stop();
    }
  });

  it('when a run handler subscribes, then consecutive deliveries reach it together, in order, once each, with no inbox, and a repeat reaches it again', async () => {
    const { topicName, groupId } = await bed.topicAndGroup('runs', 1);
    const event = thingChanged(topicName, 1);
    const inbox = new MongoInbox(bed.connection, uniqueName('inbox'));
    const runs: string[][] = [];
    const consumer = bed.consumer({
      groupId,
      inbox,
      subscriptions: [
        subscribeRuns(event, async (received) => {
          runs.push(received.map((one) => one.id));
        }),
      ],
    });
    const entries = Array.from({ length: 50 }, (_, index) =>
      newEvent(event, `thing-run-${index}`, { step: index }),
    );
    const [first] = entries;
    if (first === undefined) throw new Error('unreachable: 50 entries');
    await bed.producer.send({ topic: topicName, acks: -1, messages: entries.map(asKafkaMessage) });
    await consumer.start();
    try {
      await eventually('all 50 handed over', () => (runs.flat().length >= 50 ? true : undefined));
      expect(runs.flat()).toEqual(entries.map((entry) => entry.id));
      expect(runs.length).toBeLessThan(entries.length);

      const marker = newEvent(event, 'thing-run-marker', { step: 1 });
      await bed.producer.send({
        topic: topicName,
        acks: -1,
        messages: [asKafkaMessage(first), asKafkaMessage(marker)],
      });
      await eventually('the marker', () => (runs.flat().includes(marker.id) ? true : undefined));
      expect(runs.flat().filter((id) => id === first.id)).toHaveLength(2);
      expect([...(await inbox.seen(groupId, [first.id, marker.id]))]).toEqual([]);
    } finally {
      await consumer.stop();
    }
  });

  it('when one event of a run cannot be handled, then the others are handled and only that one is dead-lettered', async () => {
    const { topicName, groupId } = await bed.topicAndGroup('poisoned-run', 1);
    const event = thingChanged(topicName, 1);
    const entries = Array.from({ length: 10 }, (_, index) =>
      newEvent(event, `thing-poisoned-${index}`, { step: index }),
    );
    const poisoned = entries[4]?.id;
    const handled = new Set<string>();
    const registry = new Registry();
    const consumer = bed.consumer({
      groupId,
      registry,
      retry: { retries: 1, minTimeoutMs: 10, maxTimeoutMs: 20 },
      subscriptions: [
        subscribeRuns(event, async (received) => {
          if (received.some((one) => one.id === poisoned))
            throw new PermanentEventError('this one cannot be filed');
          for (const one of received) handled.add(one.id);
        }),
      ],
    });
    await bed.producer.send({ topic: topicName, acks: -1, messages: entries.map(asKafkaMessage) });
    await consumer.start();
    try {
      await eventually('the nine others handled', () => (handled.size >= 9 ? true : undefined));
      await eventually('the poisoned one dead-lettered', async () =>
        /outcome="dead_lettered"\} 1/.test(await registry.metrics()) ? true : undefined,
      );
      expect([...handled].sort()).toEqual(
        entries
          .map((entry) => entry.id)
          .filter((id) => id !== poisoned)
          .sort(),
      );
    } finally {
      await consumer.stop();
    }
  });

  it('when the broker goes down and comes back, then events written during the outage are published afterwards, once', async (context) => {
    const outage = brokerSwitch(servers.kafka);
    if (outage === undefined) {
      context.skip(
        'a real cluster cannot be switched off from a test; runs against the local stand-in',
      );
      return;
    }
    const { event, model, applied, stepsBySubject, consumer, registry } = await scenario();
    await consumer.start();
    const relay = new OutboxRelay({
      model,
      producer: bed.producer,
      source: '/test/pipeline',
      logger,
      registry,
      maxBackoffMs: 500,
    });
    relay.start();
    try {
      await outage.down();
      const eventIds = await writeThings(model, event, 20);
      relay.notify();
      await eventually(
        'a failed relay round',
        async () =>
          (await registry.getSingleMetricAsString('outbox_publish_failures_total')).match(
            /\} [1-9]/,
          )
            ? true
            : undefined,
        30_000,
      );
      expect(applied.size).toBe(0);
      await outage.up();
      await eventually(
        'every event applied after the outage',
        () => (applied.size >= eventIds.length ? true : undefined),
        45_000,
      );
      expectAppliedOnceInOrder(applied, stepsBySubject, eventIds);
    } finally {
      await outage.up();
      await relay.stop();
      await consumer.stop();
    }
  });
});
