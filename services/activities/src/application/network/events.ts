/** Event payloads and audit views of the learning network: what others may see of it. */
import { activityEvents, contentCategoryMapping } from '@learning/contracts';
import { CONTENT_CATEGORIES } from '@learning/domain';
import { newEvent, type EventDefinition, type OutboxEntry } from '@learning/events';
import { activities } from '@learning/proto';
import { LIBRARY_STANDARD_BOOKS } from '../../domain/library-standard.js';
import type {
  CategoryCounts,
  GapKind,
  StoredDonation,
  StoredPairing,
  StoredPlace,
} from './ports.js';

const categoriesOf = (counts: CategoryCounts) =>
  CONTENT_CATEGORIES.filter((category) => (counts[category] ?? 0) > 0).map((category) =>
    contentCategoryMapping.toProto(category),
  );

interface LibraryEventData {
  libraryId: string;
  jurisdictionPath: string[];
}

/** Keyed by the library: its donations and its milestone stay in order on one partition. */
function libraryEvent<T extends LibraryEventData>(
  definition: EventDefinition<T>,
  library: Pick<StoredPlace, 'id' | 'jurisdictionPath'>,
  data: Omit<T, keyof LibraryEventData>,
): OutboxEntry {
  // The spread is T exactly: the two fields Omit took out are put back.
  const payload = {
    ...data,
    libraryId: library.id,
    jurisdictionPath: [...library.jurisdictionPath],
  } as T;
  return newEvent(definition, library.id, payload);
}

export const donationRecorded = (
  library: Pick<StoredPlace, 'id' | 'jurisdictionPath'>,
  donation: StoredDonation,
  recordedAt: Date,
): OutboxEntry =>
  libraryEvent(activityEvents.BookDonationRecorded, library, {
    donationId: donation.id,
    pairingId: donation.pairingId,
    enterpriseId: donation.enterpriseId,
    bookCount: donation.count,
    categories: categoriesOf(donation.byCategory),
    donatedOn: donation.donatedOn,
    recordedAt,
  });

export const standardReached = (
  library: Pick<StoredPlace, 'id' | 'jurisdictionPath'>,
  totalBooks: number,
  reachedAt: Date,
): OutboxEntry =>
  libraryEvent(activityEvents.LibraryStandardReached, library, {
    holdings: totalBooks,
    standard: LIBRARY_STANDARD_BOOKS,
    reachedAt,
  });

const GAP_KINDS: Readonly<Record<GapKind, activities.NetworkGapKind>> = {
  township_without_supermarket:
    activities.NetworkGapKind.NETWORK_GAP_KIND_TOWNSHIP_WITHOUT_SUPERMARKET,
  village_without_library: activities.NetworkGapKind.NETWORK_GAP_KIND_VILLAGE_WITHOUT_LIBRARY,
  library_under_standard: activities.NetworkGapKind.NETWORK_GAP_KIND_LIBRARY_UNDER_STANDARD,
  pairing_without_donation: activities.NetworkGapKind.NETWORK_GAP_KIND_PAIRING_WITHOUT_DONATION,
};

export function gapDetected(
  key: string,
  gap: { kind: GapKind; subjectId: string; year: number; jurisdictionPath: readonly string[] },
  detectedAt: Date,
): OutboxEntry {
  return newEvent(activityEvents.NetworkGapDetected, key, {
    kind: GAP_KINDS[gap.kind],
    jurisdictionPath: [...gap.jurisdictionPath],
    // The proto leaves it empty for a missing place: the path names the place then.
    subjectId:
      gap.kind === 'township_without_supermarket' || gap.kind === 'village_without_library'
        ? ''
        : gap.subjectId,
    year: gap.year,
    detectedAt,
  });
}

/** What the audit log keeps of a place: the keeper's ids, no personal data. */
export const placeAuditView = (place: Omit<StoredPlace, 'version' | 'donations'>) => ({
  kind: place.kind,
  name: place.name,
  jurisdictionCode: place.jurisdictionCode,
  keeper: place.keeper,
  openingHours: place.openingHours,
  services: [...place.services],
  holdings: { ...place.holdings },
  totalBooks: place.totalBooks,
  standardReachedOn: place.standardReachedOn,
});

export const pairingAuditView = (pairing: Omit<StoredPairing, 'version'>) => ({
  enterpriseId: pairing.enterpriseId,
  libraryId: pairing.libraryId,
});

export const donationAuditView = (donation: StoredDonation) => ({
  id: donation.id,
  pairingId: donation.pairingId,
  enterpriseId: donation.enterpriseId,
  count: donation.count,
  byCategory: { ...donation.byCategory },
  donatedOn: donation.donatedOn,
  status: donation.status,
});
