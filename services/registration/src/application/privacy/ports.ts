/**
 * The ports the rights' use cases work through: the person's consents on
 * their record, the copies of their data being gathered, the erasure
 * requests, and the services that hold parts of their data.
 */
import type { ErasingService } from '@learning/contracts';
import type { OutboxEntry } from '@learning/events';
import type { privacy } from '@learning/proto';
import type { ChannelConsents, Language } from '../../domain/participants.js';
import type { ConsentPurpose, ExportPartStatus } from '../../domain/privacy.js';

export interface ConsentRecord {
  readonly given: boolean;
  readonly changedAt: Date;
  readonly textVersion: string;
}

export interface ConsentWrite {
  readonly records: Partial<Record<ConsentPurpose, ConsentRecord>>;
  /** The channels after the change, with `notifications` (any channel), when a channel changed. */
  readonly channels?: { readonly notifications: boolean; readonly channels: ChannelConsents };
  readonly updatedAt: Date;
  /** How many versions the record advances: one per event, so each carries a version of its own. */
  readonly versions: number;
}

export interface ConsentStore {
  /** Each purpose's consent as last answered against a text; absent purposes never were. */
  recordsOf(participantId: string): Promise<Partial<Record<ConsentPurpose, ConsentRecord>>>;
  /** Writes if the record is still at `expectedVersion`; false when it was changed meanwhile. */
  write(
    participantId: string,
    expectedVersion: number,
    write: ConsentWrite,
    events: readonly OutboxEntry[],
  ): Promise<boolean>;
}

/** The person a right is exercised for: their record, reached through their own account. */
export interface Requester {
  readonly participantId: string;
  readonly language: Language;
  /** Where the record belongs: the audit record of the request is filed there. */
  readonly jurisdictionPath: readonly string[];
}

export interface RequesterDirectory {
  ofAccount(accountSubject: string): Promise<Requester | null>;
}

export interface StoredSection {
  readonly kind: string;
  readonly title: privacy.LocalizedText;
  readonly purpose: privacy.LocalizedText;
  readonly retention: privacy.LocalizedText;
  readonly recordsJson: string;
  readonly recordCount: number;
}

export interface ExportPart {
  readonly service: ErasingService;
  readonly status: ExportPartStatus;
  /** Calls made so far: a failed part is asked again after a delay growing with them. */
  readonly attempts: number;
  /** The stable code of the last failure (UPSTREAM_UNAVAILABLE…), null when none. */
  readonly lastError: string | null;
  readonly nextAttemptAt: Date | null;
  readonly doneAt: Date | null;
  readonly sections: readonly StoredSection[];
}

export interface DataExport {
  readonly id: string;
  readonly participantId: string;
  readonly accountSubject: string;
  readonly language: Language;
  readonly requestedAt: Date;
  readonly completedAt: Date | null;
  /** When the retention sweep removes it. */
  readonly expiresAt: Date;
  readonly parts: readonly ExportPart[];
}

export interface DataExportStore {
  create(dataExport: DataExport, events: readonly OutboxEntry[]): Promise<void>;
  /** The export, only if it belongs to this account. */
  ofAccount(id: string, accountSubject: string): Promise<DataExport | null>;
  /** Exports with a part due to be asked now, oldest first. */
  due(now: Date, limit: number): Promise<DataExport[]>;
  partDone(id: string, service: ErasingService, sections: StoredSection[], at: Date): Promise<void>;
  partFailed(
    id: string,
    service: ErasingService,
    error: string,
    nextAttemptAt: Date,
  ): Promise<void>;
  completed(id: string, at: Date): Promise<void>;
}

export interface ErasureProgress {
  readonly service: ErasingService;
  readonly completedAt: Date | null;
  readonly erased: readonly { readonly kind: string; readonly count: number }[];
  readonly kept: readonly {
    readonly kind: string;
    readonly count: number;
    readonly reason: string;
  }[];
}

export interface ErasureRequest {
  readonly id: string;
  readonly participantId: string;
  /** The person's account until every service has confirmed; then null (nothing links it). */
  readonly accountSubject: string | null;
  readonly requestedAt: Date;
  readonly completedAt: Date | null;
  readonly services: readonly ErasureProgress[];
}

export interface ErasureRequestStore {
  /** Creates the request, or returns the open one of the participant when there is one already. */
  createOrOpen(request: ErasureRequest, events: readonly OutboxEntry[]): Promise<ErasureRequest>;
  /** The account's request still waiting for some service's confirmation. */
  openOfAccount(accountSubject: string): Promise<ErasureRequest | null>;
  ofAccount(id: string, accountSubject: string): Promise<ErasureRequest | null>;
  /** Requests some service has not confirmed yet, oldest first. */
  open(limit: number): Promise<ErasureRequest[]>;
  /**
   * Records one service's completion once; 'unknown' when there is no such request,
   * 'repeated' when that service's completion was recorded already.
   */
  recordCompletion(
    id: string,
    progress: ErasureProgress & { readonly completedAt: Date },
  ): Promise<'recorded' | 'repeated' | 'unknown'>;
  /** Marks it complete and drops the account link, if every service has confirmed. */
  completeIfConfirmed(id: string, at: Date): Promise<boolean>;
}

/** One service's PersonalDataService, or registration's own declaration answering the same way. */
export interface PersonalDataSource {
  readonly service: ErasingService;
  exportPersonalData(participantId: string): Promise<privacy.PersonalDataSection[]>;
  checkErasure(participantId: string): Promise<privacy.OpenObligation[]>;
}
