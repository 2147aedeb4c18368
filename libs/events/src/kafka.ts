import {
  Kafka,
  logLevel,
  Partitioners,
  type KafkaConfig,
  type LogEntry,
  type Producer,
} from 'kafkajs';
import type { Logger } from '@learning/logger';

export interface KafkaConnection {
  brokers: readonly string[];
  clientId: string;
  logger: Logger;
  /** Retries of kafkajs's own requests (connection, metadata, produce). */
  retry?: KafkaConfig['retry'];
}

const levelNames: Record<logLevel, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.NOTHING]: 'debug',
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** A kafkajs client whose own logs go through the process's pino root. */
export function createKafka(connection: KafkaConnection): Kafka {
  const kafkaLogger = connection.logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: connection.clientId,
    brokers: [...connection.brokers],
    retry: connection.retry ?? { initialRetryTime: 100, retries: 8, maxRetryTime: 5_000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...rest } = log;
        kafkaLogger[levelNames[level]](rest, message);
      },
  });
}

/**
 * The producer every service uses: idempotent with one request in flight, so
 * retries neither duplicate nor reorder events of one partition; topics are
 * never auto-created by producing.
 */
export function createProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    // Named explicitly (kafkajs warns otherwise): the Java client's murmur2 keying.
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}

/**
 * A readiness probe for /readyz and gRPC health: true when the cluster answers
 * a metadata request within the timeout. The admin connection is kept open
 * between probes, so a probe costs one round trip.
 */
export function kafkaReadiness(
  kafka: Kafka,
  timeoutMs = 1_000,
): { check: () => Promise<boolean>; close: () => Promise<void> } {
  const admin = kafka.admin();
  let connected: Promise<void> | undefined;
  const probe = async (): Promise<boolean> => {
    connected ??= admin.connect().catch((error: unknown) => {
      connected = undefined;
      throw error;
    });
    await connected;
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0;
  };
  return {
    check: async () => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => {
          resolve(false);
        }, timeoutMs);
      });
      try {
        return await Promise.race([probe().catch(() => false), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    close: async () => {
      await admin.disconnect();
    },
  };
}
