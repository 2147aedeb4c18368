/**
 * What a service declares about the personal data it holds, one entry per
 * kind of data: what it is and why it is held (shown to the person), how to
 * gather the person's records for their copy, and how to erase them when the
 * person closes their account. The kit does the rest: the gRPC answer to
 * registration, the erasure request's handling and completion event, and the
 * retention sweeps.
 */
import type { privacy } from '@learning/proto';

export type LocalizedText = privacy.LocalizedText;

export interface ErasureContext {
  readonly requestId: string;
  readonly requestedAt: Date;
  /**
   * The person's account subject as registration held it at the request, null when none was
   * sent: what a service keeps under the account rather than the participant id is found by it.
   */
  readonly accountSubject: string | null;
}

/** What one kind's erasure did: records removed or anonymized, and records kept pseudonymized. */
export interface ErasureOutcome {
  readonly erased: number;
  /** Records the law or the ledger requires, kept without anything that identifies the person. */
  readonly kept?: { readonly count: number; readonly reason: string };
}

export interface PersonalDataKind {
  /** Stable name, e.g. `enrollments`: the export's section and the erasure tally name it. */
  readonly kind: string;
  readonly title: LocalizedText;
  /** Why the platform holds it. */
  readonly purpose: LocalizedText;
  /** How long it is kept. */
  readonly retention: LocalizedText;
  /** The person's records of this kind, JSON-ready and unmasked: the copy goes to the person only. */
  readonly export: (participantId: string) => Promise<readonly unknown[]>;
  /**
   * Erases what identifies the person, or pseudonymizes what must stay. Runs
   * again after a crash or a redelivery, so a second run must find nothing
   * left to do and change nothing.
   */
  readonly erase: (participantId: string, context: ErasureContext) => Promise<ErasureOutcome>;
}

/**
 * Periodic removal of one kind of data that has outlived its purpose. The
 * sweep acts on state (everything older than the cut-off), so a run that
 * repeats one or catches up after an outage is harmless.
 */
export interface RetentionRule {
  readonly kind: string;
  /** Days a record is kept, from the service's configuration. */
  readonly keepDays: number;
  /** Removes or anonymizes what is older than `cutoff`; returns how many records. */
  readonly sweep: (cutoff: Date, signal: AbortSignal) => Promise<number>;
}

/** Something erasure would cut short for the person (a pending award, an open appeal), explained. */
export type ObligationCheck = (participantId: string) => Promise<readonly privacy.OpenObligation[]>;

/** Everything one service declares: its kinds, retention rules and obligation checks. */
export interface PersonalDataSetup {
  readonly kinds: readonly PersonalDataKind[];
  readonly retention?: readonly RetentionRule[];
  readonly obligations?: readonly ObligationCheck[];
}

/** The person's records of every kind, as export sections. */
export async function exportSections(
  kinds: readonly PersonalDataKind[],
  participantId: string,
): Promise<privacy.PersonalDataSection[]> {
  return Promise.all(
    kinds.map(async (kind) => {
      const records = await kind.export(participantId);
      return {
        kind: kind.kind,
        title: kind.title,
        purpose: kind.purpose,
        retention: kind.retention,
        recordsJson: JSON.stringify(records),
        recordCount: String(records.length),
      };
    }),
  );
}
