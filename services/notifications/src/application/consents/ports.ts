/** What the consent use case stores and asks, in its own terms. */
import type { ExternalChannel } from '../../domain/broadcasts.js';
import type { ChannelConsent, ConsentChange } from '../../domain/consents.js';

export interface ConsentStore {
  /**
   * Keeps the change unless a change of a higher (or the same) version is
   * kept already for the person and channel; answers what is kept now.
   */
  apply(change: ConsentChange): Promise<ChannelConsent>;
  /** The channels each of these people has withdrawn consent from (only those with any). */
  withdrawnAmong(
    participantIds: readonly string[],
  ): Promise<ReadonlyMap<string, ReadonlySet<ExternalChannel>>>;
}

/** Deliveries still to go out on a channel (held for quiet hours or a digest, or pending a retry). */
export interface WaitingDeliveries {
  /** Suppresses them for want of consent and forgets their addresses; how many. */
  suppressForWithdrawnConsent(
    recipient: string,
    channel: ExternalChannel,
    now: Date,
  ): Promise<number>;
}

/** Whether a participant's data was erased here: nothing is stored about them again. */
export interface ErasedParticipants {
  isErased(participantId: string): Promise<boolean>;
}
