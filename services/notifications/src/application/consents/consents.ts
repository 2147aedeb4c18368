/**
 * A consent given or withdrawn in registration, applied here at once: the
 * newest change per person and channel is kept (an older one arriving late
 * changes nothing), and a withdrawal also suppresses what was already
 * waiting to go out on that channel, so nothing more is sent.
 */
import type { ConsentChange } from '../../domain/consents.js';
import type { ConsentStore, ErasedParticipants, WaitingDeliveries } from './ports.js';

export interface ConsentDeps {
  readonly consents: ConsentStore;
  readonly waiting: WaitingDeliveries;
  readonly erasures: ErasedParticipants;
  readonly clock: () => Date;
}

export type ConsentOutcome = 'kept' | 'stale' | 'erased';

export function consentChanged(deps: ConsentDeps) {
  return async (change: ConsentChange): Promise<ConsentOutcome> => {
    // A late event about someone erased here would bring a record of them back.
    if (await deps.erasures.isErased(change.participantId)) return 'erased';
    const kept = await deps.consents.apply(change);
    // Whenever the kept state is a withdrawal (a redelivery after a crash included): idempotent.
    if (!kept.given)
      await deps.waiting.suppressForWithdrawnConsent(
        change.participantId,
        change.channel,
        deps.clock(),
      );
    return kept.version === change.version && kept.given === change.given ? 'kept' : 'stale';
  };
}
