/**
 * `learning topics provision` and `learning dlq replay` against the harness's
 * broker (the Kafka stand-in, or KAFKA_BROKERS).
 */
import { createKafka, deadLetterTopicOf, topicsToProvision, toDeadLetter } from '@learning/events';
import {
  captureLogger,
  createTopic,
  describeWithServers,
  ensureTopics,
  uniqueName,
  watchTopics,
} from '@learning/testing';
import type { KafkaMessage } from 'kafkajs';
import { expect, it } from 'vitest';
import { learning } from '../support.js';

describeWithServers(['kafka'], 'the CLI against Kafka', (servers) => {
  const brokers = (): string => servers.kafka.brokers.join(',');

  it('when topics are provisioned, then it says how many it created and afterwards the broker has every registry topic', async () => {
    // The stand-in creates topics only through its control channel; a real broker through the admin API.
    if (!servers.kafka.adminCreatesTopics) await ensureTopics(servers.kafka, topicsToProvision());

    const { code, stdout } = await learning('topics', 'provision', '--brokers', brokers());

    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+ topic\(s\) created/);
    const admin = createKafka({
      brokers: servers.kafka.brokers,
      clientId: 'ops-test',
      logger: captureLogger('ops-test').logger,
    }).admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      expect(topicsToProvision().filter((spec) => !existing.has(spec.name))).toEqual([]);
    } finally {
      await admin.disconnect();
    }
  });

  it('when a group has a dead letter, then replay sends it back to its topic with its key and says so; a second run replays nothing', async () => {
    const group = uniqueName('ops.replay');
    const original = uniqueName('ops.original');
    await createTopic(servers.kafka, original);
    await createTopic(servers.kafka, deadLetterTopicOf(group));
    const kafka = createKafka({
      brokers: servers.kafka.brokers,
      clientId: 'ops-test',
      logger: captureLogger('ops-test').logger,
    });
    const failed: KafkaMessage = {
      key: Buffer.from('aggregate-1'),
      value: Buffer.from('{"hello":"again"}'),
      headers: { ce_id: 'event-1' },
      offset: '0',
      timestamp: String(Date.now()),
      attributes: 0,
    };
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: deadLetterTopicOf(group),
      messages: [
        toDeadLetter(failed, {
          topic: original,
          partition: 0,
          groupId: group,
          attempts: 3,
          error: new Error('handler failed'),
        }),
      ],
    });
    await producer.disconnect();
    const watch = await watchTopics(servers.kafka, [original]);
    try {
      const first = await learning('dlq', 'replay', group, '--brokers', brokers());
      expect(first.code).toBe(0);
      expect(first.stdout).toBe(`1 dead letter(s) of ${group} replayed\n`);
      const [back] = await watch.waitFor('the replayed message', () => true);
      expect(back?.message.key?.toString()).toBe('aggregate-1');
      expect(back?.message.value?.toString()).toBe('{"hello":"again"}');

      const second = await learning('dlq', 'replay', group, '--brokers', brokers());
      expect(second.stdout).toBe(`0 dead letter(s) of ${group} replayed\n`);
    } finally {
      await watch.stop();
    }
  });
});
