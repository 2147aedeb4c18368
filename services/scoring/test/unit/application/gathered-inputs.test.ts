import { describe, expect, it } from 'vitest';
import { gatheredInputs } from '../../../src/application/evaluation/gathered-inputs.js';
import type { MetricGatherer, SubjectCard } from '../../../src/application/evaluation/ports.js';
import type { MetricKey, MetricReading } from '../../../src/domain/evaluation.js';

const card = (subjectId: string): SubjectCard => ({
  subjectKind: 'organization',
  subjectId,
  name: subjectId,
  organizationKind: 'enterprise',
  leadDepartment: 'jingmao-ju',
  jurisdictionPath: ['330281000000', '330281001000'],
});

/** A fake source answering `value` for each metric it is asked, recording every call. */
function fakeGatherer(
  metrics: readonly MetricKey[],
  value: number,
  extra: (subjects: readonly SubjectCard[]) => [string, MetricReading[]][] = () => [],
) {
  const calls: { year: number; subjects: string[]; metrics: MetricKey[] }[] = [];
  const gatherer: MetricGatherer = {
    metrics,
    async gather(year, subjects, asked) {
      calls.push({ year, subjects: subjects.map((s) => s.subjectId), metrics: [...asked] });
      return new Map([
        ...subjects.map((subject): [string, MetricReading[]] => [
          subject.subjectId,
          asked.map((metric) => ({ metric, value, source: 'ledger' })),
        ]),
        ...extra(subjects),
      ]);
    },
  };
  return { gatherer, calls };
}

describe('gathered inputs', () => {
  it('when a page is collected, then each gatherer is called once with only the metrics it declares that are needed, and the readings are merged per subject', async () => {
    const ledger = fakeGatherer(['member_credits', 'member_hours', 'own_credits'], 5);
    const registration = fakeGatherer(['members', 'recognized'], 1);
    const inspections = fakeGatherer(['inspections'], 9);
    const inputs = gatheredInputs([ledger.gatherer, registration.gatherer, inspections.gatherer]);

    const readings = await inputs.collect(
      2026,
      [card('a'), card('b')],
      ['member_credits', 'members', 'own_credits', 'member_credits'],
    );

    expect(ledger.calls).toEqual([
      { year: 2026, subjects: ['a', 'b'], metrics: ['member_credits', 'own_credits'] },
    ]);
    expect(registration.calls).toEqual([
      { year: 2026, subjects: ['a', 'b'], metrics: ['members'] },
    ]);
    expect(inspections.calls).toEqual([]);
    expect(readings.get('a')).toEqual([
      { metric: 'member_credits', value: 5, source: 'ledger' },
      { metric: 'own_credits', value: 5, source: 'ledger' },
      { metric: 'members', value: 1, source: 'ledger' },
    ]);
    expect(readings.get('b')).toHaveLength(3);
  });

  it('when a metric is needed that no gatherer declares, then no reading is given for it (the computation reports it missing) and every subject still has an entry', async () => {
    const ledger = fakeGatherer(['member_credits'], 5);
    const inputs = gatheredInputs([ledger.gatherer]);

    const readings = await inputs.collect(2026, [card('a')], ['supermarket', 'lecture_sessions']);

    expect(ledger.calls).toEqual([]);
    expect(readings.get('a')).toEqual([]);
  });

  it('when a gatherer answers for subjects not on the page or metrics it was not asked for, then those readings are left out', async () => {
    const chatty = fakeGatherer(['member_credits', 'member_hours'], 3, () => [
      ['stranger', [{ metric: 'member_credits', value: 100, source: 'ledger' }]],
      [
        'a',
        [
          { metric: 'member_credits', value: 3, source: 'ledger' },
          { metric: 'member_hours', value: 7, source: 'ledger' },
        ],
      ],
    ]);
    const inputs = gatheredInputs([chatty.gatherer]);

    const readings = await inputs.collect(2026, [card('a')], ['member_credits']);

    expect(readings.has('stranger')).toBe(false);
    expect(readings.get('a')).toEqual([{ metric: 'member_credits', value: 3, source: 'ledger' }]);
  });

  it('when the page is empty, then no gatherer is called', async () => {
    const ledger = fakeGatherer(['member_credits'], 5);

    const readings = await gatheredInputs([ledger.gatherer]).collect(2026, [], ['member_credits']);

    expect(readings.size).toBe(0);
    expect(ledger.calls).toEqual([]);
  });

  it('when two gatherers declare the same metric, then composing them fails at once', () => {
    expect(() =>
      gatheredInputs([
        fakeGatherer(['members'], 1).gatherer,
        fakeGatherer(['members', 'recognized'], 2).gatherer,
      ]),
    ).toThrow(/members/);
  });
});
