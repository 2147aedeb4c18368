/**
 * The grassroots learning network (§5.4): knowledge supermarkets and
 * farmhouse libraries, enterprise-village pairings and their donations, and
 * the coverage the office watches (REST, gRPC, and the gap check, which also
 * runs by itself once per NETWORK_GAP_CHECK_EVERY_MS across replicas).
 */
import { systemActor } from '@learning/audit';
import { chinaYearOf } from '@learning/domain';
import { AppError } from '@learning/errors';
import { tickingWorker } from '@learning/runtime';
import { registerLearningNetworkService } from '../adapters/grpc/learning-network-service.js';
import { registerNetworkRoutes } from '../adapters/http/network.js';
import { MongoReportedGapRepository, reportedGapModel } from '../adapters/mongo/network-gaps.js';
import { MongoPairingRepository, pairingModel } from '../adapters/mongo/network-pairings.js';
import { MongoPlaceRepository, placeModel } from '../adapters/mongo/network-places.js';
import { changePlace } from '../application/network/change-place.js';
import {
  checkCoverage,
  checkCoverageBy,
  type CheckCoverageDeps,
} from '../application/network/check-coverage.js';
import { createPairing, type CreatePairingDeps } from '../application/network/create-pairing.js';
import { createPlace } from '../application/network/create-place.js';
import { NETWORK_JURISDICTION_NOT_FOUND } from '../application/network/errors.js';
import { getCoverage, getCoverageForService } from '../application/network/get-coverage.js';
import { listDonations } from '../application/network/read-donations.js';
import { getPairing, listPairings } from '../application/network/read-pairings.js';
import { getPlace, listPlaces } from '../application/network/read-places.js';
import { receiveDonation } from '../application/network/receive-donation.js';
import { recordDonation } from '../application/network/record-donation.js';
import type { Module, Platform } from '../platform.js';

/** The network's stores on the platform; the models are shared by every caller. */
function networkDeps(platform: Platform): CheckCoverageDeps & CreatePairingDeps {
  const { mongo, logger, audit, clock, jurisdictions, organizations } = platform;
  return {
    places: new MongoPlaceRepository(placeModel(mongo), logger),
    pairings: new MongoPairingRepository(pairingModel(mongo), logger),
    gaps: new MongoReportedGapRepository(reportedGapModel(mongo)),
    jurisdictions,
    organizations,
    audit,
    clock,
  };
}

/** Checks the configured subtree for gaps once per tick, as the system rather than a person. */
function runGapCheck(platform: Platform, deps: CheckCoverageDeps): void {
  const { config, redis, logger, clock } = platform;
  const root = config.NETWORK_GAP_CHECK_ROOT;
  if (root === undefined) {
    logger.info('NETWORK_GAP_CHECK_ROOT is not set: network gaps are checked only on request');
    return;
  }
  const check = checkCoverage(deps);
  const actor = systemActor('network-gap-check');
  platform.runWorker(
    'network gap check',
    tickingWorker({
      name: 'activities:network-gap-check',
      everyMs: config.NETWORK_GAP_CHECK_EVERY_MS,
      redis,
      logger,
      clock,
      run: async (tickAt) => {
        try {
          const outcome = await check(actor, root, chinaYearOf(tickAt));
          logger.info({ ...outcome }, 'network gap check done');
        } catch (error) {
          // A root not in the tree yet (a new city, or before its tree is imported) has no gaps to find.
          if (!(error instanceof AppError && error.code === NETWORK_JURISDICTION_NOT_FOUND))
            throw error;
          logger.warn(
            { root },
            'network gap check skipped: the root jurisdiction is not known yet',
          );
        }
      },
    }),
  );
}

export const networkModule: Module = (platform) => {
  const { mongo, http, grpc } = platform;
  platform.publishOutboxOf(placeModel(mongo));
  platform.publishOutboxOf(pairingModel(mongo));
  platform.publishOutboxOf(reportedGapModel(mongo));
  const deps = networkDeps(platform);

  registerNetworkRoutes(http, {
    createPlace: createPlace(deps),
    listPlaces: listPlaces(deps),
    getPlace: getPlace(deps),
    changePlace: changePlace(deps),
    createPairing: createPairing(deps),
    listPairings: listPairings(deps),
    getPairing: getPairing(deps),
    recordDonation: recordDonation(deps),
    listDonations: listDonations(deps),
    receiveDonation: receiveDonation(deps),
    getCoverage: getCoverage(deps),
    checkCoverage: checkCoverageBy(deps),
  });
  registerLearningNetworkService(grpc, { getCoverageForService: getCoverageForService(deps) });
  runGapCheck(platform, deps);
};
