/**
 * Reading erasure completions in integration tests. Every app of a service
 * that a test run starts (other test files start their own) consumes every
 * erasure request on the shared topic and completes it in its own database,
 * some holding data of the person too (consents they consumed): a test finds
 * its own app's completion by the event id the app recorded with it.
 */
import { fromKafkaMessage, type EventDefinition } from '@learning/events';
import type { privacy } from '@learning/proto';
import type { Connection } from 'mongoose';
import { erasureModel } from './erasure-log.js';

interface Watched {
  readonly message: Parameters<typeof fromKafkaMessage>[0];
}

/** The completion a watched message carries, when it is one of `definition` for `requestId`. */
export function completionIn(
  watched: Watched,
  definition: EventDefinition<privacy.ErasureCompleted>,
  requestId: string,
): privacy.ErasureCompleted | undefined {
  const event = fromKafkaMessage(watched.message);
  if (event.type !== definition.type) return undefined;
  const completion = definition.codec.fromJSON(event.data);
  return completion.requestId === requestId ? completion : undefined;
}

/**
 * The completions of `requestId` published by the app whose database is
 * `database`: none until it has completed the request, then the one it
 * recorded (and any copy of that event, should one be published twice).
 */
export async function ownCompletions(
  messages: readonly Watched[],
  definition: EventDefinition<privacy.ErasureCompleted>,
  requestId: string,
  database: Connection,
): Promise<privacy.ErasureCompleted[]> {
  const recorded = await erasureModel(database).findById(requestId).lean();
  if (recorded === null) return [];
  return messages.flatMap((watched) => {
    const event = fromKafkaMessage(watched.message);
    return event.id === recorded.eventId && event.type === definition.type
      ? [definition.codec.fromJSON(event.data)]
      : [];
  });
}
