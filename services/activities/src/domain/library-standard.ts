/**
 * The grassroots learning network's book standard (§5.4, 百村百企百书架):
 * each paired farmhouse library (农家书屋) must hold at least 200 books.
 * Holdings by category, donations recorded per enterprise-village pairing,
 * the moment a library reaches the standard, and the coverage gaps the
 * office watches, computed from plain lists.
 */
import { partsOf, type CalendarDate, forbidden, invalid, precondition } from '@learning/domain';

export const LIBRARY_STANDARD_BOOKS = 200;

/** Books held per category (farming technology, law, …): whole numbers, zero or more. */
export type Holdings = Readonly<Record<string, number>>;

export interface FarmhouseLibrary {
  readonly id: string;
  readonly jurisdictionCode: string;
  /** The keeper who signs for donations; null while the post is vacant. */
  readonly keeperId: string | null;
  readonly holdings: Holdings;
  /** The day the library first reached the standard; null until then. */
  readonly standardReachedOn: CalendarDate | null;
}

export interface Pairing {
  readonly id: string;
  readonly enterpriseId: string;
  readonly libraryId: string;
}

export interface Donation {
  readonly id: string;
  readonly pairingId: string;
  readonly count: number;
  /** How the books split by category; adds up to `count`. */
  readonly byCategory: Holdings;
  readonly donatedOn: CalendarDate;
  /** The keeper who received the books. */
  readonly receivedBy: string;
}

export interface BookDonationRecorded {
  readonly type: 'BookDonationRecorded';
  readonly libraryId: string;
  readonly data: {
    readonly donationId: string;
    readonly pairingId: string;
    readonly enterpriseId: string;
    readonly count: number;
    readonly byCategory: Holdings;
    readonly donatedOn: CalendarDate;
    readonly totalBooks: number;
  };
}

export interface LibraryStandardReached {
  readonly type: 'LibraryStandardReached';
  readonly libraryId: string;
  readonly data: { readonly totalBooks: number; readonly reachedOn: CalendarDate };
}

export const LIBRARY_HOLDINGS_INVALID = 'LIBRARY_HOLDINGS_INVALID';
export const LIBRARY_DONATION_COUNT_INVALID = 'LIBRARY_DONATION_COUNT_INVALID';
export const LIBRARY_DONATION_CATEGORIES_MISMATCH = 'LIBRARY_DONATION_CATEGORIES_MISMATCH';
export const LIBRARY_DONATION_IN_FUTURE = 'LIBRARY_DONATION_IN_FUTURE';
export const LIBRARY_PAIRING_MISMATCH = 'LIBRARY_PAIRING_MISMATCH';
export const LIBRARY_NO_KEEPER = 'LIBRARY_NO_KEEPER';
export const LIBRARY_RECEIPT_NOT_KEEPER = 'LIBRARY_RECEIPT_NOT_KEEPER';

const isCount = (n: number, min: number): boolean => Number.isInteger(n) && n >= min;

export function validateHoldings(holdings: Holdings): Holdings {
  for (const [category, count] of Object.entries(holdings)) {
    if (category.trim() === '' || !isCount(count, 0)) {
      throw invalid(
        LIBRARY_HOLDINGS_INVALID,
        'Holdings are whole numbers of books, zero or more, per named category.',
      );
    }
  }
  return holdings;
}

export const totalBooks = (holdings: Holdings): number =>
  Object.values(holdings).reduce((total, count) => total + count, 0);

/** Adds holdings category by category. */
export function addHoldings(a: Holdings, b: Holdings): Holdings {
  const sum: Record<string, number> = { ...a };
  for (const [category, count] of Object.entries(b)) sum[category] = (sum[category] ?? 0) + count;
  return sum;
}

/**
 * A donation of one or more books whose categories add up to its count,
 * dated no later than `today` (China date).
 */
export function validateDonation<D extends Pick<Donation, 'count' | 'byCategory' | 'donatedOn'>>(
  donation: D,
  today: CalendarDate,
): D {
  if (!isCount(donation.count, 1)) {
    throw invalid(
      LIBRARY_DONATION_COUNT_INVALID,
      'A donation is a whole number of books, 1 or more.',
    );
  }
  const categories = Object.entries(donation.byCategory);
  if (
    categories.some(([category, count]) => category.trim() === '' || !isCount(count, 1)) ||
    totalBooks(donation.byCategory) !== donation.count
  ) {
    throw invalid(
      LIBRARY_DONATION_CATEGORIES_MISMATCH,
      `The books by category must add up to the ${donation.count} donated.`,
    );
  }
  partsOf(donation.donatedOn);
  if (donation.donatedOn > today) {
    throw invalid(LIBRARY_DONATION_IN_FUTURE, 'A donation cannot be dated in the future.');
  }
  return donation;
}

/**
 * The library with new holdings, and the standard-reached event exactly when
 * this change takes it to 200 or more for the first time. Once reached, the
 * milestone stays: a library that loses books and regains them does not
 * announce it again (coverage still lists it while it is under 200).
 */
export function updateHoldings(
  library: FarmhouseLibrary,
  holdings: Holdings,
  on: CalendarDate,
): { library: FarmhouseLibrary; standardReached: LibraryStandardReached | null } {
  validateHoldings(holdings);
  const total = totalBooks(holdings);
  const crosses = library.standardReachedOn === null && total >= LIBRARY_STANDARD_BOOKS;
  return {
    library: { ...library, holdings, standardReachedOn: crosses ? on : library.standardReachedOn },
    standardReached: crosses
      ? {
          type: 'LibraryStandardReached',
          libraryId: library.id,
          data: { totalBooks: total, reachedOn: on },
        }
      : null,
  };
}

/**
 * Records a donation received by the library's keeper under its pairing:
 * the holdings grow by the donation's categories and, when this donation
 * takes the library to the standard, the standard-reached event comes too.
 */
export function recordDonation(
  library: FarmhouseLibrary,
  pairing: Pairing,
  donation: Donation,
  today: CalendarDate,
): {
  library: FarmhouseLibrary;
  donationRecorded: BookDonationRecorded;
  standardReached: LibraryStandardReached | null;
} {
  if (pairing.libraryId !== library.id || donation.pairingId !== pairing.id) {
    throw invalid(LIBRARY_PAIRING_MISMATCH, 'The donation is not for this pairing and library.');
  }
  validateDonation(donation, today);
  if (library.keeperId === null) {
    throw precondition(LIBRARY_NO_KEEPER, 'The library has no keeper to receive the donation.');
  }
  if (donation.receivedBy !== library.keeperId) {
    throw forbidden(
      LIBRARY_RECEIPT_NOT_KEEPER,
      "Only the library's keeper can sign for a donation.",
    );
  }
  const updated = updateHoldings(
    library,
    addHoldings(library.holdings, donation.byCategory),
    donation.donatedOn,
  );
  return {
    library: updated.library,
    donationRecorded: {
      type: 'BookDonationRecorded',
      libraryId: library.id,
      data: {
        donationId: donation.id,
        pairingId: pairing.id,
        enterpriseId: pairing.enterpriseId,
        count: donation.count,
        byCategory: { ...donation.byCategory },
        donatedOn: donation.donatedOn,
        totalBooks: totalBooks(updated.library.holdings),
      },
    },
    standardReached: updated.standardReached,
  };
}

export interface PairingTotal {
  readonly pairingId: string;
  readonly donations: number;
  readonly books: number;
  readonly byCategory: Holdings;
  /** The latest donation's date, or null. */
  readonly lastDonatedOn: CalendarDate | null;
}

/** Donations summed per pairing (every pairing listed, even with none), in pairing-id order. */
export function pairingTotals(
  pairings: readonly Pick<Pairing, 'id'>[],
  donations: readonly Pick<Donation, 'pairingId' | 'count' | 'byCategory' | 'donatedOn'>[],
): PairingTotal[] {
  const totals = new Map<string, PairingTotal>(
    pairings.map((p) => [
      p.id,
      { pairingId: p.id, donations: 0, books: 0, byCategory: {}, lastDonatedOn: null },
    ]),
  );
  for (const donation of donations) {
    const total = totals.get(donation.pairingId);
    if (total === undefined) continue;
    totals.set(donation.pairingId, {
      pairingId: total.pairingId,
      donations: total.donations + 1,
      books: total.books + donation.count,
      byCategory: addHoldings(total.byCategory, donation.byCategory),
      lastDonatedOn:
        total.lastDonatedOn === null || donation.donatedOn > total.lastDonatedOn
          ? donation.donatedOn
          : total.lastDonatedOn,
    });
  }
  return [...totals.values()].sort((a, b) => (a.pairingId < b.pairingId ? -1 : 1));
}

export type JurisdictionLevel = 'city' | 'township' | 'street' | 'village' | 'community';

export interface CoverageInput {
  readonly jurisdictions: readonly {
    readonly code: string;
    readonly level: JurisdictionLevel;
    /** Ancestor codes from the city down to the node itself. */
    readonly path: readonly string[];
  }[];
  /** Knowledge supermarkets (求知超市), one per township/street. */
  readonly supermarkets: readonly { readonly jurisdictionCode: string }[];
  readonly libraries: readonly {
    readonly id: string;
    readonly jurisdictionCode: string;
    readonly totalBooks: number;
  }[];
  readonly pairings: readonly Pick<Pairing, 'id' | 'libraryId'>[];
  readonly donations: readonly Pick<Donation, 'pairingId' | 'donatedOn'>[];
  /** The year (China calendar) "this year" means. */
  readonly year: number;
  /** Root of the subtree to report on; null for the whole city. */
  readonly scopeCode: string | null;
}

export interface CoverageGaps {
  readonly townshipsWithoutSupermarket: string[];
  readonly villagesWithoutLibrary: string[];
  readonly librariesUnderStandard: {
    readonly libraryId: string;
    readonly jurisdictionCode: string;
    readonly totalBooks: number;
    readonly paired: boolean;
  }[];
  readonly pairingsWithoutDonationThisYear: string[];
}

const TOWNSHIP_LEVELS: readonly JurisdictionLevel[] = ['township', 'street'];
const VILLAGE_LEVELS: readonly JurisdictionLevel[] = ['village', 'community'];

/**
 * The office's gaps within a subtree, in one pass over each list (300
 * townships and 5,000 villages are nothing): townships and streets without a
 * knowledge supermarket, villages and communities without a library,
 * libraries under 200 books (paired or not, flagged), and pairings whose
 * library is in scope with no donation dated in `year`. Lists are sorted by
 * code or id; records in jurisdictions the list does not know are left out.
 */
export function coverageGaps(input: CoverageInput): CoverageGaps {
  const inScope = new Set(
    input.jurisdictions
      .filter((j) => input.scopeCode === null || j.path.includes(input.scopeCode))
      .map((j) => j.code),
  );
  const level = new Map(input.jurisdictions.map((j) => [j.code, j.level]));
  const withSupermarket = new Set(input.supermarkets.map((s) => s.jurisdictionCode));
  const withLibrary = new Set(input.libraries.map((l) => l.jurisdictionCode));
  const pairedLibraries = new Set(input.pairings.map((p) => p.libraryId));
  const libraryCode = new Map(input.libraries.map((l) => [l.id, l.jurisdictionCode]));
  const year = String(input.year);
  const donatedThisYear = new Set(
    input.donations.filter((d) => d.donatedOn.slice(0, 4) === year).map((d) => d.pairingId),
  );
  const sorted = (values: string[]) => values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const codesAt = (levels: readonly JurisdictionLevel[]) =>
    [...inScope].filter((code) => levels.includes(level.get(code) ?? 'city'));

  return {
    townshipsWithoutSupermarket: sorted(
      codesAt(TOWNSHIP_LEVELS).filter((c) => !withSupermarket.has(c)),
    ),
    villagesWithoutLibrary: sorted(codesAt(VILLAGE_LEVELS).filter((c) => !withLibrary.has(c))),
    librariesUnderStandard: input.libraries
      .filter((l) => inScope.has(l.jurisdictionCode) && l.totalBooks < LIBRARY_STANDARD_BOOKS)
      .map((l) => ({
        libraryId: l.id,
        jurisdictionCode: l.jurisdictionCode,
        totalBooks: l.totalBooks,
        paired: pairedLibraries.has(l.id),
      }))
      .sort((a, b) => (a.libraryId < b.libraryId ? -1 : a.libraryId > b.libraryId ? 1 : 0)),
    pairingsWithoutDonationThisYear: sorted(
      input.pairings
        .filter((p) => {
          const code = libraryCode.get(p.libraryId);
          return code !== undefined && inScope.has(code) && !donatedThisYear.has(p.id);
        })
        .map((p) => p.id),
    ),
  };
}

/** The two kinds of place of the network (§5.4). */
export const NETWORK_PLACE_KINDS = ['knowledge_supermarket', 'farmhouse_library'] as const;
export type NetworkPlaceKind = (typeof NETWORK_PLACE_KINDS)[number];

/** What a place offers the people around it. */
export const NETWORK_SERVICES = [
  'lending',
  'skills_training',
  'reading_guidance',
  'information_exchange',
] as const;
export type NetworkService = (typeof NETWORK_SERVICES)[number];

export const NETWORK_PLACE_LEVEL_INVALID = 'NETWORK_PLACE_LEVEL_INVALID';

const PLACE_LEVELS: Readonly<Record<NetworkPlaceKind, readonly JurisdictionLevel[]>> = {
  knowledge_supermarket: TOWNSHIP_LEVELS,
  farmhouse_library: VILLAGE_LEVELS,
};

/**
 * A knowledge supermarket serves a township or street, a farmhouse library a
 * village or residential community: a place at any other level is refused.
 */
export function assertPlaceLevel(kind: NetworkPlaceKind, level: JurisdictionLevel): void {
  if (!PLACE_LEVELS[kind].includes(level)) {
    throw invalid(
      NETWORK_PLACE_LEVEL_INVALID,
      kind === 'knowledge_supermarket'
        ? 'A knowledge supermarket belongs to a township or street.'
        : 'A farmhouse library belongs to a village or residential community.',
    );
  }
}
