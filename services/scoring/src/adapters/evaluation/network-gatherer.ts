/**
 * An area's learning network, from activities' LearningNetworkService
 * (GetCoverage over the township's or street's subtree): the knowledge
 * supermarket, villages and their farmhouse libraries, paired libraries at
 * the 200-book standard, pairings with a donation received in the year.
 */
import type { GrpcClient } from '@learning/grpc';
import type { Logger } from '@learning/logger';
import type { activities } from '@learning/proto';
import { METRICS, type MetricKey, type MetricReading } from '../../domain/evaluation.js';
import type { MetricGatherer } from '../../application/evaluation/ports.js';
import { gatherPerArea } from './per-area.js';

export const NETWORK_METRICS = [
  'supermarket',
  'villages',
  'villages_with_library',
  'paired_libraries',
  'libraries_at_standard',
  'pairings_with_donation',
] as const satisfies readonly MetricKey[];

/** What the gatherer asks: GetCoverage (the gRPC client's, or a test's). */
export interface CoverageLookup {
  readonly call: Pick<
    GrpcClient<typeof activities.LearningNetworkServiceService>['call'],
    'getCoverage'
  >;
}

const reading = (
  metric: (typeof NETWORK_METRICS)[number],
  value: number,
  detail?: string,
): MetricReading => ({
  metric,
  value,
  source: METRICS[metric].source,
  ...(detail === undefined ? {} : { detail }),
});

/** The six figures of an area's coverage; never below 0, whatever the lists hold. */
export function networkReadings(areaCode: string, coverage: activities.Coverage): MetricReading[] {
  const hasSupermarket =
    coverage.supermarkets > 0 && !coverage.townshipsWithoutSupermarket.includes(areaCode);
  const withLibrary = Math.max(0, coverage.villages - coverage.villagesWithoutLibrary.length);
  const atStandard = Math.max(0, coverage.pairedLibraries - coverage.librariesUnderStandard.length);
  const withDonation = Math.max(0, coverage.pairings - coverage.pairingsWithoutDonation.length);
  return [
    reading('supermarket', hasSupermarket ? 1 : 0, `求知超市 ${coverage.supermarkets} 个`),
    reading('villages', coverage.villages),
    reading('villages_with_library', withLibrary, `共 ${coverage.villages} 个村（居）`),
    reading('paired_libraries', coverage.pairedLibraries),
    reading('libraries_at_standard', atStandard, `结对书屋 ${coverage.pairedLibraries} 个`),
    reading('pairings_with_donation', withDonation, `结对 ${coverage.pairings} 个`),
  ];
}

export function networkGatherer(client: CoverageLookup, logger: Logger): MetricGatherer {
  return {
    metrics: NETWORK_METRICS,
    gather: (year, subjects, metrics) =>
      gatherPerArea(
        {
          source: 'activities',
          logger,
          async read(areaCode, askedYear) {
            const { coverage } = await client.call.getCoverage({
              jurisdictionCode: areaCode,
              year: askedYear,
            });
            // An answer without its coverage is no figure at all, not a network of zeros.
            if (coverage === undefined) throw new Error('GetCoverage answered without coverage');
            return networkReadings(areaCode, coverage);
          },
        },
        year,
        subjects,
        metrics,
      ),
  };
}
