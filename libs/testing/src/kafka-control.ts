import { createConnection } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import type { HarnessInfo } from './servers.js';

type KafkaInfo = NonNullable<HarnessInfo['kafka']>;

/** Sends one line to the local Kafka stand-in's control channel and returns its answer. */
export async function sendControl(address: string, command: string): Promise<string> {
  const separator = address.lastIndexOf(':');
  const host = address.slice(0, separator);
  const port = Number(address.slice(separator + 1));
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host, port });
    let received = '';
    socket.setTimeout(10_000, () =>
      socket.destroy(new Error(`control channel ${address} did not answer "${command}"`)),
    );
    socket.on('connect', () => socket.write(`${command}\n`));
    socket.on('data', (chunk) => {
      received += chunk.toString();
      const newline = received.indexOf('\n');
      if (newline === -1) return;
      socket.end();
      const answer = received.slice(0, newline).trim();
      if (answer.startsWith('ERR')) reject(new Error(`control "${command}": ${answer}`));
      else resolve(answer);
    });
    socket.on('error', reject);
  });
}

/** Creates a topic on whichever broker the harness picked; an existing one is left as it is. */
export function createTopic(kafka: KafkaInfo, name: string, partitions = 1): Promise<void> {
  return ensureTopics(kafka, [{ name, partitions }]);
}

/** Creates each topic that does not exist yet, e.g. a service's whole registry before its app starts. */
export async function ensureTopics(
  kafka: KafkaInfo,
  specs: readonly { readonly name: string; readonly partitions: number }[],
): Promise<void> {
  const controlAddress = kafka.controlAddress;
  if (controlAddress !== undefined) {
    // The stand-in's CREATE succeeds for an existing topic.
    for (const spec of specs)
      await sendControl(controlAddress, `CREATE ${spec.name} ${spec.partitions}`);
    return;
  }
  const admin = new Kafka({
    brokers: kafka.brokers,
    clientId: 'test-harness',
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.name));
    if (missing.length > 0)
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((spec) => ({ topic: spec.name, numPartitions: spec.partitions })),
      });
  } finally {
    await admin.disconnect();
  }
}

/** Takes the stand-in's broker down and up again, for outage tests; real clusters have no such switch. */
export function brokerSwitch(
  kafka: KafkaInfo,
): { down(): Promise<void>; up(): Promise<void> } | undefined {
  const address = kafka.controlAddress;
  if (address === undefined) return undefined;
  return {
    down: async () => {
      await sendControl(address, 'DOWN 1');
    },
    up: async () => {
      await sendControl(address, 'UP 1');
    },
  };
}
