import { connectRedis, redisKey, type RedisClient } from '@learning/redis';
import { useRegistrationApp } from '@learning/registration/testing';
import {
  captureLogger,
  describeWithServers,
  jurisdictionTree,
  residentIdNumber,
  uniqueName,
} from '@learning/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectRegistration, type RegistrationClients } from '../../src/index.js';

describeWithServers(['mongo', 'kafka', 'redis'], 'the registration client', (servers) => {
  const tree = jurisdictionTree({ townships: 2, villagesPerTownship: 3 });
  const registrationApp = useRegistrationApp(servers);
  let redis: RedisClient;
  let registration: RegistrationClients;
  let admin: string;

  beforeAll(async () => {
    const { logger } = captureLogger('registration-client');
    redis = await connectRedis({ url: servers.redis.url, logger, name: uniqueName('client') });
    const token = await registrationApp.issuer.sign({
      subject: 'service:lectures',
      roles: ['service'],
      service: 'lectures',
      cityWide: true,
    });
    admin = await registrationApp.issuer.sign({
      subject: 'city-admin',
      roles: ['city_admin'],
      cityWide: true,
    });
    const imported = await registrationApp.send('POST', '/v1/jurisdictions:import', admin, {
      items: tree.map(({ code, name, level, path }) => ({
        code,
        name,
        level,
        parentCode: path.at(-2) ?? null,
      })),
    });
    expect(imported.status).toBe(200);
    registration = connectRegistration({
      service: 'lectures',
      address: `127.0.0.1:${registrationApp.ports.grpcPort}`,
      redis,
      logger,
      cacheTtlMs: 1_000,
      tokenProvider: () => token,
    });
  });
  afterAll(async () => {
    registration.close();
    await redis.close();
  });

  it('when jurisdictions are looked up, then known ones come with their path and unknown ones are left out', async () => {
    const village = tree.find((node) => node.level === 'village');
    if (village === undefined) throw new Error('the tree has villages');
    const found = await registration.jurisdictions.find([village.code, '330281999999']);
    expect([...found.keys()]).toEqual([village.code]);
    expect(found.get(village.code)).toMatchObject({ level: 'village', path: village.path });
    // A second look is served from the cache, under the calling service's keys, with the same answer.
    expect(await redis.exists(redisKey('lectures', 'jurisdiction', village.code))).toBe(1);
    expect((await registration.jurisdictions.find([village.code])).get(village.code)).toEqual(
      found.get(village.code),
    );
  });

  it('when a subtree is streamed, then every node of the asked levels comes once', async () => {
    const [city] = tree;
    if (city === undefined) throw new Error('the tree has a city');
    const nodes: string[] = [];
    for await (const page of registration.jurisdictions.subtree(city.code, ['township']))
      nodes.push(...page.map((node) => node.code));
    const townships = tree.filter((node) => node.level === 'township').map((node) => node.code);
    expect(nodes.sort()).toEqual(townships.sort());
  });

  it('when a subtree of an unknown root is streamed, then it is NOT_FOUND', async () => {
    const pages = registration.jurisdictions.subtree('330281999000')[Symbol.asyncIterator]();
    await expect(pages.next()).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('when organizations are looked up, then unknown ids are left out', async () => {
    const found = await registration.organizations.find(['00000000-0000-4000-8000-000000000000']);
    expect(found.size).toBe(0);
  });

  it('when departments are looked up, then known codes come with their names and unknown ones are left out', async () => {
    const found = await registration.departments.find(['jiaoyu-ju', 'zzz-no-such-dept']);
    expect([...found.values()]).toEqual([{ code: 'jiaoyu-ju', name: '教育局' }]);
  });

  it('when participants are looked up by their account, then the registered come with the birth date of their ID number', async () => {
    const subject = uniqueName('pupil');
    const pupil = await registrationApp.issuer.sign({ subject, roles: ['participant'] });
    const village = tree.find((node) => node.level === 'village');
    const registered = await registrationApp.send('POST', '/v1/participants', pupil, {
      name: '小明',
      tier: 'pupil',
      homeJurisdiction: village?.code,
      idNumber: residentIdNumber('20160315', 1),
      language: 'zh-CN',
      consent: { notifications: false },
    });
    expect(registered.status).toBe(201);
    const { id } = (await registered.json()) as { id: string };

    const found = await registration.participants.byAccounts([subject, uniqueName('nobody')]);
    expect([...found.values()]).toEqual([
      {
        id,
        accountSubject: subject,
        name: '小明',
        jurisdictionPath: village?.path,
        birthDate: '2016-03-15',
      },
    ]);
  });

  it('when figures are asked for events nobody signed up for, then they are zeros', async () => {
    const figures = await registration.enrollments.figuresOf(['no-such-lecture']);
    expect(figures.get('no-such-lecture')).toEqual({
      confirmed: 0,
      waitlisted: 0,
      checkedIn: 0,
      attended: 0,
    });
  });
});
