/**
 * Closing an account (注销): every service is first asked what erasure would
 * cut short (an award pending, an appeal open), and told the person if so;
 * otherwise one request is recorded per person and announced to every
 * service, and its progress is counted from their completions until all have
 * confirmed. Then the request loses its link to the account.
 */
import { actorOf, type AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { privacyEvents, type ErasingService } from '@learning/contracts';
import type { FieldIssue } from '@learning/errors';
import { newEvent } from '@learning/events';
import type { Logger } from '@learning/logger';
import type { privacy } from '@learning/proto';
import type { Language } from '../../domain/participants.js';
import { pick } from '../../domain/privacy.js';
import {
  erasureBlocked,
  erasureCheckUnavailable,
  erasureRequestNotFound,
  recordRequired,
} from './errors.js';
import type {
  ErasureRequest,
  ErasureRequestStore,
  PersonalDataSource,
  RequesterDirectory,
} from './ports.js';

export interface ErasureDeps {
  readonly requesters: RequesterDirectory;
  readonly requests: ErasureRequestStore;
  readonly sources: readonly PersonalDataSource[];
  readonly audit: AuditTrail;
  readonly clock: () => Date;
  readonly newId: () => string;
  readonly logger: Logger;
}

const BLOCKED_MESSAGE: Record<Language, string> = {
  'zh-CN': '您的账户暂时无法注销，以下事项尚未结束：',
  en: 'Your account cannot be closed yet; these are still open:',
};

function obligationIssue(
  service: string,
  obligation: privacy.OpenObligation,
  language: Language,
): FieldIssue {
  const explanation =
    obligation.explanation === undefined ? obligation.code : pick(obligation.explanation, language);
  const until =
    obligation.resolvesBy === undefined
      ? ''
      : language === 'en'
        ? ` (resolves by ${obligation.resolvesBy.toISOString()})`
        : `（预计 ${obligation.resolvesBy.toISOString()} 前结束）`;
  return { field: `/${service}/${obligation.code}`, message: `${explanation}${until}` };
}

/** Whether the request was made now (201) or was the person's open one already (200). */
export interface ErasureAnswer {
  readonly request: ErasureRequest;
  readonly created: boolean;
}

export function requestErasure(deps: ErasureDeps) {
  return async (principal: Principal): Promise<ErasureAnswer> => {
    // A repeated request finds the open one, even after registration erased the record itself.
    const open = await deps.requests.openOfAccount(principal.subject);
    if (open !== null) return { request: open, created: false };
    const requester = await deps.requesters.ofAccount(principal.subject);
    if (requester === null) throw recordRequired();

    const answers = await Promise.allSettled(
      deps.sources.map(async (source) => ({
        service: source.service,
        obligations: await source.checkErasure(requester.participantId),
      })),
    );
    const unreachable = deps.sources
      .filter((_, index) => answers[index]?.status === 'rejected')
      .map((source) => source.service);
    if (unreachable.length > 0) {
      deps.logger.warn({ services: unreachable }, 'erasure check: services not answering');
      throw erasureCheckUnavailable(unreachable);
    }
    const issues = answers.flatMap((answer) =>
      answer.status === 'fulfilled'
        ? answer.value.obligations.map((obligation) =>
            obligationIssue(answer.value.service, obligation, requester.language),
          )
        : [],
    );
    if (issues.length > 0)
      throw erasureBlocked(
        `${BLOCKED_MESSAGE[requester.language]} ${issues.map((issue) => issue.message).join('; ')}`,
        issues,
      );

    const now = deps.clock();
    const request: ErasureRequest = {
      id: deps.newId(),
      participantId: requester.participantId,
      accountSubject: principal.subject,
      requestedAt: now,
      completedAt: null,
      services: deps.sources.map((source) => ({
        service: source.service,
        completedAt: null,
        erased: [],
        kept: [],
      })),
    };
    const stored = await deps.requests.createOrOpen(request, [
      newEvent(privacyEvents.erasureRequested, request.participantId, {
        requestId: request.id,
        participantId: request.participantId,
        requestedAt: now,
        // What others keep under the account is found by it: registration unlinks it at once.
        accountSubject: principal.subject,
      }),
      deps.audit.entry({
        actor: actorOf(principal),
        action: 'privacy.erasure_request',
        entityType: 'erasure_request',
        entityId: request.id,
        jurisdictionPath: requester.jurisdictionPath,
        before: null,
        after: { participantId: request.participantId },
      }),
    ]);
    return { request: stored, created: stored.id === request.id };
  };
}

export function getErasureRequest(deps: Pick<ErasureDeps, 'requests'>) {
  return async (principal: Principal, id: string): Promise<ErasureRequest> => {
    const found = await deps.requests.ofAccount(id, principal.subject);
    if (found === null) throw erasureRequestNotFound();
    return found;
  };
}

/** Operators' view: requests still waiting, to see a service that does not confirm. */
export function openErasureRequests(deps: Pick<ErasureDeps, 'requests'>) {
  return (limit: number): Promise<ErasureRequest[]> => deps.requests.open(limit);
}

/**
 * One service's completion: counted once, however often it is delivered; a
 * completion of a request this registration never made is only logged.
 */
export function recordErasureCompletion(
  deps: Pick<ErasureDeps, 'requests' | 'clock' | 'logger'> & {
    readonly services: readonly ErasingService[];
  },
) {
  return async (completion: privacy.ErasureCompleted): Promise<void> => {
    const service = deps.services.find((known) => known === completion.service);
    if (service === undefined || completion.completedAt === undefined) {
      deps.logger.warn({ requestId: completion.requestId }, 'erasure completion not understood');
      return;
    }
    const outcome = await deps.requests.recordCompletion(completion.requestId, {
      service,
      completedAt: completion.completedAt,
      erased: completion.erased.map(({ kind, count }) => ({ kind, count: Number(count) })),
      kept: completion.kept.map(({ kind, count, reason }) => ({
        kind,
        count: Number(count),
        reason,
      })),
    });
    if (outcome === 'unknown') {
      deps.logger.warn(
        { requestId: completion.requestId, service },
        'erasure completion for an unknown request ignored',
      );
      return;
    }
    if (
      outcome === 'recorded' &&
      (await deps.requests.completeIfConfirmed(completion.requestId, deps.clock()))
    )
      deps.logger.info({ requestId: completion.requestId }, 'erasure confirmed by every service');
  };
}
