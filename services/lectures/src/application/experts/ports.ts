/**
 * What the expert pool stores and reads. Experts are city-wide (one pool for
 * every forum), so not jurisdiction-scoped; contacts are held sealed by the
 * vault (`@learning/pii`) and opened only for the office and the expert.
 */
import type { ContentCategory } from '@learning/domain';
import type { OutboxEntry } from '@learning/events';
import type { LectureType } from '../../domain/catalogue.js';
import type { AvailabilityWindow, ExpertStatus, TravelRadius } from '../../domain/experts.js';
import type { SessionStatus, VenueSetting } from '../../domain/sessions.js';
import type { Paged } from '../catalogue/ports.js';

export type { Paged } from '../catalogue/ports.js';

/** What an expert says of themself, and the office may correct. */
export interface ExpertProfile {
  readonly displayName: string;
  readonly title: string;
  readonly employer: string;
  readonly fields: readonly ContentCategory[];
  readonly specialties: readonly string[];
  /** Canonical BCP 47 tags. */
  readonly languages: readonly string[];
  /** Sorted by start, none overlapping. */
  readonly availability: readonly AvailabilityWindow[];
  readonly travelRadius: TravelRadius;
}

/** Contacts as stored: sealed by the vault, null when none. */
export interface SealedContacts {
  readonly phoneSealed: string | null;
  readonly emailSealed: string | null;
}

export interface StoredExpert extends ExpertProfile, SealedContacts {
  readonly id: string;
  readonly accountSubject: string;
  readonly participantId: string;
  readonly status: ExpertStatus;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly version: number;
}

/** An expert as lists show them: contacts are read one record at a time, never in bulk. */
export type ListedExpert = Omit<StoredExpert, keyof SealedContacts>;

export interface NewExpert extends Omit<StoredExpert, 'version'> {
  readonly events: readonly OutboxEntry[];
}

export type ExpertFields = ExpertProfile & SealedContacts & { readonly status: ExpertStatus };

export interface ExpertChange {
  readonly id: string;
  readonly expectedVersion: number;
  readonly updatedAt: Date;
  readonly set: Partial<ExpertFields>;
  readonly events: readonly OutboxEntry[];
}

export interface ExpertQuery {
  readonly status?: ExpertStatus;
  readonly field?: ContentCategory;
  readonly travelRadius?: TravelRadius;
  /** Only experts with a window holding this instant. */
  readonly availableAt?: Date;
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface ExpertRepository {
  get(id: string): Promise<StoredExpert | null>;
  byAccount(accountSubject: string): Promise<StoredExpert | null>;
  /** EXPERT_ALREADY_EXISTS when the person is in the pool. */
  create(expert: NewExpert): Promise<StoredExpert>;
  /** VERSION_CONFLICT when changed meanwhile, EXPERT_NOT_FOUND when gone. */
  change(change: ExpertChange): Promise<StoredExpert>;
  /** In id order, without contacts. */
  search(query: ExpertQuery): Promise<Paged<ListedExpert>>;
}

/** A session an expert gave or will give, as their calendar lists it. */
export interface SpeakerSession {
  readonly id: string;
  readonly forumId: string;
  readonly lectureType: LectureType;
  readonly title: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly venue: {
    readonly name: string;
    readonly setting: VenueSetting;
    readonly townshipCode: string;
  };
  readonly status: SessionStatus;
}

export interface SpeakerSessions {
  /** The sessions naming `expertId` among their speakers, latest start first. */
  ofSpeaker(
    expertId: string,
    page: { readonly pageSize: number; readonly pageToken?: string },
  ): Promise<Paged<SpeakerSession>>;
}
