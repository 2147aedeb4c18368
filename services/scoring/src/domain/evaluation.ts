/**
 * The annual evaluation's rules (policy §5.6, §6.4; decision 0019): what an
 * indicator system may measure, how each scoring method turns readings into
 * a score, and how the weighted total meets the standard's pass mark. Pure:
 * readings come in, an explainable result comes out.
 *
 * Numbers that people add up are kept in integer hundredths: a weight of
 * 12.5 % is 1250, a score of 87.25 points is 8725, so totals never pick up
 * binary rounding and "weights sum to 100 %" is an exact comparison.
 */
import { AppError } from '@learning/errors';
import { ORGANIZATION_KINDS, type OrganizationKind } from '@learning/domain';

/** An assessment is of a learning organization or of an area (a township or street as such). */
export const SUBJECT_KINDS = ['organization', 'area'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** Provisional results follow their data; an appeal holds them; locked ones never change. */
export const ASSESSMENT_STATUSES = ['provisional', 'under_appeal', 'locked'] as const;
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number];

/** What an indicator system is for: one kind of organization, or the areas. */
export const SYSTEM_TARGETS = [...ORGANIZATION_KINDS, 'area'] as const;
export type SystemTarget = OrganizationKind | 'area';

export const subjectKindOf = (target: SystemTarget): SubjectKind =>
  target === 'area' ? 'area' : 'organization';

/** Where a metric's figures come from: the service that owns the data. */
export type MetricSource =
  'ledger' | 'registration' | 'activities' | 'lectures' | 'funding' | 'inspections';

export type MetricUnit =
  'people' | 'credits' | 'hours' | 'count' | 'books' | 'yuan' | 'yes_no' | 'points';

export interface MetricDefinition {
  readonly subjects: readonly SubjectKind[];
  readonly unit: MetricUnit;
  readonly source: MetricSource;
  /** What it counts, in Chinese, for the explanation shown beside a score. */
  readonly label: string;
}

const organization = ['organization'] as const;
const area = ['area'] as const;
const both = ['organization', 'area'] as const;

/**
 * Every figure an indicator may draw on, for a subject and a city year. An
 * indicator naming anything else is refused when its system is saved
 * (`INDICATOR_METRIC_UNKNOWN`, `INDICATOR_METRIC_NOT_FOR_TARGET`).
 */
export const METRICS = {
  // A learning organization's own figures.
  members: { subjects: organization, unit: 'people', source: 'registration', label: '成员人数' },
  recognized: {
    subjects: organization,
    unit: 'yes_no',
    source: 'registration',
    label: '已认定为学习型组织',
  },
  member_credits: {
    subjects: organization,
    unit: 'credits',
    source: 'ledger',
    label: '成员获得学分',
  },
  member_hours: { subjects: organization, unit: 'hours', source: 'ledger', label: '成员学习学时' },
  members_credited: {
    subjects: organization,
    unit: 'people',
    source: 'ledger',
    label: '获得学分的成员人数',
  },
  member_attendances: {
    subjects: organization,
    unit: 'count',
    source: 'ledger',
    label: '成员参加活动、讲座、培训人次',
  },
  members_trained: {
    subjects: organization,
    unit: 'people',
    source: 'ledger',
    label: '完成培训的成员人数',
  },
  own_credits: { subjects: organization, unit: 'credits', source: 'ledger', label: '组织获得学分' },
  activities_organized: {
    subjects: organization,
    unit: 'count',
    source: 'ledger',
    label: '组织举办的活动场次',
  },
  books_donated: {
    subjects: organization,
    unit: 'books',
    source: 'ledger',
    label: '向结对书屋捐赠图书册数',
  },
  training_spend_yuan: {
    subjects: organization,
    unit: 'yuan',
    source: 'funding',
    label: '企业年度培训经费（元）',
  },
  training_hours_reported: {
    subjects: organization,
    unit: 'hours',
    source: 'funding',
    label: '企业年度培训学时',
  },
  trainees_reported: {
    subjects: organization,
    unit: 'people',
    source: 'funding',
    label: '企业年度培训人数',
  },
  // A township's or street's figures, over its whole subtree.
  residents: { subjects: area, unit: 'people', source: 'registration', label: '登记学员人数' },
  organizations: { subjects: area, unit: 'count', source: 'registration', label: '学习型组织数' },
  organizations_recognized: {
    subjects: area,
    unit: 'count',
    source: 'registration',
    label: '已认定的学习型组织数',
  },
  resident_credits: { subjects: area, unit: 'credits', source: 'ledger', label: '居民获得学分' },
  resident_hours: { subjects: area, unit: 'hours', source: 'ledger', label: '居民学习学时' },
  residents_credited: {
    subjects: area,
    unit: 'people',
    source: 'ledger',
    label: '获得学分的居民人数',
  },
  residents_trained: {
    subjects: area,
    unit: 'people',
    source: 'ledger',
    label: '完成培训的居民人数',
  },
  supermarket: { subjects: area, unit: 'yes_no', source: 'activities', label: '建有求知超市' },
  villages: { subjects: area, unit: 'count', source: 'activities', label: '村（居）数' },
  villages_with_library: {
    subjects: area,
    unit: 'count',
    source: 'activities',
    label: '建有农家书屋的村（居）数',
  },
  paired_libraries: { subjects: area, unit: 'count', source: 'activities', label: '结对书屋数' },
  libraries_at_standard: {
    subjects: area,
    unit: 'count',
    source: 'activities',
    label: '藏书达到200册的结对书屋数',
  },
  pairings_with_donation: {
    subjects: area,
    unit: 'count',
    source: 'activities',
    label: '当年有捐赠的结对数',
  },
  lecture_sessions: { subjects: area, unit: 'count', source: 'lectures', label: '大讲坛举办场次' },
  lecture_months_covered: {
    subjects: area,
    unit: 'count',
    source: 'lectures',
    label: '举办过大讲坛的月份数',
  },
  funding_received_yuan: {
    subjects: area,
    unit: 'yuan',
    source: 'funding',
    label: '获得的赞助和捐赠（元）',
  },
  // Both: what officers found on their visits.
  inspections: { subjects: both, unit: 'count', source: 'inspections', label: '检查次数' },
  inspection_rating: {
    subjects: both,
    unit: 'points',
    source: 'inspections',
    label: '检查评分（年度平均）',
  },
} as const satisfies Record<string, MetricDefinition>;

export type MetricKey = keyof typeof METRICS;
export const METRIC_KEYS = Object.keys(METRICS) as MetricKey[];

export const isMetricKey = (value: string): value is MetricKey => Object.hasOwn(METRICS, value);

export const metricAppliesTo = (metric: MetricKey, target: SystemTarget): boolean =>
  (METRICS[metric].subjects as readonly SubjectKind[]).includes(subjectKindOf(target));

/** A figure for one subject and year, with where it came from: the data behind a score. */
export interface MetricReading {
  readonly metric: MetricKey;
  readonly value: number;
  readonly source: MetricSource;
  /** What exactly was counted, when the label does not say it all ("3 inspections, ratings 80, 90, 85"). */
  readonly detail?: string;
}

/**
 * How an indicator turns figures into 0–100 points:
 * - `threshold`: full points when the figure reaches `atLeast`, none below;
 * - `linear_band`: none at or below `from`, full at or above `to`, linear between;
 * - `yes_no`: full points when the figure is yes (above 0);
 * - `ratio`: numerator / denominator (members trained / members) on a band;
 * - `per_capita`: like a ratio, over a count of people (training spend per employee).
 */
export type IndicatorMethod =
  | { readonly kind: 'threshold'; readonly metric: MetricKey; readonly atLeast: number }
  | {
      readonly kind: 'linear_band';
      readonly metric: MetricKey;
      readonly from: number;
      readonly to: number;
    }
  | { readonly kind: 'yes_no'; readonly metric: MetricKey }
  | {
      readonly kind: 'ratio' | 'per_capita';
      readonly numerator: MetricKey;
      readonly denominator: MetricKey;
      readonly from: number;
      readonly to: number;
    };

export const INDICATOR_METHOD_KINDS = [
  'threshold',
  'linear_band',
  'yes_no',
  'ratio',
  'per_capita',
] as const;
export type IndicatorMethodKind = (typeof INDICATOR_METHOD_KINDS)[number];

export interface Indicator {
  /** Stable within its system, `[a-z0-9_-]{1,40}`: results and appeals name it. */
  readonly key: string;
  readonly name: string;
  /** Hundredths of a percent: 2500 is 25 %. */
  readonly weight: number;
  readonly method: IndicatorMethod;
}

/** One year's indicator system for one target, at one version. */
export interface IndicatorSystem {
  readonly id: string;
  readonly year: number;
  readonly target: SystemTarget;
  readonly name: string;
  readonly version: number;
  /** Hundredths of a point: the standard (达标) is met at or above it. */
  readonly passMark: number;
  readonly indicators: readonly Indicator[];
}

/** Weights of a system sum to exactly 100 %. */
export const FULL_WEIGHT = 10_000;
/** 100 points, in hundredths. */
export const FULL_SCORE = 10_000;

export const INDICATOR_WEIGHTS_NOT_FULL = 'INDICATOR_WEIGHTS_NOT_FULL';
export const INDICATOR_WEIGHT_INVALID = 'INDICATOR_WEIGHT_INVALID';
export const INDICATOR_METRIC_UNKNOWN = 'INDICATOR_METRIC_UNKNOWN';
export const INDICATOR_METRIC_NOT_FOR_TARGET = 'INDICATOR_METRIC_NOT_FOR_TARGET';
export const INDICATOR_METHOD_INVALID = 'INDICATOR_METHOD_INVALID';
export const INDICATOR_KEY_INVALID = 'INDICATOR_KEY_INVALID';
export const INDICATORS_INVALID = 'INDICATORS_INVALID';
export const PASS_MARK_INVALID = 'PASS_MARK_INVALID';

export const MAX_INDICATORS = 50;
const INDICATOR_KEY = /^[a-z0-9_-]{1,40}$/;

const invalid = (code: string, message: string): AppError =>
  new AppError('invalid_argument', code, message);

const metricsOf = (method: IndicatorMethod): MetricKey[] =>
  'numerator' in method ? [method.numerator, method.denominator] : [method.metric];

/** The metrics a system draws on, each once: what the inputs must gather for it. */
export const metricsOfSystem = (system: Pick<IndicatorSystem, 'indicators'>): MetricKey[] => [
  ...new Set(system.indicators.flatMap((indicator) => metricsOf(indicator.method))),
];

function checkMethod(indicator: Indicator, target: SystemTarget): void {
  const { method, key } = indicator;
  for (const metric of metricsOf(method) as string[]) {
    if (!isMetricKey(metric))
      throw invalid(
        INDICATOR_METRIC_UNKNOWN,
        `Indicator "${key}" draws on "${metric}", which is no figure the platform keeps.`,
      );
    if (!metricAppliesTo(metric, target))
      throw invalid(
        INDICATOR_METRIC_NOT_FOR_TARGET,
        `Indicator "${key}" draws on "${metric}", which is kept for ${METRICS[metric].subjects.join(' and ')}s, not for this system's ${subjectKindOf(target)}s.`,
      );
  }
  const finite = (value: number): boolean => Number.isFinite(value) && value >= 0;
  const checkBand = (from: number, to: number): void => {
    if (!finite(from) || !finite(to) || to <= from)
      throw invalid(INDICATOR_METHOD_INVALID, `Indicator "${key}": the band needs 0 ≤ from < to.`);
  };
  switch (method.kind) {
    case 'threshold':
      if (!finite(method.atLeast))
        throw invalid(
          INDICATOR_METHOD_INVALID,
          `Indicator "${key}": atLeast must be a number of 0 or more.`,
        );
      return;
    case 'yes_no':
      if (METRICS[method.metric].unit !== 'yes_no')
        throw invalid(
          INDICATOR_METHOD_INVALID,
          `Indicator "${key}": yes_no needs a yes/no figure, and "${method.metric}" is counted in ${METRICS[method.metric].unit}.`,
        );
      return;
    case 'linear_band':
      checkBand(method.from, method.to);
      return;
    case 'ratio':
    case 'per_capita':
      if (method.kind === 'per_capita' && METRICS[method.denominator].unit !== 'people')
        throw invalid(
          INDICATOR_METHOD_INVALID,
          `Indicator "${key}": per_capita divides by a count of people, and "${method.denominator}" is counted in ${METRICS[method.denominator].unit}.`,
        );
      if (method.numerator === method.denominator)
        throw invalid(
          INDICATOR_METHOD_INVALID,
          `Indicator "${key}": the numerator and the denominator are the same figure.`,
        );
      checkBand(method.from, method.to);
      return;
    default:
      throw invalid(INDICATOR_METHOD_INVALID, `Indicator "${key}": unknown scoring method.`);
  }
}

/**
 * Refuses a system that could not be scored as the office means it: no or
 * too many indicators, keys repeated or malformed, weights that are not whole
 * hundredths above 0 or do not sum to 100 %, a pass mark outside 0–100, a
 * method on figures that do not exist or are not kept for the target.
 */
export function checkIndicatorSystem(
  system: Pick<IndicatorSystem, 'target' | 'passMark' | 'indicators'>,
): void {
  const { indicators, target, passMark } = system;
  if (!Number.isInteger(passMark) || passMark < 0 || passMark > FULL_SCORE)
    throw invalid(
      PASS_MARK_INVALID,
      'The pass mark is a score from 0 to 100 with at most two decimals.',
    );
  if (indicators.length === 0 || indicators.length > MAX_INDICATORS)
    throw invalid(INDICATORS_INVALID, `A system has 1 to ${MAX_INDICATORS} indicators.`);
  const keys = new Set<string>();
  let total = 0;
  for (const indicator of indicators) {
    if (!INDICATOR_KEY.test(indicator.key) || keys.has(indicator.key))
      throw invalid(
        INDICATOR_KEY_INVALID,
        `Indicator key "${indicator.key}" is malformed or used twice (lower-case letters, digits, _ and -, up to 40).`,
      );
    keys.add(indicator.key);
    if (
      !Number.isInteger(indicator.weight) ||
      indicator.weight <= 0 ||
      indicator.weight > FULL_WEIGHT
    )
      throw invalid(
        INDICATOR_WEIGHT_INVALID,
        `Indicator "${indicator.key}": a weight is a percentage above 0 and at most 100, with at most two decimals.`,
      );
    total += indicator.weight;
    checkMethod(indicator, target);
  }
  if (total !== FULL_WEIGHT)
    throw invalid(
      INDICATOR_WEIGHTS_NOT_FULL,
      `The weights sum to ${formatHundredths(total)} %, not 100 %.`,
    );
}

/** One indicator's outcome, with the figures and the reasoning behind it. */
export interface IndicatorResult {
  readonly key: string;
  readonly name: string;
  readonly weight: number;
  readonly method: IndicatorMethod;
  readonly readings: readonly MetricReading[];
  /** What the method measured: the figure, or the quotient for ratios; null when a ratio had nothing to divide by. */
  readonly measured: number | null;
  /** 0–10000 (hundredths of a point). */
  readonly score: number;
  /** The score's share of the total: score × weight, in hundredths of a point. */
  readonly weighted: number;
  readonly explanation: string;
}

export interface AssessmentResult {
  readonly indicators: readonly IndicatorResult[];
  /** Hundredths of a point. */
  readonly score: number;
  readonly passMark: number;
  readonly passed: boolean;
}

const band = (value: number, from: number, to: number): number =>
  Math.round(Math.min(1, Math.max(0, (value - from) / (to - from))) * FULL_SCORE);

const readingOf = (
  readings: ReadonlyMap<MetricKey, MetricReading>,
  metric: MetricKey,
): MetricReading =>
  readings.get(metric) ?? {
    metric,
    value: 0,
    source: METRICS[metric].source,
    detail: '无数据，按 0 计',
  };

function scoreIndicator(
  indicator: Indicator,
  readings: ReadonlyMap<MetricKey, MetricReading>,
): Omit<IndicatorResult, 'weighted'> {
  const { method } = indicator;
  const base = { key: indicator.key, name: indicator.name, weight: indicator.weight, method };
  switch (method.kind) {
    case 'threshold': {
      const reading = readingOf(readings, method.metric);
      const met = reading.value >= method.atLeast;
      return {
        ...base,
        readings: [reading],
        measured: reading.value,
        score: met ? FULL_SCORE : 0,
        explanation: `${METRICS[method.metric].label} ${formatFigure(reading.value)}，${met ? '达到' : '未达到'} ${formatFigure(method.atLeast)}`,
      };
    }
    case 'yes_no': {
      const reading = readingOf(readings, method.metric);
      const yes = reading.value > 0;
      return {
        ...base,
        readings: [reading],
        measured: yes ? 1 : 0,
        score: yes ? FULL_SCORE : 0,
        explanation: `${METRICS[method.metric].label}：${yes ? '是' : '否'}`,
      };
    }
    case 'linear_band': {
      const reading = readingOf(readings, method.metric);
      return {
        ...base,
        readings: [reading],
        measured: reading.value,
        score: band(reading.value, method.from, method.to),
        explanation: `${METRICS[method.metric].label} ${formatFigure(reading.value)}，在 ${formatFigure(method.from)}（0 分）至 ${formatFigure(method.to)}（满分）之间按比例计分`,
      };
    }
    case 'ratio':
    case 'per_capita': {
      const numerator = readingOf(readings, method.numerator);
      const denominator = readingOf(readings, method.denominator);
      const labels = `${METRICS[method.numerator].label} ÷ ${METRICS[method.denominator].label}`;
      if (denominator.value <= 0)
        return {
          ...base,
          readings: [numerator, denominator],
          measured: null,
          score: 0,
          explanation: `${labels}：分母为 0，无法计算，计 0 分`,
        };
      const quotient = numerator.value / denominator.value;
      return {
        ...base,
        readings: [numerator, denominator],
        measured: quotient,
        score: band(quotient, method.from, method.to),
        explanation: `${labels} = ${formatFigure(numerator.value)} ÷ ${formatFigure(denominator.value)} = ${formatFigure(quotient)}，在 ${formatFigure(method.from)}（0 分）至 ${formatFigure(method.to)}（满分）之间按比例计分`,
      };
    }
  }
}

/**
 * Scores a subject against a system. A figure the inputs did not bring counts
 * as 0, and its reading says so, so a missing source shows in the
 * explanation instead of failing the whole year's run.
 */
export function assess(
  system: Pick<IndicatorSystem, 'indicators' | 'passMark'>,
  readings: readonly MetricReading[],
): AssessmentResult {
  const byMetric = new Map(readings.map((reading) => [reading.metric, reading]));
  let weightedTotal = 0;
  const indicators = system.indicators.map((indicator) => {
    const result = scoreIndicator(indicator, byMetric);
    const weighted = result.score * indicator.weight;
    weightedTotal += weighted;
    return { ...result, weighted: Math.round(weighted / FULL_WEIGHT) };
  });
  const score = Math.round(weightedTotal / FULL_WEIGHT);
  return { indicators, score, passMark: system.passMark, passed: score >= system.passMark };
}

/** 8725 → "87.25": scores, weights and pass marks as people read and type them. */
export const formatHundredths = (value: number): string => {
  const sign = value < 0 ? '-' : '';
  const absolute = Math.abs(value);
  return `${sign}${Math.trunc(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`;
};

const HUNDREDTHS = /^(\d{1,3})(?:\.(\d{1,2}))?$/;

/** "87.25" or 87.25 → 8725; undefined for anything with more than two decimals, negative or not a number. */
export function parseHundredths(value: string | number): number | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  const match = HUNDREDTHS.exec(text);
  if (match === null) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

const formatFigure = (value: number): string =>
  Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
