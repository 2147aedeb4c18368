/**
 * pnpm bench:events — side by side, against the same broker and database:
 *  1. raw kafkajs produce -> consume throughput (1 KB messages, acks=-1, batches of 1000);
 *  2. the outbox relay -> consumer pipeline throughput, idempotency (inbox) on;
 *  3. the pipeline's end-to-end latency (write -> handled) at a steady 1,000 events/s.
 * Servers come from the test harness (environment URLs, containers or the local stand-ins).
 */
import { parseArgs } from 'node:util';
import { createConnection } from 'mongoose';
import { Registry } from 'prom-client';
import { createRootLogger } from '@learning/logger';
import { createTopic } from '@learning/testing/kafka-control';
import { printBenchSummary } from '@learning/testing';
import { describeServers, isLocalStandIn, obtainServers } from '@learning/testing/servers';
import {
  createKafka,
  createProducer,
  deadLetterTopicOf,
  EventConsumer,
  insertWithEvents,
  MongoInbox,
  newEvent,
  OutboxRelay,
  subscribe,
} from '../src/index.js';
import { consumerTuning, thingChanged, thingModel } from '../test/fixtures/things.js';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '20000' },
    events: { type: 'string', default: '5000' },
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
  },
});
const rawCount = Number(values.messages);
const pipelineCount = Number(values.events);
const rate = Number(values.rate);
const steadySeconds = Number(values.seconds);

process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
const logger = createRootLogger({ service: 'bench-events', version: 'bench', level: 'error' });
const servers = await obtainServers();
console.log(describeServers(servers.info));
const { mongo, kafka: kafkaInfo } = servers.info;
if (mongo === undefined || kafkaInfo === undefined) {
  await servers.stop();
  throw new Error('the benchmark needs MongoDB and Kafka; see the reasons above');
}
const broker = kafkaInfo;
const kafka = createKafka({ brokers: kafkaInfo.brokers, clientId: 'bench', logger });
const producer = createProducer(kafka);
await producer.connect();
const connection = await createConnection(mongo.uri, { dbName: `bench-${Date.now()}` }).asPromise();
const run = Date.now().toString(36);
const payload = { step: 1, note: 'x'.repeat(1000) };

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const waitFor = async (done: () => boolean, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('benchmark timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

async function rawThroughput(): Promise<number> {
  const topic = `bench.raw.${run}`;
  await createTopic(broker, topic, 6);
  const consumer = kafka.consumer({ groupId: `bench.raw.${run}`, ...consumerTuning });
  let received = 0;
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async () => {
      received += 1;
    },
  });
  const value = JSON.stringify(payload);
  const started = performance.now();
  for (let sent = 0; sent < rawCount; sent += 1000) {
    const messages = Array.from({ length: Math.min(1000, rawCount - sent) }, (_, index) => ({
      key: `k${sent + index}`,
      value,
    }));
    await producer.send({ topic, acks: -1, messages });
  }
  await waitFor(() => received >= rawCount, 120_000);
  const seconds = (performance.now() - started) / 1000;
  await consumer.disconnect();
  return rawCount / seconds;
}

async function pipeline(label: string) {
  const topic = `bench.pipeline.${label}.${run}`;
  const groupId = `bench.pipeline.${label}.${run}`;
  await createTopic(broker, topic, 6);
  await createTopic(broker, deadLetterTopicOf(groupId), 1);
  const event = thingChanged(topic, 6);
  const model = thingModel(connection, `things_${label}_${run}`);
  await model.createIndexes();
  const latencies: number[] = [];
  let handled = 0;
  const consumer = new EventConsumer({
    kafka,
    groupId,
    producer,
    logger,
    registry: new Registry(),
    tuning: consumerTuning,
    inbox: new MongoInbox(connection, `inbox_${label}_${run}`),
    subscriptions: [
      subscribe(event, async (received) => {
        handled += 1;
        latencies.push(Date.now() - Date.parse(received.time));
      }),
    ],
  });
  const relay = new OutboxRelay({
    model,
    producer,
    source: '/bench',
    logger,
    registry: new Registry(),
    idleDelayMs: 20,
  });
  return { event, model, consumer, relay, latencies, handled: () => handled };
}

async function pipelineThroughput(): Promise<number> {
  const { event, model, consumer, relay, handled } = await pipeline('throughput');
  for (let index = 0; index < pipelineCount; index += 500) {
    await model.insertMany(
      Array.from({ length: Math.min(500, pipelineCount - index) }, (_, offset) => {
        const id = `t${index + offset}`;
        return { _id: id, step: 1, ...insertWithEvents([newEvent(event, id, payload)]) };
      }),
    );
  }
  await consumer.start();
  const started = performance.now();
  relay.start();
  await waitFor(() => handled() >= pipelineCount, 300_000);
  const seconds = (performance.now() - started) / 1000;
  await relay.stop();
  await consumer.stop();
  return pipelineCount / seconds;
}

async function steadyLatency(): Promise<{ p50: number; p99: number; count: number }> {
  const { event, model, consumer, relay, latencies, handled } = await pipeline('latency');
  await consumer.start();
  relay.start();
  const total = rate * steadySeconds;
  const started = performance.now();
  for (let index = 0; index < total; index += 1) {
    // Hold the rate: the i-th write is due at i/rate seconds.
    const due = started + (index * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const id = `l${index}`;
    void model
      .create({ _id: id, step: 1, ...insertWithEvents([newEvent(event, id, payload)]) })
      .then(() => {
        relay.notify();
      });
  }
  await waitFor(() => handled() >= total, 120_000);
  await relay.stop();
  await consumer.stop();
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), count: sorted.length };
}

let summary: Parameters<typeof printBenchSummary>[1];
try {
  const raw = await rawThroughput();
  const piped = await pipelineThroughput();
  const latency = await steadyLatency();
  console.log('');
  console.log(
    `raw kafkajs produce->consume   ${raw.toFixed(0).padStart(8)} msg/s   (${rawCount} x 1 KB, acks=-1, batches of 1000)`,
  );
  console.log(
    `relay->consumer (inbox on)     ${piped.toFixed(0).padStart(8)} ev/s    (${pipelineCount} events, ${((piped / raw) * 100).toFixed(1)}% of raw; target >= 50%)`,
  );
  console.log(
    `end-to-end at ${rate} ev/s       p50 ${latency.p50} ms, p99 ${latency.p99} ms  (${latency.count} events over ${steadySeconds} s; target p99 < 250 ms)`,
  );
  const kafkaBound = isLocalStandIn(broker.origin);
  const pipelineBound = kafkaBound || isLocalStandIn(mongo.origin);
  summary = {
    rawMessages: rawCount,
    rawMessageBytes: Buffer.byteLength(JSON.stringify(payload)),
    rawMessagesPerSecond: Number(raw.toFixed(0)),
    pipelineEvents: pipelineCount,
    pipelineEventsPerSecond: Number(piped.toFixed(0)),
    pipelineShareOfRawPercent: Number(((piped / raw) * 100).toFixed(1)),
    steadyEventsPerSecond: rate,
    steadySeconds,
    steadyEvents: latency.count,
    steadyP50Ms: latency.p50,
    steadyP99Ms: latency.p99,
    boundByStandIn: [
      ...(kafkaBound ? ['rawMessagesPerSecond'] : []),
      ...(pipelineBound
        ? ['pipelineEventsPerSecond', 'pipelineShareOfRawPercent', 'steadyP50Ms', 'steadyP99Ms']
        : []),
    ],
  };
} finally {
  await producer.disconnect();
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
  await servers.stop();
}
printBenchSummary('events', summary);
