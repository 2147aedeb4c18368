/**
 * CloudEvents 1.0 in Kafka binary content mode: attributes travel as `ce_*`
 * headers, the value is the JSON data alone, the key is the aggregate id so
 * every event of one aggregate lands on one partition, in order.
 */
import type { IHeaders, Message } from 'kafkajs';

export const CLOUDEVENTS_SPEC_VERSION = '1.0';
export const JSON_CONTENT_TYPE = 'application/json';

export interface CloudEvent<T = unknown> {
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject: string;
  /** RFC 3339 timestamp of the occurrence. */
  readonly time: string;
  /** Extension attribute: the id of the request that caused the event. */
  readonly correlationId?: string;
  /** Distributed-tracing extension: the W3C trace context the event was published in. */
  readonly traceparent?: string;
  readonly tracestate?: string;
  readonly data: T;
}

export class MalformedEventError extends Error {
  override readonly name = 'MalformedEventError';
}

const header = {
  specversion: 'ce_specversion',
  id: 'ce_id',
  source: 'ce_source',
  type: 'ce_type',
  subject: 'ce_subject',
  time: 'ce_time',
  correlationId: 'ce_correlationid',
  traceparent: 'ce_traceparent',
  tracestate: 'ce_tracestate',
  contentType: 'content-type',
} as const;

export function toKafkaMessage(
  event: CloudEvent,
): Message & { key: string; headers: Record<string, string> } {
  const headers: Record<string, string> = {
    [header.specversion]: CLOUDEVENTS_SPEC_VERSION,
    [header.id]: event.id,
    [header.source]: event.source,
    [header.type]: event.type,
    [header.subject]: event.subject,
    [header.time]: event.time,
    [header.contentType]: JSON_CONTENT_TYPE,
  };
  if (event.correlationId !== undefined) headers[header.correlationId] = event.correlationId;
  if (event.traceparent !== undefined) headers[header.traceparent] = event.traceparent;
  if (event.tracestate !== undefined) headers[header.tracestate] = event.tracestate;
  return { key: event.subject, value: JSON.stringify(event.data), headers };
}

export function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return typeof first === 'string' ? first : first.toString('utf8');
}

/** Reads a binary-mode message back; anything that is not a valid event is a MalformedEventError. */
export function fromKafkaMessage(message: Pick<Message, 'headers' | 'value'>): CloudEvent {
  const read = (name: string): string => {
    const value = headerText(message.headers, name);
    if (value === undefined || value === '')
      throw new MalformedEventError(`missing header ${name}`);
    return value;
  };
  const specVersion = read(header.specversion);
  if (specVersion !== CLOUDEVENTS_SPEC_VERSION) {
    throw new MalformedEventError(`unsupported CloudEvents spec version ${specVersion}`);
  }
  const contentType = headerText(message.headers, header.contentType) ?? JSON_CONTENT_TYPE;
  if (!contentType.startsWith(JSON_CONTENT_TYPE)) {
    throw new MalformedEventError(`unsupported content type ${contentType}`);
  }
  const time = read(header.time);
  if (Number.isNaN(Date.parse(time))) throw new MalformedEventError(`invalid ce_time ${time}`);
  if (message.value === null) throw new MalformedEventError('empty value');
  let data: unknown;
  try {
    data = JSON.parse(message.value.toString());
  } catch {
    throw new MalformedEventError('value is not valid JSON');
  }
  const correlationId = headerText(message.headers, header.correlationId);
  // Events from before tracing have neither; a malformed one is ignored where it is read.
  const traceparent = headerText(message.headers, header.traceparent);
  const tracestate = headerText(message.headers, header.tracestate);
  return {
    id: read(header.id),
    source: read(header.source),
    type: read(header.type),
    subject: read(header.subject),
    time,
    ...(correlationId === undefined ? {} : { correlationId }),
    ...(traceparent === undefined ? {} : { traceparent }),
    ...(tracestate === undefined ? {} : { tracestate }),
    data,
  };
}
