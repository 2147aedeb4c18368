import { describe, expect, it } from 'vitest';
import {
  fromKafkaMessage,
  MalformedEventError,
  toKafkaMessage,
  type CloudEvent,
} from '../../src/envelope.js';
import { fromDeadLetter, toDeadLetter } from '../../src/dead-letter.js';

const event: CloudEvent<{ seats: number }> = {
  id: '8a4e1d2c-0000-4000-8000-000000000001',
  source: '/learning/registration',
  type: 'registration.enrollment.confirmed.v1',
  subject: 'enrollment-42',
  time: '2026-04-01T08:00:00.000Z',
  correlationId: 'corr-00000001',
  data: { seats: 1 },
};

describe('CloudEvents binary mode', () => {
  it('when an event is written to a Kafka message, then attributes are ce_ headers, the key is the subject and the value is the data', () => {
    const message = toKafkaMessage(event);
    expect(message.key).toBe('enrollment-42');
    expect(JSON.parse(String(message.value))).toEqual({ seats: 1 });
    expect(message.headers).toMatchObject({
      ce_specversion: '1.0',
      ce_id: event.id,
      ce_type: 'registration.enrollment.confirmed.v1',
      ce_source: '/learning/registration',
      ce_subject: 'enrollment-42',
      ce_correlationid: 'corr-00000001',
      'content-type': 'application/json',
    });
  });

  it('when a message read from Kafka carries Buffer headers, then the same event comes back', () => {
    const message = toKafkaMessage(event);
    const asReceived = {
      value: Buffer.from(String(message.value)),
      headers: Object.fromEntries(
        Object.entries(message.headers).map(([name, value]) => [name, Buffer.from(value)]),
      ),
    };
    expect(fromKafkaMessage(asReceived)).toEqual(event);
  });

  it.each([
    ['a missing id', { ce_id: undefined }],
    ['another spec version', { ce_specversion: '0.3' }],
    ['a bad time', { ce_time: 'yesterday' }],
    ['a non-JSON content type', { 'content-type': 'application/xml' }],
  ])('when a message has %s, then it is malformed', (_case, override) => {
    const message = toKafkaMessage(event);
    const headers: Record<string, string | undefined> = { ...message.headers, ...override };
    const cleaned = Object.fromEntries(
      Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    expect(() => fromKafkaMessage({ value: message.value, headers: cleaned })).toThrow(
      MalformedEventError,
    );
  });

  it('when the value is not JSON, then it is malformed', () => {
    const message = toKafkaMessage(event);
    expect(() =>
      fromKafkaMessage({ headers: message.headers, value: Buffer.from('{oops') }),
    ).toThrow(/not valid JSON/);
  });
});

describe('dead letters', () => {
  it('when a message is dead-lettered and taken back, then key, value and original headers are unchanged and the origin is known', () => {
    const original = toKafkaMessage(event);
    const received = {
      key: Buffer.from(original.key),
      value: Buffer.from(String(original.value)),
      headers: original.headers,
      offset: '17',
      timestamp: '0',
      attributes: 0,
    };
    const dead = toDeadLetter(received, {
      topic: 'learning.registration.enrollments.v1',
      partition: 3,
      groupId: 'scoring.credits',
      attempts: 4,
      error: new Error('ledger unavailable'),
    });
    expect(dead.headers).toMatchObject({
      dlq_error: 'ledger unavailable',
      dlq_original_offset: '17',
      dlq_attempts: '4',
      dlq_original_partition: '3',
    });
    const back = fromDeadLetter({ ...received, headers: dead.headers ?? {} });
    expect(back.topic).toBe('learning.registration.enrollments.v1');
    expect(back.message.headers).toEqual(original.headers);
    expect(String(back.message.value)).toBe(String(original.value));
  });
});
