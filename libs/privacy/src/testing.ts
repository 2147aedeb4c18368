/**
 * Reading erasure completions in integration tests. Every app of a service
 * that a test process runs (other test files start their own) consumes every
 * erasure request on the shared topic and completes it, those that never held
 * the person with nothing erased: a test finds its own app's completion as
 * the one that erased or kept something.
 */
import { fromKafkaMessage, type EventDefinition } from '@learning/events';
import type { privacy } from '@learning/proto';

interface Watched {
  readonly message: Parameters<typeof fromKafkaMessage>[0];
}

/** Whether the completion erased or kept anything: it came from an app that held the person. */
export const touchedData = (completion: privacy.ErasureCompleted): boolean =>
  [...completion.erased, ...completion.kept].some(({ count }) => Number(count) > 0);

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

/** The completions of `definition` for `requestId` that erased or kept something, in arrival order. */
export const completionsThatTouchedData = (
  messages: readonly Watched[],
  definition: EventDefinition<privacy.ErasureCompleted>,
  requestId: string,
): privacy.ErasureCompleted[] =>
  messages.flatMap((watched) => {
    const completion = completionIn(watched, definition, requestId);
    return completion !== undefined && touchedData(completion) ? [completion] : [];
  });
