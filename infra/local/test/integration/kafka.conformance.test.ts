/**
 * Pins down, with kafkajs, exactly the broker behaviour our libs rely on, so a
 * change to the stand-in (or to librdkafka's mock) that breaks them fails here
 * first rather than inside a service test.
 */
import {
  Kafka,
  Partitioners,
  logLevel,
  type Consumer,
  type IHeaders,
  type Producer,
} from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKafkaStandIn, type KafkaStandIn } from '../../src/index.js';

const ORDERS = 'conformance.orders';
const COMMITS = 'conformance.commits';
const OUTAGE = 'conformance.outage';

let standIn: KafkaStandIn;
let kafka: Kafka;
const cleanups: (() => Promise<void>)[] = [];

function client(clientId: string, retries = 5): Kafka {
  return new Kafka({
    clientId,
    brokers: standIn.brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 5_000,
    retry: { retries, initialRetryTime: 100, maxRetryTime: 1_000 },
  });
}

async function connectedProducer(from: Kafka, retries = 5): Promise<Producer> {
  const producer = from.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    // Topics are provisioned explicitly; a typo must not create one.
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries, initialRetryTime: 100, maxRetryTime: 1_000 },
  });
  await producer.connect();
  cleanups.push(() => producer.disconnect());
  return producer;
}

function consumerOf(groupId: string): Consumer {
  return kafka.consumer({
    groupId,
    maxWaitTimeInMs: 100,
    sessionTimeout: 6_000,
    heartbeatInterval: 500,
    rebalanceTimeout: 3_000,
    allowAutoTopicCreation: false,
  });
}

interface Received {
  partition: number;
  offset: string;
  key: string;
  value: string;
  headers: IHeaders;
}

/** Runs a consumer until `count` messages arrived; resolves with them and the time of the first. */
async function consume(
  consumer: Consumer,
  topic: string,
  count: number,
): Promise<{ messages: Received[]; firstAt: number }> {
  const messages: Received[] = [];
  let firstAt = 0;
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`consumed ${messages.length} of ${count} messages from ${topic}`));
    }, 20_000);
    consumer
      .run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          if (messages.length === 0) firstAt = Date.now();
          messages.push({
            partition,
            offset: message.offset,
            key: message.key?.toString('utf8') ?? '',
            value: message.value?.toString('utf8') ?? '',
            headers: message.headers ?? {},
          });
          await consumer.commitOffsets([
            { topic, partition, offset: String(Number(message.offset) + 1) },
          ]);
          if (messages.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  return { messages, firstAt };
}

beforeAll(async () => {
  standIn = await startKafkaStandIn({
    topics: [
      { name: ORDERS, partitions: 3 },
      { name: COMMITS, partitions: 1 },
      { name: OUTAGE, partitions: 1 },
    ],
  });
  kafka = client('conformance');
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  // Unset when beforeAll failed before the stand-in was up.
  await (standIn as KafkaStandIn | undefined)?.stop();
});

describe('kafka stand-in conformance (kafkajs)', () => {
  it('when the admin client asks for the cluster, topic metadata and offsets, then a real controller and the provisioned partitions are reported', async () => {
    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());

    // The mock's default controller id (0) is no broker; kafkajs then fails
    // idempotent producers and controller-bound admin calls.
    const cluster = await admin.describeCluster();
    expect(cluster.controller).toBe(1);
    expect(cluster.brokers.map((b) => `${b.host}:${b.port}`)).toEqual(standIn.brokers);

    const metadata = await admin.fetchTopicMetadata({ topics: [ORDERS] });
    expect(metadata.topics).toHaveLength(1);
    expect(metadata.topics[0]?.name).toBe(ORDERS);
    expect(metadata.topics[0]?.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2]);
    expect(metadata.topics[0]?.partitions.every((p) => p.leader === 1)).toBe(true);

    const offsets = await admin.fetchTopicOffsets(COMMITS);
    expect(offsets).toEqual([{ partition: 0, offset: '0', high: '0', low: '0' }]);
  });

  it('when an idempotent producer sends keyed messages with headers, then a group consumes them in order per key with binary headers intact', async () => {
    const producer = await connectedProducer(kafka);
    const keys = ['alice', 'bob', 'carol', 'dave'];
    const perKey = 5;
    for (let seq = 0; seq < perKey; seq++) {
      const [result] = await producer.send({
        topic: ORDERS,
        acks: -1,
        messages: keys.map((key) => ({
          key,
          value: `${key}-${seq}`,
          headers: { seq: Buffer.from([seq, 0x00, 0xff, 0x80]), 'content-type': 'text/plain' },
        })),
      });
      expect(result?.errorCode).toBe(0);
    }

    const consumer = consumerOf('conformance.order');
    cleanups.push(() => consumer.disconnect());
    const { messages } = await consume(consumer, ORDERS, keys.length * perKey);

    expect(messages).toHaveLength(keys.length * perKey);
    for (const key of keys) {
      const ofKey = messages.filter((m) => m.key === key);
      expect(ofKey.map((m) => m.value)).toEqual([0, 1, 2, 3, 4].map((seq) => `${key}-${seq}`));
      // One key, one partition: that is what makes per-key order meaningful.
      expect(new Set(ofKey.map((m) => m.partition)).size).toBe(1);
      ofKey.forEach((m, seq) => {
        expect(m.headers['seq']).toEqual(Buffer.from([seq, 0x00, 0xff, 0x80]));
        expect(m.headers['content-type']?.toString()).toBe('text/plain');
      });
    }
    // The keys must really spread over partitions, or the order check proves little.
    expect(new Set(messages.map((m) => m.partition)).size).toBeGreaterThan(1);

    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    const offsets = await admin.fetchTopicOffsets(ORDERS);
    expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(keys.length * perKey);
  });

  it('when a consumer commits and leaves, then the next consumer of the group resumes after the committed offset within seconds', async () => {
    const producer = await connectedProducer(kafka);
    const groupId = 'conformance.resume';
    await producer.send({ topic: COMMITS, acks: -1, messages: [{ value: 'm0' }, { value: 'm1' }] });

    const first = consumerOf(groupId);
    cleanups.push(() => first.disconnect());
    const firstRun = await consume(first, COMMITS, 2);
    expect(firstRun.messages.map((m) => m.value)).toEqual(['m0', 'm1']);
    await first.disconnect();
    const leftAt = Date.now();

    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    const committed = await admin.fetchOffsets({ groupId, topics: [COMMITS] });
    expect(committed[0]?.partitions).toEqual([{ partition: 0, offset: '2', metadata: null }]);

    await producer.send({ topic: COMMITS, acks: -1, messages: [{ value: 'm2' }, { value: 'm3' }] });
    const second = consumerOf(groupId);
    cleanups.push(() => second.disconnect());
    // fromBeginning would replay m0 and m1 if the committed offset were ignored.
    const secondRun = await consume(second, COMMITS, 2);
    const rejoinMs = secondRun.firstAt - leftAt;
    console.info(`[kafka conformance] rejoin after leave took ${rejoinMs} ms`);

    expect(secondRun.messages.map((m) => m.value)).toEqual(['m2', 'm3']);
    // The mock holds a rebalance for session timeout - 1 s (5 s here). A
    // LeaveGroup it cannot parse is never answered: the member then has to
    // expire first (11 s here, about a minute with kafkajs defaults).
    expect(rejoinMs).toBeLessThan(8_000);
  });

  it('when a topic is created over the control channel, then it exists with its partitions and takes messages', async () => {
    const topic = 'conformance.late';
    // Retries are short: the broker answers UNKNOWN_TOPIC_OR_PARTITION until the topic exists.
    const producer = await connectedProducer(kafka, 1);
    await expect(
      producer.send({ topic, acks: -1, messages: [{ value: 'too early' }] }),
    ).rejects.toThrow();

    await standIn.createTopic(topic, 2);
    await standIn.createTopic(topic, 2); // provisioning twice is fine

    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    // Two, not the mock's auto-create default of four: the early send created nothing.
    expect(metadata.topics[0]?.partitions).toHaveLength(2);

    const [result] = await producer.send({
      topic,
      acks: -1,
      messages: [{ key: 'k', value: 'on time' }],
    });
    expect(result?.errorCode).toBe(0);
    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(1);
  });

  it('when the broker is down, then a send fails or waits, and after it is up again a send succeeds', async () => {
    // A client of its own, so the outage does not disturb the shared one.
    // Idempotence needs at least one retry; one is as impatient as kafkajs allows.
    const impatient = await connectedProducer(client('conformance-outage', 1), 1);
    const patient = await connectedProducer(client('conformance-outage-patient', 8), 8);

    await standIn.brokerDown(1);
    try {
      await expect(
        impatient.send({ topic: OUTAGE, acks: -1, messages: [{ value: 'lost' }] }),
      ).rejects.toThrow();

      let settledAt = 0;
      const pending = patient
        .send({ topic: OUTAGE, acks: -1, messages: [{ value: 'delivered' }] })
        .finally(() => {
          settledAt = Date.now();
        });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(settledAt).toBe(0); // still waiting while the broker is down

      const upAt = Date.now();
      await standIn.brokerUp(1);
      const [result] = await pending;
      expect(result?.errorCode).toBe(0);
      expect(settledAt).toBeGreaterThanOrEqual(upAt);
    } finally {
      await standIn.brokerUp(1);
    }

    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    const offsets = await admin.fetchTopicOffsets(OUTAGE);
    expect(offsets[0]?.high).toBe('1');
  });
});
