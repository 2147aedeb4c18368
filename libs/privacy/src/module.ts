/**
 * The personal-information rights every service answers for, as one module a
 * service adds to its list: registration asks it for the person's copy and
 * for what erasure would cut short (gRPC), it erases on a closed account and
 * says so once (erasure events), and it removes what has outlived its
 * retention period (a daily sweep, once across the replicas).
 */
import { DAY_MS } from '@learning/domain';
import { erasureCompletedBy, privacyEvents, type ErasingService } from '@learning/contracts';
import { AppError } from '@learning/errors';
import { newEvent, PermanentEventError, subscribe, type ConsumedEvent } from '@learning/events';
import { isUuid } from '@learning/http';
import { privacy } from '@learning/proto';
import { tickingWorker, type Module, type Platform } from '@learning/runtime';
import { Counter } from 'prom-client';
import type { PrivacyConfig } from './config.js';
import { ErasureLog } from './erasure-log.js';
import {
  exportSections,
  type ErasureContext,
  type PersonalDataKind,
  type PersonalDataSetup,
  type RetentionRule,
} from './kinds.js';

/** The one caller of PersonalDataService: registration gathers the person's copy and checks erasure. */
export const PERSONAL_DATA_READER = 'registration';

export interface PersonalDataBinding {
  readonly service: ErasingService;
  /** The group consuming erasure requests, declared in the events registry. */
  readonly erasureGroup: string;
}

export function personalDataModule<P extends Platform<Platform['config'] & PrivacyConfig>>(
  binding: PersonalDataBinding,
  setup: (platform: P) => PersonalDataSetup,
): Module<P> {
  return (platform) => {
    const { kinds, retention = [], obligations = [] } = setup(platform);
    const erasures = ErasureLog.of(platform.mongo);
    platform.publishOutboxOf(erasures.model);

    registerPersonalDataService(platform, binding.service, kinds, obligations);
    platform.consume(
      binding.erasureGroup,
      subscribe(privacyEvents.erasureRequested, (event) =>
        completeErasure(platform, binding.service, kinds, erasures, event),
      ),
    );

    const auditRetention: RetentionRule = {
      kind: 'audit-log',
      keepDays: platform.config.AUDIT_RETENTION_DAYS,
      sweep: (cutoff) => platform.auditLog.removeOlderThan(cutoff),
    };
    platform.runWorker(
      'retention',
      retentionWorker(platform, binding.service, [...retention, auditRetention]),
    );
  };
}

function registerPersonalDataService(
  platform: Platform,
  service: ErasingService,
  kinds: readonly PersonalDataKind[],
  obligations: PersonalDataSetup['obligations'] & {},
): void {
  const participantIdOf = (request: { participantId: string }, caller: string | undefined) => {
    if (caller !== PERSONAL_DATA_READER)
      throw new AppError(
        'permission_denied',
        'PERSONAL_DATA_CALLER_DENIED',
        `Only the ${PERSONAL_DATA_READER} service gathers a person's data.`,
      );
    if (!isUuid(request.participantId))
      throw new AppError(
        'invalid_argument',
        'VALIDATION_FAILED',
        'participantId must be a lower-case UUID.',
      );
    return request.participantId;
  };
  platform.grpc.addService(privacy.PersonalDataServiceService, {
    async exportPersonalData(request, call) {
      const participantId = participantIdOf(request, call.principal?.service);
      return { service, sections: await exportSections(kinds, participantId) };
    },
    async checkErasure(request, call) {
      const participantId = participantIdOf(request, call.principal?.service);
      const found = await Promise.all(obligations.map((check) => check(participantId)));
      return { service, obligations: found.flat() };
    },
  });
}

async function completeErasure(
  platform: Platform,
  service: ErasingService,
  kinds: readonly PersonalDataKind[],
  erasures: ErasureLog,
  event: ConsumedEvent<privacy.ErasureRequested>,
): Promise<void> {
  const { requestId, participantId, requestedAt, accountSubject } = event.data;
  if (!isUuid(requestId) || !isUuid(participantId) || requestedAt === undefined)
    throw new PermanentEventError(
      'an erasure request needs a request id, a participant id and a time',
    );
  if (await erasures.isCompleted(requestId)) return;

  const context: ErasureContext = {
    requestId,
    requestedAt,
    accountSubject: accountSubject === '' ? null : accountSubject,
  };
  const erased: privacy.ErasureTally[] = [];
  const kept: privacy.ErasureTally[] = [];
  // One kind after another: each erase is idempotent, so a crash midway is finished by the redelivery.
  for (const kind of kinds) {
    const outcome = await kind.erase(participantId, context);
    erased.push({ kind: kind.kind, count: String(outcome.erased), reason: '' });
    if (outcome.kept !== undefined && outcome.kept.count > 0)
      kept.push({
        kind: kind.kind,
        count: String(outcome.kept.count),
        reason: outcome.kept.reason,
      });
  }
  const completedAt = platform.clock();
  const completion: privacy.ErasureCompleted = {
    requestId,
    participantId,
    service,
    completedAt,
    erased,
    kept,
  };
  const recorded = await erasures.record(
    {
      requestId,
      participantId,
      completedAt,
      erased: erased.map(({ kind, count }) => ({ kind, count: Number(count) })),
      kept: kept.map(({ kind, count, reason }) => ({ kind, count: Number(count), reason })),
    },
    newEvent(erasureCompletedBy[service], participantId, completion),
  );
  platform.logger.info(
    { requestId, erased: completion.erased.length, kept: completion.kept.length, recorded },
    'erasure request completed',
  );
}

function retentionWorker(platform: Platform, service: string, rules: readonly RetentionRule[]) {
  const config = platform.config as Platform['config'] & PrivacyConfig;
  const removed = new Counter({
    name: 'privacy_retention_removed_total',
    help: 'Records removed or anonymized by the retention sweeps, by kind of data.',
    labelNames: ['kind'] as const,
    registers: [platform.registry],
  });
  const logger = platform.logger.child({ component: 'retention' });
  return tickingWorker({
    // Per database, as the schedulers are: services sharing a Redis (test files) keep their own ticks.
    name: `${service}:retention:${config.MONGODB_DATABASE}`,
    everyMs: config.RETENTION_SWEEP_EVERY_MS,
    redis: platform.redis,
    logger: platform.logger,
    clock: platform.clock,
    async run(tickAt, signal) {
      for (const rule of rules) {
        if (signal.aborted) return;
        const cutoff = new Date(tickAt.getTime() - rule.keepDays * DAY_MS);
        const count = await rule.sweep(cutoff, signal);
        removed.inc({ kind: rule.kind }, count);
        logger.info({ kind: rule.kind, cutoff, removed: count }, 'retention sweep done');
      }
    },
  });
}
