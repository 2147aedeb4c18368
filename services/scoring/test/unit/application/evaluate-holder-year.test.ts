import { rejectionOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import {
  EVALUATION_ATTEMPTS,
  EvaluationContendedError,
  evaluateHolderYear,
} from '../../../src/application/credits/evaluate-holder-year.js';
import type { CreditFact } from '../../../src/domain/facts.js';
import { creditFact, creditRule } from '../../support/credit-fixtures.js';
import { CountingMetrics, MemoryLedger, RecordingFacts } from './credits-fakes.js';

const holder = { kind: 'person' as const, id: 'p1' };

const fact = (sourceId: string, occurredAt: string): CreditFact =>
  creditFact({
    sourceId,
    holder,
    occurredAt: new Date(occurredAt),
    category: null,
    minutes: 60,
    jurisdictionPath: [],
    title: 't',
  });

const rule = creditRule({ id: 'r1', name: 'r1' });

function setUp() {
  const facts = new RecordingFacts();
  const ledger = new MemoryLedger();
  const metrics = new CountingMetrics();
  const asked: string[] = [];
  const evaluate = evaluateHolderYear({
    facts,
    ledger,
    metrics,
    rules: {
      rulesFor: async (source, year) => {
        asked.push(`${source}|${year}`);
        return source === 'lecture_attended' ? [rule] : [];
      },
    },
  });
  return { facts, ledger, metrics, asked, evaluate };
}

describe('evaluating a holder’s year', () => {
  it('when facts are new, then their entries are appended and counted, and the rules of their sources asked once each', async () => {
    const { facts, ledger, metrics, asked, evaluate } = setUp();
    await facts.record(fact('a', '2026-04-01T01:00:00Z'));
    await facts.record(fact('b', '2026-04-02T01:00:00Z'));
    expect(await evaluate(holder, 2026)).toBe(2);
    expect(ledger.entries.map((entry) => [entry.sourceId, entry.amount])).toEqual([
      ['a', 100],
      ['b', 100],
    ]);
    expect(metrics.appended).toEqual(['awarded', 'awarded']);
    expect(asked).toEqual(['lecture_attended|2026']);
    expect(await evaluate(holder, 2026)).toBe(0);
  });

  it('when another evaluation appends first, then it starts again from fresh reads and counts a retry', async () => {
    const { facts, ledger, metrics, evaluate } = setUp();
    await facts.record(fact('a', '2026-04-01T01:00:00Z'));
    ledger.conflicts = 2;
    expect(await evaluate(holder, 2026)).toBe(1);
    expect(metrics.retries).toBe(2);
    expect(ledger.entries).toHaveLength(1);
  });

  it('when appends keep being refused, then it gives up so that the event is delivered again', async () => {
    const { facts, ledger, metrics, evaluate } = setUp();
    await facts.record(fact('a', '2026-04-01T01:00:00Z'));
    ledger.conflicts = EVALUATION_ATTEMPTS;
    expect(await rejectionOf(evaluate(holder, 2026))).toBeInstanceOf(EvaluationContendedError);
    expect(metrics.retries).toBe(EVALUATION_ATTEMPTS);
    expect(ledger.entries).toEqual([]);
  });
});
