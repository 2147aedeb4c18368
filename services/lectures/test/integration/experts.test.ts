import { randomUUID } from 'node:crypto';
import { createGrpcClient } from '@learning/grpc';
import { lectures } from '@learning/proto';
import {
  captureLogger,
  describeWithServers,
  eventually,
  openApiProblems,
  uniqueName,
} from '@learning/testing';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expertModel, type ExpertDocument } from '../../src/adapters/mongo/experts.js';
import { sessionModel, type SessionDocument } from '../../src/adapters/mongo/sessions.js';
import {
  createExpert,
  expertToken,
  officeToken,
  registerParticipant,
  type ExpertBody,
} from '../support/catalogue.js';
import { sessionDocument } from '../support/session-documents.js';
import { useLecturesStack } from '../support/stack.js';

interface Refusal {
  code: string;
  message: string;
}

interface Page<T> {
  items: T[];
  nextPageToken: string | null;
}

/** Every phone and e-mail this file sends: none may appear in a log line. */
const contacts: string[] = [];
const phoneOf = (n: number): string => {
  const phone = `1391234${String(n).padStart(4, '0')}`;
  contacts.push(phone);
  return phone;
};
const emailOf = (name: string): string => {
  const email = `${name}.${randomUUID().slice(0, 6)}@lectures-test.cn`;
  contacts.push(email);
  return email;
};

describeWithServers(['mongo', 'kafka', 'redis'], 'lectures experts', (servers) => {
  const database = uniqueName('lectures-experts');
  const stack = useLecturesStack(servers, { lecturesEnvironment: { MONGODB_DATABASE: database } });
  const run = randomUUID().slice(0, 8);
  const subject = (name: string): string => `${name}-${run}`;
  let connection: Connection;
  let admin: string;
  let li: ExpertBody;
  let wang: ExpertBody;
  const liPhone = phoneOf(1);
  const liEmail = emailOf('li.hua');
  const send = (method: string, path: string, token: string | null, body?: unknown) =>
    stack.lectures.send(method, path, token, body);
  const json = async <T>(response: Response): Promise<T> => (await response.json()) as T;
  const refusal = async (response: Response): Promise<[number, string]> => [
    response.status,
    (await json<Refusal>(response)).code,
  ];
  /** The stored experts as their fields are; the outbox relay's bookkeeping moves on its own. */
  const storedExperts = async () =>
    (
      await expertModel(connection)
        .find({})
        .select('+phoneEncrypted +emailEncrypted')
        .sort({ _id: 1 })
        .lean<ExpertDocument[]>()
    ).map(({ outboxSince: _since, ...fields }) => fields);

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(servers.mongo.uri, { dbName: database })
      .asPromise();
    admin = await officeToken(stack);
    li = await createExpert(stack, {
      accountSubject: subject('li-hua'),
      displayName: '李华',
      languages: ['zh-cn', 'en'],
      availability: [
        { startsAt: '2026-05-11T00:00:00Z', endsAt: '2026-05-16T00:00:00Z' },
        { startsAt: '2026-05-04T00:00:00Z', endsAt: '2026-05-09T00:00:00Z' },
      ],
      phone: `+86 ${liPhone}`,
      email: liEmail,
    });
    wang = await createExpert(stack, {
      accountSubject: subject('wang-fang'),
      displayName: '王芳',
      fields: ['market_economy_law'],
      travelRadius: 'city',
      availability: [],
    });
  });

  afterAll(async () => {
    await connection.close();
  });

  it('when the office adds a registered person, then the profile is normalized and the contacts are returned to the office only as given', () => {
    expect(li).toMatchObject({
      accountSubject: subject('li-hua'),
      displayName: '李华',
      languages: ['zh-CN', 'en'],
      availability: [
        { startsAt: '2026-05-04T00:00:00.000Z', endsAt: '2026-05-09T00:00:00.000Z' },
        { startsAt: '2026-05-11T00:00:00.000Z', endsAt: '2026-05-16T00:00:00.000Z' },
      ],
      travelRadius: 'countryside',
      phone: liPhone,
      email: liEmail,
      status: 'active',
      version: 1,
    });
    expect(li.participantId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when the contacts are stored, then they are sealed by the vault, not kept as typed', async () => {
    const stored = (await storedExperts()).find((doc) => doc._id === li.id);

    expect(stored?.phoneEncrypted).toMatch(/^v1\./);
    expect(stored?.emailEncrypted).toMatch(/^v1\./);
    expect(JSON.stringify(stored)).not.toContain(liPhone);
    expect(JSON.stringify(stored)).not.toContain(liEmail);
  });

  it('when an expert is refused (unknown person, one already in the pool, bad contact or profile, not the office), then nothing is stored', async () => {
    const before = await storedExperts();
    const stranger = subject('stranger');
    const newcomer = subject('newcomer');
    await registerParticipant(stack, newcomer, '赵敏');
    const body = {
      accountSubject: newcomer,
      displayName: '赵敏',
      fields: ['ethics_etiquette'],
      languages: ['zh-CN'],
      travelRadius: 'city',
    };
    const cases: [Record<string, unknown>, number, string][] = [
      [{ accountSubject: stranger }, 400, 'EXPERT_PERSON_UNKNOWN'],
      [{ accountSubject: subject('li-hua') }, 409, 'EXPERT_ALREADY_EXISTS'],
      [{ phone: '1234567' }, 400, 'PHONE_FORMAT'],
      [{ email: 'zhao@@example' }, 400, 'EMAIL_FORMAT'],
      [{ languages: ['zh_CN'] }, 400, 'EXPERT_LANGUAGE_INVALID'],
      [{ languages: ['en', 'EN'] }, 400, 'EXPERT_LANGUAGE_DUPLICATE'],
      [
        {
          availability: [
            { startsAt: '2026-05-01T00:00:00Z', endsAt: '2026-05-03T00:00:00Z' },
            { startsAt: '2026-05-02T00:00:00Z', endsAt: '2026-05-04T00:00:00Z' },
          ],
        },
        400,
        'EXPERT_AVAILABILITY_OVERLAP',
      ],
      [
        { availability: [{ startsAt: '2026-05-03T00:00:00Z', endsAt: '2026-05-01T00:00:00Z' }] },
        400,
        'EXPERT_AVAILABILITY_WINDOW_INVALID',
      ],
      [
        {
          availability: Array.from({ length: 101 }, (_, day) => ({
            startsAt: new Date(Date.UTC(2026, 0, 1 + day)).toISOString(),
            endsAt: new Date(Date.UTC(2026, 0, 1 + day, 8)).toISOString(),
          })),
        },
        400,
        'EXPERT_AVAILABILITY_TOO_MANY',
      ],
      [{ travelRadius: 'abroad' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [overrides, status, code] of cases)
      expect([
        code,
        ...(await refusal(await send('POST', '/v1/experts', admin, { ...body, ...overrides }))),
      ]).toEqual([code, status, code]);

    const officer = await stack.token({
      subject: subject('xc'),
      roles: ['department_officer'],
      department: 'xuanchuan-bu',
    });
    expect(await refusal(await send('POST', '/v1/experts', officer, body))).toEqual([
      403,
      'ROLE_REQUIRED',
    ]);
    expect((await send('POST', '/v1/experts', null, body)).status).toBe(401);
    expect(await storedExperts()).toEqual(before);
  });

  it('when the office lists the pool, then the filters select and no contact is listed', async () => {
    const ids = async (query: string) =>
      (
        await json<Page<Record<string, unknown>>>(await send('GET', `/v1/experts?${query}`, admin))
      ).items.map((item) => item['id']);

    expect(await ids('field=political_theory')).toEqual([li.id]);
    expect(await ids('field=market_economy_law')).toEqual([wang.id]);
    expect(await ids('travelRadius=city')).toEqual([wang.id]);
    expect(await ids('availableAt=2026-05-05T02:00:00Z')).toEqual([li.id]);
    expect(await ids('availableAt=2026-05-10T02:00:00Z')).toEqual([]);
    expect(await ids('availableAt=2026-05-09T00:00:00Z')).toEqual([]);
    expect((await ids('status=active')).sort()).toEqual([li.id, wang.id].sort());

    const first = await json<Page<Record<string, unknown>>>(
      await send('GET', '/v1/experts?pageSize=1', admin),
    );
    expect(first.items).toHaveLength(1);
    expect(first.items[0]).not.toHaveProperty('phone');
    expect(first.items[0]).not.toHaveProperty('email');
    const second = await json<Page<{ id: string }>>(
      await send(
        'GET',
        `/v1/experts?pageSize=1&pageToken=${encodeURIComponent(first.nextPageToken ?? '')}`,
        admin,
      ),
    );
    expect([first.items[0]?.['id'], second.items[0]?.id].sort()).toEqual([li.id, wang.id].sort());
    expect(
      await refusal(await send('GET', '/v1/experts?status=active&pageToken=abc.def', admin)),
    ).toEqual([400, 'CURSOR_INVALID']);
    expect(
      await refusal(await send('GET', '/v1/experts', await expertToken(stack, li.accountSubject))),
    ).toEqual([403, 'ROLE_REQUIRED']);
  });

  it('when an expert reads their own record, then contacts show; another expert’s is EXPERT_NOT_OWN', async () => {
    const liToken = await expertToken(stack, li.accountSubject);

    const me = await send('GET', '/v1/experts/me', liToken);
    expect(me.status).toBe(200);
    expect(await json(me)).toMatchObject({ id: li.id, phone: liPhone, email: liEmail });
    const byId = await send('GET', `/v1/experts/${li.id}`, liToken);
    expect(await json(byId)).toMatchObject({ id: li.id, phone: liPhone });

    expect(await refusal(await send('GET', `/v1/experts/${wang.id}`, liToken))).toEqual([
      403,
      'EXPERT_NOT_OWN',
    ]);
    expect(await refusal(await send('GET', `/v1/experts/${randomUUID()}`, admin))).toEqual([
      404,
      'EXPERT_NOT_FOUND',
    ]);
    const outsider = await expertToken(stack, subject('not-in-pool'));
    expect(await refusal(await send('GET', '/v1/experts/me', outsider))).toEqual([
      404,
      'EXPERT_NOT_FOUND',
    ]);
    const participant = await stack.token({ subject: li.accountSubject, roles: ['participant'] });
    expect(await refusal(await send('GET', '/v1/experts/me', participant))).toEqual([
      403,
      'ROLE_REQUIRED',
    ]);
    expect(await json(await send('GET', `/v1/experts/${li.id}`, admin))).toMatchObject({
      phone: liPhone,
      email: liEmail,
    });
  });

  it('when an expert edits their own availability and contacts, then they change; refusals change nothing', async () => {
    const token = await expertToken(stack, wang.accountSubject);
    const wangPhone = phoneOf(2);
    const overlapping = [
      { startsAt: '2026-06-01T00:00:00Z', endsAt: '2026-06-02T00:00:00Z' },
      { startsAt: '2026-06-01T12:00:00Z', endsAt: '2026-06-03T00:00:00Z' },
    ];
    expect(
      await refusal(
        await send('PATCH', '/v1/experts/me', token, { version: 1, availability: overlapping }),
      ),
    ).toEqual([400, 'EXPERT_AVAILABILITY_OVERLAP']);
    expect(await refusal(await send('PATCH', '/v1/experts/me', token, { version: 1 }))).toEqual([
      400,
      'EXPERT_CHANGE_EMPTY',
    ]);
    expect(
      await refusal(await send('PATCH', '/v1/experts/me', token, { version: 4, title: '研究员' })),
    ).toEqual([409, 'VERSION_CONFLICT']);
    expect(await json(await send('GET', '/v1/experts/me', token))).toMatchObject({
      availability: [],
      phone: null,
      version: 1,
    });

    const changed = await send('PATCH', '/v1/experts/me', token, {
      version: 1,
      title: '研究员',
      availability: [{ startsAt: '2026-06-01T00:00:00Z', endsAt: '2026-06-02T00:00:00Z' }],
      phone: wangPhone,
    });

    expect(changed.status).toBe(200);
    expect(await json(changed)).toMatchObject({
      title: '研究员',
      availability: [{ startsAt: '2026-06-01T00:00:00.000Z', endsAt: '2026-06-02T00:00:00.000Z' }],
      phone: wangPhone,
      version: 2,
    });
  });

  it('when the office corrects an expert and clears a contact, then the record changes; an expert may not use the office’s route', async () => {
    const path = `/v1/experts/${li.id}`;
    expect(
      await refusal(
        await send('PATCH', path, await expertToken(stack, li.accountSubject), {
          version: 1,
          title: '讲师',
        }),
      ),
    ).toEqual([403, 'ROLE_REQUIRED']);
    expect(
      await refusal(
        await send('PATCH', `/v1/experts/${randomUUID()}`, admin, { version: 1, title: 'x' }),
      ),
    ).toEqual([404, 'EXPERT_NOT_FOUND']);

    const changed = await send('PATCH', path, admin, {
      version: 1,
      specialties: ['宋韵文化', '乡村振兴'],
      email: null,
    });

    expect(changed.status).toBe(200);
    expect(await json(changed)).toMatchObject({
      specialties: ['宋韵文化', '乡村振兴'],
      email: null,
      phone: liPhone,
      version: 2,
    });
  });

  it('when anyone reads the public pool, then active experts show without contacts, participant id or availability', async () => {
    const page = await json<Page<Record<string, unknown>>>(
      await send('GET', '/v1/public/experts?field=political_theory', null),
    );
    expect(page.items.map((item) => item['id'])).toEqual([li.id]);
    const one = await send('GET', `/v1/public/experts/${li.id}`, null);
    expect(one.status).toBe(200);
    const body = await json<Record<string, unknown>>(one);
    expect(Object.keys(body).sort()).toEqual([
      'displayName',
      'employer',
      'fields',
      'id',
      'languages',
      'specialties',
      'title',
      'travelRadius',
    ]);
    expect(JSON.stringify(page)).not.toContain(liPhone);
  });

  it('when another service asks GetExperts, then the pool answers the known ids with name, fields and status, and refuses bad ids', async () => {
    const client = createGrpcClient(lectures.ExpertDirectoryServiceClient, {
      address: `127.0.0.1:${stack.lectures.ports.grpcPort}`,
      logger: captureLogger('client').logger,
      deadlineMs: 5_000,
      idempotentMethods: [],
      tokenProvider: () =>
        stack.token({
          subject: 'service:activities',
          roles: ['service'],
          service: 'activities',
          cityWide: true,
        }),
    });
    try {
      const unknown = randomUUID();
      const { experts } = await client.call.getExperts({ expertIds: [li.id, unknown, li.id] });
      expect(experts).toEqual([
        {
          expertId: li.id,
          name: li.displayName,
          fields: li.fields,
          status: lectures.ExpertStatus.EXPERT_STATUS_ACTIVE,
        },
      ]);
      await expect(client.call.getExperts({ expertIds: [] })).rejects.toMatchObject({
        kind: 'invalid_argument',
      });
      await expect(client.call.getExperts({ expertIds: ['x'] })).rejects.toMatchObject({
        kind: 'invalid_argument',
      });
    } finally {
      client.close();
    }
  });

  it('when the office retires an expert, then the public no longer finds them until reactivated', async () => {
    const retired = await send('POST', `/v1/experts/${wang.id}:retire`, admin, {});
    expect(retired.status).toBe(200);
    expect(await json(retired)).toMatchObject({ status: 'retired' });
    expect(await refusal(await send('POST', `/v1/experts/${wang.id}:retire`, admin, {}))).toEqual([
      409,
      'EXPERT_ALREADY_RETIRED',
    ]);
    expect(await refusal(await send('GET', `/v1/public/experts/${wang.id}`, null))).toEqual([
      404,
      'EXPERT_NOT_FOUND',
    ]);
    const publicIds = (
      await json<Page<{ id: string }>>(await send('GET', '/v1/public/experts', null))
    ).items.map((item) => item.id);
    expect(publicIds).not.toContain(wang.id);
    expect(
      (
        await json<Page<{ id: string }>>(await send('GET', '/v1/experts?status=retired', admin))
      ).items.map((item) => item.id),
    ).toEqual([wang.id]);

    expect((await send('POST', `/v1/experts/${wang.id}:reactivate`, admin, {})).status).toBe(200);
    expect(
      await refusal(await send('POST', `/v1/experts/${wang.id}:reactivate`, admin, {})),
    ).toEqual([409, 'EXPERT_NOT_RETIRED']);
    expect((await send('GET', `/v1/public/experts/${wang.id}`, null)).status).toBe(200);
  });

  describe('an expert’s sessions', () => {
    const session = (id: string, startsAt: string, speakerIds: string[]): SessionDocument => {
      const start = new Date(startsAt);
      return sessionDocument({
        _id: id,
        title: `讲座 ${startsAt.slice(0, 10)}`,
        description: '',
        jurisdictionPath: ['330281000000', '330281001000'],
        venue: {
          id: randomUUID(),
          name: '文化礼堂',
          address: null,
          setting: 'countryside',
          townshipCode: '330281001000',
        },
        startsAt: start,
        endsAt: new Date(start.getTime() + 2 * 3_600_000),
        speakerIds,
        signUpOpensAt: new Date(start.getTime() - 7 * 86_400_000),
        signUpClosesAt: start,
        categories: ['political_theory'],
        createdBy: 'seed',
        createdAt: start,
        updatedAt: start,
      });
    };
    const ids = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];

    beforeAll(async () => {
      await sessionModel(connection).insertMany([
        session(ids[0] ?? '', '2026-04-10T01:00:00Z', [li.id]),
        session(ids[1] ?? '', '2026-05-05T01:00:00Z', [li.id, wang.id]),
        session(ids[2] ?? '', '2026-05-12T01:00:00Z', [li.id]),
        session(ids[3] ?? '', '2026-05-20T01:00:00Z', [wang.id]),
      ]);
    });

    it('when the office or the expert asks, then the sessions naming them come latest first, a page at a time', async () => {
      const all: { id: string; startsAt: string; venue: { setting: string } }[] = [];
      let token: string | null = null;
      do {
        const query: string = token === null ? '' : `&pageToken=${encodeURIComponent(token)}`;
        const page: Page<{ id: string; startsAt: string; venue: { setting: string } }> = await json(
          await send(
            'GET',
            `/v1/experts/${li.id}/sessions?pageSize=2${query}`,
            await expertToken(stack, li.accountSubject),
          ),
        );
        all.push(...page.items);
        token = page.nextPageToken;
      } while (token !== null);

      expect(all.map((item) => item.id)).toEqual([ids[2], ids[1], ids[0]]);
      expect(all[0]?.venue.setting).toBe('countryside');
      const office = await json<Page<{ id: string }>>(
        await send('GET', `/v1/experts/${wang.id}/sessions`, admin),
      );
      expect(office.items.map((item) => item.id)).toEqual([ids[3], ids[1]]);
    });

    it('when another expert or a stranger asks, then it is refused', async () => {
      expect(
        await refusal(
          await send(
            'GET',
            `/v1/experts/${li.id}/sessions`,
            await expertToken(stack, wang.accountSubject),
          ),
        ),
      ).toEqual([403, 'EXPERT_NOT_OWN']);
      expect(
        await refusal(await send('GET', `/v1/experts/${randomUUID()}/sessions`, admin)),
      ).toEqual([404, 'EXPERT_NOT_FOUND']);
      expect((await send('GET', `/v1/experts/${li.id}/sessions`, null)).status).toBe(401);
    });
  });

  it('when the office and experts changed the pool, then the audit log holds each change with contacts masked', async () => {
    const records = await eventually('the changes of li in the audit log', async () => {
      const response = await send(
        'GET',
        `/v1/audit-log?entityType=expert&entityId=${li.id}`,
        admin,
      );
      const page = await json<Page<{ action: string; after: Record<string, unknown> }>>(response);
      return page.items.length === 2 ? page.items : undefined;
    });

    expect(records.map((record) => record.action).sort()).toEqual(['expert.add', 'expert.change']);
    const added = records.find((record) => record.action === 'expert.add');
    expect(added?.after).toMatchObject({
      phoneMasked: `${liPhone.slice(0, 3)}****${liPhone.slice(-4)}`,
    });
    expect(added?.after['emailMasked']).toMatch(/^l\*+@lectures-test\.cn$/);
    const text = JSON.stringify(records);
    expect(text).not.toContain(liPhone);
    expect(text).not.toContain(liEmail);
  });

  it('when the OpenAPI document is read, then every expert operation documents its errors and keys', async () => {
    const document = await json<{ paths: Record<string, unknown> }>(
      await fetch(`${stack.lectures.base}/openapi.json`),
    );
    const ours = Object.fromEntries(
      // The pool's own operations: an expert's feedback and own programme belong to those slices.
      Object.entries(document.paths).filter(
        ([path]) =>
          /^\/v1\/(public\/)?experts/.test(path) && !/\/feedback|\/me\/sessions/.test(path),
      ),
    );
    const { operations, problems } = openApiProblems({ paths: ours });

    expect(operations).toBe(11);
    expect(problems).toEqual([]);
  });

  it('when everything above has run, then no log line holds a raw phone number or e-mail address', () => {
    const text = JSON.stringify(stack.lectures.logs.lines);

    expect(stack.lectures.logs.lines.length).toBeGreaterThan(0);
    expect(contacts.length).toBeGreaterThanOrEqual(3);
    for (const contact of contacts) expect(text).not.toContain(contact);
  });
});
