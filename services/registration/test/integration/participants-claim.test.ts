import { randomUUID } from 'node:crypto';
import { topics } from '@learning/events';
import { createPiiVault, generatePiiEnvironment, piiKeysFrom } from '@learning/pii';
import { useServiceApp } from '@learning/runtime/testing';
import { describeWithServers, eventually, jurisdictionTree, uniqueName } from '@learning/testing';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ParticipantDocument } from '../../src/adapters/mongo/participants.js';
import { registrationService } from '../../src/app.js';
import { claimCodeHash } from '../../src/application/participants/claim-participant.js';
import { loadRegistrationConfig } from '../../src/config.js';
import { usePublishedEvents } from '../support/events.js';
import { seedJurisdictions } from '../support/http.js';
import { connectTo, idNumberOf } from '../support/people.js';

const tree = jurisdictionTree({ townships: 2, villagesPerTownship: 2 });
const T1 = '330281001000';
const T1_V1 = '330281001001';
const T2 = '330281002000';
const UPDATED = 'registration.participant.updated.v1';
const DAY_MS = 24 * 60 * 60 * 1000;

/** Every raw ID number and claim code this file sends: none may appear in a log line. */
const secrets: string[] = [];
let sequence = 500;
const newIdNumber = (): string => {
  sequence += 1;
  const idNumber = idNumberOf('19790305', String(sequence));
  secrets.push(idNumber);
  return idNumber;
};

interface ErrorBody {
  code: string;
  message: string;
}
interface IssuedBody {
  code: string;
  expiresAt: string;
}

describeWithServers(['mongo', 'kafka', 'redis'], 'registration participant claims', (servers) => {
  const database = uniqueName('registration-claim');
  const piiEnvironment = generatePiiEnvironment();
  /** The app's vault, to check what it stores. */
  const vault = createPiiVault(piiKeysFrom(piiEnvironment));
  /** "Now" as the app sees it: moved past a code's expiry by one test, the wall clock otherwise. */
  let now: Date | undefined;
  const running = useServiceApp(registrationService, servers, {
    loadConfig: loadRegistrationConfig,
    environment: () => ({ ...piiEnvironment, MONGODB_DATABASE: database }),
    clock: () => now ?? new Date(),
  });
  const published = usePublishedEvents(servers, [topics.registrationParticipants.name]);
  let connection: Connection;
  const participants = () => connection.collection<ParticipantDocument>('participants');
  // Rate-limit counters outlive a run in the shared Redis, so every run signs in fresh accounts.
  const run = randomUUID().slice(0, 8);
  const tokens = new Map<string, Promise<string>>();
  const tokenOf = (
    name: string,
    claims: {
      roles: ('participant' | 'area_officer' | 'city_admin')[];
      jurisdictions?: string[];
    } = {
      roles: ['participant'],
    },
  ): Promise<string> => {
    const known = tokens.get(name);
    if (known !== undefined) return known;
    const token = running.issuer.sign({ subject: `${name}-${run}`, ...claims });
    tokens.set(name, token);
    return token;
  };
  const admin = () => tokenOf('admin', { roles: ['city_admin'] });
  const officerOf = (root: string) =>
    tokenOf(`officer-${root}`, { roles: ['area_officer'], jurisdictions: [root] });

  const registration = (idNumber = newIdNumber()) => ({
    name: '王芳',
    tier: 'ordinary_citizen',
    homeJurisdiction: T1_V1,
    idNumber,
    language: 'zh-CN',
    consent: { notifications: true },
  });

  /** A record an officer of township 1 made, without an account. */
  async function officerMade(): Promise<{ id: string; idNumber: string }> {
    const body = registration();
    const response = await running.send(
      'POST',
      '/v1/participants:register-for',
      await officerOf(T1),
      body,
    );
    expect(response.status).toBe(201);
    return { id: ((await response.json()) as { id: string }).id, idNumber: body.idNumber };
  }

  async function issue(id: string, token?: string): Promise<Response> {
    return running.send(
      'POST',
      `/v1/participants/${id}/claim-codes`,
      token ?? (await officerOf(T1)),
    );
  }

  async function issued(id: string): Promise<string> {
    const response = await issue(id);
    expect(response.status).toBe(201);
    const { code } = (await response.json()) as IssuedBody;
    secrets.push(code);
    return code;
  }

  const claim = async (account: string, body: unknown, headers?: Record<string, string>) =>
    running.send(
      'POST',
      '/v1/participants/me/claim',
      await tokenOf(account),
      body,
      headers === undefined ? {} : { headers },
    );

  const answerOf = async (response: Response) => {
    const { code, message } = (await response.json()) as ErrorBody;
    return { status: response.status, code, message };
  };

  beforeAll(async () => {
    connection = await connectTo(servers.mongo.uri, database);
    await seedJurisdictions(running.base, await admin(), tree);
  });

  afterAll(async () => {
    await connection.close();
  });

  it('when an officer issues a claim code in scope, then 201 with an 8-character code and its expiry 14 days on, not cached, and only a keyed hash is stored', async () => {
    const record = await officerMade();
    const issuedAt = new Date(Date.now() + 60_000);

    now = issuedAt;
    const response = await issue(record.id).finally(() => {
      now = undefined;
    });

    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as IssuedBody;
    secrets.push(body.code);
    expect(body.code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/);
    expect(body.expiresAt).toBe(new Date(issuedAt.getTime() + 14 * DAY_MS).toISOString());
    const stored = await participants().findOne({ _id: record.id });
    expect(stored?.claimCode).toEqual({
      hash: claimCodeHash(vault, record.id, body.code),
      expiresAt: new Date(body.expiresAt),
    });
    expect(JSON.stringify(stored)).not.toContain(body.code);
  });

  it('when an officer of another township issues a code, then 404; for a claimed record, 409 PARTICIPANT_ALREADY_CLAIMED; as a participant, 403', async () => {
    const record = await officerMade();

    const outside = await issue(record.id, await officerOf(T2));
    expect(await answerOf(outside)).toMatchObject({ status: 404, code: 'PARTICIPANT_NOT_FOUND' });
    const participant = await issue(record.id, await tokenOf('person-issuer'));
    expect(participant.status).toBe(403);

    const code = await issued(record.id);
    expect(
      (await claim('person-owner', { idNumber: record.idNumber, claimCode: code })).status,
    ).toBe(200);
    const claimed = await issue(record.id);
    expect(await answerOf(claimed)).toMatchObject({
      status: 409,
      code: 'PARTICIPANT_ALREADY_CLAIMED',
    });
  });

  it('when a person self-registers the number of a record waiting to be claimed, then 409 PARTICIPANT_CLAIM_REQUIRED that reveals nothing of the record', async () => {
    const record = await officerMade();

    const response = await running.send(
      'POST',
      '/v1/participants',
      await tokenOf('person-registers'),
      registration(record.idNumber),
    );

    expect(response.status).toBe(409);
    const text = await response.text();
    expect((JSON.parse(text) as ErrorBody).code).toBe('PARTICIPANT_CLAIM_REQUIRED');
    for (const hidden of [record.id, record.idNumber, '王芳', T1_V1])
      expect(text).not.toContain(hidden);
  });

  it('when the person claims with the ID number and the code, then the record is theirs in full, the code is spent, one updated event is published and both steps are audited', async () => {
    const record = await officerMade();
    const code = await issued(record.id);

    const response = await claim('person-claims', {
      idNumber: ` ${record.idNumber.toLowerCase()} `,
      claimCode: `${code.slice(0, 4).toLowerCase()} ${code.slice(4)}`,
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('etag')).toBe('"2"');
    expect(await response.json()).toMatchObject({
      id: record.id,
      idNumber: record.idNumber,
      source: 'officer',
      hasAccount: true,
      version: 2,
    });
    const own = await running.send('GET', '/v1/me/participant', await tokenOf('person-claims'));
    expect(((await own.json()) as { id: string }).id).toBe(record.id);
    const stored = await participants().findOne({ _id: record.id });
    expect(stored).not.toBeNull();
    expect(stored?.claimCode).toBeUndefined();

    const [event] = await published.waitFor(UPDATED, record.id);
    expect(event?.data).toMatchObject({
      participantId: record.id,
      changedFields: ['account'],
      updatedBy: `person-claims-${run}`,
      version: '2',
    });
    expect(JSON.stringify(event)).not.toContain(record.idNumber);
    const actions = await eventually('the issue and claim audit records', async () => {
      const page = (await (
        await running.send('GET', `/v1/audit-log?entityId=${record.id}`, await admin())
      ).json()) as { items: { action: string }[] };
      const found = page.items.map((item) => item.action);
      return found.includes('participant.claim') && found.includes('participant.claim_code_issue')
        ? found
        : undefined;
    });
    expect(actions.sort()).toEqual([
      'participant.claim',
      'participant.claim_code_issue',
      'participant.register',
    ]);
    const audit = await running.send('GET', `/v1/audit-log?entityId=${record.id}`, await admin());
    const auditText = await audit.text();
    expect(auditText).not.toContain(code);
    expect(auditText).not.toContain(record.idNumber);
  });

  it('when the code is wrong, expired, already used, or the ID number is another, then the same 403 PARTICIPANT_CLAIM_REFUSED', async () => {
    const record = await officerMade();
    const other = await officerMade();
    const code = await issued(record.id);
    await issued(other.id);
    const wrongCode = code.replace(/./g, (c) => (c === 'A' ? 'B' : 'A'));

    const answers = [
      await answerOf(
        await claim('person-wrong-code', { idNumber: record.idNumber, claimCode: wrongCode }),
      ),
      // The code of one record with the number of another.
      await answerOf(
        await claim('person-other-number', { idNumber: other.idNumber, claimCode: code }),
      ),
      await answerOf(
        await claim('person-unknown-number', { idNumber: newIdNumber(), claimCode: code }),
      ),
    ];
    now = new Date(Date.now() + 14 * DAY_MS + 60_000);
    try {
      answers.push(
        await answerOf(await claim('person-late', { idNumber: record.idNumber, claimCode: code })),
      );
    } finally {
      now = undefined;
    }
    expect(
      (await claim('person-first', { idNumber: record.idNumber, claimCode: code })).status,
    ).toBe(200);
    answers.push(
      await answerOf(await claim('person-reuses', { idNumber: record.idNumber, claimCode: code })),
    );

    expect(answers).toHaveLength(5);
    expect(answers[0]).toMatchObject({ status: 403, code: 'PARTICIPANT_CLAIM_REFUSED' });
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    for (const name of ['person-wrong-code', 'person-other-number', 'person-late', 'person-reuses'])
      expect((await running.send('GET', '/v1/me/participant', await tokenOf(name))).status).toBe(
        404,
      );
  });

  it('when two accounts claim the same record with its code at once, then exactly one wins and one updated event is published', async () => {
    const record = await officerMade();
    const code = await issued(record.id);

    const responses = await Promise.all(
      ['person-race-a', 'person-race-b', 'person-race-c'].map((name) =>
        claim(name, { idNumber: record.idNumber, claimCode: code }),
      ),
    );

    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 403, 403]);
    const [winner] = await Promise.all(
      responses
        .filter((r) => r.status === 200)
        .map((r) => r.json() as Promise<{ version: number }>),
    );
    expect(winner?.version).toBe(2);
    await published.waitFor(UPDATED, record.id);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(published.about(record.id).filter((event) => event.type === UPDATED)).toHaveLength(1);
  });

  it('when an account with a record claims, then 409 ACCOUNT_ALREADY_REGISTERED and the record still waits', async () => {
    const record = await officerMade();
    const code = await issued(record.id);
    const own = await running.send(
      'POST',
      '/v1/participants',
      await tokenOf('person-has-one'),
      registration(),
    );
    expect(own.status).toBe(201);

    const response = await claim('person-has-one', { idNumber: record.idNumber, claimCode: code });

    expect(await answerOf(response)).toMatchObject({
      status: 409,
      code: 'ACCOUNT_ALREADY_REGISTERED',
    });
    expect(
      (await claim('person-after', { idNumber: record.idNumber, claimCode: code })).status,
    ).toBe(200);
  });

  it('when a claim body is hostile or malformed, or has no Idempotency-Key, then 400 with a stable code', async () => {
    const valid = { idNumber: idNumberOf('19790305', '499'), claimCode: 'K7QM4XPR' };
    const cases: [unknown, string][] = [
      [{ ...valid, role: 'city_admin' }, 'VALIDATION_FAILED'],
      [{ idNumber: valid.idNumber }, 'VALIDATION_FAILED'],
      [{ ...valid, claimCode: { $ne: '' } }, 'FORBIDDEN_KEY'],
      [{ ...valid, claimCode: 'x'.repeat(10_000) }, 'VALIDATION_FAILED'],
      [{ ...valid, claimCode: 'K7QM4XP0' }, 'CLAIM_CODE_FORMAT'],
      [{ ...valid, idNumber: '12345' }, 'ID_NUMBER_FORMAT'],
    ];
    // One account per case: the claim rate limit would otherwise stop the sixth.
    for (const [index, [body, code]] of cases.entries()) {
      const response = await claim(`person-hostile-${index}`, body);
      expect({ index, ...(await answerOf(response)) }).toMatchObject({ index, status: 400, code });
    }
    const unkeyed = await fetch(`${running.base}/v1/participants/me/claim`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await tokenOf('person-unkeyed')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(valid),
    });
    expect(await answerOf(unkeyed)).toMatchObject({
      status: 400,
      code: 'IDEMPOTENCY_KEY_REQUIRED',
    });
    const unkeyedIssue = await fetch(
      `${running.base}/v1/participants/${randomUUID()}/claim-codes`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${await officerOf(T1)}` },
      },
    );
    expect(await answerOf(unkeyedIssue)).toMatchObject({
      status: 400,
      code: 'IDEMPOTENCY_KEY_REQUIRED',
    });
  });

  it('when a claim is replayed with the same Idempotency-Key, then the first answer comes back', async () => {
    const record = await officerMade();
    const code = await issued(record.id);
    const key = randomUUID();
    const body = { idNumber: record.idNumber, claimCode: code };

    const first = await claim('person-replays', body, { 'idempotency-key': key });
    const replay = await claim('person-replays', body, { 'idempotency-key': key });

    expect(first.status).toBe(200);
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });

  it('when one account attempts a sixth claim within the hour, then 429 RATE_LIMITED', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      const response = await claim('person-guesses', {
        idNumber: newIdNumber(),
        claimCode: 'K7QM4XPR',
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([403, 403, 403, 403, 403, 429]);
  });

  it('when the OpenAPI document is read, then both claim routes are in it', async () => {
    const document = (await (await fetch(`${running.base}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { tags?: string[] }>>;
    };
    expect(document.paths['/v1/participants/{id}/claim-codes']?.['post']?.tags).toEqual([
      'participants',
    ]);
    expect(document.paths['/v1/participants/me/claim']?.['post']?.tags).toEqual(['participants']);
  });

  it('when everything above has run, then no log line holds an ID number or a claim code', () => {
    const text = JSON.stringify(running.logs.lines);
    expect(running.logs.lines.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
