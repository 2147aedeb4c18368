/**
 * Publishes the events waiting in the outboxes of one aggregate collection.
 *
 * Order: events of one aggregate are sent in the order they were written, keyed
 * by the aggregate id, through an idempotent producer with one request in
 * flight. At-least-once: a crash after the broker acknowledged but before the
 * events were removed publishes them again, and consumers drop the repeat by
 * event id. One relay per collection works at a time, by a lease in Mongo.
 */
import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import type { Producer, TopicMessages } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { Logger } from '@learning/logger';
import { isDuplicateKey } from '@learning/mongo';
import { contextOfTraceHeaders, endSpan, startSpan, traceHeadersOf } from '@learning/tracing';
import { ROOT_CONTEXT, SpanKind, type Span, type Tracer } from '@opentelemetry/api';
import { toKafkaMessage, type CloudEvent } from './envelope.js';
import { eventMetrics, type EventMetrics } from './metrics.js';
import { toCloudEvent, type OutboxEntry, type WithOutbox } from './outbox.js';

export interface OutboxRelayOptions<T extends WithOutbox> {
  /** An aggregate model whose schema uses `outboxPlugin`. */
  model: Model<T>;
  producer: Producer;
  /** CloudEvents `source` of everything this service publishes, e.g. `/learning/registration`. */
  source: string;
  logger: Logger;
  registry: Registry;
  /** Aggregates read per round. */
  batchSize?: number;
  /**
   * Pause after a round that found nothing; it doubles while rounds keep finding nothing, up
   * to `maxIdleDelayMs`. `notify()` cuts it short, so only events written by other replicas
   * wait for it.
   */
  idleDelayMs?: number;
  maxIdleDelayMs?: number;
  /** How long a relay's hold on its collection lasts unrenewed; others wait for it to lapse. */
  leaseMs?: number;
  maxBackoffMs?: number;
  /**
   * Traces the publishing of every event written in traced work, as a child of the
   * change that wrote it; absent while tracing is off (the event's trace passes unchanged).
   */
  tracer?: Tracer;
}

interface PendingAggregate {
  _id: unknown;
  outbox: OutboxEntry[];
}

const LEASES_COLLECTION = 'outbox_leases';

export class OutboxRelay<T extends WithOutbox = WithOutbox> {
  private readonly ownerId = randomUUID();
  /** The relay reads and writes only the outbox fields, which the plugin guarantees on every such model. */
  private readonly model: Model<WithOutbox>;
  private readonly collection: string;
  private readonly logger: Logger;
  private readonly metrics: EventMetrics;
  private readonly batchSize: number;
  private readonly idleDelayMs: number;
  private readonly maxIdleDelayMs: number;
  private readonly leaseMs: number;
  /** Until when (epoch ms) this relay's last lease write holds it; 0 while another holds it. */
  private heldUntil = 0;
  private readonly maxBackoffMs: number;
  private running: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  private woken = false;

  constructor(private readonly options: OutboxRelayOptions<T>) {
    this.model = options.model as unknown as Model<WithOutbox>;
    this.collection = options.model.collection.collectionName;
    this.logger = options.logger.child({ component: 'outbox-relay', collection: this.collection });
    this.metrics = eventMetrics(options.registry);
    this.batchSize = options.batchSize ?? 200;
    this.idleDelayMs = options.idleDelayMs ?? 100;
    this.maxIdleDelayMs = Math.max(this.idleDelayMs, options.maxIdleDelayMs ?? 1_000);
    this.leaseMs = options.leaseMs ?? 15_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
  }

  start(): void {
    if (this.running !== undefined) return;
    this.stopping = false;
    this.metrics.backlogProbes.set(this.collection, () => this.backlog());
    this.running = this.loop();
  }

  /** Finishes the round in progress, then releases the lease. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.notify();
    await this.running;
    this.running = undefined;
    this.metrics.backlogProbes.delete(this.collection);
    await this.leases()
      .deleteOne({ _id: this.leaseId(), owner: this.ownerId })
      .catch((error: unknown) => {
        this.logger.warn({ err: error }, 'could not release the relay lease; it will expire');
      });
  }

  /** Call after writing events so they go out now rather than at the next poll. */
  notify(): void {
    // A standby relay cannot publish them; the holder's poll will.
    if (this.heldUntil === 0 && !this.stopping) return;
    this.woken = true;
    this.wake?.();
  }

  /** One round: publishes what is pending (up to a batch) and returns how many events went out. */
  async publishPending(): Promise<number> {
    if (!(await this.holdLease())) return 0;
    const pending = await this.model
      .find({ outboxSince: { $exists: true } }, { outbox: 1 })
      .sort({ outboxSince: 1 })
      .limit(this.batchSize)
      // The whole round in the first reply: without it the server stops at 101 and a getMore follows.
      .batchSize(this.batchSize)
      .lean<PendingAggregate[]>()
      .exec();
    const withEvents = pending.filter((aggregate) => aggregate.outbox.length > 0);
    if (withEvents.length > 0) {
      const spans: Span[] = [];
      try {
        await this.options.producer.sendBatch({
          acks: -1,
          topicMessages: this.toTopicMessages(withEvents, spans),
        });
      } catch (error) {
        for (const span of spans) endSpan(span, error);
        throw error;
      }
      for (const span of spans) endSpan(span);
    }
    if (pending.length > 0) {
      // One command for the whole round, whatever its size: the published entries leave every
      // aggregate of the round (event ids are unique, so one list serves all), then the marker
      // leaves those whose outbox is now empty (in order; a concurrent write keeps its marker).
      const ids = pending.map((aggregate) => aggregate._id);
      await this.model.bulkWrite(
        [
          {
            updateMany: {
              filter: { _id: { $in: ids } },
              update: {
                $pull: {
                  outbox: {
                    id: {
                      $in: withEvents.flatMap((aggregate) =>
                        aggregate.outbox.map((entry) => entry.id),
                      ),
                    },
                  },
                },
              },
            },
          },
          {
            updateMany: {
              filter: { _id: { $in: ids }, outbox: { $size: 0 } },
              update: { $unset: { outboxSince: 1 } },
            },
          },
        ],
        { ordered: true },
      );
    }
    const published = withEvents.reduce((sum, aggregate) => sum + aggregate.outbox.length, 0);
    this.metrics.relayPublished.inc({ collection: this.collection }, published);
    return published;
  }

  /** The round's messages by topic; the publishing spans it starts are added to `spans`. */
  private toTopicMessages(aggregates: readonly PendingAggregate[], spans: Span[]): TopicMessages[] {
    const byTopic = new Map<string, TopicMessages>();
    for (const aggregate of aggregates) {
      for (const entry of aggregate.outbox) {
        const messages = byTopic.get(entry.topic) ?? { topic: entry.topic, messages: [] };
        messages.messages.push(
          toKafkaMessage(this.traced(toCloudEvent(entry, this.options.source), entry.topic, spans)),
        );
        byTopic.set(entry.topic, messages);
      }
    }
    return [...byTopic.values()];
  }

  /**
   * The event as sent: in a publishing span, child of the change that wrote it, whose context
   * the consumers continue. Events written outside traced work start no trace here.
   */
  private traced(event: CloudEvent, topic: string, spans: Span[]): CloudEvent {
    const { tracer } = this.options;
    if (tracer === undefined || event.traceparent === undefined) return event;
    const { span, context } = startSpan(
      tracer,
      `publish ${topic}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'send',
          'messaging.destination.name': topic,
          'messaging.message.id': event.id,
          'cloudevents.event_id': event.id,
          'cloudevents.event_type': event.type,
        },
      },
      contextOfTraceHeaders(
        { traceparent: event.traceparent, tracestate: event.tracestate },
        ROOT_CONTEXT,
      ),
    );
    spans.push(span);
    return { ...event, ...traceHeadersOf(context) };
  }

  private async loop(): Promise<void> {
    let failures = 0;
    let idleRounds = 0;
    while (!this.stopping) {
      let published = 0;
      try {
        published = await this.publishPending();
        if (failures > 0) this.logger.info({ failures }, 'relay recovered; publishing again');
        failures = 0;
      } catch (error) {
        failures += 1;
        this.metrics.relayFailures.inc({ collection: this.collection });
        const delay = Math.min(this.maxBackoffMs, 100 * 2 ** Math.min(failures, 10));
        this.logger.warn(
          { err: error, failures, retryInMs: delay },
          'relay round failed; events stay in the outbox',
        );
        await this.pause(delay);
        continue;
      }
      if (this.heldUntil === 0) {
        // Another replica holds the lease: look again when it could have lapsed.
        await this.pause(this.leaseMs / 3);
      } else if (published === 0) {
        const delay = Math.min(this.maxIdleDelayMs, this.idleDelayMs * 2 ** idleRounds);
        idleRounds = (await this.pause(delay)) ? 0 : Math.min(idleRounds + 1, 30);
      } else {
        idleRounds = 0;
      }
    }
  }

  /** Waits `ms`, or less when `notify()` comes first; says whether it did. */
  private async pause(ms: number): Promise<boolean> {
    if (this.woken) {
      this.woken = false;
      return true;
    }
    const woken = await new Promise<boolean>((resolve) => {
      const done = (byNotify: boolean): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve(byNotify);
      };
      const timer = setTimeout(() => {
        done(false);
      }, ms);
      this.wake = () => {
        done(true);
      };
    });
    this.woken = false;
    return woken;
  }

  private leases() {
    return this.model.db.collection<{ _id: string; owner: string; until: Date }>(LEASES_COLLECTION);
  }

  private leaseId(): string {
    return `relay:${this.collection}`;
  }

  /**
   * Takes or renews the lease; false while another relay holds an unexpired one. A held lease
   * is renewed once half of it has run, not on every round.
   */
  private async holdLease(): Promise<boolean> {
    const now = Date.now();
    if (this.heldUntil - now > this.leaseMs / 2) return true;
    try {
      await this.leases().findOneAndUpdate(
        { _id: this.leaseId(), $or: [{ owner: this.ownerId }, { until: { $lt: new Date(now) } }] },
        { $set: { owner: this.ownerId, until: new Date(now + this.leaseMs) } },
        { upsert: true },
      );
      this.heldUntil = now + this.leaseMs;
      return true;
    } catch (error) {
      this.heldUntil = 0;
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  private async backlog(): Promise<{ aggregates: number; oldestSeconds: number }> {
    const [aggregates, oldest] = await Promise.all([
      this.model.countDocuments({ outboxSince: { $exists: true } }).exec(),
      this.model
        .findOne({ outboxSince: { $exists: true } }, { outboxSince: 1 })
        .sort({ outboxSince: 1 })
        .lean<{ outboxSince?: Date }>()
        .exec(),
    ]);
    const since = oldest?.outboxSince;
    return {
      aggregates,
      oldestSeconds: since === undefined ? 0 : (Date.now() - new Date(since).getTime()) / 1000,
    };
  }
}
