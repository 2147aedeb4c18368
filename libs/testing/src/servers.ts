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
  mongo?: {
    uri: string;
    origin: string;
    /** Present for the local stand-in: its process, whose memory benchmarks print. */
    pid?: number;
  };
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

/** How the origin of a server the project's own stand-ins provide begins (infra/local). */
const STAND_IN_ORIGIN = 'local stand-in';

/** Whether the server of this origin is one of the stand-ins, whose speed is not a real server's. */
export const isLocalStandIn = (origin: string): boolean => origin.startsWith(STAND_IN_ORIGIN);

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

interface Found<T> {
  server: T;
  stop?: () => Promise<unknown>;
}

/** One way to get a server: the server, or the reason this way is not available here. */
type Source<T> = () => Promise<Found<T> | string>;

/** Tries each source in order; a source that throws (a container that fails to start) falls through. */
async function firstAvailable<T>(sources: readonly Source<T>[]): Promise<Found<T> | string> {
  const reasons: string[] = [];
  for (const source of sources) {
    try {
      const result = await source();
      if (typeof result !== 'string') return result;
      reasons.push(result);
    } catch (error) {
      reasons.push(errorText(error));
    }
  }
  return reasons.join('; ');
}

export async function obtainServers(): Promise<ObtainedServers> {
  const env = process.env;
  const docker = dockerReachable();
  const noDocker = 'no Docker engine';

  const mongo = await firstAvailable<NonNullable<HarnessInfo['mongo']>>([
    async () =>
      env['MONGODB_URI']
        ? { server: { uri: env['MONGODB_URI'], origin: 'MONGODB_URI from the environment' } }
        : 'no MONGODB_URI',
    async () => {
      if (!docker) return noDocker;
      const { MongoDBContainer } = await import('@testcontainers/mongodb');
      const container = await new MongoDBContainer(images.mongo).start();
      return {
        server: {
          uri: `${container.getConnectionString()}?directConnection=true`,
          origin: `testcontainers ${images.mongo} (replica set)`,
        },
        stop: () => container.stop(),
      };
    },
    async () => {
      const availability = await mongoStandInAvailable();
      if (!availability.ok) return `the local stand-in cannot run: ${availability.reason}`;
      const standIn = await startMongoStandIn();
      return {
        server: {
          uri: standIn.uri,
          origin: `${STAND_IN_ORIGIN} (mockupdb over mongomock, infra/local/mongo)`,
          pid: standIn.pid,
        },
        stop: () => standIn.stop(),
      };
    },
  ]);

  const kafka = await firstAvailable<NonNullable<HarnessInfo['kafka']>>([
    async () =>
      env['KAFKA_BROKERS']
        ? {
            server: {
              brokers: env['KAFKA_BROKERS'].split(','),
              origin: 'KAFKA_BROKERS from the environment',
              adminCreatesTopics: true,
            },
          }
        : 'no KAFKA_BROKERS',
    async () => {
      if (!docker) return noDocker;
      const { KafkaContainer } = await import('@testcontainers/kafka');
      const container = await new KafkaContainer(images.kafka).withKraft().start();
      return {
        server: {
          brokers: [`${container.getHost()}:${container.getMappedPort(9093)}`],
          origin: `testcontainers ${images.kafka} (KRaft)`,
          adminCreatesTopics: true,
        },
        stop: () => container.stop(),
      };
    },
    // Tests create the topics they use; the local stack provisions the registry's.
    async () => {
      const standIn = await startKafkaStandIn();
      return {
        server: {
          brokers: standIn.brokers,
          origin: `${STAND_IN_ORIGIN} (librdkafka mock cluster, infra/local/kafka)`,
          controlAddress: standIn.controlAddress,
          adminCreatesTopics: false,
        },
        stop: () => standIn.stop(),
      };
    },
  ]);

  // Redis: the Debian server already runs on these machines; anything else is a URL or a container.
  const redisUrl = env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const redis = await firstAvailable<NonNullable<HarnessInfo['redis']>>([
    async () =>
      (await redisAnswers(redisUrl))
        ? {
            server: {
              url: redisUrl,
              origin: env['REDIS_URL'] ? 'REDIS_URL from the environment' : 'local redis-server',
            },
          }
        : `nothing answers at ${redisUrl} (start one: redis-server --daemonize yes)`,
    async () => {
      if (!docker) return noDocker;
      const { RedisContainer } = await import('@testcontainers/redis');
      const container = await new RedisContainer(images.redis).start();
      return {
        server: { url: container.getConnectionUrl(), origin: `testcontainers ${images.redis}` },
        stop: () => container.stop(),
      };
    },
  ]);

  const info: HarnessInfo = { missing: {} };
  const stops: (() => Promise<unknown>)[] = [];
  const keep = <K extends ServerName>(
    name: K,
    result: Found<NonNullable<HarnessInfo[K]>> | string,
  ): void => {
    if (typeof result === 'string') {
      info.missing[name] = result;
      return;
    }
    info[name] = result.server;
    if (result.stop) stops.push(result.stop);
  };
  keep('mongo', mongo);
  keep('kafka', kafka);
  keep('redis', redis);
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
