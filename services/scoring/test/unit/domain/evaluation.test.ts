import { AppError } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import {
  assess,
  checkIndicatorSystem,
  formatHundredths,
  metricsOfSystem,
  parseHundredths,
  type Indicator,
  type IndicatorMethod,
  type IndicatorSystem,
  type MetricKey,
  type MetricReading,
} from '../../../src/domain/evaluation.js';

const indicator = (method: IndicatorMethod, overrides: Partial<Indicator> = {}): Indicator => ({
  key: 'only',
  name: '唯一指标',
  weight: 10_000,
  method,
  ...overrides,
});

const reading = (metric: MetricKey, value: number): MetricReading => ({
  metric,
  value,
  source: 'ledger',
});

/** The score (hundredths) of one full-weight indicator over `readings`. */
const scoreOf = (method: IndicatorMethod, readings: MetricReading[]) =>
  assess({ passMark: 6000, indicators: [indicator(method)] }, readings).indicators[0];

type Checked = Pick<IndicatorSystem, 'target' | 'passMark' | 'indicators'>;

const enterpriseSystem = (overrides: Partial<Checked> = {}): Checked => ({
  target: 'enterprise',
  passMark: 6000,
  indicators: [
    indicator(
      { kind: 'ratio', numerator: 'members_trained', denominator: 'members', from: 0, to: 0.8 },
      { key: 'trained', weight: 4000 },
    ),
    indicator(
      {
        kind: 'per_capita',
        numerator: 'training_spend_yuan',
        denominator: 'members',
        from: 0,
        to: 500,
      },
      { key: 'spend', weight: 3550 },
    ),
    indicator({ kind: 'yes_no', metric: 'recognized' }, { key: 'recognized', weight: 1000 }),
    indicator(
      { kind: 'threshold', metric: 'activities_organized', atLeast: 4 },
      { key: 'activities', weight: 1450 },
    ),
  ],
  ...overrides,
});

/** The code `check` refuses with, or undefined when it accepts. */
const refusalOf = (system: Checked): string | undefined => {
  try {
    checkIndicatorSystem(system);
    return undefined;
  } catch (error) {
    if (error instanceof AppError) return `${error.kind} ${error.code}`;
    throw error;
  }
};

const withIndicators = (...indicators: Indicator[]): Checked => enterpriseSystem({ indicators });

describe('the indicator methods', () => {
  it('when a threshold is reached exactly, then full points; one below, none', () => {
    const method: IndicatorMethod = {
      kind: 'threshold',
      metric: 'activities_organized',
      atLeast: 4,
    };

    expect(scoreOf(method, [reading('activities_organized', 4)])).toMatchObject({
      measured: 4,
      score: 10_000,
    });
    expect(scoreOf(method, [reading('activities_organized', 3)])).toMatchObject({
      measured: 3,
      score: 0,
    });
  });

  it('when a linear band is read below, inside and above, then 0, the share in hundredths, and full', () => {
    const method: IndicatorMethod = {
      kind: 'linear_band',
      metric: 'member_hours',
      from: 10,
      to: 40,
    };
    const at = (value: number) => scoreOf(method, [reading('member_hours', value)])?.score;

    expect([at(5), at(10), at(20), at(25), at(40), at(90)]).toEqual([
      0, 0, 3333, 5000, 10_000, 10_000,
    ]);
  });

  it('when a yes/no figure is above 0, then full points; at 0 or missing, none, and the reading says it was missing', () => {
    const method: IndicatorMethod = { kind: 'yes_no', metric: 'recognized' };

    expect(scoreOf(method, [reading('recognized', 1)])).toMatchObject({
      measured: 1,
      score: 10_000,
    });
    expect(scoreOf(method, [reading('recognized', 0)])).toMatchObject({ measured: 0, score: 0 });
    expect(scoreOf(method, [])).toMatchObject({
      measured: 0,
      score: 0,
      readings: [
        { metric: 'recognized', value: 0, source: 'registration', detail: '无数据，按 0 计' },
      ],
    });
  });

  it('when a ratio is read, then the quotient is placed on its band; a denominator of 0 scores 0 with no quotient', () => {
    const method: IndicatorMethod = {
      kind: 'ratio',
      numerator: 'members_trained',
      denominator: 'members',
      from: 0,
      to: 0.8,
    };

    expect(
      scoreOf(method, [reading('members_trained', 30), reading('members', 100)]),
    ).toMatchObject({ measured: 0.3, score: 3750 });
    expect(
      scoreOf(method, [reading('members_trained', 90), reading('members', 100)]),
    ).toMatchObject({ score: 10_000 });
    const empty = scoreOf(method, [reading('members_trained', 5), reading('members', 0)]);
    expect(empty).toMatchObject({ measured: null, score: 0 });
    expect(empty?.explanation).toContain('分母为 0');
  });

  it('when a per-capita figure is read, then it is the amount per person on its band; nobody to divide by scores 0', () => {
    const method: IndicatorMethod = {
      kind: 'per_capita',
      numerator: 'training_spend_yuan',
      denominator: 'members',
      from: 100,
      to: 500,
    };

    expect(
      scoreOf(method, [reading('training_spend_yuan', 60_000), reading('members', 200)]),
    ).toMatchObject({ measured: 300, score: 5000 });
    expect(scoreOf(method, [reading('training_spend_yuan', 60_000)])).toMatchObject({
      measured: null,
      score: 0,
    });
  });

  it('when a share is not a whole number of hundredths, then it is rounded to the nearest hundredth of a point', () => {
    const method: IndicatorMethod = { kind: 'linear_band', metric: 'member_hours', from: 0, to: 3 };

    // 1/3 → 33.333…, 2/3 → 66.666…
    expect(scoreOf(method, [reading('member_hours', 1)])?.score).toBe(3333);
    expect(scoreOf(method, [reading('member_hours', 2)])?.score).toBe(6667);
  });
});

describe('checking an indicator system', () => {
  it('when weights sum to 100 % in hundredths and every method fits, then it is accepted', () => {
    expect(refusalOf(enterpriseSystem())).toBeUndefined();
  });

  it('when the weights do not sum to 100 %, then INDICATOR_WEIGHTS_NOT_FULL says what they sum to', () => {
    const system = enterpriseSystem();
    const short = { ...system, indicators: system.indicators.slice(1) };

    expect(refusalOf(short)).toBe('invalid_argument INDICATOR_WEIGHTS_NOT_FULL');
    expect(() => {
      checkIndicatorSystem(short);
    }).toThrow('60.00 %');
  });

  it('when a weight is 0, negative, fractional in hundredths or above 100 %, then INDICATOR_WEIGHT_INVALID', () => {
    const method: IndicatorMethod = { kind: 'yes_no', metric: 'recognized' };
    for (const weight of [0, -100, 2500.5, 10_001])
      expect(refusalOf(withIndicators(indicator(method, { weight })))).toBe(
        'invalid_argument INDICATOR_WEIGHT_INVALID',
      );
  });

  it('when an indicator names a figure the platform does not keep, then INDICATOR_METRIC_UNKNOWN', () => {
    const method = { kind: 'yes_no', metric: 'happiness' } as unknown as IndicatorMethod;

    expect(refusalOf(withIndicators(indicator(method)))).toBe(
      'invalid_argument INDICATOR_METRIC_UNKNOWN',
    );
  });

  it('when an indicator names a figure kept for the other kind of subject, then INDICATOR_METRIC_NOT_FOR_TARGET', () => {
    expect(refusalOf(withIndicators(indicator({ kind: 'yes_no', metric: 'supermarket' })))).toBe(
      'invalid_argument INDICATOR_METRIC_NOT_FOR_TARGET',
    );
    expect(
      refusalOf({
        target: 'area',
        passMark: 6000,
        indicators: [indicator({ kind: 'threshold', metric: 'members', atLeast: 1 })],
      }),
    ).toBe('invalid_argument INDICATOR_METRIC_NOT_FOR_TARGET');
    expect(
      refusalOf({
        target: 'area',
        passMark: 6000,
        indicators: [indicator({ kind: 'yes_no', metric: 'supermarket' })],
      }),
    ).toBeUndefined();
  });

  it('when a band is empty, reversed, negative or not a number, or a threshold is negative, then INDICATOR_METHOD_INVALID', () => {
    const bands: [number, number][] = [
      [5, 5],
      [10, 5],
      [-1, 5],
      [0, Number.NaN],
      [0, Number.POSITIVE_INFINITY],
    ];
    for (const [from, to] of bands) {
      expect(
        refusalOf(
          withIndicators(indicator({ kind: 'linear_band', metric: 'member_hours', from, to })),
        ),
      ).toBe('invalid_argument INDICATOR_METHOD_INVALID');
      expect(
        refusalOf(
          withIndicators(
            indicator({
              kind: 'ratio',
              numerator: 'members_trained',
              denominator: 'members',
              from,
              to,
            }),
          ),
        ),
      ).toBe('invalid_argument INDICATOR_METHOD_INVALID');
    }
    expect(
      refusalOf(
        withIndicators(indicator({ kind: 'threshold', metric: 'member_hours', atLeast: -1 })),
      ),
    ).toBe('invalid_argument INDICATOR_METHOD_INVALID');
  });

  it('when yes_no is on a figure that is not yes/no, then INDICATOR_METHOD_INVALID', () => {
    expect(refusalOf(withIndicators(indicator({ kind: 'yes_no', metric: 'members' })))).toBe(
      'invalid_argument INDICATOR_METHOD_INVALID',
    );
  });

  it('when per_capita divides by a figure that is not a count of people, or a ratio by itself, then INDICATOR_METHOD_INVALID', () => {
    expect(
      refusalOf(
        withIndicators(
          indicator({
            kind: 'per_capita',
            numerator: 'training_spend_yuan',
            denominator: 'activities_organized',
            from: 0,
            to: 10,
          }),
        ),
      ),
    ).toBe('invalid_argument INDICATOR_METHOD_INVALID');
    expect(
      refusalOf(
        withIndicators(
          indicator({
            kind: 'ratio',
            numerator: 'members',
            denominator: 'members',
            from: 0,
            to: 1,
          }),
        ),
      ),
    ).toBe('invalid_argument INDICATOR_METHOD_INVALID');
  });

  it('when a key is malformed or used twice, then INDICATOR_KEY_INVALID', () => {
    const method: IndicatorMethod = { kind: 'yes_no', metric: 'recognized' };
    for (const key of ['', 'Upper', 'has space', 'x'.repeat(41), '中文'])
      expect(refusalOf(withIndicators(indicator(method, { key })))).toBe(
        'invalid_argument INDICATOR_KEY_INVALID',
      );
    expect(
      refusalOf(
        withIndicators(
          indicator(method, { key: 'twice', weight: 5000 }),
          indicator(method, { key: 'twice', weight: 5000 }),
        ),
      ),
    ).toBe('invalid_argument INDICATOR_KEY_INVALID');
    expect(refusalOf(withIndicators(indicator(method, { key: 'a-b_9'.padEnd(40, 'x') })))).toBe(
      undefined,
    );
  });

  it('when the pass mark is below 0, above 100 or not whole hundredths, then PASS_MARK_INVALID; 0 and 100 are accepted', () => {
    for (const passMark of [-1, 10_001, 60.5])
      expect(refusalOf(enterpriseSystem({ passMark }))).toBe('invalid_argument PASS_MARK_INVALID');
    expect(refusalOf(enterpriseSystem({ passMark: 0 }))).toBeUndefined();
    expect(refusalOf(enterpriseSystem({ passMark: 10_000 }))).toBeUndefined();
  });

  it('when a system has no indicators or more than 50, then INDICATORS_INVALID; exactly 50 is accepted', () => {
    const method: IndicatorMethod = { kind: 'yes_no', metric: 'recognized' };
    const many = (count: number) =>
      Array.from({ length: count }, (_, index) =>
        indicator(method, { key: `k${String(index)}`, weight: 200 }),
      );

    expect(refusalOf(withIndicators())).toBe('invalid_argument INDICATORS_INVALID');
    expect(refusalOf(withIndicators(...many(51)))).toBe('invalid_argument INDICATORS_INVALID');
    expect(refusalOf(withIndicators(...many(50)))).toBeUndefined();
  });

  it('when a system is checked, then the figures it draws on are listed once each', () => {
    expect(metricsOfSystem(enterpriseSystem()).sort()).toEqual(
      [
        'activities_organized',
        'members',
        'members_trained',
        'recognized',
        'training_spend_yuan',
      ].sort(),
    );
  });
});

describe('assessing against a system', () => {
  const system = enterpriseSystem();
  const readings = [
    reading('members_trained', 40),
    reading('members', 100), // 0.4 of 0.8 → 50.00
    reading('training_spend_yuan', 50_000), // 500 per person → 100.00
    reading('recognized', 1), // → 100.00
    reading('activities_organized', 3), // below 4 → 0
  ];

  it('when every indicator is scored, then the total is the weighted sum in hundredths', () => {
    const result = assess(system, readings);

    // 50 × 40 % + 100 × 35.5 % + 100 × 10 % + 0 × 14.5 % = 20 + 35.5 + 10 + 0
    expect(result.score).toBe(6550);
    expect(result.indicators.map((one) => [one.key, one.score, one.weighted])).toEqual([
      ['trained', 5000, 2000],
      ['spend', 10_000, 3550],
      ['recognized', 10_000, 1000],
      ['activities', 0, 0],
    ]);
  });

  it('when the total is exactly the pass mark, then the standard is met; a hundredth above it, not', () => {
    expect(assess({ ...system, passMark: 6550 }, readings)).toMatchObject({
      score: 6550,
      passed: true,
    });
    expect(assess({ ...system, passMark: 6551 }, readings)).toMatchObject({ passed: false });
  });

  it('when weighted shares have fractions, then the total is rounded once, from the exact sum', () => {
    const method: IndicatorMethod = { kind: 'linear_band', metric: 'member_hours', from: 0, to: 3 };
    const thirds = {
      passMark: 3333,
      indicators: [
        indicator(method, { key: 'a', weight: 3333 }),
        indicator(method, { key: 'b', weight: 3333 }),
        indicator(method, { key: 'c', weight: 3334 }),
      ],
    };

    // Each scores 33.33; 3333 × 10000 / 10000 = 33.33 in all.
    expect(assess(thirds, [reading('member_hours', 1)])).toMatchObject({
      score: 3333,
      passed: true,
    });
  });
});

describe('hundredths as people type and read them', () => {
  it('when formatted, then two decimals always, with the sign', () => {
    expect([0, 5, 2500, 8725, 10_000, -5].map(formatHundredths)).toEqual([
      '0.00',
      '0.05',
      '25.00',
      '87.25',
      '100.00',
      '-0.05',
    ]);
  });

  it('when parsed from text or a number, then up to two decimals become hundredths', () => {
    expect(['60', '60.5', '60.25', '0', '100.00'].map(parseHundredths)).toEqual([
      6000, 6050, 6025, 0, 10_000,
    ]);
    expect([60, 87.25, 12.5].map(parseHundredths)).toEqual([6000, 8725, 1250]);
  });

  it('when parsed from anything else, then undefined', () => {
    expect(
      ['60.125', '-1', '', '1e3', '.5', '5.', 'abc', '1000', ' 60'].map(parseHundredths),
    ).toEqual(Array.from({ length: 9 }, () => undefined));
    expect([-1, 0.125, Number.NaN, 1e21].map(parseHundredths)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
