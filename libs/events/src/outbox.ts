/**
 * Reliable publishing without multi-document transactions: pending events
 * live inside the aggregate document they describe, so the state change and
 * its events are one atomic single-document write. The relay publishes them
 * and removes them once the broker has acknowledged.
 */
import { randomUUID } from 'node:crypto';
import { Schema, type UpdateQuery } from 'mongoose';
import { currentCorrelationId } from '@learning/logger';
import { traceHeadersOf } from '@learning/tracing';
import type { CloudEvent } from './envelope.js';
import type { EventDefinition } from './registry.js';

export interface OutboxEntry {
  id: string;
  type: string;
  topic: string;
  /** The aggregate id: the Kafka key and the CloudEvents subject. */
  subject: string;
  time: Date;
  correlationId?: string;
  /** The trace context of the change that wrote the event (CloudEvents distributed tracing). */
  traceparent?: string;
  tracestate?: string;
  data: unknown;
}

/** The fields an aggregate document carries when it publishes events. */
export interface WithOutbox {
  outbox: OutboxEntry[];
  /** Time of the oldest unpublished event; absent when there is nothing to publish. */
  outboxSince?: Date;
}

const outboxEntrySchema = new Schema<OutboxEntry>(
  {
    id: { type: String, required: true },
    type: { type: String, required: true },
    topic: { type: String, required: true },
    subject: { type: String, required: true },
    time: { type: Date, required: true },
    correlationId: { type: String },
    traceparent: { type: String },
    tracestate: { type: String },
    data: { type: Schema.Types.Mixed, required: true },
  },
  { _id: false },
);

/** A mongoose plugin: adds the outbox fields, and the index the relay scans by. */
export function outboxPlugin(schema: Schema): void {
  schema.add({
    outbox: { type: [outboxEntrySchema], default: [] },
    // Absent, not null, when nothing is pending: `$min` sets a missing field but
    // would keep a null (null sorts before every date).
    outboxSince: { type: Date },
  });
  schema.index({ outboxSince: 1 }, { sparse: true });
}

/** Builds one event for an aggregate; the correlation id and trace come from the work in progress. */
export function newEvent<T>(definition: EventDefinition<T>, subject: string, data: T): OutboxEntry {
  const correlationId = currentCorrelationId();
  const trace = traceHeadersOf();
  return {
    id: randomUUID(),
    type: definition.type,
    topic: definition.topic.name,
    subject,
    time: new Date(),
    ...(correlationId === undefined ? {} : { correlationId }),
    ...trace,
    data: definition.codec.toJSON(data),
  };
}

/** Fields to spread into a new aggregate so it is inserted with its events. */
export function insertWithEvents(events: readonly OutboxEntry[]): WithOutbox {
  const oldest = events[0]?.time;
  return oldest === undefined ? { outbox: [] } : { outbox: [...events], outboxSince: oldest };
}

/**
 * Adds events to an update of the aggregate so both are written by the same
 * `updateOne` / `findOneAndUpdate`. `$min` keeps the oldest pending time.
 */
export function updateWithEvents<T>(
  update: UpdateQuery<T>,
  events: readonly OutboxEntry[],
): UpdateQuery<T> {
  if (events.length === 0) return update;
  const oldest = events[0]?.time;
  const existingPush = (update.$push ?? {}) as Record<string, unknown>;
  const existingMin = (update.$min ?? {}) as Record<string, unknown>;
  if ('outbox' in existingPush || 'outboxSince' in existingMin) {
    throw new Error('updateWithEvents: the update already writes the outbox');
  }
  return {
    ...update,
    $push: { ...existingPush, outbox: { $each: [...events] } },
    $min: { ...existingMin, outboxSince: oldest },
  };
}

/** The CloudEvent an outbox entry becomes when it is published by `source`. */
export function toCloudEvent(entry: OutboxEntry, source: string): CloudEvent {
  return {
    id: entry.id,
    source,
    type: entry.type,
    subject: entry.subject,
    time: new Date(entry.time).toISOString(),
    ...(entry.correlationId === undefined ? {} : { correlationId: entry.correlationId }),
    ...(entry.traceparent === undefined ? {} : { traceparent: entry.traceparent }),
    ...(entry.tracestate === undefined ? {} : { tracestate: entry.tracestate }),
    data: entry.data,
  };
}
