/**
 * Other services' events produced to Kafka as their relays publish them
 * (CloudEvents with the contracts' codecs), for the reaction tests, and the
 * wait for what the consumers did with them.
 */
import { newEvent, toCloudEvent, toKafkaMessage, type EventDefinition } from '@learning/events';
import type { HarnessServers } from '@learning/runtime/testing';
import { eventually } from '@learning/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll } from 'vitest';

export interface EventProducer {
  /** Produces one event keyed `key`; the id is returned to send the same event again. */
  readonly produce: <T>(
    definition: EventDefinition<T>,
    key: string,
    data: T,
    id?: string,
  ) => Promise<string>;
}

/** Registers the hooks that connect a producer before the file's tests and disconnect it after. */
export function useEventProducer(
  servers: HarnessServers,
  clientId: string,
  source: string,
): EventProducer {
  let producer: Producer | undefined;
  beforeAll(async () => {
    const kafka = new Kafka({
      clientId,
      brokers: servers.kafka.brokers,
      logLevel: logLevel.NOTHING,
    });
    producer = kafka.producer();
    await producer.connect();
  });
  afterAll(async () => {
    await producer?.disconnect();
  });
  return {
    produce: async (definition, key, data, id) => {
      if (producer === undefined) throw new Error('produce() before the producer connected');
      const event = toCloudEvent(newEvent(definition, key, data), source);
      const sent = id === undefined ? event : { ...event, id };
      await producer.send({
        topic: definition.topic.name,
        messages: [{ ...toKafkaMessage(sent), key }],
      });
      return sent.id;
    },
  };
}

/** Waits (on the consumers and ticks) until `condition` holds. */
export const until = (what: string, condition: () => Promise<boolean>) =>
  eventually(what, async () => ((await condition()) ? true : undefined), 45_000);
