/** What the gatherers share: readings keyed by subject, and the unit conversions of stored figures. */
import type { SubjectCard } from '../../application/evaluation/ports.js';
import { METRICS, type MetricKey, type MetricReading } from '../../domain/evaluation.js';

/** Two decimals, as the readings are shown and compared. */
export const twoDecimals = (value: number): number => Math.round(value * 100) / 100;
/** Ledger amounts and scores are hundredths. */
export const fromHundredths = (hundredths: number): number => hundredths / 100;
export const hoursOf = (minutes: number): number => twoDecimals(minutes / 60);
/** Money is stored in fen; indicators read yuan. */
export const yuanOf = (fen: number): number => twoDecimals(fen / 100);

export type Readings = Map<string, MetricReading[]>;

export const emptyReadings = (subjects: readonly SubjectCard[]): Readings =>
  new Map(subjects.map((subject) => [subject.subjectId, []]));

/** Adds one reading, of the metric's own source, when the metric was asked for. */
export function addReading(
  readings: Readings,
  asked: ReadonlySet<MetricKey>,
  subjectId: string,
  metric: MetricKey,
  value: number,
  detail?: string,
): void {
  if (!asked.has(metric)) return;
  readings.get(subjectId)?.push({
    metric,
    value,
    source: METRICS[metric].source,
    ...(detail === undefined ? {} : { detail }),
  });
}

/** The ids of the page's subjects of one kind: organizations by id, areas by code. */
export const idsOf = (
  subjects: readonly SubjectCard[],
  kind: SubjectCard['subjectKind'],
): string[] =>
  subjects.filter((subject) => subject.subjectKind === kind).map((subject) => subject.subjectId);

export const anyOf = (asked: ReadonlySet<MetricKey>, metrics: readonly MetricKey[]): boolean =>
  metrics.some((metric) => asked.has(metric));

/** `items` in slices of at most `size`: what one call to a source may carry. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    chunks.push(items.slice(start, start + size));
  return chunks;
}
