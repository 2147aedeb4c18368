/**
 * The consents scoring relies on (PIPL art. 14), as registration records
 * them: being published as an exemplary case, and an employer verifying a
 * learning record. A withdrawal stops the use at once: the person's published
 * cases leave the feed, their records' codes stop verifying. The highest
 * record version per purpose wins, so a reordered older event undoes nothing.
 */

/** The purposes scoring uses personal data for beyond the ledger itself. */
export const SCORING_CONSENT_PURPOSES = ['publicity', 'employer_sharing'] as const;
export type ConsentPurpose = (typeof SCORING_CONSENT_PURPOSES)[number];

export interface ConsentChange {
  readonly participantId: string;
  readonly purpose: ConsentPurpose;
  readonly given: boolean;
  /** The version of the consent text agreed to or withdrawn from, e.g. "2026-12". */
  readonly textVersion: string;
  readonly changedAt: Date;
  /** The participant record's version after the change. */
  readonly version: number;
}

export interface ConsentStore {
  /** Keeps the change unless the purpose already holds this version or a newer one; the consent as it now stands. */
  apply(change: ConsentChange): Promise<ConsentChange>;
  /** Whether the person withdrew consent for the purpose (never asked: not withdrawn). */
  withdrawn(participantId: string, purpose: ConsentPurpose): Promise<boolean>;
}

/** Participants whose data scoring erased: events about them are late and dropped. */
export interface ErasedParticipants {
  isErased(participantId: string): Promise<boolean>;
}

export interface ConsentDeps {
  readonly consents: ConsentStore;
  readonly erased: ErasedParticipants;
  /** Stops the use of the purpose for the person; harmless when run again. */
  readonly stopUse: Readonly<Record<ConsentPurpose, (participantId: string) => Promise<void>>>;
}

export type RecordConsentChange = (change: ConsentChange) => Promise<'applied' | 'erased'>;

export const recordConsentChange =
  ({ consents, erased, stopUse }: ConsentDeps): RecordConsentChange =>
  async (change) => {
    // Nothing is stored again about someone erased here.
    if (await erased.isErased(change.participantId)) return 'erased';
    const standing = await consents.apply(change);
    // On every delivery, not only the first: a crash between the write and the stop is finished by the redelivery.
    if (!standing.given) await stopUse[standing.purpose](change.participantId);
    return 'applied';
  };
