/**
 * A message that cannot be handled goes to its consumer group's dead-letter
 * topic unchanged (key, value and original headers) plus `dlq_*` headers
 * saying where it came from and why; replay sends it back to where it came from.
 */
import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import { headerText } from './envelope.js';

export const deadLetterHeader = {
  error: 'dlq_error',
  errorName: 'dlq_error_name',
  originalTopic: 'dlq_original_topic',
  originalPartition: 'dlq_original_partition',
  originalOffset: 'dlq_original_offset',
  groupId: 'dlq_group_id',
  attempts: 'dlq_attempts',
  failedAt: 'dlq_failed_at',
} as const;

const MAX_ERROR_LENGTH = 2_000;

export interface DeadLetterCause {
  topic: string;
  partition: number;
  groupId: string;
  attempts: number;
  error: unknown;
}

function describe(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'NonError', message: String(error) };
}

export function toDeadLetter(message: KafkaMessage, cause: DeadLetterCause): Message {
  const { name, message: text } = describe(cause.error);
  const headers: IHeaders = {
    ...message.headers,
    [deadLetterHeader.error]: text.slice(0, MAX_ERROR_LENGTH),
    [deadLetterHeader.errorName]: name,
    [deadLetterHeader.originalTopic]: cause.topic,
    [deadLetterHeader.originalPartition]: String(cause.partition),
    [deadLetterHeader.originalOffset]: message.offset,
    [deadLetterHeader.groupId]: cause.groupId,
    [deadLetterHeader.attempts]: String(cause.attempts),
    [deadLetterHeader.failedAt]: new Date().toISOString(),
  };
  return { key: message.key, value: message.value, headers };
}

/** The original message, as it was before it was dead-lettered, and where it goes back to. */
export function fromDeadLetter(message: KafkaMessage): { topic: string; message: Message } {
  const topic = headerText(message.headers, deadLetterHeader.originalTopic);
  if (topic === undefined)
    throw new Error(
      `dead letter at offset ${message.offset} has no ${deadLetterHeader.originalTopic} header`,
    );
  const dlqHeaderNames = new Set<string>(Object.values(deadLetterHeader));
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (!dlqHeaderNames.has(name) && value !== undefined) headers[name] = value;
  }
  return { topic, message: { key: message.key, value: message.value, headers } };
}
