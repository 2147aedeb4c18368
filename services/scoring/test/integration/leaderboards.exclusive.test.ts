/**
 * Leaderboards end to end: ledger entries (inserted as the credits slice
 * appends them) and their credit events through Kafka → boards in Redis; the
 * public top lists and own rank over HTTP, with registration's real
 * directory for names and kinds; a requested rebuild; and Redis losing its
 * data, after which the periodic check rebuilds boards equal to before.
 */
import { chinaYearOf } from '@learning/domain';
import { creditEvents } from '@learning/contracts';
import { newEvent, toCloudEvent, toKafkaMessage } from '@learning/events';
import { common, scoring } from '@learning/proto';
import { connectRedis, type RedisClient } from '@learning/redis';
import {
  captureLogger,
  describeWithServers,
  eventually,
  residentIdNumber,
  uniqueName,
} from '@learning/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import mongoose, { type Connection, type Model } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ledgerEntryModel, type LedgerEntryDocument } from '../../src/adapters/mongo/ledger.js';
import { useScoringStack } from '../support/stack.js';

const YEAR = chinaYearOf(new Date());
const TIER_PROTO = { ordinary_citizen: common.Tier.TIER_ORDINARY_CITIZEN } as const;

describeWithServers(['mongo', 'kafka', 'redis'], 'scoring leaderboards', (servers) => {
  const database = uniqueName('scoring-boards');
  const stack = useScoringStack(servers, {
    scoringEnvironment: {
      MONGODB_DATABASE: database,
      KAFKA_GROUP_NAMESPACE: uniqueName('scoring-boards'),
      LEADERBOARD_CHECK_MS: '1000',
      PUBLIC_CACHE_TTL_MS: '1000',
    },
  });
  const [city, township, village] = stack.tree;
  const CITY = city?.code ?? '';
  const TOWNSHIP = township?.code ?? '';
  const VILLAGE = village?.code ?? '';
  const boardKey = (scope: string, family: string, subject: string): string =>
    `ls:scoring:{boards-${database}-${YEAR}}:live:${scope}:${family}:${subject}`;

  let connection: Connection;
  let ledger: Model<LedgerEntryDocument>;
  let producer: Producer;
  let redis: RedisClient;
  /** Participant ids by account subject, and the community's id. */
  const people = new Map<string, string>();
  let communityId = '';
  const personId = (subject: string): string => people.get(subject) ?? '';

  async function register(subject: string, name: string, sequence: number): Promise<void> {
    const token = await stack.token({ subject, roles: ['participant'] });
    const response = await stack.registration.send('POST', '/v1/participants', token, {
      name,
      tier: 'ordinary_citizen',
      homeJurisdiction: VILLAGE,
      idNumber: residentIdNumber('19800101', sequence),
      language: 'zh-CN',
      consent: { notifications: false },
    });
    expect(response.status).toBe(201);
    people.set(subject, ((await response.json()) as { id: string }).id);
  }

  function entry(
    holder: { kind: 'person' | 'organization'; id: string },
    amount: number,
    campaignId: string | null = null,
  ): LedgerEntryDocument {
    const id = randomUUID();
    return {
      _id: id,
      holderKind: holder.kind,
      holderId: holder.id,
      year: YEAR,
      ruleId: 'rule-1',
      ruleVersion: 1,
      source: holder.kind === 'person' ? 'lecture_attended' : 'book_donated',
      sourceId: `source:${id}`,
      sourceEventId: randomUUID(),
      revision: 1,
      amount,
      reason: amount > 0 ? 'awarded' : 'source_withdrawn',
      occurredAt: new Date(),
      category: null,
      tier: holder.kind === 'person' ? 'ordinary_citizen' : null,
      minutes: 0,
      campaignId,
      jurisdictionPath: [CITY, TOWNSHIP, VILLAGE],
      organizationIds: holder.kind === 'person' ? [] : [holder.id],
      title: '玉海大讲坛',
      recordedAt: new Date(),
      outbox: [],
    };
  }

  /** Appends entries as the credits slice does, and publishes their events (each as often as asked). */
  async function append(entries: LedgerEntryDocument[], copies = 1): Promise<void> {
    await ledger.insertMany(entries);
    const messages = entries.flatMap((doc) => {
      const definition =
        doc.amount > 0 ? creditEvents.CreditsAwarded : creditEvents.CreditsReversed;
      const event = newEvent(definition, `${doc.holderKind}:${doc.holderId}`, {
        entryId: doc._id,
        holderKind:
          doc.holderKind === 'person'
            ? scoring.HolderKind.HOLDER_KIND_PERSON
            : scoring.HolderKind.HOLDER_KIND_ORGANIZATION,
        holderId: doc.holderId,
        ruleId: doc.ruleId,
        ruleVersion: doc.ruleVersion,
        source: scoring.CreditSource.CREDIT_SOURCE_LECTURE_ATTENDED,
        sourceId: doc.sourceId,
        sourceEventId: doc.sourceEventId,
        amount: String(doc.amount / 100),
        reason: scoring.EntryReason.ENTRY_REASON_AWARDED,
        occurredAt: doc.occurredAt,
        year: doc.year,
        category: common.ContentCategory.CONTENT_CATEGORY_UNSPECIFIED,
        tier: doc.tier === null ? common.Tier.TIER_UNSPECIFIED : TIER_PROTO.ordinary_citizen,
        jurisdictionPath: doc.jurisdictionPath,
        organizationIds: doc.organizationIds,
        campaignId: doc.campaignId ?? '',
        recordedAt: doc.recordedAt,
      });
      const message = toKafkaMessage(toCloudEvent(event, '/learning/scoring'));
      return Array.from({ length: copies }, () => message);
    });
    await producer.send({ topic: creditEvents.CreditsAwarded.topic.name, messages });
  }

  const scoreOf = (key: string, member: string) => redis.zScore(key, member);

  /** Every live board of the year, as ZRANGE WITHSCORES shows it. */
  async function liveBoards(): Promise<Record<string, { value: string; score: number }[]>> {
    const boards: Record<string, { value: string; score: number }[]> = {};
    for await (const keys of redis.scanIterator({
      MATCH: `ls:scoring:{boards-${database}-${YEAR}}:live:*`,
      COUNT: 1000,
    }))
      for (const key of keys) boards[key] = await redis.zRangeWithScores(key, 0, -1);
    return boards;
  }

  beforeAll(async () => {
    redis = await connectRedis({ url: servers.redis.url, logger: captureLogger().logger });
    connection = await mongoose
      .createConnection(servers.mongo.uri, { dbName: database })
      .asPromise();
    ledger = ledgerEntryModel(connection);
    producer = new Kafka({ brokers: servers.kafka.brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await register('zhang', '张三明', 11);
    await register('li', '李四', 12);
    await register('wang', '王小五', 13);
    await register('zhao', '赵六', 14);
    const applicant = await stack.token({ subject: 'org-applicant', roles: ['org_admin'] });
    const organization = await stack.registration.send('POST', '/v1/organizations', applicant, {
      kind: 'community',
      name: '示范学习型社区',
      jurisdictionCode: VILLAGE,
    });
    expect(organization.status).toBe(201);
    communityId = ((await organization.json()) as { id: string }).id;
  });

  afterAll(async () => {
    await producer.disconnect();
    await connection.close();
    await redis.quit();
  });

  it('when awards arrive through Kafka, duplicated, then every board of the holder shows the ledger’s balance once', async () => {
    const zhang = { kind: 'person' as const, id: personId('zhang') };
    await append([entry(zhang, 300), entry(zhang, 200, 'april')], 3);
    await append([
      entry({ kind: 'person', id: personId('li') }, 300),
      entry({ kind: 'person', id: personId('wang') }, 300),
      entry({ kind: 'person', id: personId('zhao') }, 100),
      entry({ kind: 'organization', id: communityId }, 800),
    ]);

    // Holders are keys of their own: each may land on another partition, so wait for every one.
    const expected: [string, number][] = [
      [personId('zhang'), 500],
      [personId('li'), 300],
      [personId('wang'), 300],
      [personId('zhao'), 100],
    ];
    await eventually('the boards', async () => {
      const village = boardKey('year', 'persons-by-area', VILLAGE);
      for (const [id, score] of expected)
        if ((await scoreOf(village, id)) !== score) return undefined;
      return (await scoreOf(
        boardKey('year', 'organizations-by-kind', 'community'),
        communityId,
      )) === 800
        ? true
        : undefined;
    });
    for (const area of [CITY, TOWNSHIP, VILLAGE])
      expect(await scoreOf(boardKey('year', 'persons-by-area', area), personId('zhang'))).toBe(500);
    expect(
      await scoreOf(boardKey('year', 'persons-by-tier', 'ordinary_citizen'), personId('zhang')),
    ).toBe(500);
    expect(
      await scoreOf(boardKey('campaign-april', 'persons-by-area', CITY), personId('zhang')),
    ).toBe(200);
    expect(await scoreOf(boardKey('year', 'organizations-by-area', CITY), communityId)).toBe(800);
  });

  it('when the public top list is read, then ties share a rank, persons show masked names and no ids', async () => {
    const response = await fetch(
      `${stack.scoring.base}/v1/public/leaderboards/persons-by-area/${CITY}`,
    );
    const body = (await response.json()) as {
      total: number;
      items: { rank: number; name: string; credits: string; organizationId: string | null }[];
    };

    expect(response.status).toBe(200);
    expect(body.total).toBe(4);
    expect(body.items.map((item) => [item.rank, item.credits])).toEqual([
      [1, '5'],
      [2, '3'],
      [2, '3'],
      [4, '1'],
    ]);
    expect(body.items[0]?.name).toBe('张*明');
    expect(body.items.map((item) => item.name).sort()).toEqual(
      ['张*明', '李*', '王*五', '赵*'].sort(),
    );
    const text = JSON.stringify(body);
    for (const id of people.values()) expect(text).not.toContain(id);
    expect(text).not.toContain('张三明');
  });

  it('when the list is paged, then the second page keeps the tie’s rank and the last page has no token', async () => {
    const url = `${stack.scoring.base}/v1/public/leaderboards/persons-by-area/${CITY}?pageSize=2`;
    const first = (await (await fetch(url)).json()) as { nextPageToken: string | null };
    expect(first.nextPageToken).not.toBeNull();

    const second = (await (
      await fetch(`${url}&pageToken=${first.nextPageToken ?? ''}`)
    ).json()) as { items: { rank: number }[]; nextPageToken: string | null };

    expect(second.items.map((item) => item.rank)).toEqual([2, 4]);
    expect(second.nextPageToken).toBeNull();
  });

  it('when an organizations board is read, then it names the organization in full, with its id', async () => {
    const response = await fetch(
      `${stack.scoring.base}/v1/public/leaderboards/organizations-by-kind/community`,
    );

    expect(await response.json()).toMatchObject({
      board: 'organizations-by-kind/community',
      items: [{ rank: 1, name: '示范学习型社区', credits: '8', organizationId: communityId }],
    });
  });

  it('when a campaign board is read, then only the campaign’s credits count', async () => {
    const response = await fetch(
      `${stack.scoring.base}/v1/public/leaderboards/persons-by-tier/ordinary_citizen?campaignId=april`,
    );

    expect(await response.json()).toMatchObject({
      campaignId: 'april',
      total: 1,
      items: [{ rank: 1, name: '张*明', credits: '2' }],
    });
  });

  it.each([
    ['an unknown family', `persons-by-height/${CITY}`, 404, 'LEADERBOARD_NOT_FOUND'],
    ['a tier that is none', 'persons-by-tier/emperor', 404, 'LEADERBOARD_NOT_FOUND'],
    [
      'a forged page token',
      `persons-by-area/${CITY}?pageToken=bzk5OTk5OTk5OTk`,
      400,
      'LEADERBOARD_PAGE_TOKEN_INVALID',
    ],
    ['a page of 101', `persons-by-area/${CITY}?pageSize=101`, 400, 'VALIDATION_FAILED'],
  ])('when %s is asked, then %i %s', async (_what, path, status, code) => {
    const response = await fetch(`${stack.scoring.base}/v1/public/leaderboards/${path}`);

    expect(response.status).toBe(status);
    expect(((await response.json()) as { code: string }).code).toBe(code);
  });

  it.each([
    ['an area nobody scored in', 'persons-by-area/330281999999'],
    ['an organization with no credited member', `persons-by-organization/${randomUUID()}`],
    ['a campaign nobody scored in', `persons-by-area/${CITY}?campaignId=no-such-campaign`],
  ])('when %s is asked, then 200 with an empty page, not 404', async (_what, path) => {
    const response = await fetch(`${stack.scoring.base}/v1/public/leaderboards/${path}`);

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ total: 0, items: [], nextPageToken: null });
  });

  it('when a participant asks their own rank, then it is read live with ties', async () => {
    const token = await stack.token({ subject: 'wang', roles: ['participant'] });
    const response = await stack.scoring.send(
      'GET',
      `/v1/me/rank?board=persons-by-area/${VILLAGE}`,
      token,
    );

    expect(await response.json()).toEqual({
      board: `persons-by-area/${VILLAGE}`,
      year: YEAR,
      campaignId: null,
      rank: 2,
      credits: '3',
      total: 4,
    });
  });

  it('when a participant asks their rank on an organizations board, then 400', async () => {
    const token = await stack.token({ subject: 'wang', roles: ['participant'] });
    const response = await stack.scoring.send(
      'GET',
      '/v1/me/rank?board=organizations-by-kind/community',
      token,
    );

    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe('LEADERBOARD_NOT_FOR_PERSONS');
  });

  it('when an award is reversed, then the holder leaves the boards and a reordered repeat changes nothing', async () => {
    const zhao = { kind: 'person' as const, id: personId('zhao') };
    const reversal = entry(zhao, -100);
    await append([reversal]);
    await eventually('the reversal', async () =>
      (await scoreOf(boardKey('year', 'persons-by-area', CITY), zhao.id)) === null
        ? true
        : undefined,
    );
    expect(await redis.zCard(boardKey('year', 'persons-by-area', CITY))).toBe(4 - 1);
  });

  it('when the office rebuilds the year, then the rebuild reports its figures and the boards are unchanged', async () => {
    const before = await liveBoards();
    const admin = await stack.token({ subject: 'office', roles: ['city_admin'] });
    const started = await stack.scoring.send(
      'POST',
      `/v1/leaderboards/rebuild?year=${YEAR}`,
      admin,
    );
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };

    const done = await eventually('the rebuild', async () => {
      const progress = (await (
        await stack.scoring.send('GET', `/v1/leaderboards/rebuilds/${id}`, admin)
      ).json()) as { status: string; holders: number; boards: number };
      return progress.status === 'running' ? undefined : progress;
    });

    expect(done).toMatchObject({ status: 'succeeded', holders: 5 });
    expect(await liveBoards()).toEqual(before);
  });

  it('when Redis loses its data, then the periodic check rebuilds boards equal to before', async () => {
    const before = await liveBoards();
    expect(Object.keys(before).length).toBeGreaterThan(5);

    await redis.flushDb();

    const after = await eventually('the automatic rebuild', async () => {
      const boards = await liveBoards();
      return Object.keys(boards).length === Object.keys(before).length ? boards : undefined;
    });
    expect(after).toEqual(before);
  });

  it('when someone other than a city admin asks a rebuild, then 403', async () => {
    const token = await stack.token({ subject: 'wang', roles: ['participant'] });

    expect((await stack.scoring.send('POST', '/v1/leaderboards/rebuild', token)).status).toBe(403);
  });
});
