/** learning.lectures.v1.ExpertDirectoryService: the expert pool by id, for other services (activities' trainers). */
import type { GrpcServer } from '@learning/grpc';
import { isUuid } from '@learning/http';
import { platformErrors } from '@learning/errors';
import { lectures } from '@learning/proto';
import type { ExpertRepository } from '../../application/experts/ports.js';

/** As many as one request of another service names; more is a bulk export. */
const MAX_IDS = 100;

export function registerExpertDirectoryService(
  grpc: GrpcServer,
  experts: Pick<ExpertRepository, 'get'>,
): void {
  grpc.addService(lectures.ExpertDirectoryServiceService, {
    async getExperts(request) {
      const ids = [...new Set(request.expertIds)];
      if (ids.length === 0 || ids.length > MAX_IDS || !ids.every(isUuid))
        throw platformErrors.error(
          'VALIDATION_FAILED',
          `Name 1 to ${MAX_IDS} expert ids, each a lower-case UUID.`,
        );
      const found = await Promise.all(ids.map((id) => experts.get(id)));
      return {
        experts: found.flatMap((expert) =>
          expert === null
            ? []
            : [
                {
                  expertId: expert.id,
                  name: expert.displayName,
                  fields: [...expert.fields],
                  status:
                    expert.status === 'active'
                      ? lectures.ExpertStatus.EXPERT_STATUS_ACTIVE
                      : lectures.ExpertStatus.EXPERT_STATUS_RETIRED,
                },
              ],
        ),
      };
    },
  });
}
