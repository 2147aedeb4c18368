/**
 * The local stack on 127.0.0.1 at the standard ports: the MongoDB and Kafka
 * stand-ins (with the registry's topics) beside the machine's Redis. Writes the
 * URLs to infra/local/.run/stack.env for the services, and stops everything on
 * Ctrl-C. Started by infra/local/up.sh.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startKafkaStandIn } from './kafka.js';
import { startMongoStandIn } from './mongo.js';

const { values } = parseArgs({
  options: {
    topic: { type: 'string', multiple: true, default: [] },
    'mongo-port': { type: 'string', default: '27017' },
    'kafka-port': { type: 'string', default: '9092' },
    'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379' },
  },
});

const topics = values.topic.map((entry) => {
  const [name, partitions] = entry.split(':');
  if (name === undefined || partitions === undefined || !/^\d+$/.test(partitions)) {
    throw new Error(`--topic takes name:partitions, got "${entry}"`);
  }
  return { name, partitions: Number(partitions) };
});

const mongo = await startMongoStandIn({ port: Number(values['mongo-port']) });
const kafka = await startKafkaStandIn({ port: Number(values['kafka-port']), topics }).catch(
  async (error: unknown) => {
    await mongo.stop();
    throw error;
  },
);

const environment = {
  MONGODB_URI: mongo.uri,
  KAFKA_BROKERS: kafka.brokers.join(','),
  KAFKA_MAX_WAIT_MS: '100',
  REDIS_URL: values['redis-url'],
};
const runDirectory = fileURLToPath(new URL('../.run/', import.meta.url));
mkdirSync(runDirectory, { recursive: true });
const envFile = `${runDirectory}stack.env`;
writeFileSync(
  envFile,
  `${Object.entries(environment)
    .map(([name, value]) => `${name}=${value}`)
    .join('\n')}\n`,
);

process.stdout.write(
  [
    'local stack is up (Ctrl-C stops it)',
    `  MongoDB (stand-in)  ${mongo.uri}`,
    `  Kafka (stand-in)    ${environment.KAFKA_BROKERS}  ${topics.length} topics provisioned`,
    `  Redis               ${environment.REDIS_URL}`,
    `  environment file    ${envFile}`,
    '',
  ].join('\n'),
);

let stopping = false;
const shutdown = (): void => {
  if (stopping) return;
  stopping = true;
  process.stdout.write('stopping the local stack\n');
  void Promise.allSettled([kafka.stop(), mongo.stop()]).then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
