import { expect, it } from 'vitest';
import type { KafkaMessage } from 'kafkajs';
import { describeWithServers, eventually, uniqueName } from '@learning/testing';
import {
  deadLetterTopicOf,
  headerText,
  MongoInbox,
  newEvent,
  replayDeadLetters,
  subscribe,
} from '../../src/index.js';
import { useEventsTestBed } from '../fixtures/bed.js';
import { asKafkaMessage, thingChanged } from '../fixtures/things.js';

describeWithServers(['mongo', 'kafka'], 'dead letters, replay and commits', (servers) => {
  const bed = useEventsTestBed(servers, 'dead-letters');
  const { logger } = bed;

  async function readAll(topic: string, count: number): Promise<KafkaMessage[]> {
    const reader = bed.kafka.consumer({ groupId: uniqueName('test.reader'), maxWaitTimeInMs: 100 });
    const messages: KafkaMessage[] = [];
    await reader.connect();
    await reader.subscribe({ topics: [topic], fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        messages.push(message);
      },
    });
    try {
      await eventually(`${count} messages on ${topic}`, () =>
        messages.length >= count ? true : undefined,
      );
    } finally {
      await reader.disconnect();
    }
    return messages;
  }

  it('when a handler keeps failing, then after the retries the message lands in the dead-letter topic with its error, later messages go on, and replay brings it back', async () => {
    const { topicName, groupId } = await bed.topicAndGroup('poison', 1);
    const event = thingChanged(topicName, 1);
    const poison = newEvent(event, 'thing-poison', { step: 1 });
    const healthy = newEvent(event, 'thing-healthy', { step: 1 });
    let ledgerUp = false;
    const attemptsById = new Map<string, number>();
    const applied: string[] = [];
    const consumer = bed.consumer({
      groupId,
      retry: { retries: 2, minTimeoutMs: 10, maxTimeoutMs: 20 },
      subscriptions: [
        subscribe(event, async (received) => {
          attemptsById.set(received.id, (attemptsById.get(received.id) ?? 0) + 1);
          if (received.subject === 'thing-poison' && !ledgerUp)
            throw new Error('ledger unavailable');
          applied.push(received.id);
        }),
      ],
    });
    await consumer.start();
    try {
      await bed.producer.send({
        topic: topicName,
        acks: -1,
        messages: [asKafkaMessage(poison), asKafkaMessage(healthy)],
      });
      await eventually('the healthy message after the poison one', () =>
        applied.includes(healthy.id) ? true : undefined,
      );
      expect(attemptsById.get(poison.id)).toBe(3);
      const [dead] = await readAll(deadLetterTopicOf(groupId), 1);
      expect(headerText(dead?.headers, 'ce_id')).toBe(poison.id);
      expect(headerText(dead?.headers, 'dlq_error')).toBe('ledger unavailable');
      expect(headerText(dead?.headers, 'dlq_attempts')).toBe('3');
      expect(headerText(dead?.headers, 'dlq_original_topic')).toBe(topicName);

      ledgerUp = true;
      expect(
        await replayDeadLetters({
          kafka: bed.kafka,
          producer: bed.producer,
          groupId,
          logger,
          maxWaitTimeInMs: 100,
        }),
      ).toBe(1);
      await eventually('the replayed message applied', () =>
        applied.includes(poison.id) ? true : undefined,
      );
      expect(applied.filter((id) => id === poison.id)).toHaveLength(1);
      expect(
        await replayDeadLetters({
          kafka: bed.kafka,
          producer: bed.producer,
          groupId,
          logger,
          maxWaitTimeInMs: 100,
        }),
      ).toBe(0);
    } finally {
      await consumer.stop();
    }
  });

  it('when a message is not a CloudEvent, then it goes to the dead-letter topic at once, without retries', async () => {
    const { topicName, groupId } = await bed.topicAndGroup('malformed', 1);
    const event = thingChanged(topicName, 1);
    let handled = 0;
    const consumer = bed.consumer({
      groupId,
      subscriptions: [
        subscribe(event, async () => {
          handled += 1;
        }),
      ],
    });
    await consumer.start();
    try {
      await bed.producer.send({
        topic: topicName,
        acks: -1,
        messages: [{ key: 'x', value: 'not an event', headers: { origin: 'legacy-system' } }],
      });
      const [dead] = await readAll(deadLetterTopicOf(groupId), 1);
      expect(dead?.value?.toString()).toBe('not an event');
      expect(headerText(dead?.headers, 'origin')).toBe('legacy-system');
      expect(headerText(dead?.headers, 'dlq_error')).toMatch(/missing header ce_specversion/);
      expect(headerText(dead?.headers, 'dlq_attempts')).toBe('1');
      expect(handled).toBe(0);
    } finally {
      await consumer.stop();
    }
  });

  it('when a consumer stops part-way, then the next one of the group starts after the last message handled, losing and repeating nothing', async () => {
    const { topicName, groupId } = await bed.topicAndGroup('commits', 1);
    const event = thingChanged(topicName, 1);
    const entries = Array.from({ length: 40 }, (_, index) =>
      newEvent(event, 'thing-commits', { step: index }),
    );
    await bed.producer.send({ topic: topicName, acks: -1, messages: entries.map(asKafkaMessage) });
    const inbox = new MongoInbox(bed.connection, uniqueName('inbox'));
    const handledBy: { first: number[]; second: number[] } = { first: [], second: [] };
    const makeConsumer = (who: 'first' | 'second') =>
      bed.consumer({
        groupId,
        inbox: who === 'first' ? inbox : new MongoInbox(bed.connection, uniqueName('inbox')),
        subscriptions: [
          subscribe(event, async (received) => {
            handledBy[who].push(received.data.step);
            if (who === 'first') await new Promise((resolve) => setTimeout(resolve, 20));
          }),
        ],
      });
    const first = makeConsumer('first');
    await first.start();
    await eventually('the first consumer part-way', () =>
      handledBy.first.length >= 10 ? true : undefined,
    );
    await first.stop();
    const handledFirst = handledBy.first.length;
    expect(handledFirst).toBeLessThan(entries.length);
    // The second consumer has an empty inbox: only committed offsets can keep it from repeating work.
    const second = makeConsumer('second');
    await second.start();
    try {
      await eventually('the rest handled', () =>
        handledFirst + handledBy.second.length >= entries.length ? true : undefined,
      );
      expect([...handledBy.first, ...handledBy.second]).toEqual(entries.map((_, index) => index));
    } finally {
      await second.stop();
    }
  });
});
