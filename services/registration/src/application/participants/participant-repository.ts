/**
 * The port the participant use cases store people through. Every read and
 * write takes the caller's Scope, so a use case cannot reach outside it by
 * forgetting a filter; lookups by a personal identifier take its keyed hash,
 * never the value.
 */
import type { OutboxEntry } from '@learning/events';
import type { Scope } from '@learning/auth';
import type { Page } from '@learning/domain';
import type {
  CalendarDate,
  ChannelConsents,
  Language,
  ParticipantSource,
  PendingClaimCode,
  Tier,
} from '../../domain/participants.js';

/** A personal identifier at rest: blind index for lookup, ciphertext, and the masked form to show. */
export interface ProtectedValue {
  readonly hash: string;
  readonly sealed: string;
  readonly masked: string;
}

export interface ParticipantRecord {
  readonly id: string;
  /** The token subject of the person's own account; null when the record has none. */
  readonly accountSubject: string | null;
  readonly name: string;
  readonly tier: Tier;
  /** The home jurisdiction's codes from the city down to it. */
  readonly jurisdictionPath: readonly string[];
  readonly birthDate: CalendarDate | null;
  readonly idNumber: ProtectedValue;
  readonly phone: ProtectedValue | null;
  readonly email: ProtectedValue | null;
  /** Its `masked` is the same stars for all: an openid is never shown, only whether one is on record. */
  readonly wechatOpenId: ProtectedValue | null;
  readonly language: Language;
  /**
   * `notifications` is whether any channel is consented to, kept with the
   * channels, and `updatedAt` when either last changed.
   */
  readonly consent: {
    readonly notifications: boolean;
    readonly updatedAt: Date;
    readonly channels: ChannelConsents;
  };
  readonly employer: string | null;
  readonly source: ParticipantSource;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly version: number;
}

export type NewParticipant = Omit<ParticipantRecord, 'version'>;

/** The fields a correction sets; absent fields are left as they are. */
export type ParticipantChange = Partial<
  Pick<
    ParticipantRecord,
    | 'name'
    | 'jurisdictionPath'
    | 'phone'
    | 'email'
    | 'wechatOpenId'
    | 'language'
    | 'consent'
    | 'employer'
    | 'updatedAt'
    // An officer's correction only.
    | 'idNumber'
    | 'birthDate'
    | 'tier'
  >
>;

export interface ParticipantSearch {
  readonly tier?: Tier;
  /** Inside this jurisdiction's subtree. */
  readonly jurisdictionCode?: string;
  /** Names starting with this text. */
  readonly namePrefix?: string;
  readonly phoneHash?: string;
  readonly idNumberHash?: string;
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface ParticipantRepository {
  byId(scope: Scope, id: string): Promise<ParticipantRecord | null>;
  byIdNumberHash(scope: Scope, hash: string): Promise<ParticipantRecord | null>;
  byAccount(scope: Scope, accountSubject: string): Promise<ParticipantRecord | null>;
  /** The records among `ids` inside `scope`; unknown ids are left out. */
  byIds(scope: Scope, ids: readonly string[]): Promise<ParticipantRecord[]>;
  /**
   * Inserts the record with its events in one write. 'duplicate' when another
   * record already holds its ID number or account (a concurrent registration).
   */
  create(
    scope: Scope,
    participant: NewParticipant,
    events: readonly OutboxEntry[],
  ): Promise<ParticipantRecord | 'duplicate'>;
  /** Applies the change with its events if the record is still at `expectedVersion` (else VERSION_CONFLICT). */
  change(
    scope: Scope,
    id: string,
    expectedVersion: number,
    change: ParticipantChange,
    events: readonly OutboxEntry[],
  ): Promise<ParticipantRecord>;
  /** In id order, keyset paged. */
  search(scope: Scope, query: ParticipantSearch): Promise<Page<ParticipantRecord>>;
  /** Adds events about a reading of the record (no change to it); false when it is not in `scope`. */
  recordAccess(scope: Scope, id: string, events: readonly OutboxEntry[]): Promise<boolean>;
}

/** A record with the claim code it waits with (null: none issued, or spent). */
export interface ClaimTarget {
  readonly record: ParticipantRecord;
  readonly claimCode: PendingClaimCode | null;
}

/** What a claim writes: the account the record becomes bound to, as of `now`. */
export interface ClaimWrite {
  readonly expectedVersion: number;
  /** The keyed hash of the code given; the write needs the record to wait with it. */
  readonly codeHash: string;
  readonly accountSubject: string;
  /** The code must still be live at this time; it is also the record's new `updatedAt`. */
  readonly now: Date;
}

/**
 * The claim code is a secret of the claim alone, stored beside the record but
 * not part of it: only this port reads or writes it, so the other use cases
 * (and their views, events and audit records) never carry it.
 */
export interface ParticipantClaimStore {
  claimTargetByIdNumberHash(scope: Scope, hash: string): Promise<ClaimTarget | null>;
  /**
   * Replaces the record's pending code, with its events, if it is in `scope`
   * and has no account. The record's version is left alone: the code is not
   * part of what officers read and correct.
   */
  issueClaimCode(
    scope: Scope,
    id: string,
    claimCode: PendingClaimCode,
    events: readonly OutboxEntry[],
  ): Promise<'issued' | 'claimed' | 'not_found'>;
  /**
   * Binds the record to the account and spends its code, with the events, in
   * one conditional write: only while the record has no account, is at the
   * expected version and waits with that code, live at `now`. Null when any
   * of these no longer holds (another claim won, the code was replaced); a
   * conflict (PARTICIPANT_ALREADY_EXISTS) when the account got a record meanwhile.
   */
  claim(
    scope: Scope,
    id: string,
    write: ClaimWrite,
    events: readonly OutboxEntry[],
  ): Promise<ParticipantRecord | null>;
}
