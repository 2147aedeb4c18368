import { describe, expect, it } from 'vitest';
import { runWithContext } from '@learning/logger';
import {
  defineEvent,
  topics,
  topicsToProvision,
  deadLetterTopicOf,
  consumerGroups,
} from '../../src/registry.js';
import { insertWithEvents, newEvent, updateWithEvents } from '../../src/outbox.js';

const codec = {
  toJSON: (value: { n: number }) => ({ n: value.n }),
  fromJSON: (json: unknown) => json as { n: number },
};
const counted = defineEvent('scoring.credits.awarded.v1', topics.scoringCredits, codec);

describe('defineEvent', () => {
  it.each([
    'CreditsAwarded',
    'scoring.credits.awarded',
    'scoring.Credits.awarded.v1',
    'scoring.credits.awarded.v0',
  ])('when the type is %s, then it is refused', (type) => {
    expect(() => defineEvent(type, topics.scoringCredits, codec)).toThrow(
      /<service>\.<aggregate>\.<what-happened>\.v<n>/,
    );
  });
});

describe('topicsToProvision', () => {
  it('when the registry is provisioned, then every topic and one dead-letter topic per consumer group are listed once', () => {
    const names = topicsToProvision().map((spec) => spec.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain(topics.registrationEnrollments.name);
    expect(names).toContain(deadLetterTopicOf(consumerGroups.scoringCredits));
  });
});

describe('outbox entries', () => {
  it('when an event is created inside a request, then it carries the correlation id and the encoded data', () => {
    const entry = runWithContext({ correlationId: 'corr-abcdef12' }, () =>
      newEvent(counted, 'participant-1', { n: 3 }),
    );
    expect(entry).toMatchObject({
      type: 'scoring.credits.awarded.v1',
      topic: topics.scoringCredits.name,
      subject: 'participant-1',
      correlationId: 'corr-abcdef12',
      data: { n: 3 },
    });
  });

  it('when events are added to an update, then they are pushed in order with the oldest pending time', () => {
    const first = newEvent(counted, 'p', { n: 1 });
    const second = newEvent(counted, 'p', { n: 2 });
    const update = updateWithEvents({ $set: { total: 3 }, $inc: { version: 1 } }, [first, second]);
    expect(update).toEqual({
      $set: { total: 3 },
      $inc: { version: 1 },
      $push: { outbox: { $each: [first, second] } },
      $min: { outboxSince: first.time },
    });
  });

  it('when an update already writes the outbox, then adding events is refused', () => {
    const entry = newEvent(counted, 'p', { n: 1 });
    expect(() => updateWithEvents({ $push: { outbox: entry } }, [entry])).toThrow(
      /already writes the outbox/,
    );
  });

  it('when an aggregate is inserted without events, then it has no pending marker', () => {
    expect(insertWithEvents([])).toEqual({ outbox: [] });
  });
});
