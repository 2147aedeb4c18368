import { describe, expect, it } from 'vitest';
import {
  coverageGaps,
  LIBRARY_DONATION_CATEGORIES_MISMATCH,
  LIBRARY_DONATION_COUNT_INVALID,
  LIBRARY_DONATION_IN_FUTURE,
  LIBRARY_HOLDINGS_INVALID,
  LIBRARY_NO_KEEPER,
  LIBRARY_PAIRING_MISMATCH,
  LIBRARY_RECEIPT_NOT_KEEPER,
  LIBRARY_STANDARD_BOOKS,
  pairingTotals,
  recordDonation,
  totalBooks,
  updateHoldings,
  type CoverageInput,
  type Donation,
  type FarmhouseLibrary,
  type Pairing,
} from '../../../src/domain/library-standard.js';
import { refusalOf } from '@learning/testing';

const library: FarmhouseLibrary = {
  id: 'lib-v1',
  jurisdictionCode: 'V1',
  keeperId: 'keeper-1',
  holdings: { farming_technology: 120, law: 60 },
  standardReachedOn: null,
};
const pairing: Pairing = { id: 'p-1', enterpriseId: 'ent-1', libraryId: 'lib-v1' };
const donation: Donation = {
  id: 'd-1',
  pairingId: 'p-1',
  count: 25,
  byCategory: { farming_technology: 15, law: 10 },
  donatedOn: '2026-05-10',
  receivedBy: 'keeper-1',
};
const today = '2026-05-12';

describe('holdings', () => {
  it('when holdings are summed, then every category counts', () => {
    expect(totalBooks(library.holdings)).toBe(180);
    expect(totalBooks({})).toBe(0);
  });

  it('when a category holds a negative or fractional count, then it is refused', () => {
    const bad: Record<string, number>[] = [{ law: -1 }, { law: 1.5 }, { '': 3 }];
    for (const holdings of bad) {
      expect(refusalOf(() => updateHoldings(library, holdings, today)).code).toBe(
        LIBRARY_HOLDINGS_INVALID,
      );
    }
  });
});

describe('recordDonation', () => {
  it('when the keeper signs for a donation, then holdings grow by category and the event reports it', () => {
    const result = recordDonation(library, pairing, donation, today);
    expect(result.library.holdings).toEqual({ farming_technology: 135, law: 70 });
    expect(result.donationRecorded).toEqual({
      type: 'BookDonationRecorded',
      libraryId: 'lib-v1',
      data: {
        donationId: 'd-1',
        pairingId: 'p-1',
        enterpriseId: 'ent-1',
        count: 25,
        byCategory: { farming_technology: 15, law: 10 },
        donatedOn: '2026-05-10',
        totalBooks: 205,
      },
    });
  });

  it('when a donation takes the library from under 200 to 200 or more, then the standard-reached event comes once', () => {
    const result = recordDonation(library, pairing, donation, today);
    expect(result.standardReached).toEqual({
      type: 'LibraryStandardReached',
      libraryId: 'lib-v1',
      data: { totalBooks: 205, reachedOn: '2026-05-10' },
    });
    expect(result.library.standardReachedOn).toBe('2026-05-10');
    const again = recordDonation(result.library, pairing, { ...donation, id: 'd-2' }, today);
    expect(again.standardReached).toBeNull();
  });

  it('when a donation lands on exactly 200, then the standard is reached', () => {
    const exact = { ...donation, count: 20, byCategory: { law: 20 } };
    expect(totalBooks(recordDonation(library, pairing, exact, today).library.holdings)).toBe(
      LIBRARY_STANDARD_BOOKS,
    );
    expect(recordDonation(library, pairing, exact, today).standardReached).not.toBeNull();
  });

  it('when a donation leaves the library under 200, then there is no standard event', () => {
    const small = { ...donation, count: 19, byCategory: { law: 19 } };
    const result = recordDonation(library, pairing, small, today);
    expect(totalBooks(result.library.holdings)).toBe(199);
    expect(result.standardReached).toBeNull();
    expect(result.library.standardReachedOn).toBeNull();
  });

  it('when a library that reached the standard drops below and climbs back, then it is not announced again', () => {
    const reached = recordDonation(library, pairing, donation, today).library;
    const lost = updateHoldings(reached, { farming_technology: 100 }, '2026-06-01');
    expect(lost.standardReached).toBeNull();
    const regained = updateHoldings(lost.library, { farming_technology: 300 }, '2026-07-01');
    expect(regained.standardReached).toBeNull();
    expect(regained.library.standardReachedOn).toBe('2026-05-10');
  });

  it('when the categories do not add up to the count, then the donation is refused', () => {
    expect(
      refusalOf(() =>
        recordDonation(library, pairing, { ...donation, byCategory: { law: 24 } }, today),
      ).code,
    ).toBe(LIBRARY_DONATION_CATEGORIES_MISMATCH);
    expect(
      refusalOf(() =>
        recordDonation(
          library,
          pairing,
          { ...donation, byCategory: { law: 25, farming_technology: 0 } },
          today,
        ),
      ).code,
    ).toBe(LIBRARY_DONATION_CATEGORIES_MISMATCH);
  });

  it('when the count is not a whole number of one or more, then the donation is refused', () => {
    for (const count of [0, -3, 2.5]) {
      expect(
        refusalOf(() => recordDonation(library, pairing, { ...donation, count }, today)).code,
      ).toBe(LIBRARY_DONATION_COUNT_INVALID);
    }
  });

  it('when the donation is dated after today, then it is refused', () => {
    expect(
      refusalOf(() =>
        recordDonation(library, pairing, { ...donation, donatedOn: '2026-05-13' }, today),
      ).code,
    ).toBe(LIBRARY_DONATION_IN_FUTURE);
  });

  it('when the pairing is for another library or the donation for another pairing, then it is refused', () => {
    expect(
      refusalOf(() => recordDonation(library, { ...pairing, libraryId: 'lib-v2' }, donation, today))
        .code,
    ).toBe(LIBRARY_PAIRING_MISMATCH);
    expect(
      refusalOf(() => recordDonation(library, pairing, { ...donation, pairingId: 'p-2' }, today))
        .code,
    ).toBe(LIBRARY_PAIRING_MISMATCH);
  });

  it('when someone other than the keeper signs, or there is no keeper, then it is refused', () => {
    const error = refusalOf(() =>
      recordDonation(library, pairing, { ...donation, receivedBy: 'someone' }, today),
    );
    expect(error.code).toBe(LIBRARY_RECEIPT_NOT_KEEPER);
    expect(error.kind).toBe('permission_denied');
    expect(
      refusalOf(() => recordDonation({ ...library, keeperId: null }, pairing, donation, today))
        .code,
    ).toBe(LIBRARY_NO_KEEPER);
  });
});

describe('pairingTotals', () => {
  it('when donations are summed per pairing, then counts and categories add up and pairings without donations show zero', () => {
    const totals = pairingTotals(
      [{ id: 'p-2' }, { id: 'p-1' }],
      [
        donation,
        { ...donation, id: 'd-2', count: 5, byCategory: { law: 5 }, donatedOn: '2026-03-01' },
        { ...donation, id: 'd-x', pairingId: 'p-unknown' },
      ],
    );
    expect(totals).toEqual([
      {
        pairingId: 'p-1',
        donations: 2,
        books: 30,
        byCategory: { farming_technology: 15, law: 15 },
        lastDonatedOn: '2026-05-10',
      },
      { pairingId: 'p-2', donations: 0, books: 0, byCategory: {}, lastDonatedOn: null },
    ]);
  });
});

describe('coverageGaps', () => {
  const input: CoverageInput = {
    jurisdictions: [
      { code: 'C', level: 'city', path: ['C'] },
      { code: 'T1', level: 'township', path: ['C', 'T1'] },
      { code: 'S2', level: 'street', path: ['C', 'S2'] },
      { code: 'V1', level: 'village', path: ['C', 'T1', 'V1'] },
      { code: 'V2', level: 'village', path: ['C', 'T1', 'V2'] },
      { code: 'R3', level: 'community', path: ['C', 'S2', 'R3'] },
      { code: 'R4', level: 'community', path: ['C', 'S2', 'R4'] },
    ],
    supermarkets: [{ jurisdictionCode: 'T1' }],
    libraries: [
      { id: 'lib-v1', jurisdictionCode: 'V1', totalBooks: 150 },
      { id: 'lib-r3', jurisdictionCode: 'R3', totalBooks: 250 },
      { id: 'lib-r4', jurisdictionCode: 'R4', totalBooks: 199 },
    ],
    pairings: [
      { id: 'p-1', libraryId: 'lib-v1' },
      { id: 'p-3', libraryId: 'lib-r3' },
    ],
    donations: [
      { pairingId: 'p-1', donatedOn: '2025-12-31' },
      { pairingId: 'p-3', donatedOn: '2026-01-01' },
    ],
    year: 2026,
    scopeCode: null,
  };

  it('when the whole city is reported, then every kind of gap is listed', () => {
    expect(coverageGaps(input)).toEqual({
      townshipsWithoutSupermarket: ['S2'],
      villagesWithoutLibrary: ['V2'],
      librariesUnderStandard: [
        { libraryId: 'lib-r4', jurisdictionCode: 'R4', totalBooks: 199, paired: false },
        { libraryId: 'lib-v1', jurisdictionCode: 'V1', totalBooks: 150, paired: true },
      ],
      pairingsWithoutDonationThisYear: ['p-1'],
    });
  });

  it('when a subtree is reported, then only its gaps are listed', () => {
    expect(coverageGaps({ ...input, scopeCode: 'S2' })).toEqual({
      townshipsWithoutSupermarket: ['S2'],
      villagesWithoutLibrary: [],
      librariesUnderStandard: [
        { libraryId: 'lib-r4', jurisdictionCode: 'R4', totalBooks: 199, paired: false },
      ],
      pairingsWithoutDonationThisYear: [],
    });
  });

  it('when last year is reported, then last year’s donations count', () => {
    expect(coverageGaps({ ...input, year: 2025 }).pairingsWithoutDonationThisYear).toEqual(['p-3']);
  });

  it('when everything is covered, then there are no gaps', () => {
    const covered = coverageGaps({
      ...input,
      supermarkets: [{ jurisdictionCode: 'T1' }, { jurisdictionCode: 'S2' }],
      libraries: [
        { id: 'lib-v1', jurisdictionCode: 'V1', totalBooks: 200 },
        { id: 'lib-v2', jurisdictionCode: 'V2', totalBooks: 300 },
        { id: 'lib-r3', jurisdictionCode: 'R3', totalBooks: 250 },
        { id: 'lib-r4', jurisdictionCode: 'R4', totalBooks: 201 },
      ],
      donations: [
        { pairingId: 'p-1', donatedOn: '2026-02-01' },
        { pairingId: 'p-3', donatedOn: '2026-01-01' },
      ],
    });
    expect(covered).toEqual({
      townshipsWithoutSupermarket: [],
      villagesWithoutLibrary: [],
      librariesUnderStandard: [],
      pairingsWithoutDonationThisYear: [],
    });
  });

  it('when the network has 300 townships and 5,000 villages, then the report is computed quickly', () => {
    const jurisdictions: CoverageInput['jurisdictions'][number][] = [
      { code: 'C', level: 'city', path: ['C'] },
    ];
    const libraries: CoverageInput['libraries'][number][] = [];
    for (let t = 0; t < 300; t++) {
      jurisdictions.push({ code: `T${t}`, level: 'township', path: ['C', `T${t}`] });
    }
    for (let v = 0; v < 5000; v++) {
      const t = v % 300;
      jurisdictions.push({ code: `V${v}`, level: 'village', path: ['C', `T${t}`, `V${v}`] });
      if (v % 2 === 0)
        libraries.push({ id: `L${v}`, jurisdictionCode: `V${v}`, totalBooks: v % 400 });
    }
    const started = performance.now();
    const gaps = coverageGaps({
      ...input,
      jurisdictions,
      libraries,
      supermarkets: [],
      pairings: [],
      donations: [],
    });
    expect(performance.now() - started).toBeLessThan(500);
    expect(gaps.townshipsWithoutSupermarket).toHaveLength(300);
    expect(gaps.villagesWithoutLibrary).toHaveLength(2500);
  });
});
