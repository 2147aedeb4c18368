import { systemActor } from '@learning/audit';
import { activityEvents } from '@learning/contracts';
import { rejectionOf } from '@learning/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkCoverage } from '../../../src/application/network/check-coverage.js';
import { createPairing } from '../../../src/application/network/create-pairing.js';
import { createPlace } from '../../../src/application/network/create-place.js';
import { getCoverage } from '../../../src/application/network/get-coverage.js';
import { listDonations } from '../../../src/application/network/read-donations.js';
import { receiveDonation } from '../../../src/application/network/receive-donation.js';
import { recordDonation } from '../../../src/application/network/record-donation.js';
import type { CategoryCounts, StoredPlace } from '../../../src/application/network/ports.js';
import {
  audit,
  CITY,
  FakeGaps,
  FakePairings,
  FakePlaces,
  fakeJurisdictions,
  fakeOrganizations,
  principal,
  sequentialIds,
  T1,
  T2,
  V11,
  V12,
  V21,
} from './network-fakes.js';

const NOW = new Date('2026-05-12T02:00:00Z');
const clock = () => NOW;

const admin = principal({ subject: 'admin', roles: ['city_admin'] });
const t2Officer = principal({ subject: 't2', roles: ['area_officer'], jurisdictions: [T2] });
const enterpriseAdmin = principal({
  subject: 'hr',
  roles: ['org_admin'],
  organizations: ['ent-1'],
});
const otherEnterpriseAdmin = principal({
  subject: 'hr-2',
  roles: ['org_admin'],
  organizations: ['ent-2'],
});
const keeperPrincipal = principal({ subject: 'keeper-subject', roles: ['participant'] });
const keeper = { participantId: 'p-keeper', subject: 'keeper-subject' };

const codeOf = (error: unknown): unknown => (error as { code?: unknown }).code;

describe('the learning network use cases', () => {
  let places: FakePlaces;
  let pairings: FakePairings;
  let gaps: FakeGaps;
  let deps: {
    places: FakePlaces;
    pairings: FakePairings;
    gaps: FakeGaps;
    jurisdictions: typeof fakeJurisdictions;
    organizations: typeof fakeOrganizations;
    audit: typeof audit;
    clock: () => Date;
  };

  beforeEach(() => {
    places = new FakePlaces();
    pairings = new FakePairings();
    gaps = new FakeGaps();
    deps = {
      places,
      pairings,
      gaps,
      jurisdictions: fakeJurisdictions,
      organizations: fakeOrganizations,
      audit,
      clock,
    };
  });

  const open = (
    kind: 'knowledge_supermarket' | 'farmhouse_library',
    jurisdictionCode: string,
    holdings: CategoryCounts = {},
  ): Promise<StoredPlace> =>
    createPlace({ ...deps, newId: sequentialIds(`place-${jurisdictionCode}`) })(admin, {
      kind,
      name: '书屋',
      jurisdictionCode,
      keeper,
      holdings,
    });

  const eventTypes = (outbox: readonly { type: string }[]) => outbox.map((event) => event.type);

  describe('createPlace', () => {
    it('when a library opens in a village, then it is stored with its path and an audit record', async () => {
      const library = await open('farmhouse_library', V11, { science_culture_skills: 30 });
      expect(library).toMatchObject({
        jurisdictionPath: [CITY, T1, V11],
        totalBooks: 30,
        standardReachedOn: null,
        keeper,
      });
      expect(eventTypes(places.outbox)).toEqual([audit.event.type]);
    });

    it('when a supermarket is opened in a village or a library in a street, then the level is refused', async () => {
      expect(codeOf(await rejectionOf(open('knowledge_supermarket', V11)))).toBe(
        'NETWORK_PLACE_LEVEL_INVALID',
      );
      expect(codeOf(await rejectionOf(open('farmhouse_library', T2)))).toBe(
        'NETWORK_PLACE_LEVEL_INVALID',
      );
      expect(places.places.size).toBe(0);
    });

    it('when the jurisdiction is unknown, then it is JURISDICTION_UNKNOWN', async () => {
      expect(codeOf(await rejectionOf(open('farmhouse_library', '330281009009')))).toBe(
        'JURISDICTION_UNKNOWN',
      );
    });

    it('when an area officer opens a place outside their subtree, then it is refused', async () => {
      const error = await rejectionOf(
        createPlace(deps)(t2Officer, {
          kind: 'farmhouse_library',
          name: '书屋',
          jurisdictionCode: V11,
        }),
      );
      expect(codeOf(error)).toBe('OUT_OF_SCOPE');
    });

    it('when a library opens with 200 books or more, then the standard is announced with it', async () => {
      const library = await open('farmhouse_library', V12, { political_theory: 200 });
      expect(library.standardReachedOn).toBe('2026-05-12');
      expect(eventTypes(places.outbox)).toEqual([
        activityEvents.LibraryStandardReached.type,
        audit.event.type,
      ]);
    });
  });

  describe('createPairing', () => {
    const pairWith = async (enterpriseId: string) => {
      const library = await open('farmhouse_library', V11);
      return createPairing(deps)(admin, { enterpriseId, libraryId: library.id });
    };

    it('when the enterprise is registered and not yet recognized, then the pairing is stored', async () => {
      const pairing = await pairWith('ent-applied');
      expect(pairing).toMatchObject({
        enterpriseId: 'ent-applied',
        jurisdictionPath: [CITY, T1, V11],
      });
      expect(pairings.pairings.size).toBe(1);
    });

    it.each([
      ['ent-unknown', 'NETWORK_ENTERPRISE_UNKNOWN'],
      ['community-1', 'NETWORK_PAIRING_NOT_ENTERPRISE'],
      ['ent-suspended', 'NETWORK_ENTERPRISE_NOT_ACTIVE'],
      ['ent-rejected', 'NETWORK_ENTERPRISE_NOT_ACTIVE'],
    ])('when the organization is %s, then the pairing is refused with %s', async (id, code) => {
      expect(codeOf(await rejectionOf(pairWith(id)))).toBe(code);
      expect(pairings.pairings.size).toBe(0);
    });
  });

  describe('donations', () => {
    let library: StoredPlace;
    let pairingId: string;
    let donationIds: () => string;

    beforeEach(async () => {
      library = await open('farmhouse_library', V11, { science_culture_skills: 180 });
      pairingId = (
        await createPairing({ ...deps, newId: () => 'pairing-1' })(admin, {
          enterpriseId: 'ent-1',
          libraryId: library.id,
        })
      ).id;
      places.outbox.length = 0;
      donationIds = sequentialIds('donation');
    });

    const record = (count: number, byCategory: CategoryCounts, by = enterpriseAdmin) =>
      recordDonation({ ...deps, newId: donationIds })(by, pairingId, {
        count,
        byCategory,
        donatedOn: '2026-05-10',
      });

    const receive = (donationId: string, by = keeperPrincipal) =>
      receiveDonation(deps)(by, pairingId, donationId);

    it('when the enterprise records a donation, then it waits for the keeper and only the audit goes out', async () => {
      const donation = await record(10, { market_economy_law: 10 });
      expect(donation).toMatchObject({ status: 'pending', enterpriseId: 'ent-1', count: 10 });
      expect(places.places.get(library.id)?.totalBooks).toBe(180);
      expect(eventTypes(places.outbox)).toEqual([audit.event.type]);
    });

    it('when another enterprise or the keeper records, then it is not found or forbidden', async () => {
      expect(
        codeOf(await rejectionOf(record(1, { ethics_etiquette: 1 }, otherEnterpriseAdmin))),
      ).toBe('NETWORK_PAIRING_NOT_FOUND');
      expect(codeOf(await rejectionOf(record(1, { ethics_etiquette: 1 }, keeperPrincipal)))).toBe(
        'NETWORK_DONATION_FORBIDDEN',
      );
    });

    it('when the categories do not add up, then the domain refuses it', async () => {
      expect(codeOf(await rejectionOf(record(5, { ethics_etiquette: 4 })))).toBe(
        'LIBRARY_DONATION_CATEGORIES_MISMATCH',
      );
    });

    it('when the keeper receives donations crossing 200, then holdings grow and the standard is announced once', async () => {
      const first = await record(25, { science_culture_skills: 20, market_economy_law: 5 });
      const second = await record(10, { market_economy_law: 10 });
      places.outbox.length = 0;
      const receipt = await receive(first.id);
      expect(receipt.library.holdings).toEqual({
        science_culture_skills: 200,
        market_economy_law: 5,
      });
      expect(receipt.library.totalBooks).toBe(205);
      expect(receipt.library.standardReachedOn).toBe('2026-05-10');
      expect(eventTypes(places.outbox)).toEqual([
        activityEvents.BookDonationRecorded.type,
        activityEvents.LibraryStandardReached.type,
        audit.event.type,
      ]);
      places.outbox.length = 0;
      await receive(second.id);
      expect(eventTypes(places.outbox)).toEqual([
        activityEvents.BookDonationRecorded.type,
        audit.event.type,
      ]);
      expect(places.places.get(library.id)?.totalBooks).toBe(215);
    });

    it('when another receipt wins the race across 200, then this one reads again and does not announce the standard', async () => {
      const donation = await record(15, { science_culture_skills: 15 });
      places.outbox.length = 0;
      // Another receipt lands between this one's read and its write, taking the library to 200.
      places.raceNextChange = (place) => ({
        ...place,
        holdings: { science_culture_skills: 200 },
        totalBooks: 200,
        standardReachedOn: '2026-05-11',
        version: place.version + 1,
      });
      const receipt = await receive(donation.id);
      expect(receipt.library.totalBooks).toBe(215);
      expect(receipt.library.standardReachedOn).toBe('2026-05-11');
      expect(eventTypes(places.outbox)).toEqual([
        activityEvents.BookDonationRecorded.type,
        audit.event.type,
      ]);
    });

    it('when someone other than the keeper signs, or it is signed twice, then it is refused', async () => {
      const donation = await record(5, { ethics_etiquette: 5 });
      expect(codeOf(await rejectionOf(receive(donation.id, admin)))).toBe(
        'LIBRARY_RECEIPT_NOT_KEEPER',
      );
      await receive(donation.id);
      expect(codeOf(await rejectionOf(receive(donation.id)))).toBe(
        'NETWORK_DONATION_ALREADY_RECEIVED',
      );
      expect(codeOf(await rejectionOf(receive('no-such-donation')))).toBe(
        'NETWORK_DONATION_NOT_FOUND',
      );
    });

    it('when donations are paged, then the cursor continues after the last one and a foreign cursor is refused', async () => {
      const ids = [
        (await record(1, { ethics_etiquette: 1 })).id,
        (await record(2, { ethics_etiquette: 2 })).id,
        (await record(3, { ethics_etiquette: 3 })).id,
      ];
      const list = listDonations(deps);
      const first = await list(enterpriseAdmin, pairingId, { pageSize: 2 });
      expect(first.items.map((d) => d.id)).toEqual(ids.slice(0, 2));
      const second = await list(enterpriseAdmin, pairingId, {
        pageSize: 2,
        pageToken: first.nextPageToken ?? '',
      });
      expect(second.items.map((d) => d.id)).toEqual(ids.slice(2));
      expect(second.nextPageToken).toBeNull();
      expect(
        codeOf(
          await rejectionOf(list(enterpriseAdmin, pairingId, { pageSize: 2, pageToken: 'e30' })),
        ),
      ).toBe('CURSOR_INVALID');
    });
  });

  describe('coverage', () => {
    let pairingId: string;
    let thinId: string;

    beforeEach(async () => {
      await open('knowledge_supermarket', T1);
      thinId = (await open('farmhouse_library', V11, { political_theory: 20 })).id;
      await open('farmhouse_library', V21, { political_theory: 300 });
      pairingId = (
        await createPairing({ ...deps, newId: () => 'pairing-c' })(admin, {
          enterpriseId: 'ent-1',
          libraryId: thinId,
        })
      ).id;
    });

    it('when the city is reported, then each gap is listed and the figures count places', async () => {
      const coverage = await getCoverage(deps)(admin, CITY, 2026);
      expect(coverage).toEqual({
        jurisdictionCode: CITY,
        year: 2026,
        townships: 2,
        villages: 3,
        supermarkets: 1,
        libraries: 2,
        pairedLibraries: 1,
        pairings: 1,
        townshipsWithoutSupermarket: [T2],
        villagesWithoutLibrary: [V12],
        librariesUnderStandard: [
          { libraryId: thinId, jurisdictionCode: V11, totalBooks: 20, paired: true },
        ],
        pairingsWithoutDonationThisYear: [pairingId],
      });
    });

    it('when an officer asks outside their subtree or about an unknown node, then it is not found', async () => {
      expect(codeOf(await rejectionOf(getCoverage(deps)(t2Officer, T1)))).toBe(
        'NETWORK_JURISDICTION_NOT_FOUND',
      );
      expect(codeOf(await rejectionOf(getCoverage(deps)(admin, '330281009000')))).toBe(
        'NETWORK_JURISDICTION_NOT_FOUND',
      );
      const own = await getCoverage(deps)(t2Officer, T2, 2026);
      expect(own.townshipsWithoutSupermarket).toEqual([T2]);
      expect(own.librariesUnderStandard).toEqual([]);
    });

    it('when a library has a second pairing, then pairings count both and paired libraries it once', async () => {
      await createPairing({ ...deps, newId: () => 'pairing-d' })(admin, {
        enterpriseId: 'ent-2',
        libraryId: thinId,
      });
      const coverage = await getCoverage(deps)(admin, CITY, 2026);
      expect(coverage).toMatchObject({ libraries: 2, pairedLibraries: 1, pairings: 2 });
      const elsewhere = await getCoverage(deps)(t2Officer, T2, 2026);
      expect(elsewhere).toMatchObject({ pairedLibraries: 0, pairings: 0 });
    });

    it('when the year is out of range, then it is NETWORK_YEAR_INVALID', async () => {
      expect(codeOf(await rejectionOf(getCoverage(deps)(admin, CITY, 1999)))).toBe(
        'NETWORK_YEAR_INVALID',
      );
    });

    it('when the check runs twice, then each gap is reported with its event once', async () => {
      const check = checkCoverage(deps);
      const first = await check(systemActor('network-check'), CITY, 2026);
      expect(first).toEqual({ jurisdictionCode: CITY, year: 2026, gaps: 4, newlyReported: 4 });
      expect([...gaps.stored.keys()].sort()).toEqual(
        [
          `library_under_standard:${thinId}:2026`,
          `pairing_without_donation:${pairingId}:2026`,
          `township_without_supermarket:${T2}:2026`,
          `village_without_library:${V12}:2026`,
        ].sort(),
      );
      const village = gaps.stored.get(`village_without_library:${V12}:2026`);
      expect(village?.jurisdictionPath).toEqual([CITY, T1, V12]);
      expect(eventTypes(village?.events ?? [])).toEqual([
        activityEvents.NetworkGapDetected.type,
        audit.event.type,
      ]);
      const again = await check(systemActor('network-check'), CITY, 2026);
      expect(again.newlyReported).toBe(0);
      const nextYear = await check(systemActor('network-check'), CITY, 2027);
      expect(nextYear.newlyReported).toBe(4);
    });
  });
});
