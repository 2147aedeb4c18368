/**
 * The gRPC clients behind the area gatherers: activities for the learning
 * network, lectures for lecture coverage, each with this service's token.
 * Both methods only read, so a call that did not reach its peer is retried.
 */
import { createGrpcClient } from '@learning/grpc';
import type { Logger } from '@learning/logger';
import { activities, lectures } from '@learning/proto';
import type { MetricGatherer } from '../../application/evaluation/ports.js';
import { lecturesGatherer } from './lectures-gatherer.js';
import { networkGatherer } from './network-gatherer.js';

/** GetCoverage walks the township's subtree in registration before counting: more than a lookup. */
const COVERAGE_DEADLINE_MS = 5_000;

export interface AreaSourcesOptions {
  readonly activitiesAddress: string;
  readonly lecturesAddress: string;
  readonly logger: Logger;
  readonly activitiesToken?: () => Promise<string> | string;
  readonly lecturesToken?: () => Promise<string> | string;
}

export interface AreaSources {
  /** The network's and the lectures' figures of areas, for the evaluation inputs. */
  readonly gatherers: readonly MetricGatherer[];
  close(): void;
}

export function connectAreaSources(options: AreaSourcesOptions): AreaSources {
  const network = createGrpcClient(activities.LearningNetworkServiceClient, {
    address: options.activitiesAddress,
    logger: options.logger,
    deadlineMs: COVERAGE_DEADLINE_MS,
    idempotentMethods: ['getCoverage'],
    ...(options.activitiesToken === undefined ? {} : { tokenProvider: options.activitiesToken }),
  });
  const coverage = createGrpcClient(lectures.LectureCoverageServiceClient, {
    address: options.lecturesAddress,
    logger: options.logger,
    idempotentMethods: ['getTownshipCoverage'],
    ...(options.lecturesToken === undefined ? {} : { tokenProvider: options.lecturesToken }),
  });
  return {
    gatherers: [
      networkGatherer(network, options.logger),
      lecturesGatherer(coverage, options.logger),
    ],
    close() {
      network.close();
      coverage.close();
    },
  };
}
