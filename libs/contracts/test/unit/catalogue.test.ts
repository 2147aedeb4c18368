import { readFileSync } from 'node:fs';
import { topics, type EventDefinition } from '@learning/events';
import { describe, expect, it } from 'vitest';
import { eventCatalogue, eventNamespaces, renderEventCatalogue } from '../../src/index.js';

const catalogue = eventCatalogue();

/**
 * A payload with every scalar field away from its proto3 default (and every
 * `…At` timestamp set), so a round trip that drops or mangles a field shows.
 */
function samplePayload(event: EventDefinition<unknown>): Record<string, unknown> {
  const base = event.codec.fromJSON({}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(base).map(([field, value]) => {
      if (typeof value === 'string') return [field, value === '0' ? '42' : `${field}-sample`];
      // Enum value 1 is the first real value after UNSPECIFIED; any other number field takes it too.
      if (typeof value === 'number') return [field, 1];
      if (typeof value === 'boolean') return [field, true];
      if (value === undefined && field.endsWith('At'))
        return [field, new Date('2026-04-01T08:30:00.000Z')];
      return [field, value];
    }),
  );
}

describe('the event catalogue', () => {
  it('when the catalogue is listed, then it holds every event of each namespace', () => {
    expect(catalogue.length).toBeGreaterThanOrEqual(30);
    for (const events of Object.values(eventNamespaces))
      expect(Object.keys(events)).not.toHaveLength(0);
  });

  it('when an event is defined, then its type reads <service>.<aggregate>.<what>.v1, once in the catalogue', () => {
    const pattern =
      /^(registration|activities|lectures|scoring|notifications)\.[a-z][a-z-]*\.[a-z][a-z-]*\.v1$/;
    const misnamed = catalogue.filter(({ event }) => !pattern.test(event.type));
    expect(misnamed.map(({ name, event }) => `${name}: ${event.type}`)).toEqual([]);
    const types = catalogue.map(({ event }) => event.type);
    expect(new Set(types).size).toBe(types.length);
  });

  it("when an event is defined, then its topic is in the registry and belongs to the event's service, or is the platform's erasures topic", () => {
    const registered = Object.values(topics);
    for (const { name, event } of catalogue) {
      expect(registered, name).toContainEqual(event.topic);
      // Every service writes its erasure completion beside registration's requests (decision 0022).
      if (event.topic === topics.privacyErasures) {
        expect(event.type, name).toMatch(/^[a-z]+\.erasure\.[a-z]+\.v1$/);
        continue;
      }
      const service = event.type.split('.')[0] ?? '';
      expect(event.topic.name, name).toMatch(new RegExp(`^learning\\.${service}\\.`));
    }
  });

  it('when a payload is written to Kafka and read back, then it is the same payload', () => {
    for (const { name, event } of catalogue) {
      const payload = samplePayload(event);
      expect(payload, `${name} has no field a sample could fill`).not.toEqual(
        event.codec.fromJSON({}),
      );
      // What the envelope does: the JSON form as text, parsed and decoded on the other side.
      const wire = JSON.stringify(event.codec.toJSON(payload));
      expect(event.codec.fromJSON(JSON.parse(wire)), name).toEqual(payload);
    }
  });
});

describe('the reference page of topics and events', () => {
  it('when docs/events.md is read, then it is what the code generates (pnpm --filter @learning/contracts docs)', () => {
    const page = readFileSync(new URL('../../../../docs/events.md', import.meta.url), 'utf8');
    expect(page).toBe(renderEventCatalogue());
  });

  it('when the page is generated, then every topic and every event type is on it', () => {
    const page = renderEventCatalogue();
    for (const spec of Object.values(topics)) expect(page).toContain(`\`${spec.name}\``);
    for (const { event, payload } of catalogue)
      expect(page).toContain(`| \`${event.type}\` | \`${payload}\` |`);
  });
});
