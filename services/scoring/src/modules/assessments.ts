/**
 * The annual evaluation's assessments (decision 0019): runs of a year per
 * target, the claimed tick that recomputes what went stale, reads, appeals,
 * locks, corrections, inspections, and the summary other services ask over
 * gRPC. Who is assessed and on what figures comes from the evaluation's
 * sources (registration and the gatherers, src/adapters/evaluation).
 */
import { chinaYearOf } from '@learning/domain';
import { tickingWorker } from '@learning/runtime';
import { randomUUID } from 'node:crypto';
import { createEvaluationSources } from '../adapters/evaluation/sources.js';
import { registerAssessmentService } from '../adapters/grpc/assessment-service.js';
import { registerAssessmentRoutes } from '../adapters/http/assessments.js';
import { MongoAssessmentStore } from '../adapters/mongo/assessment-store.js';
import { MongoAssessmentSummaries } from '../adapters/mongo/assessment-summaries.js';
import {
  assessmentModel,
  indicatorSystemModel,
  inspectionModel,
} from '../adapters/mongo/evaluation-models.js';
import { MongoIndicatorSystems } from '../adapters/mongo/indicator-system-reader.js';
import { MongoInspectionStore } from '../adapters/mongo/inspection-store.js';
import { RedisAssessmentRuns } from '../adapters/redis/assessment-runs.js';
import { computeAssessments } from '../application/assessments/compute.js';
import { assessmentDecisions } from '../application/assessments/decisions.js';
import { inspectionsOf } from '../application/assessments/inspections.js';
import { readAssessments } from '../application/assessments/reads.js';
import { assessmentRuns } from '../application/assessments/runs.js';
import type { EvaluationSources } from '../application/evaluation/ports.js';
import type { Module, Platform } from '../platform.js';

/** A run that makes no progress this long (its replica died) frees its year and target. */
const RUN_LEASE_MS = 5 * 60_000;
/** Stale assessments recomputed per page of the tick. */
const RECOMPUTE_PAGE = 500;

/** The slice over the sources `sourcesOf` gives: the service's own, or a test's. */
export const assessmentsModuleWith =
  (sourcesOf: (platform: Platform) => EvaluationSources): Module =>
  (platform) => {
    const { mongo, redis, config, logger, http, grpc, audit, clock } = platform;
    const namespace = config.MONGODB_DATABASE;
    const assessments = assessmentModel(mongo);
    const inspectionDocuments = inspectionModel(mongo);
    // Their outboxes carry AssessmentComputed / AssessmentLocked and the audit records.
    platform.publishOutboxOf(assessments);
    platform.publishOutboxOf(inspectionDocuments);
    const store = new MongoAssessmentStore(assessments);
    const systems = new MongoIndicatorSystems(indicatorSystemModel(mongo));
    const sources = sourcesOf(platform);
    const compute = computeAssessments({
      store,
      systems,
      sources,
      clock,
      newId: randomUUID,
      logger,
    });
    const runs = assessmentRuns({
      compute,
      systems,
      sources,
      registry: new RedisAssessmentRuns(redis, namespace),
      clock,
      logger,
      newId: randomUUID,
      leaseMs: RUN_LEASE_MS,
    });
    platform.onClose('assessment runs', () => runs.stop());

    platform.runWorker(
      'assessments recompute',
      tickingWorker({
        name: `scoring:assessments-recompute:${namespace}`,
        everyMs: config.ASSESSMENT_RECOMPUTE_MS,
        redis,
        logger,
        clock,
        run: async (_tickAt, signal) => {
          const recomputed = await compute.recomputeStale(RECOMPUTE_PAGE, signal);
          if (recomputed > 0) logger.info({ recomputed }, 'stale assessments recomputed');
        },
      }),
    );

    registerAssessmentRoutes(http, {
      runs,
      reads: readAssessments(store),
      decisions: assessmentDecisions({
        store,
        compute,
        systems,
        sources,
        audit,
        clock,
        newId: randomUUID,
      }),
      inspections: inspectionsOf({
        inspections: new MongoInspectionStore(inspectionDocuments),
        assessments: store,
        subjects: sources.subjects,
        audit,
        clock,
        newId: randomUUID,
        logger,
      }),
      currentYear: () => chinaYearOf(clock()),
    });
    registerAssessmentService(grpc, {
      summaries: new MongoAssessmentSummaries(assessments),
      clock,
    });
  };

/** The slice as the service runs it: registration's subjects and every source's figures (decision 0019). */
export const assessmentsModule: Module = assessmentsModuleWith((platform) =>
  createEvaluationSources(platform),
);
