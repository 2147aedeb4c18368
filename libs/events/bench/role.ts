/**
 * One process of bench:events, forked by bench/events.ts so that writer, relay
 * and consumer (and raw kafkajs's producer and consumer) each have their own
 * event loop and CPU account, as they are deployed. It answers the parent's
 * requests over the IPC channel; `measure` starts a measured stretch, and
 * `report` returns the process's own CPU and the MongoDB commands it started
 * since then (the driver's command monitoring).
 */
import { createConnection, type Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { createRootLogger } from '@learning/logger';
import { driverCollection } from '@learning/mongo';
import {
  createKafka,
  createProducer,
  EventConsumer,
  insertWithEvents,
  MongoInbox,
  newEvent,
  OutboxRelay,
  subscribe,
} from '../src/index.js';
import { consumerTuning, thingChanged, thingModel } from '../test/fixtures/things.js';
import type { Request, RoleName, RolePlan } from './protocol.js';

const [roleArg, planArg] = process.argv.slice(2);
if (roleArg === undefined || planArg === undefined || process.send === undefined) {
  throw new Error('usage: forked by bench/events.ts with <role> <plan json> and an IPC channel');
}
const role = roleArg as RoleName;
const plan = JSON.parse(planArg) as RolePlan;
const reply = (id: number, body: Record<string, unknown>): void => {
  process.send?.({ id, ...body });
};

process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
const logger = createRootLogger({ service: `bench-${role}`, version: 'bench', level: 'error' });
const kafka = createKafka({ brokers: plan.brokers, clientId: `bench-${role}`, logger });
const payload = { step: 1, note: 'x'.repeat(plan.noteBytes) };
const event = thingChanged(plan.topic, plan.partitions);

let commands: Record<string, number> = {};
let cpuFrom = process.cpuUsage();
let latencies: number[] = [];
let handled = 0;
const stoppers: (() => Promise<void>)[] = [];

async function openMongo(): Promise<Connection> {
  const connection = await createConnection(plan.mongoUri, {
    dbName: plan.dbName,
    monitorCommands: true,
  }).asPromise();
  connection.getClient().on('commandStarted', ({ commandName }) => {
    commands[commandName] = (commands[commandName] ?? 0) + 1;
  });
  stoppers.push(() => connection.close());
  return connection;
}

async function startRole(): Promise<
  ((request: Request) => Promise<Record<string, unknown>>) | undefined
> {
  switch (role) {
    case 'raw-producer': {
      const producer = kafka.producer();
      await producer.connect();
      stoppers.push(() => producer.disconnect());
      const value = JSON.stringify(payload);
      return async (request) => {
        if (request.kind !== 'write') return {};
        for (let sent = 0; sent < request.count; sent += request.batch) {
          const messages = Array.from(
            { length: Math.min(request.batch, request.count - sent) },
            (_, index) => ({ key: `k${sent + index}`, value }),
          );
          await producer.send({ topic: plan.topic, acks: -1, messages });
        }
        return {};
      };
    }
    case 'raw-consumer': {
      const consumer = kafka.consumer({ groupId: plan.groupId, ...consumerTuning });
      await consumer.connect();
      await consumer.subscribe({ topics: [plan.topic], fromBeginning: true });
      await consumer.run({
        eachMessage: async () => {
          handled += 1;
        },
      });
      stoppers.push(() => consumer.disconnect());
      return undefined;
    }
    case 'writer': {
      const model = thingModel(await openMongo(), plan.collection);
      await model.createIndexes();
      return async (request) => {
        if (request.kind !== 'write') return {};
        const { prefix, count, batch, rate } = request;
        if (rate === undefined) {
          // As an import writes: many aggregates, each inserted with its event, per driver command.
          for (let index = 0; index < count; index += batch) {
            await driverCollection(model).insertMany(
              Array.from({ length: Math.min(batch, count - index) }, (_, offset) => {
                const id = `${prefix}${index + offset}`;
                return { _id: id, step: 1, ...insertWithEvents([newEvent(event, id, payload)]) };
              }),
            );
          }
          return {};
        }
        // As requests write: one state change per write, the i-th due at i/rate seconds.
        const writes: Promise<unknown>[] = [];
        const started = performance.now();
        for (let index = 0; index < count; index += 1) {
          const wait = started + (index * 1000) / rate - performance.now();
          if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
          const id = `${prefix}${index}`;
          writes.push(
            model.create({ _id: id, step: 1, ...insertWithEvents([newEvent(event, id, payload)]) }),
          );
        }
        await Promise.all(writes);
        return {};
      };
    }
    case 'relay': {
      const connection = await openMongo();
      const producer = createProducer(kafka);
      await producer.connect();
      const relay = new OutboxRelay({
        model: thingModel(connection, plan.collection),
        producer,
        source: '/bench',
        logger,
        registry: new Registry(),
        // In its own process the relay hears of no write, so it polls: every 100 ms, which
        // gathers a trickle of events into rounds (fewer commands) within the latency budget.
        idleDelayMs: plan.relayIdleDelayMs,
        maxIdleDelayMs: plan.relayMaxIdleDelayMs,
      });
      relay.start();
      stoppers.push(
        () => relay.stop(),
        () => producer.disconnect(),
      );
      return undefined;
    }
    case 'consumer': {
      const connection = await openMongo();
      const producer = createProducer(kafka);
      await producer.connect();
      const consumer = new EventConsumer({
        kafka,
        groupId: plan.groupId,
        producer,
        logger,
        registry: new Registry(),
        tuning: consumerTuning,
        inbox: new MongoInbox(connection, plan.inboxCollection),
        subscriptions: [
          subscribe(event, async (received) => {
            handled += 1;
            latencies.push(Date.now() - Date.parse(received.time));
          }),
        ],
      });
      await consumer.start();
      stoppers.push(
        () => consumer.stop(),
        () => producer.disconnect(),
      );
      return undefined;
    }
  }
}

const serve = await startRole();
process.on('message', (request: Request) => {
  void (async () => {
    switch (request.kind) {
      case 'measure':
        commands = {};
        latencies = [];
        cpuFrom = process.cpuUsage();
        reply(request.id, {});
        return;
      case 'status':
        reply(request.id, { handled });
        return;
      case 'report': {
        const cpu = process.cpuUsage(cpuFrom);
        reply(request.id, { cpuMicros: cpu.user + cpu.system, commands, latencies, handled });
        return;
      }
      case 'stop':
        // Stopped in reverse order of starting: a relay or consumer before its connections.
        for (const stop of stoppers.reverse()) await stop();
        reply(request.id, {});
        process.disconnect();
        return;
      case 'write':
        reply(request.id, (await serve?.(request)) ?? {});
        return;
    }
  })().catch((error: unknown) => {
    reply(request.id, { error: error instanceof Error ? error.message : String(error) });
  });
});
process.send({ id: 0, ready: true });
