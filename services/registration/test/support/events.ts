/** What the registration app published, read back from Kafka as CloudEvents. */
import { fromKafkaMessage, type CloudEvent } from '@learning/events';
import { watchTopics, type Servers, type TopicWatch } from '@learning/testing';
import { afterAll, beforeAll } from 'vitest';

export interface PublishedEvents {
  /** Resolves with the events of `type` about `subject` once `count` have arrived. */
  waitFor(type: string, subject: string, count?: number): Promise<CloudEvent[]>;
  /** Every event about `subject` read so far, in arrival order. */
  about(subject: string): CloudEvent[];
}

/** Registers hooks that watch `topicNames` for the whole file. */
export function usePublishedEvents(
  servers: Servers<'kafka'>,
  topicNames: readonly string[],
): PublishedEvents {
  let watch: TopicWatch;
  const decoded = () => watch.messages.map(({ message }) => fromKafkaMessage(message));
  beforeAll(async () => {
    watch = await watchTopics(servers.kafka, topicNames);
  });
  afterAll(async () => {
    await watch.stop();
  });
  return {
    async waitFor(type, subject, count = 1) {
      const found = await watch.waitFor(
        `${count} × ${type} about ${subject}`,
        ({ message }) => {
          const event = fromKafkaMessage(message);
          return event.type === type && event.subject === subject;
        },
        count,
      );
      return found.map(({ message }) => fromKafkaMessage(message));
    },
    about: (subject) => decoded().filter((event) => event.subject === subject),
  };
}
