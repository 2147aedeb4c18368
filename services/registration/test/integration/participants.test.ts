import { randomUUID } from 'node:crypto';
import { topics } from '@learning/events';
import { describeWithServers, eventually, jurisdictionTree } from '@learning/testing';
import { beforeAll, expect, it } from 'vitest';
import { useRegistrationApp } from '../support/app.js';
import { usePublishedEvents } from '../support/events.js';
import { seedJurisdictions } from '../support/http.js';
import { idNumberOf, phoneOf } from '../support/people.js';

const tree = jurisdictionTree({ townships: 2, villagesPerTownship: 2 });
const T1 = '330281001000';
const T1_V1 = '330281001001';
const T2 = '330281002000';
const T2_V1 = '330281002001';

const REGISTERED = 'registration.participant.registered.v1';
const UPDATED = 'registration.participant.updated.v1';

/** Every raw phone and ID number this file sends: none may appear in a log line. */
const rawIdentifiers: string[] = [];
const recordedPhone = (n: number): string => {
  const phone = phoneOf(n);
  rawIdentifiers.push(phone);
  return phone;
};
let sequence = 100;
const newIdNumber = (): string => {
  sequence += 1;
  const idNumber = idNumberOf('19880808', String(sequence));
  rawIdentifiers.push(idNumber);
  return idNumber;
};

interface OwnBody {
  id: string;
  name: string;
  phone: string | null;
  idNumber: string;
  birthDate: string;
  jurisdictionPath: string[];
  consent: { notifications: boolean };
  version: number;
  source: string;
}

interface ErrorBody {
  code: string;
  message: string;
}

describeWithServers(['mongo', 'kafka', 'redis'], 'registration participants', (servers) => {
  const running = useRegistrationApp(servers);
  const published = usePublishedEvents(servers, [topics.registrationParticipants.name]);
  const tokens = new Map<string, string>();
  // Rate-limit counters outlive a run in the shared Redis, so every run signs in fresh accounts.
  const run = randomUUID().slice(0, 8);
  const subjectOf = (name: string): string => `${name}-${run}`;

  const tokenOf = async (
    subject: string,
    claims: {
      roles: ('participant' | 'area_officer' | 'city_admin' | 'department_officer')[];
      jurisdictions?: string[];
    } = {
      roles: ['participant'],
    },
  ): Promise<string> => {
    const known = tokens.get(subject);
    if (known !== undefined) return known;
    const token = await running.issuer.sign({ subject: subjectOf(subject), ...claims });
    tokens.set(subject, token);
    return token;
  };
  const admin = () => tokenOf('admin-1', { roles: ['city_admin'] });
  const officerOf = (root: string) =>
    tokenOf(`officer-${root}`, { roles: ['area_officer'], jurisdictions: [root] });

  const send = running.send;

  const registration = (overrides: Record<string, unknown> = {}) => ({
    name: '李明',
    tier: 'ordinary_citizen',
    homeJurisdiction: T1_V1,
    idNumber: newIdNumber(),
    phone: recordedPhone(sequence),
    language: 'zh-CN',
    consent: { notifications: true },
    employer: '宁波某某有限公司',
    ...overrides,
  });

  async function registerAs(subject: string, overrides: Record<string, unknown> = {}) {
    const body = registration(overrides);
    const response = await send('POST', '/v1/participants', await tokenOf(subject), body);
    expect(response.status).toBe(201);
    return { body, participant: (await response.json()) as OwnBody };
  }

  beforeAll(async () => {
    await seedJurisdictions(running.base, await admin(), tree);
  });

  it('when a person registers, then 201 shows their own numbers in full, not cached, and one registered event is published', async () => {
    const body = registration({
      idNumber: ` ${newIdNumber().toLowerCase()} `,
      phone: '+86 139-1111-2222',
    });
    rawIdentifiers.push('13911112222');
    const response = await send('POST', '/v1/participants', await tokenOf('person-new'), body);

    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('etag')).toBe('"1"');
    const participant = (await response.json()) as OwnBody;
    expect(participant).toMatchObject({
      name: '李明',
      phone: '13911112222',
      idNumber: body.idNumber.trim().toUpperCase(),
      birthDate: '1988-08-08',
      jurisdictionPath: ['330281000000', T1, T1_V1],
      source: 'self',
      version: 1,
    });
    const [event] = await published.waitFor(REGISTERED, participant.id);
    expect(event?.data).toMatchObject({
      participantId: participant.id,
      profile: { tier: 'TIER_ORDINARY_CITIZEN', language: 'zh-CN', hasPhone: true },
      source: 'PARTICIPANT_SOURCE_SELF',
      registeredBy: subjectOf('person-new'),
    });
    const eventText = JSON.stringify(event);
    expect(eventText).not.toContain('13911112222');
    expect(eventText).not.toContain('李明');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(published.about(participant.id).filter((e) => e.type === REGISTERED)).toHaveLength(1);
  });

  it('when the same account registers the same ID number again, then 200 returns the same record and nothing new is published', async () => {
    const { body, participant } = await registerAs('person-again');

    const again = await send('POST', '/v1/participants', await tokenOf('person-again'), {
      ...body,
      name: '别名',
    });

    expect(again.status).toBe(200);
    expect(((await again.json()) as OwnBody).id).toBe(participant.id);
    await published.waitFor(REGISTERED, participant.id);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(published.about(participant.id)).toHaveLength(1);
  });

  it('when another account registers a registered ID number, then 409 PARTICIPANT_ALREADY_REGISTERED without saying whose', async () => {
    const { body } = await registerAs('person-first-holder');

    const response = await send('POST', '/v1/participants', await tokenOf('person-second'), {
      ...body,
      phone: null,
    });

    expect(response.status).toBe(409);
    const error = (await response.json()) as ErrorBody;
    expect(error.code).toBe('PARTICIPANT_ALREADY_REGISTERED');
    expect(JSON.stringify(error)).not.toContain(subjectOf('person-first-holder'));
  });

  it('when an account with a record registers another ID number, then 409 ACCOUNT_ALREADY_REGISTERED', async () => {
    await registerAs('person-twice');

    const response = await send(
      'POST',
      '/v1/participants',
      await tokenOf('person-twice'),
      registration(),
    );

    expect(response.status).toBe(409);
    expect(((await response.json()) as ErrorBody).code).toBe('ACCOUNT_ALREADY_REGISTERED');
  });

  it('when the body is hostile or malformed, then 400 with a stable code and nothing is stored', async () => {
    const validId = idNumberOf('19880808', '999');
    const wrongCheck = `${validId.slice(0, 17)}${validId.endsWith('0') ? '1' : '0'}`;
    const cases: [unknown, string][] = [
      [{ ...registration(), name: { $gt: '' } }, 'FORBIDDEN_KEY'],
      [{ ...registration(), name: { first: '明' } }, 'VALIDATION_FAILED'],
      [{ ...registration(), $where: 'sleep(1000)' }, 'FORBIDDEN_KEY'],
      [{ ...registration(), consent: { notifications: true, 'a.b': 1 } }, 'FORBIDDEN_KEY'],
      [{ ...registration(), role: 'city_admin' }, 'VALIDATION_FAILED'],
      [{ ...registration(), name: 'x'.repeat(100_000) }, 'VALIDATION_FAILED'],
      [{ ...registration(), idNumber: 'y'.repeat(10_000) }, 'VALIDATION_FAILED'],
      [{ ...registration(), tier: 'mayor' }, 'VALIDATION_FAILED'],
      [{ ...registration(), homeJurisdiction: { $ne: null } }, 'FORBIDDEN_KEY'],
      [{ ...registration(), consent: 'yes' }, 'VALIDATION_FAILED'],
      [{ ...registration(), homeJurisdiction: '999999999999' }, 'JURISDICTION_UNKNOWN'],
      [{ ...registration(), idNumber: wrongCheck }, 'ID_NUMBER_CHECK_DIGIT'],
      [{ ...registration(), phone: '12345678901' }, 'PHONE_FORMAT'],
      // The shared text schema refuses it before the domain's own check (kept for imports).
      [{ ...registration(), name: 'Li\u0000Ming' }, 'VALIDATION_FAILED'],
    ];
    // One account per case: the registration rate limit would otherwise stop the sixth.
    for (const [index, [body, code]] of cases.entries()) {
      const token = await tokenOf(`person-hostile-${index}`);
      const response = await send('POST', '/v1/participants', token, body);
      expect({
        index,
        status: response.status,
        code: ((await response.json()) as ErrorBody).code,
      }).toEqual({
        index,
        status: 400,
        code,
      });
      expect((await send('GET', '/v1/me/participant', token)).status).toBe(404);
    }
    const malformed = await send(
      'POST',
      '/v1/participants',
      await tokenOf('person-hostile-json'),
      '{"name": ',
    );
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as ErrorBody).code).toBe('MALFORMED_JSON');
  });

  it('when unauthenticated, in the wrong role or without an Idempotency-Key, then 401, 403 and 400', async () => {
    expect((await send('POST', '/v1/participants', null, registration())).status).toBe(401);

    const officer = await send('POST', '/v1/participants', await officerOf(T1), registration());
    expect(officer.status).toBe(403);
    expect(((await officer.json()) as ErrorBody).code).toBe('ROLE_REQUIRED');

    const response = await fetch(`${running.base}/v1/participants`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await tokenOf('person-nokey')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(registration()),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).code).toBe('IDEMPOTENCY_KEY_REQUIRED');
  });

  it('when a registration is replayed with the same Idempotency-Key, then the first response comes back and one record exists', async () => {
    const body = registration();
    const key = randomUUID();
    const token = await tokenOf('person-replay');
    const first = await send('POST', '/v1/participants', token, body, {
      headers: { 'idempotency-key': key },
    });
    const replay = await send('POST', '/v1/participants', token, body, {
      headers: { 'idempotency-key': key },
    });

    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const id = ((await first.json()) as OwnBody).id;
    expect(((await replay.json()) as OwnBody).id).toBe(id);
    await published.waitFor(REGISTERED, id);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(published.about(id)).toHaveLength(1);
  });

  it('when one account attempts a sixth registration within the hour, then 429 RATE_LIMITED', async () => {
    const token = await tokenOf('person-eager');
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      const response = await send(
        'POST',
        '/v1/participants',
        token,
        registration({ homeJurisdiction: '999999999999' }),
      );
      statuses.push(response.status);
      if (response.status === 429) {
        expect(((await response.json()) as ErrorBody).code).toBe('RATE_LIMITED');
        expect(response.headers.get('retry-after')).not.toBeNull();
      }
    }

    expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
  });

  it('when a person reads their record, then it is theirs in full; without a record it is 404', async () => {
    const { body, participant } = await registerAs('person-reader');

    const response = await send('GET', '/v1/me/participant', await tokenOf('person-reader'));

    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"1"');
    expect(await response.json()).toMatchObject({
      id: participant.id,
      phone: body.phone,
      idNumber: body.idNumber,
    });
    const none = await send('GET', '/v1/me/participant', await tokenOf('person-nobody'));
    expect(none.status).toBe(404);
    expect(((await none.json()) as ErrorBody).code).toBe('PARTICIPANT_NOT_FOUND');
  });

  it('when a person corrects their phone with If-Match, then version 2 is stored and one updated event names the field', async () => {
    const { participant } = await registerAs('person-corrects');
    const token = await tokenOf('person-corrects');
    const newPhone = recordedPhone(9_999_001);

    const response = await send(
      'PATCH',
      '/v1/me/participant',
      token,
      { phone: newPhone, language: 'zh-CN' },
      { headers: { 'if-match': '"1"' } },
    );

    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"2"');
    expect(await response.json()).toMatchObject({ phone: newPhone, version: 2 });
    const [event] = await published.waitFor(UPDATED, participant.id);
    expect(event?.data).toMatchObject({
      participantId: participant.id,
      changedFields: ['phone'],
      updatedBy: subjectOf('person-corrects'),
      version: '2',
    });
    expect(JSON.stringify(event)).not.toContain(newPhone);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(published.about(participant.id).filter((e) => e.type === UPDATED)).toHaveLength(1);
  });

  it('when a correction is stale, lacks a version, or tries to change the ID number, then 409 or 400', async () => {
    await registerAs('person-stale');
    const token = await tokenOf('person-stale');
    expect(
      (await send('PATCH', '/v1/me/participant', token, { name: '新名', version: 1 })).status,
    ).toBe(200);

    const stale = await send('PATCH', '/v1/me/participant', token, { name: '旧名', version: 1 });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as ErrorBody).code).toBe('VERSION_CONFLICT');

    const unversioned = await send('PATCH', '/v1/me/participant', token, { name: '无版本' });
    expect(unversioned.status).toBe(400);
    expect(((await unversioned.json()) as ErrorBody).code).toBe('VERSION_REQUIRED');

    const idChange = await send('PATCH', '/v1/me/participant', token, {
      idNumber: newIdNumber(),
      version: 2,
    });
    expect(idChange.status).toBe(400);
    expect(((await idChange.json()) as ErrorBody).code).toBe('VALIDATION_FAILED');

    const badIfMatch = await send(
      'PATCH',
      '/v1/me/participant',
      token,
      { name: '某' },
      { headers: { 'if-match': '*' } },
    );
    expect(badIfMatch.status).toBe(400);
  });

  it('when officers search, then each sees only their subtree, masked, with exact phone and ID filters and pages', async () => {
    const inT1 = await registerAs('person-search-1', { name: '张三', tier: 'pupil' });
    const inT1b = await registerAs('person-search-2', { name: '张四' });
    const inT2 = await registerAs('person-search-3', { name: '张五', homeJurisdiction: T2_V1 });

    const search = async (token: string, query: string) => {
      const response = await send('GET', `/v1/participants?${query}`, token);
      expect(response.status).toBe(200);
      const text = await response.text();
      for (const raw of rawIdentifiers) expect(text).not.toContain(raw);
      return JSON.parse(text) as {
        items: { id: string; phoneMasked: string }[];
        nextPageToken: string | null;
      };
    };
    const t1 = await officerOf(T1);
    const t2 = await officerOf(T2);

    const byName = await search(t1, `name=${encodeURIComponent('张')}`);
    expect(byName.items.map((item) => item.id).sort()).toEqual(
      [inT1.participant.id, inT1b.participant.id].sort(),
    );
    const byPhone = await search(t1, `phone=${encodeURIComponent(`+86 ${inT1b.body.phone}`)}`);
    expect(byPhone.items.map((item) => item.id)).toEqual([inT1b.participant.id]);
    expect(byPhone.items[0]?.phoneMasked).toMatch(/^139\*{4}\d{4}$/);
    const byId = await search(t1, `idNumber=${inT1.body.idNumber}`);
    expect(byId.items.map((item) => item.id)).toEqual([inT1.participant.id]);
    expect((await search(t1, 'tier=pupil&name=%E5%BC%A0')).items.map((item) => item.id)).toEqual([
      inT1.participant.id,
    ]);
    // Another township's person is not found by the T1 officer, even by an exact number.
    expect((await search(t1, `idNumber=${inT2.body.idNumber}`)).items).toEqual([]);
    expect((await search(t2, `idNumber=${inT2.body.idNumber}`)).items).toHaveLength(1);
    expect((await search(t1, `jurisdiction=${T2}`)).items).toEqual([]);

    const first = await search(t1, `name=${encodeURIComponent('张')}&pageSize=1`);
    expect(first.items).toHaveLength(1);
    expect(first.nextPageToken).not.toBeNull();
    const second = await search(
      t1,
      `name=${encodeURIComponent('张')}&pageSize=1&pageToken=${encodeURIComponent(first.nextPageToken ?? '')}`,
    );
    expect(second.items).toHaveLength(1);
    expect(second.items[0]?.id).not.toBe(first.items[0]?.id);
  });

  it('when a search query is hostile or malformed, then 400 with a stable code', async () => {
    const token = await officerOf(T1);
    for (const [query, code] of [
      ['name[$gt]=', 'VALIDATION_FAILED'],
      ['$where=1', 'FORBIDDEN_KEY'],
      ['role=city_admin', 'VALIDATION_FAILED'],
      ['phone=abc', 'PHONE_FORMAT'],
      ['idNumber=123', 'ID_NUMBER_FORMAT'],
      ['jurisdiction=x', 'VALIDATION_FAILED'],
      [`name=${'a'.repeat(51)}`, 'VALIDATION_FAILED'],
      ['pageToken=forged.token', 'CURSOR_INVALID'],
    ] as const) {
      const response = await send('GET', `/v1/participants?${query}`, token);
      expect({
        query,
        status: response.status,
        code: ((await response.json()) as ErrorBody).code,
      }).toEqual({
        query,
        status: 400,
        code,
      });
    }
    expect((await send('GET', '/v1/participants', await tokenOf('person-reader'))).status).toBe(
      403,
    );
  });

  it('when an officer of another township asks for a person by id, then 404; in scope, masked', async () => {
    const { body, participant } = await registerAs('person-scoped');

    const outside = await send('GET', `/v1/participants/${participant.id}`, await officerOf(T2));
    expect(outside.status).toBe(404);
    expect(((await outside.json()) as ErrorBody).code).toBe('PARTICIPANT_NOT_FOUND');
    const inside = await send('GET', `/v1/participants/${participant.id}`, await officerOf(T1));
    expect(inside.status).toBe(200);
    const text = await inside.text();
    expect(text).not.toContain(body.phone);
    expect(text).not.toContain(body.idNumber);
    expect(JSON.parse(text)).toMatchObject({
      id: participant.id,
      birthYear: 1988,
      hasAccount: true,
    });
    const unknown = await send('GET', `/v1/participants/${randomUUID()}`, await admin());
    expect(unknown.status).toBe(404);
    const dept = await send(
      'GET',
      `/v1/participants/${participant.id}`,
      await tokenOf('dept-1', { roles: ['department_officer'], jurisdictions: ['*'] }),
    );
    expect(dept.status).toBe(200);
  });

  it('when an officer registers someone without an account, then 201 masked in scope and 403 OUT_OF_SCOPE outside', async () => {
    const token = await officerOf(T1);
    const body = registration();
    const response = await send('POST', '/v1/participants:register-for', token, body);

    expect(response.status).toBe(201);
    const text = await response.text();
    expect(text).not.toContain(body.phone);
    const created = JSON.parse(text) as { id: string; source: string; hasAccount: boolean };
    expect(created).toMatchObject({ source: 'officer', hasAccount: false });
    const [event] = await published.waitFor(REGISTERED, created.id);
    expect(event?.data).toMatchObject({
      source: 'PARTICIPANT_SOURCE_OFFICER',
      registeredBy: subjectOf(`officer-${T1}`),
    });

    const outside = await send(
      'POST',
      '/v1/participants:register-for',
      token,
      registration({ homeJurisdiction: T2_V1 }),
    );
    expect(outside.status).toBe(403);
    expect(((await outside.json()) as ErrorBody).code).toBe('OUT_OF_SCOPE');
    const participantTry = await send(
      'POST',
      '/v1/participants:register-for',
      await tokenOf('person-reader'),
      registration(),
    );
    expect(participantTry.status).toBe(403);
  });

  it('when a person registers and corrects, then the city admin reads both audit records, masked', async () => {
    const { body, participant } = await registerAs('person-audited');
    await send('PATCH', '/v1/me/participant', await tokenOf('person-audited'), {
      employer: null,
      version: 1,
    });

    const records = await eventually('two audit records', async () => {
      const response = await send('GET', `/v1/audit-log?entityId=${participant.id}`, await admin());
      const page = (await response.json()) as {
        items: { action: string; after: unknown; before: unknown }[];
      };
      return page.items.length >= 2 ? page.items : undefined;
    });

    expect(records.map((record) => record.action).sort()).toEqual([
      'participant.correct',
      'participant.register',
    ]);
    const text = JSON.stringify(records);
    expect(text).not.toContain(body.phone);
    expect(text).not.toContain(body.idNumber);
    expect(text).toContain(`${body.phone.slice(0, 3)}****${body.phone.slice(-4)}`);
    const outsider = await send(
      'GET',
      `/v1/audit-log?entityId=${participant.id}`,
      await officerOf(T2),
    );
    expect(((await outsider.json()) as { items: unknown[] }).items).toEqual([]);
  });

  it('when an officer corrects the ID number and tier with a reason, then the birth date follows, one updated event names both, and the audit record keeps the reason', async () => {
    const { participant } = await registerAs('person-officer-fixed');
    const fixedNumber = (() => {
      sequence += 1;
      const idNumber = idNumberOf('19750312', String(sequence));
      rawIdentifiers.push(idNumber);
      return idNumber;
    })();

    const response = await send(
      'PATCH',
      `/v1/participants/${participant.id}`,
      await officerOf(T1),
      {
        version: 1,
        idNumber: fixedNumber,
        tier: 'ordinary_cadre',
        reason: '身份证号录入错误，按户籍窗口核对更正',
      },
    );

    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ tier: 'ordinary_cadre', version: 2 });
    expect(JSON.stringify(body)).not.toContain(fixedNumber);
    const own = (await (
      await send('GET', '/v1/me/participant', await tokenOf('person-officer-fixed'))
    ).json()) as OwnBody;
    expect(own).toMatchObject({ idNumber: fixedNumber, birthDate: '1975-03-12' });
    const [event] = await published.waitFor(UPDATED, participant.id);
    expect(event?.data).toMatchObject({
      changedFields: ['idNumber', 'tier'],
      updatedBy: subjectOf(`officer-${T1}`),
    });
    const [record] = await eventually('the audit record', async () => {
      const page = (await (
        await send(
          'GET',
          `/v1/audit-log?entityId=${participant.id}&action=participant.officer_correct`,
          await admin(),
        )
      ).json()) as { items: { action: string; reason?: string }[] };
      const found = page.items.filter((item) => item.action === 'participant.officer_correct');
      return found.length > 0 ? found : undefined;
    });
    expect(record?.reason).toBe('身份证号录入错误，按户籍窗口核对更正');
  });

  it('when an officer corrects outside the subtree, to a number someone else holds, without a reason or as the person, then 404, 409, 400 and 403, and nothing changes', async () => {
    const { participant } = await registerAs('person-officer-refused');
    const { body: other } = await registerAs('person-officer-other');
    const path = `/v1/participants/${participant.id}`;
    const correction = { version: 1, tier: 'leading_cadre', reason: '核对' };

    const outside = await send('PATCH', path, await officerOf(T2), correction);
    expect(outside.status).toBe(404);
    expect(((await outside.json()) as ErrorBody).code).toBe('PARTICIPANT_NOT_FOUND');

    const taken = await send('PATCH', path, await officerOf(T1), {
      version: 1,
      idNumber: other.idNumber,
      reason: '核对',
    });
    expect(taken.status).toBe(409);
    const takenBody = (await taken.json()) as ErrorBody;
    expect(takenBody.code).toBe('PARTICIPANT_ALREADY_REGISTERED');
    expect(JSON.stringify(takenBody)).not.toContain(other.idNumber);

    const blank = await send('PATCH', path, await officerOf(T1), { ...correction, reason: '   ' });
    expect(blank.status).toBe(400);
    expect(((await blank.json()) as ErrorBody).code).toBe('CORRECTION_REASON_REQUIRED');
    const missing = await send('PATCH', path, await officerOf(T1), { version: 1, tier: 'pupil' });
    expect(missing.status).toBe(400);

    const self = await send('PATCH', path, await tokenOf('person-officer-refused'), correction);
    expect(self.status).toBe(403);

    const stale = await send('PATCH', path, await officerOf(T1), { ...correction, version: 7 });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as ErrorBody).code).toBe('VERSION_CONFLICT');

    const after = (await (await send('GET', path, await officerOf(T1))).json()) as {
      tier: string;
      version: number;
    };
    expect(after).toMatchObject({ tier: 'ordinary_citizen', version: 1 });
  });

  it('when everything above has run, then no log line holds a raw phone or ID number', () => {
    const text = JSON.stringify(running.logs.lines);
    expect(running.logs.lines.length).toBeGreaterThan(0);
    for (const raw of rawIdentifiers) expect(text).not.toContain(raw);
  });
});
