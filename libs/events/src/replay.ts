import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from '@learning/logger';
import { fromDeadLetter } from './dead-letter.js';
import { deadLetterTopicOf } from './registry.js';

export interface ReplayOptions {
  kafka: Kafka;
  producer: Producer;
  groupId: string;
  logger: Logger;
  maxWaitTimeInMs?: number;
}

/**
 * Sends every dead letter of a consumer group back to its original topic,
 * up to the end of the dead-letter topic as it was when the replay began. The
 * replay's own consumer group remembers where it stopped, so running it again
 * replays only what arrived since.
 */
export async function replayDeadLetters(options: ReplayOptions): Promise<number> {
  const topic = deadLetterTopicOf(options.groupId);
  const logger = options.logger.child({ component: 'dlq-replay', topic });
  const admin = options.kafka.admin();
  await admin.connect();
  const [ends, committed] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    admin.fetchOffsets({ groupId: `${options.groupId}.dlq-replay`, topics: [topic] }),
  ]).finally(() => admin.disconnect());
  const committedByPartition = new Map(
    (committed[0]?.partitions ?? []).map((entry) => [entry.partition, Number(entry.offset)]),
  );
  // Partitions with something left to replay, and the last offset to reach in each.
  const remaining = new Map<number, number>();
  for (const end of ends) {
    const last = Number(end.high) - 1;
    const start = Math.max(Number(end.low), committedByPartition.get(end.partition) ?? -1);
    if (last >= start && last >= 0) remaining.set(end.partition, last);
  }
  if (remaining.size === 0) {
    logger.info('nothing to replay');
    return 0;
  }
  const consumer = options.kafka.consumer({
    groupId: `${options.groupId}.dlq-replay`,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: options.maxWaitTimeInMs ?? 500,
  });
  let replayed = 0;
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            const last = remaining.get(partition);
            if (last === undefined || Number(message.offset) > last) return;
            const original = fromDeadLetter(message);
            await options.producer.send({
              topic: original.topic,
              acks: -1,
              messages: [original.message],
            });
            replayed += 1;
            if (Number(message.offset) >= last) remaining.delete(partition);
            if (remaining.size === 0) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  logger.info({ replayed }, 'dead letters replayed');
  return replayed;
}
