/**
 * What the two area gatherers share: one call per township or street (the
 * owning services answer a subtree at a time), a few at once so a page of
 * areas does not queue one call behind another nor flood the peer, and a
 * failure kept to its area: the area's readings stay absent (the score then
 * counts 0 and says 无数据) and a warning names the area and the code, so one
 * unreachable service or unknown code never fails a whole run.
 */
import { AppError } from '@learning/errors';
import pLimit from 'p-limit';
import type { Logger } from '@learning/logger';
import type { MetricKey, MetricReading } from '../../domain/evaluation.js';
import type { SubjectCard } from '../../application/evaluation/ports.js';

/** Calls in flight per gatherer at most: a page of areas finishes in a few round trips. */
export const AREA_CALLS_AT_ONCE = 8;

export interface PerAreaRead {
  /** Names the source in the warning: "activities", "lectures". */
  readonly source: string;
  readonly logger: Logger;
  /** The area's readings of the year, every metric the source keeps. */
  read(areaCode: string, year: number): Promise<readonly MetricReading[]>;
}

export async function gatherPerArea(
  source: PerAreaRead,
  year: number,
  subjects: readonly SubjectCard[],
  metrics: readonly MetricKey[],
): Promise<ReadonlyMap<string, readonly MetricReading[]>> {
  const wanted = new Set(metrics);
  const areas = subjects.filter((subject) => subject.subjectKind === 'area');
  const readings = new Map<string, readonly MetricReading[]>();
  if (wanted.size === 0) return readings;
  const limit = pLimit(AREA_CALLS_AT_ONCE);
  await Promise.all(
    areas.map(({ subjectId: areaCode }) =>
      limit(async () => {
        try {
          const all = await source.read(areaCode, year);
          readings.set(
            areaCode,
            all.filter((reading) => wanted.has(reading.metric)),
          );
        } catch (error) {
          source.logger.warn(
            {
              source: source.source,
              areaCode,
              year,
              code: error instanceof AppError ? error.code : 'UNEXPECTED',
            },
            'evaluation inputs: an area’s figures could not be read; they count as absent',
          );
        }
      }),
    ),
  );
  return readings;
}
