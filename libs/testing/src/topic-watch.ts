/** Reads topics from the beginning in the background, so a test can wait for what a service published. */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { eventually } from './eventually.js';
import type { HarnessInfo } from './servers.js';

type KafkaInfo = NonNullable<HarnessInfo['kafka']>;

export interface WatchedMessage {
  readonly topic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
}

export interface TopicWatch {
  /** Everything read so far, in arrival order. */
  readonly messages: readonly WatchedMessage[];
  /** Resolves with the matching messages once `count` of them have arrived. */
  waitFor(
    what: string,
    matches: (message: WatchedMessage) => boolean,
    count?: number,
    timeoutMs?: number,
  ): Promise<WatchedMessage[]>;
  stop(): Promise<void>;
}

/**
 * A throwaway consumer group reading `topics` from the beginning. Topics are
 * shared by a whole test run, so match on something the test made (an id).
 */
export async function watchTopics(
  kafka: KafkaInfo,
  topics: readonly string[],
): Promise<TopicWatch> {
  const consumer = new Kafka({
    brokers: kafka.brokers,
    clientId: 'test-watch',
    logLevel: logLevel.NOTHING,
  }).consumer({
    groupId: `test-watch-${randomUUID()}`,
    allowAutoTopicCreation: false,
    // The stand-in holds empty fetches and rebalances for these full spans (infra/local/kafka).
    maxWaitTimeInMs: 100,
    sessionTimeout: 6_000,
    heartbeatInterval: 500,
  });
  const messages: WatchedMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [...topics], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      messages.push({ topic, partition, message });
    },
  });
  return {
    messages,
    waitFor(what, matches, count = 1, timeoutMs = 20_000) {
      return eventually(
        what,
        () => {
          const found = messages.filter(matches);
          return found.length >= count ? found : undefined;
        },
        timeoutMs,
      );
    },
    stop: () => consumer.disconnect(),
  };
}
