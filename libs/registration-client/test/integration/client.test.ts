import { connectRedis, redisKey, type RedisClient } from '@learning/redis';
import { useRegistrationApp } from '@learning/registration/testing';
import {
  captureLogger,
  describeWithServers,
  jurisdictionTree,
  residentIdNumber,
  uniqueName,
} from '@learning/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('when organizations are streamed and counted, then they come in id order with member counts, only of the kind and statuses asked, and each area counts its subtree', async () => {
    const village = tree.find((node) => node.level === 'village');
    if (village === undefined) throw new Error('the tree has villages');
    const township = village.path[1] ?? '';
    const applicant = await registrationApp.issuer.sign({
      subject: 'org-applicant',
      roles: ['org_admin'],
    });
    const ids: string[] = [];
    for (const name of ['书香家庭甲', '书香家庭乙']) {
      const created = await registrationApp.send('POST', '/v1/organizations', applicant, {
        kind: 'family',
        name,
        jurisdictionCode: village.code,
      });
      expect(created.status).toBe(201);
      ids.push(((await created.json()) as { id: string }).id);
    }
    const [kept, rejected] = ids;
    for (const action of ['start_review', 'reject'])
      expect(
        (
          await registrationApp.send('POST', `/v1/organizations/${rejected ?? ''}:decide`, admin, {
            action,
            reason: '材料不全',
          })
        ).status,
      ).toBe(200);

    const streamed: { id: string; status: string; memberCount: number }[] = [];
    for await (const page of registration.organizationDirectory.stream(
      { kind: 'family', statuses: ['applied', 'under_review', 'recognized'] },
      { pageSize: 1 },
    ))
      streamed.push(...page.map(({ id, status, memberCount }) => ({ id, status, memberCount })));
    const counts = await registration.organizationDirectory.countIn(
      [township, '330281999000'],
      ['rejected'],
    );

    expect(streamed).toEqual([{ id: kept, status: 'applied', memberCount: 0 }]);
    expect(counts.get(township)).toEqual({ total: 2, matching: 1 });
    expect(counts.get('330281999000')).toEqual({ total: 0, matching: 0 });
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
        tier: 'pupil',
        organizationIds: [],
      },
    ]);
  });

  describe('an organization and its members', () => {
    const village = () => {
      const found = tree.find((node) => node.level === 'village');
      if (found === undefined) throw new Error('the tree has villages');
      return found;
    };
    let organizationId: string;
    const members: string[] = [];

    /** A participant registered through the API; resolves with their id. */
    async function register(sequence: number): Promise<string> {
      const token = await registrationApp.issuer.sign({
        subject: uniqueName('member'),
        roles: ['participant'],
      });
      const response = await registrationApp.send('POST', '/v1/participants', token, {
        name: '张三',
        tier: 'ordinary_citizen',
        homeJurisdiction: village().code,
        idNumber: residentIdNumber('19850101', 100 + sequence),
        language: 'zh-CN',
        consent: { notifications: false },
      });
      expect(response.status).toBe(201);
      return ((await response.json()) as { id: string }).id;
    }

    beforeAll(async () => {
      const applicant = await registrationApp.issuer.sign({
        subject: uniqueName('applicant'),
        roles: ['org_admin'],
      });
      const registered = await registrationApp.send('POST', '/v1/organizations', applicant, {
        kind: 'community',
        name: uniqueName('学习型社区'),
        jurisdictionCode: village().code,
      });
      expect(registered.status).toBe(201);
      organizationId = ((await registered.json()) as { id: string }).id;
      const orgAdmin = await registrationApp.issuer.sign({
        subject: uniqueName('org-admin'),
        roles: ['org_admin'],
        organizations: [organizationId],
      });
      for (let n = 0; n < 3; n += 1) members.push(await register(n));
      members.sort();
      for (const participantId of members) {
        const joined = await registrationApp.send(
          'PUT',
          `/v1/organizations/${organizationId}/members/${participantId}`,
          orgAdmin,
          { role: 'member' },
        );
        expect(joined.status).toBe(200);
      }
    });

    it('when participants are looked up by id, then they come with their tier and current organizations, unknown ids left out', async () => {
      const [first] = members;
      const found = await registration.participants.byIds([
        first ?? '',
        '00000000-0000-4000-8000-000000000000',
      ]);

      expect([...found.keys()]).toEqual([first]);
      expect(found.get(first ?? '')).toMatchObject({
        tier: 'ordinary_citizen',
        organizationIds: [organizationId],
        jurisdictionPath: village().path,
      });
    });

    it('when the members are paged, then each comes once with role and joining time, and the last page has no token', async () => {
      const first = await registration.organizations.members(organizationId, {
        size: 2,
        token: '',
      });
      const second = await registration.organizations.members(organizationId, {
        size: 2,
        token: first?.nextPageToken ?? '',
      });

      expect(first?.members.map((member) => member.participantId)).toEqual(members.slice(0, 2));
      expect(first?.members[0]?.role).toBe('member');
      expect(first?.members[0]?.joinedAt.getTime()).toBeGreaterThan(Date.now() - 600_000);
      expect(first?.nextPageToken).not.toBe('');
      expect(second?.members.map((member) => member.participantId)).toEqual(members.slice(2));
      expect(second?.nextPageToken).toBe('');
    });

    it('when members are asked for by role, then only those of the role come', async () => {
      const plain = await registration.organizations.members(
        organizationId,
        { size: 10, token: '' },
        { roles: ['member'] },
      );
      const admins = await registration.organizations.members(
        organizationId,
        { size: 10, token: '' },
        { roles: ['admin'] },
      );

      expect(plain?.members.map((member) => member.participantId)).toEqual(members);
      expect(admins?.members).toEqual([]);
    });

    it('when notifications reads contacts and the audience, then only consented addresses come, the audience ascends, resumes after an id and counts', async () => {
      const { logger } = captureLogger('notifications-client');
      const token = await registrationApp.issuer.sign({
        subject: 'service:notifications',
        roles: ['service'],
        service: 'notifications',
      });
      const notifications = connectRegistration({
        service: 'notifications',
        address: `127.0.0.1:${registrationApp.ports.grpcPort}`,
        redis,
        logger,
        tokenProvider: () => token,
      });
      try {
        const person = await registrationApp.issuer.sign({
          subject: uniqueName('consenting'),
          roles: ['participant'],
        });
        const created = await registrationApp.send('POST', '/v1/participants', person, {
          name: '李四',
          tier: 'ordinary_citizen',
          homeJurisdiction: village().code,
          idNumber: residentIdNumber('19850101', 200),
          phone: '13900001234',
          email: 'lisi@example.cn',
          language: 'en',
          consent: { email: true },
        });
        expect(created.status).toBe(201);
        const { id } = (await created.json()) as { id: string };

        const contacts = await notifications.contacts.byIds([id, ...members]);
        expect([...contacts.values()]).toEqual([
          {
            participantId: id,
            language: 'en',
            phone: null,
            email: 'lisi@example.cn',
            wechatOpenId: null,
          },
        ]);
        await expect(registration.contacts.byIds([id])).rejects.toMatchObject({
          kind: 'permission_denied',
        });

        // The village's citizens: the members and this person (a pupil lives there too).
        const criteria = {
          tiers: ['ordinary_citizen' as const],
          jurisdictionCodes: [village().code],
          organizationKinds: [],
        };
        const ids: string[] = [];
        for await (const page of notifications.audience.stream(criteria, { pageSize: 2 }))
          ids.push(...page.map((member) => member.id));
        expect(ids).toEqual([...members, id].sort());
        const resumed: string[] = [];
        for await (const page of notifications.audience.stream(criteria, { afterId: ids[1] }))
          resumed.push(...page.map((member) => member.id));
        expect(resumed).toEqual(ids.slice(2));
        expect(await notifications.audience.count(criteria)).toBe(ids.length);
        expect(
          await notifications.audience.count({ ...criteria, organizationKinds: ['community'] }),
        ).toBe(members.length);
      } finally {
        notifications.close();
      }
    });

    it('when the organization is unknown, then there are no members to page: null', async () => {
      expect(
        await registration.organizations.members('00000000-0000-4000-8000-000000000000', {
          size: 10,
          token: '',
        }),
      ).toBeNull();
    });
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
