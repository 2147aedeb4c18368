/** learning.activities.v1.LearningNetworkService: the network's coverage for other services. */
import type { GrpcServer } from '@learning/grpc';
import { activities } from '@learning/proto';
import type { GetCoverageForService } from '../../application/network/get-coverage.js';

export interface LearningNetworkUseCases {
  getCoverageForService: GetCoverageForService;
}

export function registerLearningNetworkService(
  grpc: GrpcServer,
  useCases: LearningNetworkUseCases,
): void {
  grpc.addService(activities.LearningNetworkServiceService, {
    async getCoverage(request) {
      // Proto3 has no absent number: 0 stands for "this year".
      const coverage = await useCases.getCoverageForService(
        request.jurisdictionCode,
        request.year === 0 ? undefined : request.year,
      );
      const { librariesUnderStandard, pairingsWithoutDonationThisYear, ...figures } = coverage;
      return {
        coverage: {
          ...figures,
          // The contract lists paired libraries only: the standard is the pairing programme's.
          librariesUnderStandard: librariesUnderStandard
            .filter((library) => library.paired)
            .map((library) => library.libraryId),
          pairingsWithoutDonation: pairingsWithoutDonationThisYear,
        },
      };
    },
  });
}
