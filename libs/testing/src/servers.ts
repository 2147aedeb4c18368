/**
 * Finds servers that speak the real protocols, in this order: URLs from the
 * environment, testcontainers when a Docker engine is reachable, then the
 * project's own stand-ins (infra/local). It says which it picked, and why a
 * server is missing when none could be had.
 */
import { existsSync } from 'node:fs';
import { createClient } from 'redis';
import { mongoStandInAvailable, startKafkaStandIn, startMongoStandIn } from '@learning/local-infra';
import { images } from './images.js';

export type ServerName = 'mongo' | 'kafka' | 'redis';

/** What tests receive: plain data, since tests run in other processes than the harness. */
export interface HarnessInfo {
  mongo?: { uri: string; origin: string };
  kafka?: {
    brokers: string[];
    origin: string;
    /** Present for the local stand-in: its control channel (topic creation, broker outages). */
    controlAddress?: string;
    /** Whether topics can be created with the Kafka admin API (real brokers). */
    adminCreatesTopics: boolean;
  };
  redis?: { url: string; origin: string };
  missing: Partial<Record<ServerName, string>>;
}

export interface ObtainedServers {
  info: HarnessInfo;
  stop(): Promise<void>;
}

function dockerReachable(): boolean {
  if (process.env['DOCKER_HOST'] !== undefined && process.env['DOCKER_HOST'] !== '') return true;
  return existsSync('/var/run/docker.sock');
}

async function redisAnswers(url: string): Promise<boolean> {
  const client = createClient({ url, socket: { connectTimeout: 1_000, reconnectStrategy: false } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    if (client.isOpen) client.destroy();
  }
}

const errorText = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

export async function obtainServers(): Promise<ObtainedServers> {
  const info: HarnessInfo = { missing: {} };
  const stops: (() => Promise<unknown>)[] = [];
  const env = process.env;
  const docker = dockerReachable();

  // MongoDB
  if (env['MONGODB_URI']) {
    info.mongo = { uri: env['MONGODB_URI'], origin: 'MONGODB_URI from the environment' };
  } else if (docker) {
    const { MongoDBContainer } = await import('@testcontainers/mongodb');
    const container = await new MongoDBContainer(images.mongo).start();
    stops.push(() => container.stop());
    info.mongo = {
      uri: `${container.getConnectionString()}?directConnection=true`,
      origin: `testcontainers ${images.mongo} (replica set)`,
    };
  } else {
    const availability = await mongoStandInAvailable();
    if (availability.ok) {
      const standIn = await startMongoStandIn();
      stops.push(() => standIn.stop());
      info.mongo = {
        uri: standIn.uri,
        origin: 'local stand-in (mockupdb over mongomock, infra/local/mongo)',
      };
    } else {
      info.missing.mongo = `no MONGODB_URI, no Docker engine, and the local stand-in cannot run: ${availability.reason}`;
    }
  }

  // Kafka
  if (env['KAFKA_BROKERS']) {
    info.kafka = {
      brokers: env['KAFKA_BROKERS'].split(','),
      origin: 'KAFKA_BROKERS from the environment',
      adminCreatesTopics: true,
    };
  } else if (docker) {
    const { KafkaContainer } = await import('@testcontainers/kafka');
    const container = await new KafkaContainer(images.kafka).withKraft().start();
    stops.push(() => container.stop());
    info.kafka = {
      brokers: [`${container.getHost()}:${container.getMappedPort(9093)}`],
      origin: `testcontainers ${images.kafka} (KRaft)`,
      adminCreatesTopics: true,
    };
  } else {
    // Tests create the topics they use; the local stack provisions the registry's.
    try {
      const standIn = await startKafkaStandIn();
      stops.push(() => standIn.stop());
      info.kafka = {
        brokers: standIn.brokers,
        origin: 'local stand-in (librdkafka mock cluster, infra/local/kafka)',
        controlAddress: standIn.controlAddress,
        adminCreatesTopics: false,
      };
    } catch (error) {
      info.missing.kafka = `no KAFKA_BROKERS, no Docker engine, and the local stand-in failed: ${errorText(error)}`;
    }
  }

  // Redis: the Debian server already runs on these machines; anything else is a URL or a container.
  const redisUrl = env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  if (await redisAnswers(redisUrl)) {
    info.redis = {
      url: redisUrl,
      origin: env['REDIS_URL']
        ? 'REDIS_URL from the environment'
        : 'local redis-server at 127.0.0.1:6379',
    };
  } else if (docker) {
    const { RedisContainer } = await import('@testcontainers/redis');
    const container = await new RedisContainer(images.redis).start();
    stops.push(() => container.stop());
    info.redis = { url: container.getConnectionUrl(), origin: `testcontainers ${images.redis}` };
  } else {
    info.missing.redis = `nothing answers at ${redisUrl} and there is no Docker engine (start one: redis-server --daemonize yes)`;
  }

  return {
    info,
    async stop() {
      await Promise.allSettled(stops.reverse().map((stop) => stop()));
    },
  };
}

export function describeServers(info: HarnessInfo): string {
  const lines = ['integration servers:'];
  lines.push(
    `  mongo: ${info.mongo ? `${info.mongo.origin} at ${info.mongo.uri}` : `MISSING (${info.missing.mongo ?? 'unknown'})`}`,
  );
  lines.push(
    `  kafka: ${info.kafka ? `${info.kafka.origin} at ${info.kafka.brokers.join(',')}` : `MISSING (${info.missing.kafka ?? 'unknown'})`}`,
  );
  lines.push(
    `  redis: ${info.redis ? `${info.redis.origin} at ${info.redis.url}` : `MISSING (${info.missing.redis ?? 'unknown'})`}`,
  );
  return lines.join('\n');
}
