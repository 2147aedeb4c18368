/**
 * The event catalogue as a list and as the reference page `docs/events.md`:
 * every topic with its partitions and the events on it (type, payload message,
 * what it means), and every consumer group with its dead-letter topic.
 */
import { consumerGroups, deadLetterTopicOf, topics, type EventDefinition } from '@learning/events';
import * as proto from '@learning/proto';
import * as activityEvents from './activities.js';
import * as evaluationEvents from './evaluation.js';
import * as lectureEvents from './lectures.js';
import * as notificationEvents from './notifications.js';
import * as privacyEvents from './privacy.js';
import * as enrollmentEvents from './registration/enrollments.js';
import * as organizationEvents from './registration/organizations.js';
import * as participantEvents from './registration/participants.js';
import * as creditEvents from './scoring.js';

export const eventNamespaces = {
  participantEvents,
  organizationEvents,
  enrollmentEvents,
  activityEvents,
  lectureEvents,
  creditEvents,
  evaluationEvents,
  notificationEvents,
  privacyEvents,
} as const;

export interface CatalogueEntry {
  /** `<namespace>.<export>`, as code imports it. */
  readonly name: string;
  readonly event: EventDefinition<unknown>;
  /** The protobuf message of its payload, `<package>.<Message>`. */
  readonly payload: string;
}

const isEventDefinition = (value: unknown): value is EventDefinition<unknown> =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { type?: unknown }).type === 'string' &&
  typeof (value as { codec?: unknown }).codec === 'object';

/** The payload's message, found by the generated codec it was defined with. */
function payloadName(event: EventDefinition<unknown>): string {
  for (const [packageName, messages] of Object.entries(proto)) {
    for (const [messageName, message] of Object.entries(messages as Record<string, unknown>)) {
      if (message === event.codec) return `${packageName}.${messageName}`;
    }
  }
  throw new Error(`the payload of ${event.type} is no message of @learning/proto`);
}

export function eventCatalogue(): CatalogueEntry[] {
  return Object.entries(eventNamespaces).flatMap(([namespace, events]) =>
    // Sorted: a module namespace's key order differs between loaders (Node's, vite's).
    Object.entries(events)
      .sort(([a], [b]) => a.localeCompare(b))
      .filter((entry): entry is [string, EventDefinition<unknown>] => isEventDefinition(entry[1]))
      .map(([name, event]) => ({
        name: `${namespace}.${name}`,
        event,
        payload: payloadName(event),
      })),
  );
}

/** docs/events.md: generated, and held equal to the code by a unit test. */
export function renderEventCatalogue(): string {
  const catalogue = eventCatalogue();
  const lines = [
    '# Topics, events and consumer groups',
    '',
    '<!-- Generated from libs/events (topics, consumer groups) and libs/contracts (events) by',
    '`pnpm --filter @learning/contracts docs`; a unit test keeps it equal to the code. -->',
    '',
    "Every event is a CloudEvent in Kafka's binary mode: the `ce_*` headers carry its id, type,",
    'source, time and subject, the value is its payload as protobuf JSON, the key is the aggregate',
    "it is about (so one aggregate's events stay in order on one partition). A department",
    'subscribes to a topic with a consumer group of its own, or to a webhook (notifications).',
    '',
    '## Topics',
    '',
  ];
  for (const spec of Object.values(topics)) {
    lines.push(`### \`${spec.name}\``, '', `${spec.partitions} partitions.`, '');
    const onTopic = catalogue.filter(({ event }) => event.topic.name === spec.name);
    if (onTopic.length === 0) {
      lines.push('No catalogued event: the producing service writes its own records here.', '');
      continue;
    }
    lines.push('| event type | payload | in code |', '| --- | --- | --- |');
    for (const { name, event, payload } of onTopic)
      lines.push(`| \`${event.type}\` | \`${payload}\` | \`${name}\` |`);
    lines.push('');
  }
  lines.push(
    '## Consumer groups',
    '',
    "Each group of the platform's own services, with the topic its failed events are parked on",
    '(`learning dlq replay <group>` sends them back).',
    '',
    '| group | dead-letter topic |',
    '| --- | --- |',
  );
  for (const group of Object.values(consumerGroups))
    lines.push(`| \`${group}\` | \`${deadLetterTopicOf(group)}\` |`);
  return `${lines.join('\n')}\n`;
}
