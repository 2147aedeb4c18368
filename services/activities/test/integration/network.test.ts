import { randomUUID } from 'node:crypto';
import { activityEvents } from '@learning/contracts';
import { chinaDateOf, chinaYearOf } from '@learning/domain';
import { fromKafkaMessage, topics, type CloudEvent } from '@learning/events';
import { createGrpcClient, type GrpcClient } from '@learning/grpc';
import { activities } from '@learning/proto';
import {
  captureLogger,
  describeWithServers,
  eventually,
  watchTopics,
  type TopicWatch,
} from '@learning/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useActivitiesReplica, useActivitiesStack } from '../support/stack.js';

const CITY = '330281000000';
const T1 = '330281001000';
const T2 = '330281002000';
const T3 = '330281003000';
const village = (township: number, n: number): string =>
  `330281${String(township).padStart(3, '0')}${String(n).padStart(3, '0')}`;

interface Place {
  id: string;
  kind: string;
  jurisdictionCode: string;
  jurisdictionPath: string[];
  keeper: { participantId: string; subject: string } | null;
  services: string[];
  holdings: Record<string, number>;
  totalBooks: number;
  meetsStandard: boolean;
  standardReachedOn: string | null;
  version: number;
}

interface Pairing {
  id: string;
  enterpriseId: string;
  libraryId: string;
}

interface Donation {
  id: string;
  status: string;
  count: number;
  receivedBy: string | null;
}

interface Page<T> {
  items: T[];
  nextPageToken: string | null;
}

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

describeWithServers(['mongo', 'kafka', 'redis'], 'the learning network', (servers) => {
  const stack = useActivitiesStack(servers);
  const today = chinaDateOf(new Date());
  const year = chinaYearOf(new Date());
  let enterprise: string;
  let otherEnterprise: string;
  let rejectedEnterprise: string;
  let community: string;
  const tokens = {} as Record<
    | 'admin'
    | 't1Officer'
    | 't2Officer'
    | 'department'
    | 'enterpriseAdmin'
    | 'otherEnterpriseAdmin'
    | 'keeper'
    | 'participant'
    | 'service',
    string
  >;
  const keeper = { participantId: randomUUID(), subject: `keeper-${randomUUID()}` };
  let watch: TopicWatch;
  let grpc: GrpcClient<typeof activities.LearningNetworkServiceService>;

  /** Registers a learning organization with registration, as its applicant, and answers its id. */
  async function registerOrganization(kind: 'enterprise' | 'community'): Promise<string> {
    const applicant = await stack.token({ subject: `applicant-${kind}`, roles: ['org_admin'] });
    const response = await stack.registration.send('POST', '/v1/organizations', applicant, {
      kind,
      name: `${kind === 'enterprise' ? '企业' : '社区'} ${randomUUID().slice(0, 8)}`,
      jurisdictionCode: village(1, 1),
    });
    const body = (await response.json()) as { id: string };
    expect(response.status, JSON.stringify(body)).toBe(201);
    return body.id;
  }

  async function decideOrganization(id: string, body: Record<string, unknown>): Promise<void> {
    const response = await stack.registration.send(
      'POST',
      `/v1/organizations/${id}:decide`,
      tokens.admin,
      body,
    );
    expect(response.status, await response.text()).toBe(200);
  }

  beforeAll(async () => {
    tokens.admin = await stack.token({ subject: 'city-admin', roles: ['city_admin'] });
    [enterprise, otherEnterprise, rejectedEnterprise, community] = await Promise.all([
      registerOrganization('enterprise'),
      registerOrganization('enterprise'),
      registerOrganization('enterprise'),
      registerOrganization('community'),
    ]);
    await decideOrganization(rejectedEnterprise, { action: 'start_review' });
    await decideOrganization(rejectedEnterprise, { action: 'reject', reason: '材料不实' });
    tokens.t1Officer = await stack.token({
      subject: 't1-officer',
      roles: ['area_officer'],
      jurisdictions: [T1],
    });
    tokens.t2Officer = await stack.token({
      subject: 't2-officer',
      roles: ['area_officer'],
      jurisdictions: [T2],
    });
    tokens.department = await stack.token({
      subject: 'xuanchuan-officer',
      roles: ['department_officer'],
      department: 'xuanchuan-bu',
      cityWide: true,
    });
    tokens.enterpriseAdmin = await stack.token({
      subject: `hr-${enterprise}`,
      roles: ['org_admin'],
      organizations: [enterprise],
    });
    tokens.otherEnterpriseAdmin = await stack.token({
      subject: `hr-${otherEnterprise}`,
      roles: ['org_admin'],
      organizations: [otherEnterprise],
    });
    tokens.keeper = await stack.token({ subject: keeper.subject, roles: ['participant'] });
    tokens.participant = await stack.token({ subject: 'person-1', roles: ['participant'] });
    tokens.service = await stack.token({
      subject: 'service:lectures',
      roles: ['service'],
      service: 'lectures',
      cityWide: true,
    });
    watch = await watchTopics(servers.kafka, [topics.activitiesNetwork.name]);
    grpc = createGrpcClient(activities.LearningNetworkServiceClient, {
      address: `127.0.0.1:${stack.activities.ports.grpcPort}`,
      logger: captureLogger('network-client').logger,
      idempotentMethods: ['getCoverage'],
      tokenProvider: () => tokens.service,
    });
  });

  afterAll(async () => {
    grpc.close();
    await watch.stop();
  });

  async function call(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Reply> {
    const response = await stack.activities.send(
      method,
      path,
      token,
      body,
      headers === undefined ? {} : { headers },
    );
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
    };
  }

  async function openPlace(body: Record<string, unknown>, token = tokens.admin): Promise<Place> {
    const reply = await call('POST', '/v1/network/places', token, {
      name: '书屋',
      ...body,
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    return reply.body as unknown as Place;
  }

  async function pair(libraryId: string, enterpriseId = enterprise): Promise<Pairing> {
    const reply = await call('POST', '/v1/network/pairings', tokens.admin, {
      enterpriseId,
      libraryId,
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    return reply.body as unknown as Pairing;
  }

  /** Records a donation dated today unless `body` says otherwise. */
  const record = (
    pairingId: string,
    body: Record<string, unknown>,
    token = tokens.enterpriseAdmin,
  ) =>
    call('POST', `/v1/network/pairings/${pairingId}/donations`, token, {
      donatedOn: today,
      ...body,
    });

  async function donate(
    pairingId: string,
    byCategory: Record<string, number>,
    token = tokens.enterpriseAdmin,
  ): Promise<Donation> {
    const count = Object.values(byCategory).reduce((sum, n) => sum + n, 0);
    const reply = await record(pairingId, { count, byCategory }, token);
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    return reply.body as unknown as Donation;
  }

  const receive = (pairingId: string, donationId: string, token = tokens.keeper) =>
    call('POST', `/v1/network/pairings/${pairingId}/donations/${donationId}:receive`, token);

  const events = (type: string, matches: (event: CloudEvent) => boolean): CloudEvent[] =>
    watch.messages
      .map(({ message }) => fromKafkaMessage(message))
      .filter((event) => event.type === type && matches(event));

  const waitForEvents = (
    type: string,
    matches: (event: CloudEvent) => boolean,
    count = 1,
  ): Promise<CloudEvent[]> =>
    eventually(`${count} × ${type}`, () => {
      const found = events(type, matches);
      return found.length >= count ? found : undefined;
    });

  const dataOf = (event: CloudEvent): Record<string, unknown> =>
    event.data as Record<string, unknown>;

  it('when the OpenAPI document is read, then it describes the network routes', async () => {
    const docs = (await (await stack.activities.send('GET', '/openapi.json', null)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(docs.paths)).toEqual(
      expect.arrayContaining([
        '/v1/network/places',
        '/v1/network/places/{id}',
        '/v1/network/pairings',
        '/v1/network/pairings/{id}/donations',
        '/v1/network/coverage',
        '/v1/network/coverage:check',
      ]),
    );
  });

  describe('places', () => {
    it('when a city admin opens a supermarket in a township, then it is stored with its path, keeper, hours and services', async () => {
      const place = await openPlace({
        kind: 'knowledge_supermarket',
        name: '求知超市',
        jurisdictionCode: T1,
        keeper,
        openingHours: '周二至周日 09:00-17:00',
        services: ['lending', 'skills_training'],
        holdings: { science_culture_skills: 40 },
      });
      expect(place).toMatchObject({
        kind: 'knowledge_supermarket',
        jurisdictionCode: T1,
        jurisdictionPath: [CITY, T1],
        keeper,
        services: ['lending', 'skills_training'],
        holdings: { science_culture_skills: 40 },
        totalBooks: 40,
        version: 1,
      });
      const read = await call('GET', `/v1/network/places/${place.id}`, tokens.t1Officer);
      expect(read.status).toBe(200);
      expect(read.body['id']).toBe(place.id);
    });

    it('when the place is at the wrong level, then it is NETWORK_PLACE_LEVEL_INVALID', async () => {
      const library = await call('POST', '/v1/network/places', tokens.admin, {
        kind: 'farmhouse_library',
        name: '农家书屋',
        jurisdictionCode: T2,
      });
      expect(library.status).toBe(400);
      expect(library.body['code']).toBe('NETWORK_PLACE_LEVEL_INVALID');
      const supermarket = await call('POST', '/v1/network/places', tokens.admin, {
        kind: 'knowledge_supermarket',
        name: '求知超市',
        jurisdictionCode: village(2, 1),
      });
      expect(supermarket.status).toBe(400);
      expect(supermarket.body['code']).toBe('NETWORK_PLACE_LEVEL_INVALID');
    });

    it('when the jurisdiction is unknown, then it is JURISDICTION_UNKNOWN', async () => {
      const reply = await call('POST', '/v1/network/places', tokens.admin, {
        kind: 'farmhouse_library',
        name: '农家书屋',
        jurisdictionCode: '330281999999',
      });
      expect(reply.status).toBe(400);
      expect(reply.body['code']).toBe('JURISDICTION_UNKNOWN');
    });

    it('when a second place is opened in the same jurisdiction, then it is 409', async () => {
      const code = village(2, 4);
      await openPlace({ kind: 'farmhouse_library', jurisdictionCode: code });
      const again = await call('POST', '/v1/network/places', tokens.admin, {
        kind: 'farmhouse_library',
        name: '另一个书屋',
        jurisdictionCode: code,
      });
      expect(again.status).toBe(409);
      expect(again.body['code']).toBe('NETWORK_PLACE_ALREADY_EXISTS');
    });

    it('when the input is bad or the key missing, then it is refused with a stable code', async () => {
      const bad = await call('POST', '/v1/network/places', tokens.admin, {
        kind: 'farmhouse_library',
        name: '书屋',
        jurisdictionCode: village(2, 2),
        services: ['karaoke'],
        holdings: { law: 3 },
        $where: 'x',
      });
      expect(bad.status).toBe(400);
      const negative = await call('POST', '/v1/network/places', tokens.admin, {
        kind: 'farmhouse_library',
        name: '书屋',
        jurisdictionCode: village(2, 2),
        holdings: { market_economy_law: -1 },
      });
      expect(negative.status).toBe(400);
      expect(negative.body['code']).toBe('VALIDATION_FAILED');
      const noKey = await call(
        'POST',
        '/v1/network/places',
        tokens.admin,
        { kind: 'farmhouse_library', name: '书屋', jurisdictionCode: village(2, 2) },
        { 'idempotency-key': '' },
      );
      expect(noKey.status).toBe(400);
    });

    it('when an area officer works outside their township, then writes are refused and reads are 404', async () => {
      const outside = await call('POST', '/v1/network/places', tokens.t2Officer, {
        kind: 'farmhouse_library',
        name: '书屋',
        jurisdictionCode: village(1, 1),
      });
      expect(outside.status).toBe(403);
      const mine = await openPlace(
        { kind: 'farmhouse_library', jurisdictionCode: village(1, 1), keeper },
        tokens.t1Officer,
      );
      expect((await call('GET', `/v1/network/places/${mine.id}`, tokens.t2Officer)).status).toBe(
        404,
      );
      expect((await call('GET', `/v1/network/places/${mine.id}`, tokens.participant)).status).toBe(
        404,
      );
      // The keeper reads the place they keep, wherever it is.
      expect((await call('GET', `/v1/network/places/${mine.id}`, tokens.keeper)).status).toBe(200);
      const change = await call('PATCH', `/v1/network/places/${mine.id}`, tokens.t2Officer, {
        version: 1,
        openingHours: '全天',
      });
      expect(change.status).toBe(404);
    });

    it('when places are listed page by page, then each comes once and only within the officer’s scope', async () => {
      const seen: string[] = [];
      let token: string | null = null;
      do {
        const query: string = token === null ? '' : `&pageToken=${encodeURIComponent(token)}`;
        const reply = await call('GET', `/v1/network/places?pageSize=1${query}`, tokens.t1Officer);
        expect(reply.status).toBe(200);
        const page = reply.body as unknown as Page<Place>;
        expect(page.items.length).toBeLessThanOrEqual(1);
        seen.push(...page.items.map((place) => place.jurisdictionCode));
        token = page.nextPageToken;
      } while (token !== null);
      expect(seen.length).toBeGreaterThanOrEqual(2);
      expect(seen.every((code) => code.startsWith('330281001'))).toBe(true);
      expect(new Set(seen).size).toBe(seen.length);
      const forged = await call('GET', '/v1/network/places?pageToken=abc', tokens.t1Officer);
      expect(forged.status).toBe(400);
      expect(forged.body['code']).toBe('CURSOR_INVALID');
      // Anyone else lists the places they keep.
      const kept = (await call('GET', '/v1/network/places', tokens.keeper))
        .body as unknown as Page<Place>;
      expect(kept.items.length).toBeGreaterThanOrEqual(2);
      expect(kept.items.every((place) => place.keeper?.subject === keeper.subject)).toBe(true);
      const none = (await call('GET', '/v1/network/places', tokens.participant))
        .body as unknown as Page<Place>;
      expect(none.items).toEqual([]);
    });

    it('when an officer changes a place at the version read, then it changes once and a stale version is a conflict', async () => {
      const place = await openPlace({ kind: 'farmhouse_library', jurisdictionCode: village(2, 3) });
      const changed = await call('PATCH', `/v1/network/places/${place.id}`, tokens.admin, {
        version: place.version,
        keeper,
        services: ['reading_guidance', 'information_exchange'],
        holdings: { political_theory: 10 },
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({
        keeper,
        services: ['reading_guidance', 'information_exchange'],
        totalBooks: 10,
        version: 2,
      });
      const stale = await call('PATCH', `/v1/network/places/${place.id}`, tokens.admin, {
        version: place.version,
        name: '新名字',
      });
      expect(stale.status).toBe(409);
      expect(stale.body['code']).toBe('VERSION_CONFLICT');
      const empty = await call('PATCH', `/v1/network/places/${place.id}`, tokens.admin, {
        version: 2,
      });
      expect(empty.status).toBe(400);
      expect(empty.body['code']).toBe('NETWORK_CHANGE_EMPTY');
    });
  });

  describe('pairings and donations', () => {
    let library: Place;
    let pairing: Pairing;

    beforeAll(async () => {
      library = await openPlace({
        kind: 'farmhouse_library',
        jurisdictionCode: village(1, 2),
        keeper,
        holdings: { science_culture_skills: 100 },
      });
      pairing = await pair(library.id);
    });

    it('when an enterprise is paired twice with a library or with a supermarket, then it is refused', async () => {
      const twice = await call('POST', '/v1/network/pairings', tokens.admin, {
        enterpriseId: enterprise,
        libraryId: library.id,
      });
      expect(twice.status).toBe(409);
      expect(twice.body['code']).toBe('NETWORK_PAIRING_ALREADY_EXISTS');
      const supermarkets = (await call(
        'GET',
        `/v1/network/places?kind=knowledge_supermarket&jurisdictionCode=${T1}`,
        tokens.admin,
      )) as { body: unknown } as { body: Page<Place> };
      const [supermarket] = supermarkets.body.items;
      if (supermarket === undefined) throw new Error('the first test opened a supermarket');
      const notLibrary = await call('POST', '/v1/network/pairings', tokens.admin, {
        enterpriseId: enterprise,
        libraryId: supermarket.id,
      });
      expect(notLibrary.status).toBe(400);
      expect(notLibrary.body['code']).toBe('NETWORK_NOT_A_LIBRARY');
    });

    it('when the organization is unknown to registration, not an enterprise, or rejected, then it is not paired', async () => {
      for (const [enterpriseId, status, code] of [
        [randomUUID(), 400, 'NETWORK_ENTERPRISE_UNKNOWN'],
        [community, 400, 'NETWORK_PAIRING_NOT_ENTERPRISE'],
        [rejectedEnterprise, 409, 'NETWORK_ENTERPRISE_NOT_ACTIVE'],
      ] as const) {
        const refused = await call('POST', '/v1/network/pairings', tokens.admin, {
          enterpriseId,
          libraryId: library.id,
        });
        expect(refused.status, JSON.stringify(refused.body)).toBe(status);
        expect(refused.body['code']).toBe(code);
      }
      const listed = await call(
        'GET',
        `/v1/network/pairings?libraryId=${library.id}`,
        tokens.admin,
      );
      expect((listed.body as unknown as Page<Pairing>).items.map((p) => p.enterpriseId)).toEqual([
        enterprise,
      ]);
    });

    it('when pairings are read, then the enterprise’s admins, the keeper and officers over it see it, others do not', async () => {
      for (const token of [
        tokens.enterpriseAdmin,
        tokens.keeper,
        tokens.t1Officer,
        tokens.department,
      ])
        expect((await call('GET', `/v1/network/pairings/${pairing.id}`, token)).status).toBe(200);
      for (const token of [tokens.otherEnterpriseAdmin, tokens.t2Officer, tokens.participant])
        expect((await call('GET', `/v1/network/pairings/${pairing.id}`, token)).status).toBe(404);
      const mine = await call('GET', '/v1/network/pairings', tokens.enterpriseAdmin);
      expect((mine.body as unknown as Page<Pairing>).items.map((p) => p.id)).toEqual([pairing.id]);
      const theirs = await call('GET', '/v1/network/pairings', tokens.otherEnterpriseAdmin);
      expect((theirs.body as unknown as Page<Pairing>).items).toEqual([]);
      const t2 = await call('GET', '/v1/network/pairings', tokens.t2Officer);
      expect((t2.body as unknown as Page<Pairing>).items).toEqual([]);
      const keepers = await call(
        'GET',
        `/v1/network/pairings?libraryId=${library.id}`,
        tokens.keeper,
      );
      expect((keepers.body as unknown as Page<Pairing>).items.map((p) => p.id)).toEqual([
        pairing.id,
      ]);
      expect((await call('GET', '/v1/network/pairings', tokens.keeper)).status).toBe(403);
      const strangers = await call(
        'GET',
        `/v1/network/pairings?libraryId=${library.id}`,
        tokens.participant,
      );
      expect(strangers.status).toBe(403);
    });

    it('when the enterprise records a donation and the keeper receives it, then holdings grow and BookDonationRecorded is published once', async () => {
      const donation = await donate(pairing.id, {
        science_culture_skills: 15,
        market_economy_law: 5,
      });
      expect(donation).toMatchObject({ status: 'pending', count: 20, receivedBy: null });
      const pending = await call(
        'GET',
        `/v1/network/pairings/${pairing.id}/donations?status=pending`,
        tokens.keeper,
      );
      expect((pending.body as unknown as Page<Donation>).items.map((d) => d.id)).toEqual([
        donation.id,
      ]);
      const received = await receive(pairing.id, donation.id);
      expect(received.status, JSON.stringify(received.body)).toBe(200);
      expect(received.body).toMatchObject({
        donation: { id: donation.id, status: 'received', receivedBy: keeper.subject },
        library: {
          id: library.id,
          holdings: { science_culture_skills: 115, market_economy_law: 5 },
          totalBooks: 120,
        },
      });
      const [event] = await waitForEvents(
        activityEvents.BookDonationRecorded.type,
        (e) => dataOf(e)['donationId'] === donation.id,
      );
      expect(event?.subject).toBe(library.id);
      expect(dataOf(event as CloudEvent)).toMatchObject({
        pairingId: pairing.id,
        enterpriseId: enterprise,
        libraryId: library.id,
        bookCount: 20,
        donatedOn: today,
        jurisdictionPath: [CITY, T1, village(1, 2)],
      });
      const again = await receive(pairing.id, donation.id);
      expect(again.status).toBe(409);
      expect(again.body['code']).toBe('NETWORK_DONATION_ALREADY_RECEIVED');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(
        events(
          activityEvents.BookDonationRecorded.type,
          (e) => dataOf(e)['donationId'] === donation.id,
        ),
      ).toHaveLength(1);
      const audit = await eventually('the receipt in the audit log', async () => {
        const reply = await call(
          'GET',
          `/v1/audit-log?entityId=${library.id}&action=book_donation.receive`,
          tokens.admin,
        );
        const items = (reply.body as unknown as Page<{ actor: { subject: string } }>).items;
        return items.length > 0 ? items : undefined;
      });
      expect(audit[0]?.actor.subject).toBe(keeper.subject);
    });

    it('when someone other than the keeper signs, or another enterprise records, then it is refused', async () => {
      const donation = await donate(pairing.id, { ethics_etiquette: 2 });
      const officer = await receive(pairing.id, donation.id, tokens.t1Officer);
      expect(officer.status).toBe(403);
      expect(officer.body['code']).toBe('LIBRARY_RECEIPT_NOT_KEEPER');
      const enterpriseSigns = await receive(pairing.id, donation.id, tokens.enterpriseAdmin);
      expect(enterpriseSigns.status).toBe(403);
      const one = { count: 1, byCategory: { ethics_etiquette: 1 } };
      const stranger = await record(pairing.id, one, tokens.otherEnterpriseAdmin);
      expect(stranger.status).toBe(404);
      const keeperRecords = await record(pairing.id, one, tokens.keeper);
      expect(keeperRecords.status).toBe(403);
      const unknown = await receive(pairing.id, randomUUID());
      expect(unknown.status).toBe(404);
      expect(unknown.body['code']).toBe('NETWORK_DONATION_NOT_FOUND');
    });

    it('when a donation does not add up or is dated in the future, then it is refused with the domain’s code', async () => {
      const one = { count: 1, byCategory: { political_theory: 1 } };
      for (const [body, code] of [
        [
          { count: 10, byCategory: { political_theory: 9 } },
          'LIBRARY_DONATION_CATEGORIES_MISMATCH',
        ],
        [{ ...one, donatedOn: `${year + 1}-01-01` }, 'LIBRARY_DONATION_IN_FUTURE'],
        [{ ...one, donatedOn: `${year}-02-30` }, 'CALENDAR_DATE_INVALID'],
      ] as const) {
        const refused = await record(pairing.id, body);
        expect(refused.status).toBe(400);
        expect(refused.body['code']).toBe(code);
      }
    });

    it('when donations are listed page by page, then each comes once, oldest first', async () => {
      const ids: string[] = [];
      let token: string | null = null;
      do {
        const query: string = token === null ? '' : `&pageToken=${encodeURIComponent(token)}`;
        const reply = await call(
          'GET',
          `/v1/network/pairings/${pairing.id}/donations?pageSize=1${query}`,
          tokens.enterpriseAdmin,
        );
        expect(reply.status).toBe(200);
        const page = reply.body as unknown as Page<Donation>;
        ids.push(...page.items.map((d) => d.id));
        token = page.nextPageToken;
      } while (token !== null);
      expect(ids).toHaveLength(2);
      expect(new Set(ids).size).toBe(2);
    });
  });

  describe('the 200-book standard', () => {
    /** A kept library with `books` of one category, paired, and two recorded donations of `each`. */
    async function libraryWithTwoDonations(
      jurisdictionCode: string,
      category: string,
      books: number,
      each: Record<string, number>,
    ) {
      const library = await openPlace({
        kind: 'farmhouse_library',
        jurisdictionCode,
        keeper,
        holdings: { [category]: books },
      });
      const pairing = await pair(library.id);
      const first = await donate(pairing.id, each);
      const second = await donate(pairing.id, each);
      return { library, pairing, first, second };
    }

    /** The milestones published for the library once both receipts' donation events are out. */
    async function milestonesOf(libraryId: string): Promise<CloudEvent[]> {
      // Both receipts' donation events come on the library's partition after any milestone they carried.
      await waitForEvents(
        activityEvents.BookDonationRecorded.type,
        (e) => e.subject === libraryId,
        2,
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      return events(activityEvents.LibraryStandardReached.type, (e) => e.subject === libraryId);
    }

    it('when two receipts in sequence both leave the library at 200 or more, then LibraryStandardReached is published once', async () => {
      const { library, pairing, first, second } = await libraryWithTwoDonations(
        village(1, 3),
        'science_culture_skills',
        190,
        { science_culture_skills: 20 },
      );
      const firstReceipt = await receive(pairing.id, first.id);
      expect(firstReceipt.body).toMatchObject({
        library: { totalBooks: 210, meetsStandard: true },
      });
      const secondReceipt = await receive(pairing.id, second.id);
      expect(secondReceipt.body).toMatchObject({ library: { totalBooks: 230 } });
      const reached = await milestonesOf(library.id);
      expect(reached).toHaveLength(1);
      expect(dataOf(reached[0] as CloudEvent)).toMatchObject({
        libraryId: library.id,
        holdings: 210,
        standard: 200,
      });
    });

    it('when two receipts race at the same library, then both count and the standard is announced once', async () => {
      const { library, pairing, first, second } = await libraryWithTwoDonations(
        village(1, 4),
        'political_theory',
        195,
        { political_theory: 10 },
      );
      const replies = await Promise.all([
        receive(pairing.id, first.id),
        receive(pairing.id, second.id),
      ]);
      expect(replies.map((reply) => reply.status)).toEqual([200, 200]);
      const read = await call('GET', `/v1/network/places/${library.id}`, tokens.admin);
      expect(read.body['totalBooks']).toBe(215);
      expect(await milestonesOf(library.id)).toHaveLength(1);
    });
  });

  describe('coverage', () => {
    let full: Place;
    let thin: Place;
    let pairing: Pairing;

    beforeAll(async () => {
      // Township 3 alone: no supermarket; villages 1 and 2 have libraries, 3 and 4 none.
      full = await openPlace({
        kind: 'farmhouse_library',
        jurisdictionCode: village(3, 1),
        keeper,
        holdings: { science_culture_skills: 250 },
      });
      thin = await openPlace({
        kind: 'farmhouse_library',
        jurisdictionCode: village(3, 2),
        keeper,
        holdings: { market_economy_law: 50 },
      });
      pairing = await pair(thin.id);
      // Recorded but not received: it does not count as a donation yet.
      await donate(pairing.id, { market_economy_law: 5 });
    });

    it('when the office asks for a township’s coverage, then every kind of gap is listed', async () => {
      const reply = await call(
        'GET',
        `/v1/network/coverage?jurisdiction=${T3}&year=${year}`,
        tokens.admin,
      );
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      expect(reply.body).toEqual({
        jurisdictionCode: T3,
        year,
        townships: 1,
        villages: 4,
        supermarkets: 0,
        libraries: 2,
        pairedLibraries: 1,
        pairings: 1,
        townshipsWithoutSupermarket: [T3],
        villagesWithoutLibrary: [village(3, 3), village(3, 4)],
        librariesUnderStandard: [
          { libraryId: thin.id, jurisdictionCode: village(3, 2), totalBooks: 50, paired: true },
        ],
        pairingsWithoutDonation: [pairing.id],
      });
      const city = await call(
        'GET',
        `/v1/network/coverage?jurisdiction=${CITY}`,
        tokens.department,
      );
      expect(city.status).toBe(200);
      expect(city.body).toMatchObject({ jurisdictionCode: CITY, year, townships: 3, villages: 12 });
      expect(city.body['townshipsWithoutSupermarket']).toEqual([T2, T3]);
      expect(full.totalBooks).toBe(250);
    });

    it('when an officer asks outside their reach or about an unknown place, then it is 404; others are refused', async () => {
      const outside = await call(
        'GET',
        `/v1/network/coverage?jurisdiction=${T3}`,
        tokens.t1Officer,
      );
      expect(outside.status).toBe(404);
      expect(outside.body['code']).toBe('NETWORK_JURISDICTION_NOT_FOUND');
      const unknown = await call(
        'GET',
        '/v1/network/coverage?jurisdiction=330281999000',
        tokens.admin,
      );
      expect(unknown.status).toBe(404);
      const own = await call('GET', `/v1/network/coverage?jurisdiction=${T1}`, tokens.t1Officer);
      expect(own.status).toBe(200);
      expect(
        (await call('GET', `/v1/network/coverage?jurisdiction=${T3}`, tokens.keeper)).status,
      ).toBe(403);
      const badYear = await call(
        'GET',
        `/v1/network/coverage?jurisdiction=${T3}&year=1900`,
        tokens.admin,
      );
      expect(badYear.status).toBe(400);
    });

    it('when another service asks over gRPC, then it gets the same figures with paired libraries under the standard', async () => {
      const response = await grpc.call.getCoverage({ jurisdictionCode: T3, year: 0 });
      expect(response.coverage).toEqual({
        jurisdictionCode: T3,
        year,
        townships: 1,
        villages: 4,
        supermarkets: 0,
        libraries: 2,
        pairedLibraries: 1,
        pairings: 1,
        townshipsWithoutSupermarket: [T3],
        villagesWithoutLibrary: [village(3, 3), village(3, 4)],
        librariesUnderStandard: [thin.id],
        pairingsWithoutDonation: [pairing.id],
      });
      await expect(
        grpc.call.getCoverage({ jurisdictionCode: '330281999000', year: 0 }),
      ).rejects.toMatchObject({ kind: 'not_found' });
    });

    it('when the check runs twice, then each gap is published once', async () => {
      const first = await call('POST', '/v1/network/coverage:check', tokens.admin, {
        jurisdictionCode: T3,
        year,
      });
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(first.body).toEqual({ jurisdictionCode: T3, year, gaps: 5, newlyReported: 5 });
      const library = await waitForEvents(
        activityEvents.NetworkGapDetected.type,
        (e) => dataOf(e)['subjectId'] === thin.id,
      );
      expect(dataOf(library[0] as CloudEvent)).toMatchObject({
        kind: 'NETWORK_GAP_KIND_LIBRARY_UNDER_STANDARD',
        jurisdictionPath: [CITY, T3, village(3, 2)],
        year,
      });
      await waitForEvents(
        activityEvents.NetworkGapDetected.type,
        (e) => dataOf(e)['subjectId'] === pairing.id,
      );
      const rerun = await call('POST', '/v1/network/coverage:check', tokens.admin, {
        jurisdictionCode: T3,
        year,
      });
      expect(rerun.body).toEqual({ jurisdictionCode: T3, year, gaps: 5, newlyReported: 0 });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      for (const subject of [thin.id, pairing.id])
        expect(
          events(activityEvents.NetworkGapDetected.type, (e) => dataOf(e)['subjectId'] === subject),
        ).toHaveLength(1);
      const officer = await call('POST', '/v1/network/coverage:check', tokens.t1Officer, {
        jurisdictionCode: T1,
      });
      expect(officer.status).toBe(403);
    });
  });

  describe('the periodic gap check', () => {
    // A second activities app, with its own database, that checks township 2 every second by itself.
    const checker = useActivitiesReplica(servers, stack, {
      environment: { NETWORK_GAP_CHECK_ROOT: T2, NETWORK_GAP_CHECK_EVERY_MS: '1000' },
    });

    async function created<T>(path: string, body: Record<string, unknown>): Promise<T> {
      const response = await checker.send('POST', path, tokens.admin, body);
      const text = await response.text();
      expect(response.status, text).toBe(201);
      return JSON.parse(text) as T;
    }

    it('when a paired library lacks books, then NetworkGapDetected is published once without anyone asking', async () => {
      const library = await created<Place>('/v1/network/places', {
        kind: 'farmhouse_library',
        name: '书屋',
        jurisdictionCode: village(2, 1),
        holdings: { political_theory: 3 },
      });
      const pairing = await created<Pairing>('/v1/network/pairings', {
        enterpriseId: enterprise,
        libraryId: library.id,
      });
      const [underStandard] = await waitForEvents(
        activityEvents.NetworkGapDetected.type,
        (e) => dataOf(e)['subjectId'] === library.id,
      );
      expect(dataOf(underStandard as CloudEvent)).toMatchObject({
        kind: 'NETWORK_GAP_KIND_LIBRARY_UNDER_STANDARD',
        jurisdictionPath: [CITY, T2, village(2, 1)],
        year,
      });
      await waitForEvents(
        activityEvents.NetworkGapDetected.type,
        (e) => dataOf(e)['subjectId'] === pairing.id,
      );
      // Later ticks find the same gaps and publish nothing more.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      for (const subject of [library.id, pairing.id])
        expect(
          events(activityEvents.NetworkGapDetected.type, (e) => dataOf(e)['subjectId'] === subject),
        ).toHaveLength(1);
    });

    describe('when the configured root is not in the tree yet', () => {
      // The local stack starts activities before it imports the demo city's tree.
      const early = useActivitiesReplica(servers, stack, {
        environment: { NETWORK_GAP_CHECK_ROOT: '330281099000', NETWORK_GAP_CHECK_EVERY_MS: '1000' },
      });

      it('then each tick says the check was skipped, and logs no error', async () => {
        // Two ticks, however slow the machine: each one says it skipped.
        const skipped = await eventually('two skipped ticks', () => {
          const lines = early.logs.lines.filter((line) =>
            String(line['msg']).startsWith('network gap check skipped'),
          );
          return lines.length >= 2 ? lines : undefined;
        });
        expect(skipped[0]).toMatchObject({ level: 'warn', root: '330281099000' });
        expect(
          early.logs.lines.filter((line) => ['error', 'fatal'].includes(String(line['level']))),
        ).toEqual([]);
      });
    });

    it('when no root is configured, then the app says once at start that it checks only on request', () => {
      const notices = stack.activities.logs.lines.filter((line) =>
        String(line['msg']).startsWith('NETWORK_GAP_CHECK_ROOT is not set'),
      );
      expect(notices).toHaveLength(1);
      expect(
        checker.logs.lines.filter((line) => line['msg'] === 'network gap check done').length,
      ).toBeGreaterThanOrEqual(2);
    });
  });
});
