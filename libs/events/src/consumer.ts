/**
 * Runs a consumer group: decodes each CloudEvent, skips what the inbox has
 * already seen, retries transient failures with backoff, sends what still
 * fails to the group's dead-letter topic, and commits an offset only once its
 * message has been handled or dead-lettered and the inbox records of the
 * handled batch are written (one insert per fetched batch).
 */
import pRetry, { AbortError } from 'p-retry';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Registry } from 'prom-client';
import { isAppError } from '@learning/errors';
import {
  acceptCorrelationId,
  newCorrelationId,
  runWithContext,
  type Logger,
} from '@learning/logger';
import { contextOfTraceHeaders, endSpan, startSpan, withTraceContext } from '@learning/tracing';
import {
  ROOT_CONTEXT,
  SpanKind,
  trace,
  type Context,
  type Link,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { fromKafkaMessage, headerText, MalformedEventError, type CloudEvent } from './envelope.js';
import { toDeadLetter } from './dead-letter.js';
import { eventMetrics, type EventMetrics } from './metrics.js';
import { deadLetterTopicOf, type EventDefinition } from './registry.js';
import type { MongoInbox } from './inbox.js';

/** Thrown by a handler when retrying cannot help: the event goes straight to the dead-letter topic. */
export class PermanentEventError extends Error {
  override readonly name = 'PermanentEventError';
}

export interface ConsumedEvent<T> extends CloudEvent<T> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export interface Subscription<T> {
  readonly event: EventDefinition<T>;
  readonly handle: (event: ConsumedEvent<T>) => Promise<void>;
  /** Set by `subscribeRuns`: the handler of consecutive deliveries of the type, together. */
  readonly handleRun?: (events: readonly ConsumedEvent<T>[]) => Promise<void>;
}

/** The most deliveries handed to a run handler at once. */
export const MAX_RUN = 500;

/**
 * Pairs an event with its handler. The handler's payload type is checked here;
 * stored together, subscriptions are erased to `unknown` (the codec decodes
 * the payload for its own handler, so the pairing stays sound).
 */
export const subscribe = <T>(
  event: EventDefinition<T>,
  handle: (event: ConsumedEvent<T>) => Promise<void>,
): Subscription<unknown> => ({ event, handle }) as unknown as Subscription<unknown>;

/**
 * Pairs an event with a handler of runs of it: consecutive deliveries of the
 * type in a fetched batch are handed over together (up to MAX_RUN), in order,
 * so the handler can write them in one round trip. Its writes must be keyed
 * by the event id, so a repeat changes nothing: no inbox record is kept, and
 * a failed run is retried whole; when it keeps failing, its events are
 * handled one by one, so only the one at fault is dead-lettered.
 */
export const subscribeRuns = <T>(
  event: EventDefinition<T>,
  handleRun: (events: readonly ConsumedEvent<T>[]) => Promise<void>,
): Subscription<unknown> =>
  ({
    event,
    handle: (single: ConsumedEvent<T>) => handleRun([single]),
    handleRun,
  }) as unknown as Subscription<unknown>;

export interface ConsumerTuning {
  /** How long the broker may hold an empty fetch (short locally, a few hundred ms in production). */
  maxWaitTimeInMs?: number;
  sessionTimeout?: number;
  heartbeatInterval?: number;
  rebalanceTimeout?: number;
  /** Partitions handled at once; order holds within each partition. */
  partitionsConsumedConcurrently?: number;
}

export interface RetryPolicy {
  /** Attempts after the first one. */
  retries: number;
  minTimeoutMs: number;
  maxTimeoutMs: number;
}

export interface EventConsumerOptions {
  kafka: Kafka;
  groupId: string;
  subscriptions: readonly Subscription<unknown>[];
  inbox: MongoInbox;
  /** Used for dead letters; the service's shared producer. */
  producer: Producer;
  logger: Logger;
  registry: Registry;
  retry?: RetryPolicy;
  tuning?: ConsumerTuning;
  /**
   * Where a group without committed offsets starts: at the beginning of its topics
   * (the default), or at their ends as they are when `start()` resolves.
   */
  fromBeginning?: boolean;
  /**
   * Joins the broker as `<namespace>.<groupId>`; the dead-letter topic and the
   * inbox keep the plain group id, so provisioning and handling are unchanged.
   */
  groupNamespace?: string;
  /**
   * Traces the handling of every event as a child of its `traceparent` (a new trace
   * for events without one); absent while tracing is off.
   */
  tracer?: Tracer;
}

type Outcome = 'processed' | 'duplicate' | 'ignored' | 'dead_lettered';

/** Deliveries waiting to be handed to one run handler. */
interface Run {
  readonly subscription: Subscription<unknown>;
  readonly events: ConsumedEvent<unknown>[];
  readonly messages: KafkaMessage[];
}

export class EventConsumer {
  private readonly consumer: Consumer;
  private readonly handlers = new Map<string, Subscription<unknown>>();
  private readonly topics: string[];
  private readonly logger: Logger;
  private readonly metrics: EventMetrics;
  private readonly retry: RetryPolicy;
  private readonly deadLetterTopic: string;
  /** False when every subscription is a run handler: then nothing here reads or writes the inbox. */
  private readonly usesInbox: boolean;

  constructor(private readonly options: EventConsumerOptions) {
    for (const subscription of options.subscriptions)
      this.handlers.set(subscription.event.type, subscription);
    this.topics = [
      ...new Set(options.subscriptions.map((subscription) => subscription.event.topic.name)),
    ];
    const brokerGroupId =
      options.groupNamespace === undefined
        ? options.groupId
        : `${options.groupNamespace}.${options.groupId}`;
    this.logger = options.logger.child({ component: 'event-consumer', groupId: brokerGroupId });
    this.metrics = eventMetrics(options.registry);
    this.retry = options.retry ?? { retries: 5, minTimeoutMs: 200, maxTimeoutMs: 10_000 };
    this.deadLetterTopic = deadLetterTopicOf(options.groupId);
    this.usesInbox = options.subscriptions.some((subscription) => !subscription.handleRun);
    const tuning = options.tuning ?? {};
    this.consumer = options.kafka.consumer({
      groupId: brokerGroupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: tuning.maxWaitTimeInMs ?? 500,
      sessionTimeout: tuning.sessionTimeout ?? 30_000,
      heartbeatInterval: tuning.heartbeatInterval ?? 3_000,
      rebalanceTimeout: tuning.rebalanceTimeout ?? 60_000,
    });
  }

  async start(): Promise<void> {
    const fromBeginning = this.options.fromBeginning ?? true;
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning });
    const positioned = fromBeginning ? undefined : this.firstFetch();
    await this.consumer.run({
      autoCommit: true,
      partitionsConsumedConcurrently: this.options.tuning?.partitionsConsumedConcurrently ?? 4,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.handleBatch(payload),
    });
    await positioned;
  }

  /**
   * Resolves once the first fetch after joining is done: by then a partition without a
   * committed offset has its position at the end, so an event written after `start()`
   * resolves is read. A member given no partitions never fetches: it stops waiting after
   * a session timeout, when its group has surely settled.
   */
  private firstFetch(): Promise<void> {
    return new Promise((resolve) => {
      const settle = (): void => {
        clearTimeout(timer);
        stopListening();
        resolve();
      };
      const timer = setTimeout(settle, this.options.tuning?.sessionTimeout ?? 30_000);
      const stopListening = this.consumer.on(this.consumer.events.FETCH, settle);
    });
  }

  /** Waits for the message in hand, commits what was handled, and leaves the group. */
  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    // One inbox query per fetched batch; a repeat inside the batch itself is caught as it is recorded.
    const seen = this.usesInbox
      ? await this.options.inbox.seen(
          this.options.groupId,
          batch.messages.flatMap((message) => {
            const id = headerText(message.headers, 'ce_id');
            return id === undefined ? [] : [id];
          }),
        )
      : new Set<string>();
    // Handled events still to be recorded in the inbox, and the last offset handled: it is
    // resolved (so it may be committed) only once those records are written.
    const unrecorded: string[] = [];
    let handledUpTo: string | undefined;
    let run: Run | undefined;
    // An offset is handled only once everything before it is handled: a run goes first.
    const handOver = async (): Promise<void> => {
      if (run === undefined) return;
      const { messages } = run;
      await this.handleRun(batch.topic, batch.partition, run, seen, unrecorded);
      run = undefined;
      handledUpTo = messages[messages.length - 1]?.offset;
      await payload.heartbeat();
    };
    try {
      for (const message of batch.messages) {
        if (!payload.isRunning() || payload.isStale()) return;
        const joining = this.runMember(batch.topic, batch.partition, message, seen);
        if (
          joining !== undefined &&
          run?.subscription === joining.subscription &&
          run.events.length < MAX_RUN
        ) {
          run.events.push(joining.event);
          run.messages.push(message);
          continue;
        }
        await handOver();
        if (joining !== undefined) {
          run = {
            subscription: joining.subscription,
            events: [joining.event],
            messages: [message],
          };
          continue;
        }
        await this.handleMessage(batch.topic, batch.partition, message, seen, unrecorded);
        handledUpTo = message.offset;
        await payload.heartbeat();
      }
      if (!payload.isRunning() || payload.isStale()) return;
      await handOver();
    } finally {
      // Also when the batch stops part-way or fails: what was handled is recorded, in one
      // write, before its offset can be committed, so a later copy of it is still caught.
      // A partition revoked meanwhile is not resolved: its new owner's inbox check covers it.
      await this.options.inbox.record(this.options.groupId, unrecorded);
      if (handledUpTo !== undefined && !payload.isStale()) payload.resolveOffset(handledUpTo);
    }
    // What is still behind once the batch is handled (offsetLagLow would count the batch itself).
    this.metrics.consumerLag.set(
      { group: this.options.groupId, topic: batch.topic, partition: String(batch.partition) },
      Number(batch.offsetLag()),
    );
  }

  /**
   * The delivery, decoded, when a run handler takes it; undefined for anything
   * else, including what does not decode (handled, and dead-lettered, alone).
   */
  private runMember(
    topic: string,
    partition: number,
    message: KafkaMessage,
    seen: Set<string>,
  ): { subscription: Subscription<unknown>; event: ConsumedEvent<unknown> } | undefined {
    const type = headerText(message.headers, 'ce_type');
    const subscription = type === undefined ? undefined : this.handlers.get(type);
    if (subscription?.handleRun === undefined) return undefined;
    try {
      const event = fromKafkaMessage(message);
      if (event.type !== type || seen.has(event.id)) return undefined;
      const data = subscription.event.codec.fromJSON(event.data);
      return { subscription, event: { ...event, data, topic, partition, offset: message.offset } };
    } catch {
      return undefined;
    }
  }

  private async handleRun(
    topic: string,
    partition: number,
    run: Run,
    seen: Set<string>,
    unrecorded: string[],
  ): Promise<void> {
    const { subscription, events, messages } = run;
    const handleRun = subscription.handleRun;
    if (handleRun === undefined) return;
    const labels = { group: this.options.groupId, type: subscription.event.type };
    const timer = this.metrics.consumerHandling.startTimer(labels);
    const traced = this.startHandling(topic, subscription.event.type, events);
    try {
      await this.withRetries(
        () => withTraceContext(traced?.context, () => handleRun(events)),
        (error, attemptNumber) => {
          this.logger.warn(
            { err: error, type: labels.type, events: events.length, attemptNumber },
            'handling a run of events failed; retrying',
          );
        },
      );
    } catch (error) {
      this.logger.warn(
        { err: error, type: labels.type, events: events.length },
        'a run of events kept failing; handling them one by one',
      );
      if (traced !== undefined) endSpan(traced.span, error);
      for (const message of messages)
        await this.handleMessage(topic, partition, message, seen, unrecorded);
      return;
    } finally {
      timer();
    }
    if (traced !== undefined) {
      traced.span.setAttribute('learning.event.outcome', 'processed');
      endSpan(traced.span);
    }
    for (const event of events) seen.add(event.id);
    this.metrics.consumerProcessed.inc({ ...labels, outcome: 'processed' }, events.length);
  }

  private async handleMessage(
    topic: string,
    partition: number,
    message: KafkaMessage,
    seen: Set<string>,
    unrecorded: string[],
  ): Promise<void> {
    let event: CloudEvent;
    try {
      event = fromKafkaMessage(message);
    } catch (error) {
      await this.deadLetter(topic, partition, message, error, 1, 'unknown');
      return;
    }
    const correlationId = acceptCorrelationId(event.correlationId) ?? newCorrelationId();
    const traced = this.handlers.has(event.type)
      ? this.startHandling(topic, event.type, [event])
      : undefined;
    await withTraceContext(traced?.context, () =>
      runWithContext({ correlationId }, async () => {
        let outcome: Outcome;
        try {
          outcome = await this.dispatch(topic, partition, message, event, seen, unrecorded);
        } catch (error) {
          // The dead letter could not be sent: the batch fails and the message comes back.
          if (traced !== undefined) endSpan(traced.span, error);
          throw error;
        }
        this.metrics.consumerProcessed.inc({
          group: this.options.groupId,
          type: event.type,
          outcome,
        });
        if (traced !== undefined) {
          traced.span.setAttribute('learning.event.outcome', outcome);
          endSpan(
            traced.span,
            outcome === 'dead_lettered' ? new PermanentEventError('dead-lettered') : undefined,
          );
        }
      }),
    );
  }

  /**
   * The handling span of `events` (one, or a run of one type), child of the first one's
   * trace context and linked to every event's, so a run joins each trace it continues.
   */
  private startHandling(
    topic: string,
    type: string,
    events: readonly CloudEvent[],
  ): { span: Span; context: Context } | undefined {
    const { tracer } = this.options;
    if (tracer === undefined) return undefined;
    const parents = events.map((event) =>
      contextOfTraceHeaders(
        { traceparent: event.traceparent, tracestate: event.tracestate },
        ROOT_CONTEXT,
      ),
    );
    const links: Link[] = parents.flatMap((parent) => {
      const spanContext = trace.getSpanContext(parent);
      return spanContext === undefined ? [] : [{ context: spanContext }];
    });
    return startSpan(
      tracer,
      `process ${topic}`,
      {
        kind: SpanKind.CONSUMER,
        links: events.length > 1 ? links : [],
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'process',
          'messaging.destination.name': topic,
          'messaging.consumer.group.name': this.options.groupId,
          'messaging.batch.message_count': events.length,
          'cloudevents.event_type': type,
          ...(events.length === 1 && events[0] !== undefined
            ? { 'cloudevents.event_id': events[0].id, 'messaging.message.id': events[0].id }
            : {}),
        },
      },
      parents[0] ?? ROOT_CONTEXT,
    );
  }

  private async dispatch(
    topic: string,
    partition: number,
    message: KafkaMessage,
    event: CloudEvent,
    seen: Set<string>,
    unrecorded: string[],
  ): Promise<Outcome> {
    const subscription = this.handlers.get(event.type);
    // Topics carry several event types; a group handles only those it subscribed to.
    if (subscription === undefined) return 'ignored';
    if (seen.has(event.id)) {
      this.logger.debug({ eventId: event.id, type: event.type }, 'duplicate event skipped');
      return 'duplicate';
    }
    let data: unknown;
    try {
      data = subscription.event.codec.fromJSON(event.data);
    } catch (error) {
      await this.deadLetter(topic, partition, message, error, 1, event.type, event.id);
      return 'dead_lettered';
    }
    const consumed: ConsumedEvent<unknown> = {
      ...event,
      data,
      topic,
      partition,
      offset: message.offset,
    };
    const timer = this.metrics.consumerHandling.startTimer({
      group: this.options.groupId,
      type: event.type,
    });
    let attempts = 0;
    try {
      await this.withRetries(
        async () => {
          attempts += 1;
          await subscription.handle(consumed);
        },
        (error, attemptNumber) => {
          this.logger.warn(
            { err: error, eventId: event.id, type: event.type, attemptNumber },
            'event handling failed; retrying',
          );
        },
      );
    } catch (error) {
      await this.deadLetter(topic, partition, message, error, attempts, event.type, event.id);
      return 'dead_lettered';
    } finally {
      timer();
    }
    if (subscription.handleRun === undefined) unrecorded.push(event.id);
    seen.add(event.id);
    return 'processed';
  }

  /** Runs `handle` under the group's retry policy; a permanent failure is not retried. */
  private async withRetries(
    handle: () => Promise<void>,
    onRetry: (error: unknown, attemptNumber: number) => void,
  ): Promise<void> {
    await pRetry(
      async () => {
        try {
          await handle();
        } catch (error) {
          if (isPermanent(error))
            throw new AbortError(error instanceof Error ? error : String(error));
          throw error;
        }
      },
      {
        retries: this.retry.retries,
        minTimeout: this.retry.minTimeoutMs,
        maxTimeout: this.retry.maxTimeoutMs,
        onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
          if (retriesLeft > 0) onRetry(error, attemptNumber);
        },
      },
    );
  }

  private async deadLetter(
    topic: string,
    partition: number,
    message: KafkaMessage,
    error: unknown,
    attempts: number,
    type: string,
    eventId?: string,
  ): Promise<void> {
    this.logger.error(
      {
        err: error,
        topic,
        partition,
        offset: message.offset,
        eventId,
        type,
        attempts,
        deadLetterTopic: this.deadLetterTopic,
      },
      'event dead-lettered',
    );
    // If this send fails the batch throws, the offset stays uncommitted, and the message comes back.
    await this.options.producer.send({
      topic: this.deadLetterTopic,
      acks: -1,
      messages: [
        toDeadLetter(message, { topic, partition, groupId: this.options.groupId, attempts, error }),
      ],
    });
    if (eventId === undefined) {
      this.metrics.consumerProcessed.inc({
        group: this.options.groupId,
        type,
        outcome: 'dead_lettered',
      });
    }
  }
}

function isPermanent(error: unknown): boolean {
  if (error instanceof PermanentEventError || error instanceof MalformedEventError) return true;
  return (
    isAppError(error) && (error.kind === 'invalid_argument' || error.kind === 'permission_denied')
  );
}
