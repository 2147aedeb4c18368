/**
 * An area's lecture coverage, from lectures' LectureCoverageService
 * (GetTownshipCoverage): the year's sessions at venues in the township or
 * street (scheduled or held, never cancelled) and the months they fall in.
 */
import type { GrpcClient } from '@learning/grpc';
import type { Logger } from '@learning/logger';
import type { lectures } from '@learning/proto';
import { METRICS, type MetricKey, type MetricReading } from '../../domain/evaluation.js';
import type { MetricGatherer } from '../../application/evaluation/ports.js';
import { gatherPerArea } from './per-area.js';

export const LECTURE_METRICS = [
  'lecture_sessions',
  'lecture_months_covered',
] as const satisfies readonly MetricKey[];

/** What the gatherer asks: GetTownshipCoverage (the gRPC client's, or a test's). */
export interface TownshipCoverageLookup {
  readonly call: Pick<
    GrpcClient<typeof lectures.LectureCoverageServiceService>['call'],
    'getTownshipCoverage'
  >;
}

export function lectureReadings(coverage: lectures.TownshipCoverage): MetricReading[] {
  const months = coverage.monthsCovered;
  return [
    {
      metric: 'lecture_sessions',
      value: coverage.sessions,
      source: METRICS.lecture_sessions.source,
      detail: `已举办 ${coverage.heldSessions} 场，听众 ${coverage.attendance} 人次`,
    },
    {
      metric: 'lecture_months_covered',
      value: months.length,
      source: METRICS.lecture_months_covered.source,
      ...(months.length === 0 ? {} : { detail: `${months.join('、')} 月` }),
    },
  ];
}

export function lecturesGatherer(client: TownshipCoverageLookup, logger: Logger): MetricGatherer {
  return {
    metrics: LECTURE_METRICS,
    gather: (year, subjects, metrics) =>
      gatherPerArea(
        {
          source: 'lectures',
          logger,
          async read(areaCode, askedYear) {
            const { coverage } = await client.call.getTownshipCoverage({
              townshipCode: areaCode,
              year: askedYear,
            });
            if (coverage === undefined)
              throw new Error('GetTownshipCoverage answered without coverage');
            return lectureReadings(coverage);
          },
        },
        year,
        subjects,
        metrics,
      ),
  };
}
