import { expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { describeWithServers, eventually } from '@learning/testing';
import { newEvent, subscribe } from '../../src/index.js';
import { useEventsTestBed } from '../fixtures/bed.js';
import { asKafkaMessage, thingChanged } from '../fixtures/things.js';

/** One metric's values with their labels, as a scrape would read them. */
async function valuesOf(registry: Registry, name: string) {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) throw new Error(`no metric ${name}`);
  return (await metric.get()).values;
}

describeWithServers(['mongo', 'kafka'], 'consumer metrics', (servers) => {
  const bed = useEventsTestBed(servers, 'metrics');

  it('when a consumer falls behind and catches up, then kafka_consumer_lag rises above zero and returns to zero', async () => {
    const { topicName, groupId } = await bed.topicAndGroup('lag', 1);
    const event = thingChanged(topicName, 1);
    // 300 KB each: one fetch (1 MB per partition) cannot take them all, so the first batch leaves some behind.
    const note = 'x'.repeat(300_000);
    const entries = Array.from({ length: 8 }, (_, index) =>
      newEvent(event, `thing-lag-${index}`, { step: index, note }),
    );
    for (const entry of entries)
      await bed.producer.send({ topic: topicName, acks: -1, messages: [asKafkaMessage(entry)] });
    const registry = new Registry();
    const lagSeen: number[] = [];
    let handled = 0;
    const consumer = bed.consumer({
      groupId,
      registry,
      subscriptions: [
        subscribe(event, async () => {
          handled += 1;
          // What a scrape during handling would have read: the lag after the previous batch.
          for (const { value } of await valuesOf(registry, 'kafka_consumer_lag'))
            lagSeen.push(value);
        }),
      ],
    });
    await consumer.start();
    try {
      await eventually('all eight handled', () => (handled >= entries.length ? true : undefined));
      expect(Math.max(...lagSeen)).toBeGreaterThan(0);
      const caughtUp = await eventually('the lag back to zero', async () => {
        const [lag] = await valuesOf(registry, 'kafka_consumer_lag');
        return lag?.value === 0 ? lag : undefined;
      });
      expect(caughtUp.labels).toEqual({ group: groupId, topic: topicName, partition: '0' });
    } finally {
      await consumer.stop();
    }
  });

  it('when a consumer has handled a whole batch, then kafka_consumer_lag reads zero, not the lag the batch started with', async () => {
    const { topicName, groupId } = await bed.topicAndGroup('caught-up', 1);
    const event = thingChanged(topicName, 1);
    const entries = Array.from({ length: 20 }, (_, index) =>
      newEvent(event, `thing-caught-up-${index}`, { step: index }),
    );
    // Written before the consumer starts, so its first fetch takes all twenty at once.
    await bed.producer.send({ topic: topicName, acks: -1, messages: entries.map(asKafkaMessage) });
    const registry = new Registry();
    let handled = 0;
    const consumer = bed.consumer({
      groupId,
      registry,
      subscriptions: [
        subscribe(event, async () => {
          handled += 1;
        }),
      ],
    });
    await consumer.start();
    try {
      await eventually('all twenty handled', () => (handled >= entries.length ? true : undefined));
      const lag = await eventually('the batch accounted for', async () => {
        const [value] = await valuesOf(registry, 'kafka_consumer_lag');
        return value;
      });
      expect(lag.value).toBe(0);
    } finally {
      await consumer.stop();
    }
  });

  it('when a handler keeps failing, then the event is counted dead_lettered, the others processed, and each handling timed', async () => {
    const { topicName, groupId } = await bed.topicAndGroup('failures', 1);
    const event = thingChanged(topicName, 1);
    const failing = newEvent(event, 'thing-failing', { step: 1 });
    const healthy = [1, 2, 3].map((step) => newEvent(event, `thing-healthy-${step}`, { step }));
    const registry = new Registry();
    const applied = new Set<string>();
    const consumer = bed.consumer({
      groupId,
      registry,
      retry: { retries: 2, minTimeoutMs: 10, maxTimeoutMs: 20 },
      subscriptions: [
        subscribe(event, async (received) => {
          if (received.id === failing.id) throw new Error('ledger unavailable');
          applied.add(received.id);
        }),
      ],
    });
    await consumer.start();
    try {
      await bed.producer.send({
        topic: topicName,
        acks: -1,
        messages: [failing, ...healthy].map(asKafkaMessage),
      });
      // The handler returns before the consumer counts its outcome: wait for the count itself.
      const consumed = await eventually(
        'the healthy three counted after the failing one',
        async () => {
          const values = await valuesOf(registry, 'events_consumed_total');
          const processed = values.find((value) => value.labels['outcome'] === 'processed');
          return applied.size >= healthy.length && processed?.value === healthy.length
            ? values
            : undefined;
        },
      );
      const countOf = (outcome: string): number | undefined =>
        consumed.find((value) => value.labels['outcome'] === outcome)?.value;
      expect(countOf('dead_lettered')).toBe(1);
      expect(countOf('processed')).toBe(3);
      expect(await registry.getSingleMetricAsString('events_handling_seconds')).toMatch(
        /events_handling_seconds_count\{group="[^"]+",type="test.thing.changed.v1"\} 4$/m,
      );
    } finally {
      await consumer.stop();
    }
  });
});
