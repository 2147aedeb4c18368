/**
 * Coverage of city and countryside (覆盖全市城乡): the office's figures over
 * REST, a township's year over gRPC for other services (scoring), and the
 * gap check, which runs by itself once per COVERAGE_CHECK_EVERY_MS across
 * replicas over COVERAGE_CHECK_ROOT's subtree.
 */
import { AppError } from '@learning/errors';
import { tickingWorker } from '@learning/runtime';
import { registerLectureCoverageService } from '../adapters/grpc/lecture-coverage-service.js';
import { registerCoverageRoutes } from '../adapters/http/coverage.js';
import {
  MongoCoverageCatalogue,
  MongoCoverageFigures,
  MongoExpertPool,
} from '../adapters/mongo/coverage-figures.js';
import { coverageGapModel, MongoGapStore } from '../adapters/mongo/coverage-gaps.js';
import { checkGaps, type CheckGapsDeps } from '../application/coverage/check-gaps.js';
import { COVERAGE_JURISDICTION_NOT_FOUND } from '../application/coverage/errors.js';
import { getCoverage } from '../application/coverage/get-coverage.js';
import { getGaps } from '../application/coverage/get-gaps.js';
import { getRuralShare } from '../application/coverage/get-rural-share.js';
import { getSuggestions } from '../application/coverage/get-suggestions.js';
import { getTownshipCoverage } from '../application/coverage/get-township-coverage.js';
import type { Module, Platform } from '../platform.js';

/** Checks the configured subtree for gaps once per tick. */
function runGapCheck(platform: Platform, deps: CheckGapsDeps): void {
  const { config, redis, logger, clock } = platform;
  const root = config.COVERAGE_CHECK_ROOT;
  if (root === undefined) {
    logger.info('COVERAGE_CHECK_ROOT is not set: coverage gaps are not checked');
    return;
  }
  const check = checkGaps(deps);
  const months = config.COVERAGE_GAP_MONTHS;
  platform.runWorker(
    'coverage gap check',
    tickingWorker({
      name: 'lectures:coverage-gap-check',
      everyMs: config.COVERAGE_CHECK_EVERY_MS,
      redis,
      logger,
      clock,
      run: async () => {
        try {
          const outcome = await check(root, months);
          if (outcome.leadDepartment === null)
            logger.info(
              { ...outcome },
              'coverage gap check: no lecture series yet, nothing reported',
            );
          else logger.info({ ...outcome }, 'coverage gap check done');
        } catch (error) {
          // A root not in the tree yet (before the city's tree is imported) has no gaps to find.
          if (!(error instanceof AppError && error.code === COVERAGE_JURISDICTION_NOT_FOUND))
            throw error;
          logger.warn(
            { root },
            'coverage gap check skipped: the root jurisdiction is not known yet',
          );
        }
      },
    }),
  );
}

export const coverageModule: Module = (platform) => {
  const { mongo, http, grpc, jurisdictions, clock, config } = platform;
  const gapModel = coverageGapModel(mongo);
  platform.publishOutboxOf(gapModel);
  const figures = new MongoCoverageFigures(mongo);
  const deps = {
    jurisdictions,
    clock,
    catalogue: new MongoCoverageCatalogue(mongo),
    figures,
    townshipFigures: figures,
    experts: new MongoExpertPool(mongo),
    gaps: new MongoGapStore(gapModel),
    defaultMonths: config.COVERAGE_GAP_MONTHS,
  };
  registerCoverageRoutes(http, {
    getCoverage: getCoverage(deps),
    getGaps: getGaps(deps),
    getRuralShare: getRuralShare(deps),
    getSuggestions: getSuggestions(deps),
  });
  registerLectureCoverageService(grpc, getTownshipCoverage(deps));
  runGapCheck(platform, deps);
};
