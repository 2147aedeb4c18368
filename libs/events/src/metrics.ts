import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * Metrics are created once per registry: a service runs several relays and
 * consumers, and prom-client refuses a second metric of the same name.
 */
const cache = new WeakMap<Registry, EventMetrics>();

export interface EventMetrics {
  relayPublished: Counter<'collection'>;
  relayFailures: Counter<'collection'>;
  relayBacklog: Gauge<'collection'>;
  relayOldestPendingSeconds: Gauge<'collection'>;
  consumerProcessed: Counter<'group' | 'type' | 'outcome'>;
  consumerLag: Gauge<'group' | 'topic' | 'partition'>;
  consumerHandling: Histogram<'group' | 'type'>;
  /** Relays report their backlog at scrape time through these callbacks. */
  backlogProbes: Map<string, () => Promise<{ aggregates: number; oldestSeconds: number }>>;
}

export function eventMetrics(registry: Registry): EventMetrics {
  const existing = cache.get(registry);
  if (existing !== undefined) return existing;
  const backlogProbes: EventMetrics['backlogProbes'] = new Map();
  const relayOldestPendingSeconds = new Gauge({
    name: 'outbox_oldest_pending_seconds',
    help: 'Age of the oldest event not yet published, per aggregate collection',
    labelNames: ['collection'],
    registers: [registry],
  });
  const metrics: EventMetrics = {
    backlogProbes,
    relayPublished: new Counter({
      name: 'outbox_events_published_total',
      help: 'Events the relay published and removed from the outbox',
      labelNames: ['collection'],
      registers: [registry],
    }),
    relayFailures: new Counter({
      name: 'outbox_publish_failures_total',
      help: 'Relay rounds that failed (broker or database unavailable)',
      labelNames: ['collection'],
      registers: [registry],
    }),
    relayBacklog: new Gauge({
      name: 'outbox_backlog_aggregates',
      help: 'Aggregates holding events not yet published',
      labelNames: ['collection'],
      registers: [registry],
      async collect() {
        for (const [collection, probe] of backlogProbes) {
          const backlog = await probe();
          this.set({ collection }, backlog.aggregates);
          relayOldestPendingSeconds.set({ collection }, backlog.oldestSeconds);
        }
      },
    }),
    relayOldestPendingSeconds,
    consumerProcessed: new Counter({
      name: 'events_consumed_total',
      help: 'Events handled by consumers, by outcome (processed, duplicate, ignored, dead_lettered)',
      labelNames: ['group', 'type', 'outcome'],
      registers: [registry],
    }),
    consumerLag: new Gauge({
      name: 'kafka_consumer_lag',
      help: 'Messages between the last fetched offset and the high watermark',
      labelNames: ['group', 'topic', 'partition'],
      registers: [registry],
    }),
    consumerHandling: new Histogram({
      name: 'events_handling_seconds',
      help: 'Time to handle one event, retries included',
      labelNames: ['group', 'type'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers: [registry],
    }),
  };
  cache.set(registry, metrics);
  return metrics;
}
