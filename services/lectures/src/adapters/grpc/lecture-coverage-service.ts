/** learning.lectures.v1.LectureCoverageService: a township's lecture year, for other services (scoring's area assessment). */
import type { GrpcServer } from '@learning/grpc';
import { isJurisdictionCode } from '@learning/http';
import { platformErrors } from '@learning/errors';
import { lectures } from '@learning/proto';
import type { GetTownshipCoverage } from '../../application/coverage/get-township-coverage.js';

export function registerLectureCoverageService(
  grpc: GrpcServer,
  getTownshipCoverage: GetTownshipCoverage,
): void {
  grpc.addService(lectures.LectureCoverageServiceService, {
    async getTownshipCoverage(request) {
      if (!isJurisdictionCode(request.townshipCode))
        throw platformErrors.error('VALIDATION_FAILED', 'Name a 12-digit township code.');
      // Proto3 has no absent number: 0 stands for "this year".
      const coverage = await getTownshipCoverage(
        request.townshipCode,
        request.year === 0 ? undefined : request.year,
      );
      return { coverage };
    },
  });
}
