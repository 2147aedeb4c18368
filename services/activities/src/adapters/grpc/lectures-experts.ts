/**
 * The lectures service's expert pool, over its ExpertDirectoryService: a
 * class's trainers who are experts are checked and named from it. When
 * lectures cannot be reached the call fails as UPSTREAM_UNAVAILABLE, and the
 * class is not written.
 */
import { createGrpcClient } from '@learning/grpc';
import type { Logger } from '@learning/logger';
import { lectures } from '@learning/proto';
import type { Expert, ExpertDirectory } from '../../application/training/classes/ports.js';

export interface LecturesExpertsOptions {
  readonly address: string;
  readonly logger: Logger;
  readonly tokenProvider?: () => Promise<string> | string;
}

export function connectLecturesExperts(options: LecturesExpertsOptions): ExpertDirectory & {
  close(): void;
} {
  const client = createGrpcClient(lectures.ExpertDirectoryServiceClient, {
    address: options.address,
    logger: options.logger,
    idempotentMethods: ['getExperts'],
    ...(options.tokenProvider === undefined ? {} : { tokenProvider: options.tokenProvider }),
  });
  return {
    async find(ids) {
      const { experts } = await client.call.getExperts({ expertIds: [...ids] });
      return new Map(
        experts.map((expert): [string, Expert] => [
          expert.expertId,
          {
            id: expert.expertId,
            name: expert.name,
            active: expert.status === lectures.ExpertStatus.EXPERT_STATUS_ACTIVE,
          },
        ]),
      );
    },
    close() {
      client.close();
    },
  };
}
