/**
 * How the learning network is stored: places (knowledge supermarkets and
 * farmhouse libraries, a library carrying the donations made to it),
 * enterprise-village pairings, and the gaps already reported. Every method
 * of a scoped store takes the Scope the caller reaches; outside it a record
 * reads as absent.
 */
import type { CalendarDate, ContentCategory } from '@learning/domain';
import type { OutboxEntry } from '@learning/events';
import type { Scope } from '@learning/auth';
import type { NetworkPlaceKind, NetworkService } from '../../domain/library-standard.js';

/** Books per content category; a category with none is absent. */
export type CategoryCounts = Partial<Record<ContentCategory, number>>;

export interface Keeper {
  /** The participant who keeps the place. */
  readonly participantId: string;
  /** The keeper's account (token subject): who may sign for donations. */
  readonly subject: string;
}

export type DonationStatus = 'pending' | 'received';

/** Books an enterprise gave a paired library: recorded by the enterprise, then received by the keeper. */
export interface StoredDonation {
  readonly id: string;
  readonly pairingId: string;
  readonly enterpriseId: string;
  readonly count: number;
  readonly byCategory: CategoryCounts;
  readonly donatedOn: CalendarDate;
  readonly status: DonationStatus;
  readonly recordedBy: string;
  readonly recordedAt: Date;
  readonly receivedBy: string | null;
  readonly receivedAt: Date | null;
}

export interface StoredPlace {
  readonly id: string;
  readonly kind: NetworkPlaceKind;
  readonly name: string;
  readonly jurisdictionCode: string;
  /** Codes from the city down to the place's jurisdiction node. */
  readonly jurisdictionPath: readonly string[];
  readonly keeper: Keeper | null;
  readonly openingHours: string;
  readonly services: readonly NetworkService[];
  readonly holdings: CategoryCounts;
  readonly totalBooks: number;
  /** The day a library first reached the standard; null until then (and for supermarkets). */
  readonly standardReachedOn: CalendarDate | null;
  /** Donations to a library, oldest first; always empty for a supermarket. */
  readonly donations: readonly StoredDonation[];
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly version: number;
}

/** What an officer says of a place besides its kind and where it is. */
export interface PlaceDetails {
  readonly name: string;
  readonly keeper: Keeper | null;
  readonly openingHours: string;
  readonly services: readonly NetworkService[];
  /** Books on the shelves per category, as last counted. */
  readonly holdings: CategoryCounts;
}

export interface NewPlace extends Omit<StoredPlace, 'version' | 'donations'> {
  readonly events: readonly OutboxEntry[];
}

/** Fields to set on a place if it is still at `expectedVersion`, with their events. */
export interface PlaceChange {
  readonly id: string;
  readonly expectedVersion: number;
  readonly updatedAt: Date;
  readonly name?: string;
  readonly keeper?: Keeper | null;
  readonly openingHours?: string;
  readonly services?: readonly NetworkService[];
  readonly holdings?: CategoryCounts;
  readonly totalBooks?: number;
  readonly standardReachedOn?: CalendarDate | null;
  /** Marks the donation at this position of `donations` received. */
  readonly received?: {
    readonly index: number;
    readonly receivedBy: string;
    readonly receivedAt: Date;
  };
  readonly events: readonly OutboxEntry[];
}

export interface PlaceQuery {
  readonly kind?: NetworkPlaceKind;
  /** Only places in the subtree of this node. */
  readonly jurisdictionCode?: string;
  /** Only the places this account keeps. */
  readonly keeperSubject?: string;
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface Page<T> {
  readonly items: T[];
  /** Null on the last page. */
  readonly nextPageToken: string | null;
}

/** What coverage needs of a place: no names, no keepers. */
export interface PlaceFigures {
  readonly id: string;
  readonly kind: NetworkPlaceKind;
  readonly jurisdictionCode: string;
  readonly totalBooks: number;
  /** Received donations only: a pending one has not reached the library. */
  readonly donations: readonly Pick<StoredDonation, 'pairingId' | 'donatedOn'>[];
}

export interface PlaceRepository {
  get(scope: Scope, id: string): Promise<StoredPlace | null>;
  /** NETWORK_PLACE_ALREADY_EXISTS when the jurisdiction has its place; OUT_OF_SCOPE outside `scope`. */
  create(scope: Scope, place: NewPlace): Promise<StoredPlace>;
  /** VERSION_CONFLICT when changed meanwhile; NETWORK_PLACE_NOT_FOUND outside `scope`. */
  change(scope: Scope, change: PlaceChange): Promise<StoredPlace>;
  /** Appends a donation to a library whatever its version; null when there is no such library. */
  appendDonation(
    scope: Scope,
    libraryId: string,
    donation: StoredDonation,
    updatedAt: Date,
    events: readonly OutboxEntry[],
  ): Promise<StoredPlace | null>;
  list(scope: Scope, query: PlaceQuery): Promise<Page<StoredPlace>>;
  /** Every place in the subtree of `rootCode`. */
  figuresUnder(scope: Scope, rootCode: string): Promise<PlaceFigures[]>;
}

export interface StoredPairing {
  readonly id: string;
  /** The enterprise: a learning organization's id in registration. */
  readonly enterpriseId: string;
  readonly libraryId: string;
  /** The library's jurisdiction path: who reaches the library reaches its pairings. */
  readonly jurisdictionPath: readonly string[];
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly version: number;
}

export interface NewPairing extends Omit<StoredPairing, 'version'> {
  readonly events: readonly OutboxEntry[];
}

export interface PairingQuery {
  readonly libraryId?: string;
  readonly jurisdictionCode?: string;
  /** Only the pairings of these enterprises (what an org admin administers). */
  readonly enterpriseIds?: readonly string[];
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface PairingRepository {
  get(scope: Scope, id: string): Promise<StoredPairing | null>;
  /** NETWORK_PAIRING_ALREADY_EXISTS when the enterprise is already paired with the library. */
  create(scope: Scope, pairing: NewPairing): Promise<StoredPairing>;
  list(scope: Scope, query: PairingQuery): Promise<Page<StoredPairing>>;
  /** Every pairing whose library is in the subtree of `rootCode`. */
  figuresUnder(scope: Scope, rootCode: string): Promise<Pick<StoredPairing, 'id' | 'libraryId'>[]>;
}

export type GapKind =
  | 'township_without_supermarket'
  | 'village_without_library'
  | 'library_under_standard'
  | 'pairing_without_donation';

/** A gap as reported once: the key is kind + subject + year. */
export interface ReportedGap {
  readonly kind: GapKind;
  /** The jurisdiction code of a missing place; the library or pairing id otherwise. */
  readonly subjectId: string;
  readonly year: number;
  readonly jurisdictionPath: readonly string[];
  readonly detectedAt: Date;
  readonly events: readonly OutboxEntry[];
}

export interface ReportedGapRepository {
  /** Keys (`gapKey`) among `keys` that were reported before. */
  reported(keys: readonly string[]): Promise<ReadonlySet<string>>;
  /** Stores the gaps not stored yet, each with its events; answers how many were new. */
  report(gaps: readonly ReportedGap[]): Promise<number>;
}

export const gapKey = (gap: Pick<ReportedGap, 'kind' | 'subjectId' | 'year'>): string =>
  `${gap.kind}:${gap.subjectId}:${gap.year}`;
