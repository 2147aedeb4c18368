import { afterAll, beforeAll, expect, it } from 'vitest';
import { createConnection, type Connection, type mongo } from 'mongoose';
import { Registry } from 'prom-client';
import { describeWithServers, eventually, uniqueName } from '@learning/testing';
import { insertWithEvents, MongoInbox, newEvent, OutboxRelay, subscribe } from '../../src/index.js';
import { useEventsTestBed } from '../fixtures/bed.js';
import { asKafkaMessage, thingChanged, thingModel } from '../fixtures/things.js';

describeWithServers(['mongo', 'kafka'], 'commands per batch of events', (servers) => {
  const bed = useEventsTestBed(servers, 'batching');
  const { logger } = bed;
  /** A second connection to the suite's database whose commands are seen (command monitoring). */
  let monitored: Connection;
  let started: mongo.CommandStartedEvent[] = [];

  beforeAll(async () => {
    monitored = await createConnection(servers.mongo.uri, {
      dbName: bed.dbName,
      monitorCommands: true,
    }).asPromise();
    monitored.getClient().on('commandStarted', (event) => started.push(event));
  });
  afterAll(async () => {
    await monitored.close();
  });

  const commandsOn = (collection: string, name: string) =>
    started.filter((event) => event.commandName === name && event.command[name] === collection);

  it('when a fetched batch of events is handled, then its inbox records are written in one insert per batch, not one per event', async () => {
    const { topicName, groupId } = await bed.topicAndGroup('inbox-batch', 1);
    const event = thingChanged(topicName, 1);
    const inboxCollection = uniqueName('inbox');
    const applied = new Set<string>();
    const consumer = bed.consumer({
      groupId,
      inbox: new MongoInbox(monitored, inboxCollection),
      subscriptions: [
        subscribe(event, async (received) => {
          applied.add(received.id);
        }),
      ],
    });
    const entries = Array.from({ length: 40 }, (_, index) =>
      newEvent(event, `batched-${index}`, { step: index }),
    );
    // Sent before the consumer starts, so the deliveries come in few fetched batches.
    await bed.producer.send({ topic: topicName, acks: -1, messages: entries.map(asKafkaMessage) });
    started = [];
    await consumer.start();
    try {
      await eventually('all 40 applied', () => (applied.size === 40 ? true : undefined));
      const inserts = await eventually('the last batch recorded', () => {
        const found = commandsOn(inboxCollection, 'insert');
        const recorded = found.reduce(
          (sum, insert) => sum + (insert.command['documents'] as unknown[]).length,
          0,
        );
        return recorded === 40 ? found : undefined;
      });
      // Each batch is checked once and recorded once; far fewer batches than events.
      expect(inserts.length).toBe(commandsOn(inboxCollection, 'find').length);
      expect(inserts.length).toBeLessThan(10);
      expect(await new MongoInbox(monitored, inboxCollection).seen(groupId, [...applied])).toEqual(
        applied,
      );
    } finally {
      await consumer.stop();
    }
  });

  it('when some events of a batch were recorded already, then recording the batch keeps them and records the others', async () => {
    const inbox = new MongoInbox(bed.connection, uniqueName('inbox'));
    await inbox.record('group', ['second']);
    await inbox.record('group', ['first', 'second', 'third']);
    expect(await inbox.seen('group', ['first', 'second', 'third', 'fourth'])).toEqual(
      new Set(['first', 'second', 'third']),
    );
    expect(await inbox.seen('other-group', ['first'])).toEqual(new Set());
  });

  it('when several batches are checked and recorded in the same turn, then they share one find and one insert, and each learns only of its own events', async () => {
    const collection = uniqueName('inbox');
    const inbox = new MongoInbox(monitored, collection);
    await inbox.record('group-a', ['a1']);
    await inbox.record('group-b', ['a2']);
    started = [];

    // As kafkajs starts one fetch's batches: one call per partition, in one turn.
    const [first, second, other] = await Promise.all([
      inbox.seen('group-a', ['a1', 'a2']),
      inbox.seen('group-a', ['a3']),
      inbox.seen('group-b', ['a1', 'a2']),
    ]);
    expect(first).toEqual(new Set(['a1']));
    expect(second).toEqual(new Set());
    expect(other).toEqual(new Set(['a2']));
    expect(commandsOn(collection, 'find')).toHaveLength(1);

    await Promise.all([
      inbox.record('group-a', ['a2', 'a3']),
      inbox.record('group-a', ['a1', 'a4']),
      inbox.record('group-b', ['a3']),
    ]);
    expect(commandsOn(collection, 'insert')).toHaveLength(1);
    expect(await inbox.seen('group-a', ['a1', 'a2', 'a3', 'a4'])).toEqual(
      new Set(['a1', 'a2', 'a3', 'a4']),
    );
    expect(await inbox.seen('group-b', ['a1', 'a2', 'a3'])).toEqual(new Set(['a2', 'a3']));
  });

  it('when a shared inbox write fails, then every batch that shared it fails, so none has its offset committed', async () => {
    const inbox = new MongoInbox(monitored, uniqueName('inbox'));
    const closed = await createConnection(servers.mongo.uri, { dbName: bed.dbName }).asPromise();
    const broken = new MongoInbox(closed, uniqueName('inbox'));
    await closed.close();
    const outcomes = await Promise.allSettled([
      broken.record('group', ['x1']),
      broken.record('group', ['x2']),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    // The healthy inbox is not affected by another's failure.
    await inbox.record('group', ['x1']);
    expect(await inbox.seen('group', ['x1'])).toEqual(new Set(['x1']));
  });

  it('when recording a batch in the inbox fails, then its offsets are not committed: the events come again, are recorded, and a later copy is skipped', async () => {
    const { topicName, groupId } = await bed.topicAndGroup('inbox-fails', 1);
    const event = thingChanged(topicName, 1);
    /** An inbox whose first write fails, as when the database drops mid-batch. */
    class FailingOnceInbox extends MongoInbox {
      failed = false;
      override async record(group: string, eventIds: readonly string[]): Promise<void> {
        if (!this.failed && eventIds.length > 0) {
          this.failed = true;
          throw new Error('the inbox is unreachable');
        }
        await super.record(group, eventIds);
      }
    }
    const inbox = new FailingOnceInbox(bed.connection, uniqueName('inbox'));
    const applied = new Map<string, number>();
    const consumer = bed.consumer({
      groupId,
      inbox,
      subscriptions: [
        subscribe(event, async (received) => {
          applied.set(received.id, (applied.get(received.id) ?? 0) + 1);
        }),
      ],
    });
    const entries = Array.from({ length: 5 }, (_, index) =>
      newEvent(event, `failing-${index}`, { step: index }),
    );
    await bed.producer.send({ topic: topicName, acks: -1, messages: entries.map(asKafkaMessage) });
    await consumer.start();
    try {
      const ids = entries.map((entry) => entry.id);
      await eventually(
        'the batch recorded after it came again',
        async () => ((await inbox.seen(groupId, ids)).size === ids.length ? true : undefined),
        30_000,
      );
      expect(inbox.failed).toBe(true);
      // Handled, not recorded, redelivered: the crash window handlers must tolerate.
      expect([...applied.values()].every((times) => times >= 2)).toBe(true);
      const handledBefore = new Map(applied);
      const marker = newEvent(event, 'failing-marker', { step: 9 });
      await bed.producer.send({
        topic: topicName,
        acks: -1,
        messages: [asKafkaMessage(entries[0] ?? marker), asKafkaMessage(marker)],
      });
      await eventually('the marker after the copy', () =>
        applied.has(marker.id) ? true : undefined,
      );
      expect(applied.get(entries[0]?.id ?? '')).toBe(handledBefore.get(entries[0]?.id ?? ''));
    } finally {
      await consumer.stop();
    }
  });

  it('when a relay round publishes many aggregates, then it reads them in one command and removes their entries in one single-statement update', async () => {
    const { topicName } = await bed.topicAndGroup('relay-round', 3);
    const event = thingChanged(topicName, 3);
    const collection = uniqueName('things');
    const model = thingModel(monitored, collection);
    // The collection and its indexes made before the count starts.
    await model.init();
    // More than the 101 documents a first reply holds unless asked for more.
    await model.insertMany(
      Array.from({ length: 150 }, (_, index) => {
        const id = `round-${index}`;
        return { _id: id, step: 1, ...insertWithEvents([newEvent(event, id, { step: 1 })]) };
      }),
    );
    const relay = new OutboxRelay({
      model,
      producer: bed.producer,
      source: '/test/batching',
      logger,
      registry: new Registry(),
      batchSize: 150,
    });
    started = [];
    expect(await relay.publishPending()).toBe(150);
    const onThings = started.filter(
      (command) => command.command[command.commandName] === collection,
    );
    expect(onThings.map((command) => command.commandName)).toEqual(['find', 'update']);
    const [update] = commandsOn(collection, 'update');
    expect((update?.command['updates'] as unknown[]).length).toBe(2);
    expect(started.map((command) => command.commandName)).not.toContain('getMore');
    expect(await model.countDocuments({ outboxSince: { $exists: true } })).toBe(0);
    expect(await model.countDocuments({ 'outbox.0': { $exists: true } })).toBe(0);
    await relay.stop();
  });
});
