import {
  endSpan,
  InMemorySpanExporter,
  startSpan,
  startTracing,
  withTraceContext,
  type Tracing,
} from '@learning/tracing';
import type { Tracer } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromKafkaMessage, toKafkaMessage } from '../../src/envelope.js';
import { newEvent, toCloudEvent } from '../../src/outbox.js';
import { defineEvent, topics } from '../../src/registry.js';

const counted = defineEvent('scoring.credits.awarded.v1', topics.scoringCredits, {
  toJSON: (value: { n: number }) => ({ n: value.n }),
  fromJSON: (json: unknown) => json as { n: number },
});

describe('the CloudEvents traceparent extension', () => {
  let tracing: Tracing;
  let tracer: Tracer;
  beforeAll(() => {
    tracing = startTracing({
      service: { name: 'scoring', version: '1' },
      config: { OTEL_TRACES_SAMPLER_ARG: 1, OTEL_BSP_SCHEDULE_DELAY: 5_000 },
      exporter: new InMemorySpanExporter(),
    });
    tracer = tracing.tracer as Tracer;
  });
  afterAll(() => tracing.shutdown());

  it('when an event is written inside traced work, then it carries that span as its traceparent to the consumer', () => {
    const { span, context } = startSpan(tracer, 'POST /v1/enrollments', {});
    const entry = withTraceContext(context, () => newEvent(counted, 'participant-1', { n: 1 }));
    endSpan(span);
    const { traceId, spanId } = span.spanContext();
    expect(entry.traceparent).toBe(`00-${traceId}-${spanId}-01`);

    const message = toKafkaMessage(toCloudEvent(entry, '/learning/scoring'));
    expect(message.headers['ce_traceparent']).toBe(entry.traceparent);
    expect(fromKafkaMessage(message).traceparent).toBe(entry.traceparent);
  });

  it('when an event is written outside traced work, then it has no trace attributes and reads back without them', () => {
    const entry = newEvent(counted, 'participant-1', { n: 1 });
    expect(entry).not.toHaveProperty('traceparent');
    const message = toKafkaMessage(toCloudEvent(entry, '/learning/scoring'));
    expect(Object.keys(message.headers)).not.toContain('ce_traceparent');
    const read = fromKafkaMessage(message);
    expect(read).not.toHaveProperty('traceparent');
    expect(read).not.toHaveProperty('tracestate');
  });

  it('when a message carries a tracestate, then it is read back with its traceparent', () => {
    const entry = {
      ...newEvent(counted, 'participant-1', { n: 1 }),
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'city=rojo',
    };
    const read = fromKafkaMessage(toKafkaMessage(toCloudEvent(entry, '/learning/scoring')));
    expect(read.traceparent).toBe(entry.traceparent);
    expect(read.tracestate).toBe('city=rojo');
  });
});
