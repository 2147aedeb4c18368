import { createHash, randomUUID } from 'node:crypto';
import { activityEvents } from '@learning/contracts';
import { chinaDateOf, DAY_MS } from '@learning/domain';
import { fromKafkaMessage, topics, type CloudEvent } from '@learning/events';
import { activities, common } from '@learning/proto';
import {
  describeWithServers,
  residentIdNumber,
  watchTopics,
  type TopicWatch,
} from '@learning/testing';
import { createConnection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useActivitiesStack } from '../support/stack.js';

const CITY = '330281000000';
const T1 = '330281001000';
const T1_V1 = '330281001001';
const T2 = '330281002000';
/** Only the public-list tests run contests here, so its lists hold only theirs. */
const T3 = '330281003000';
const ORG_A = randomUUID();
const ORG_B = randomUUID();
const OTHER_ORG = randomUUID();
const DEPARTMENT = 'jiaoyu-ju';
const MAX_BYTES = 10 * 1024 * 1024;

const RUBRIC = [
  { id: 'content', name: '内容', weight: 3, maxPoints: 10 },
  { id: 'expression', name: '表达', weight: 2, maxPoints: 10 },
  { id: 'neatness', name: '书写', weight: 1, maxPoints: 5 },
];

interface ContestBody {
  id: string;
  status: string;
  version: number;
  jurisdictionPath: string[];
  judges?: { judgeId: string }[];
  entryWindow: { opensAt: string; closesAt: string };
  ageReferenceDate: string;
}

interface OrganizedContestBody extends ContestBody {
  organizer: { kind: string; id: string; organizationKind?: string };
  leadDepartment: string;
}

interface EntryBody {
  id: string;
  participantId?: string;
  birthDate?: string;
  judges?: string[];
  scorecards?: { judgeId: string; weightedTotal: number }[];
  attachment: { fileRef: string; sha256: string; sizeBytes: number } | null;
  version: number;
}

interface Page<T> {
  items: T[];
  nextPageToken: string | null;
}

const yearsAgo = (years: number): string => {
  const today = chinaDateOf(new Date());
  return `${Number(today.slice(0, 4)) - years}${today.slice(4)}`;
};

describeWithServers(['mongo', 'kafka', 'redis'], 'activities contests', (servers) => {
  const stack = useActivitiesStack(servers);
  const tokens = {} as Record<
    | 'admin'
    | 'department'
    | 'otherDepartment'
    | 't1Officer'
    | 't2Officer'
    | 'orgAdmin'
    | 'pupil1'
    | 'pupil2'
    | 'pupil3'
    | 'pupil4'
    | 'judgeA'
    | 'judgeB'
    | 'outsider',
    string
  >;
  let watch: TopicWatch;
  /** A learning organization registered with registration, organizing contests as tokens.orgAdmin. */
  let school = '';

  const send = (method: string, path: string, token: string | null, body?: unknown) =>
    stack.activities.send(method, path, token, body);
  const json = async <T>(response: Response): Promise<T> => (await response.json()) as T;
  const codeOf = async (response: Response): Promise<string> =>
    (await json<{ code: string }>(response)).code;

  const contestBody = (overrides: Record<string, unknown> = {}) => ({
    title: `少儿书信大赛 ${randomUUID().slice(0, 6)}`,
    description: '给远方亲人的一封信',
    organizer: { kind: 'department', id: DEPARTMENT },
    jurisdictionCode: T1,
    entryWindow: {
      opensAt: new Date(Date.now() - 60 * 60 * 1000).toISOString(),
      closesAt: new Date(Date.now() + 30 * DAY_MS).toISOString(),
    },
    ageBand: { min: 8, max: 12 },
    rubric: RUBRIC,
    judgesPerEntry: 1,
    ...overrides,
  });

  const createContest = async (
    overrides: Record<string, unknown> = {},
    token = tokens.department,
  ) => {
    const response = await send('POST', '/v1/contests', token, contestBody(overrides));
    if (response.status !== 201) throw new Error(`create contest: ${await response.text()}`);
    return json<ContestBody>(response);
  };

  const refusal = async (response: Response) => ({
    status: response.status,
    code: await codeOf(response),
  });
  /** What creating a contest with `overrides` is refused with. */
  const refusalOf = async (overrides: Record<string, unknown>, token = tokens.department) =>
    refusal(await send('POST', '/v1/contests', token, contestBody(overrides)));

  const enter = (contestId: string, token: string, body: Record<string, unknown>) =>
    send('POST', `/v1/contests/${contestId}/entries`, token, {
      text: '亲爱的爷爷：您好！',
      birthDate: yearsAgo(10),
      ...body,
    });

  const upload = (contestId: string, token: string, bytes: Uint8Array, type = 'application/pdf') =>
    stack.activities.send(
      'POST',
      `/v1/contests/${contestId}/attachments?fileName=${encodeURIComponent('信.pdf')}`,
      token,
      bytes,
      { contentType: type },
    );

  /** Applies for a learning organization at registration, as an org admin, and answers its id. */
  const registerOrganization = async (): Promise<string> => {
    const applicant = await stack.token({ subject: 'school-applicant', roles: ['org_admin'] });
    const response = await stack.registration.send('POST', '/v1/organizations', applicant, {
      kind: 'community',
      name: `书香社区 ${randomUUID().slice(0, 8)}`,
      jurisdictionCode: T1_V1,
    });
    const body = await json<{ id: string }>(response);
    expect(response.status, JSON.stringify(body)).toBe(201);
    return body.id;
  };

  beforeAll(async () => {
    const sign = stack.token.bind(stack);
    school = await registerOrganization();
    tokens.admin = await sign({ subject: 'contest-admin', roles: ['city_admin'], cityWide: true });
    tokens.department = await sign({
      subject: 'jiaoyu-officer',
      roles: ['department_officer'],
      department: DEPARTMENT,
      cityWide: true,
    });
    tokens.otherDepartment = await sign({
      subject: 'fulian-officer',
      roles: ['department_officer'],
      department: 'fu-lian',
      cityWide: true,
    });
    tokens.t1Officer = await sign({
      subject: 't1-officer',
      roles: ['area_officer'],
      jurisdictions: [T1],
    });
    tokens.t2Officer = await sign({
      subject: 't2-officer',
      roles: ['area_officer'],
      jurisdictions: [T2],
    });
    tokens.orgAdmin = await sign({
      subject: 'school-a-admin',
      roles: ['org_admin'],
      organizations: [school],
    });
    for (const pupil of ['pupil1', 'pupil2', 'pupil3', 'pupil4'] as const)
      tokens[pupil] = await sign({ subject: `${pupil}-${randomUUID()}`, roles: ['participant'] });
    tokens.judgeA = await sign({ subject: 'judge-a', roles: ['expert'], organizations: [] });
    tokens.judgeB = await sign({ subject: 'judge-b', roles: ['expert'] });
    tokens.outsider = await sign({ subject: 'judge-outsider', roles: ['expert'] });
    watch = await watchTopics(servers.kafka, [topics.activitiesActivities.name]);
  });
  afterAll(async () => {
    await watch.stop();
  });

  const resultsEventsOf = (contestId: string): CloudEvent[] =>
    watch.messages
      .map(({ message }) => fromKafkaMessage(message))
      .filter(
        (event) =>
          event.type === activityEvents.ContestResultsPublished.type && event.subject === contestId,
      );

  describe('opening a contest', () => {
    it('when a department officer opens one for their department, then it is stored with its place and panel', async () => {
      const contest = await createContest({
        judges: [{ judgeId: 'judge-a', organizations: [ORG_A] }],
      });
      expect(contest).toMatchObject({
        status: 'open',
        jurisdictionPath: [CITY, T1],
        judges: [{ judgeId: 'judge-a' }],
        categories: [],
        version: 1,
      });
      expect(contest.ageReferenceDate).toBe(
        chinaDateOf(new Date(new Date(contest.entryWindow.closesAt).getTime() - 1)),
      );
    });

    it('when the entry window closes before it opens, then 400 CONTEST_ENTRY_WINDOW_INVALID', async () => {
      expect(
        await refusalOf({
          entryWindow: { opensAt: '2026-06-01T00:00:00Z', closesAt: '2026-05-01T00:00:00Z' },
        }),
      ).toEqual({ status: 400, code: 'CONTEST_ENTRY_WINDOW_INVALID' });
    });

    it('when the window has closed already, then 400 CONTEST_ENTRY_WINDOW_PAST', async () => {
      expect(
        await refusalOf({
          entryWindow: { opensAt: '2020-05-01T00:00:00Z', closesAt: '2020-06-01T00:00:00Z' },
        }),
      ).toEqual({ status: 400, code: 'CONTEST_ENTRY_WINDOW_PAST' });
    });

    it('when the categories are not the four content categories, or one comes twice, then 400 VALIDATION_FAILED', async () => {
      for (const categories of [
        ['cooking'],
        ['ethics_etiquette', 'ethics_etiquette'],
        'ethics_etiquette',
      ])
        expect(await refusalOf({ categories })).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    });

    it('when the body has an unknown field or a $ key, then it is refused', async () => {
      expect(await refusalOf({ prize: 'iPad' })).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      expect(
        await refusalOf({ organizer: { kind: 'department', id: DEPARTMENT, $ne: null } }),
      ).toEqual({ status: 400, code: 'FORBIDDEN_KEY' });
    });

    it('when the organizing department is not one registration lists, then 400 DEPARTMENT_UNKNOWN', async () => {
      const response = await send(
        'POST',
        '/v1/contests',
        tokens.admin,
        contestBody({ organizer: { kind: 'department', id: 'zzz-no-such-dept' } }),
      );
      expect(response.status).toBe(400);
      expect(await json<{ code: string; details: { field: string }[] }>(response)).toMatchObject({
        code: 'DEPARTMENT_UNKNOWN',
        details: [{ field: '/organizer/id' }],
      });
    });

    it('when the jurisdiction is unknown, then 400 JURISDICTION_UNKNOWN', async () => {
      expect(await refusalOf({ jurisdictionCode: '330281999000' })).toEqual({
        status: 400,
        code: 'JURISDICTION_UNKNOWN',
      });
    });

    it('when someone opens one for an organizer not theirs, then 403; a participant gets ROLE_REQUIRED', async () => {
      expect(
        await refusalOf({ organizer: { kind: 'organization', id: OTHER_ORG } }, tokens.orgAdmin),
      ).toEqual({ status: 403, code: 'CONTEST_ORGANIZER_FORBIDDEN' });
      expect(await refusalOf({}, tokens.pupil1)).toEqual({ status: 403, code: 'ROLE_REQUIRED' });
    });

    it('when the Idempotency-Key is missing, then 400 IDEMPOTENCY_KEY_REQUIRED', async () => {
      const response = await fetch(`${stack.activities.base}/v1/contests`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${tokens.department}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(contestBody()),
      });
      expect(await refusal(response)).toEqual({ status: 400, code: 'IDEMPOTENCY_KEY_REQUIRED' });
    });
  });

  describe('reading contests', () => {
    let contest: ContestBody;
    let orgContest: ContestBody;

    beforeAll(async () => {
      contest = await createContest({ judges: [{ judgeId: 'judge-a', organizations: [] }] });
      orgContest = await createContest(
        { organizer: { kind: 'organization', id: school }, jurisdictionCode: T1_V1 },
        tokens.orgAdmin,
      );
    });

    it('when its managers and the area officers over it read it, then they see the panel', async () => {
      for (const token of [tokens.admin, tokens.department, tokens.t1Officer]) {
        const response = await send('GET', `/v1/contests/${contest.id}`, token);
        expect(response.status).toBe(200);
        expect((await json<ContestBody>(response)).judges).toEqual([
          { judgeId: 'judge-a', organizations: [] },
        ]);
      }
    });

    it('when an entrant reads it, then they see the call without the panel', async () => {
      const response = await send('GET', `/v1/contests/${contest.id}`, tokens.pupil1);
      expect(response.status).toBe(200);
      const body = await json<ContestBody>(response);
      expect(body.id).toBe(contest.id);
      expect(body.judges).toBeUndefined();
    });

    it('when an officer of another area or another department reads it, then 404', async () => {
      for (const token of [tokens.t2Officer, tokens.otherDepartment, tokens.orgAdmin]) {
        const response = await send('GET', `/v1/contests/${contest.id}`, token);
        expect(await refusal(response)).toEqual({ status: 404, code: 'CONTEST_NOT_FOUND' });
      }
    });

    it('when someone who does not organize it tries to manage it, then 404 or ROLE_REQUIRED', async () => {
      const bySchoolAdmin = await send(
        'POST',
        `/v1/contests/${contest.id}:close-entries`,
        tokens.orgAdmin,
      );
      expect(await refusal(bySchoolAdmin)).toEqual({ status: 404, code: 'CONTEST_NOT_FOUND' });
      const area = await send('POST', `/v1/contests/${contest.id}:close-entries`, tokens.t1Officer);
      expect(await refusal(area)).toEqual({ status: 403, code: 'ROLE_REQUIRED' });
      const panel = await send('PUT', `/v1/contests/${contest.id}/judges`, tokens.otherDepartment, {
        version: contest.version,
        judges: [],
      });
      expect(panel.status).toBe(404);
    });

    it('when the panel is replaced on a stale version, then 409 VERSION_CONFLICT', async () => {
      const judges = [{ judgeId: 'judge-b', organizations: [ORG_B] }];
      const replaced = await send('PUT', `/v1/contests/${contest.id}/judges`, tokens.department, {
        version: contest.version,
        judges,
      });
      expect(replaced.status).toBe(200);
      expect((await json<ContestBody>(replaced)).judges).toEqual(judges);
      const stale = await send('PUT', `/v1/contests/${contest.id}/judges`, tokens.department, {
        version: contest.version,
        judges: [],
      });
      expect(await refusal(stale)).toEqual({ status: 409, code: 'VERSION_CONFLICT' });
    });

    it('when contests are listed, then each sees their own, page by page', async () => {
      const seen: string[] = [];
      let token: string | null = null;
      do {
        const query: string = token === null ? '' : `&pageToken=${encodeURIComponent(token)}`;
        const response = await send('GET', `/v1/contests?pageSize=1${query}`, tokens.t1Officer);
        expect(response.status).toBe(200);
        const page = await json<Page<ContestBody>>(response);
        expect(page.items.length).toBeLessThanOrEqual(1);
        seen.push(...page.items.map((item) => item.id));
        token = page.nextPageToken;
      } while (token !== null);
      expect(seen).toEqual(expect.arrayContaining([contest.id, orgContest.id]));
      expect(new Set(seen).size).toBe(seen.length);

      const t2 = await json<Page<ContestBody>>(await send('GET', '/v1/contests', tokens.t2Officer));
      expect(t2.items.map((item) => item.id)).not.toContain(contest.id);
      const schoolAdminList = await json<Page<ContestBody>>(
        await send('GET', '/v1/contests?pageSize=200', tokens.orgAdmin),
      );
      expect(schoolAdminList.items.map((item) => item.id)).toEqual([orgContest.id]);
    });
  });

  describe('entering', () => {
    let contest: ContestBody;

    beforeAll(async () => {
      contest = await createContest();
    });

    it('when a file is uploaded, then it is stored with its hash, and the same bytes again give the same file', async () => {
      const bytes = new TextEncoder().encode('%PDF-1.4 一封信');
      const first = await upload(contest.id, tokens.pupil1, bytes);
      expect(first.status).toBe(201);
      const stored = await json<{ fileRef: string; sha256: string; sizeBytes: number }>(first);
      expect(stored.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(stored.sizeBytes).toBe(bytes.length);
      const again = await json<{ fileRef: string }>(await upload(contest.id, tokens.pupil1, bytes));
      expect(again.fileRef).toBe(stored.fileRef);
    });

    it('when a declared upload is larger than 10 MB, then 413 CONTEST_ATTACHMENT_TOO_LARGE', async () => {
      const response = await upload(contest.id, tokens.pupil1, new Uint8Array(MAX_BYTES + 1));
      expect(await refusal(response)).toEqual({
        status: 413,
        code: 'CONTEST_ATTACHMENT_TOO_LARGE',
      });
    });

    it('when a streamed upload without a length grows past 10 MB, then 413 CONTEST_ATTACHMENT_TOO_LARGE', async () => {
      const chunk = new Uint8Array(1024 * 1024);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent > MAX_BYTES) controller.close();
          else {
            sent += chunk.length;
            controller.enqueue(chunk);
          }
        },
      });
      const response = await fetch(
        `${stack.activities.base}/v1/contests/${contest.id}/attachments?fileName=big.png`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${tokens.pupil2}`,
            'content-type': 'image/png',
            'idempotency-key': randomUUID(),
          },
          body,
          duplex: 'half',
        },
      );
      expect(await refusal(response)).toEqual({
        status: 413,
        code: 'CONTEST_ATTACHMENT_TOO_LARGE',
      });
    });

    it('when the upload is JSON, then 415', async () => {
      const response = await stack.activities.send(
        'POST',
        `/v1/contests/${contest.id}/attachments?fileName=a.json`,
        tokens.pupil1,
        { letter: 'x' },
      );
      expect(response.status).toBe(415);
    });

    it('when the entrant is outside the age band, then 400 CONTEST_AGE_OUTSIDE_BAND', async () => {
      const response = await enter(contest.id, tokens.pupil3, { birthDate: yearsAgo(5) });
      expect(await refusal(response)).toEqual({ status: 400, code: 'CONTEST_AGE_OUTSIDE_BAND' });
    });

    it('when the entry names someone else’s file, then 400 CONTEST_ATTACHMENT_UNKNOWN', async () => {
      const mine = await json<{ fileRef: string }>(
        await upload(contest.id, tokens.pupil1, new TextEncoder().encode('%PDF pupil1')),
      );
      const response = await enter(contest.id, tokens.pupil3, { fileRef: mine.fileRef });
      expect(await refusal(response)).toEqual({ status: 400, code: 'CONTEST_ATTACHMENT_UNKNOWN' });
    });

    it('when a participant enters with a file, then the entry is theirs alone, once, and its file downloads', async () => {
      const bytes = new TextEncoder().encode('%PDF-1.4 我的信');
      const file = await json<{ fileRef: string }>(await upload(contest.id, tokens.pupil4, bytes));
      const response = await enter(contest.id, tokens.pupil4, {
        fileRef: file.fileRef,
        organizationId: ORG_B,
      });
      expect(response.status).toBe(201);
      const entry = await json<EntryBody>(response);
      expect(entry.attachment?.fileRef).toBe(file.fileRef);
      expect(entry.scorecards).toBeUndefined();

      const twice = await enter(contest.id, tokens.pupil4, {});
      expect(await refusal(twice)).toEqual({ status: 409, code: 'CONTEST_ENTRY_ALREADY_EXISTS' });

      const mine = await send('GET', `/v1/contests/${contest.id}/entries/mine`, tokens.pupil4);
      expect((await json<EntryBody>(mine)).id).toBe(entry.id);
      const someoneElse = await send(
        'GET',
        `/v1/contests/${contest.id}/entries/${entry.id}`,
        tokens.pupil1,
      );
      expect(someoneElse.status).toBe(404);

      const download = await send(
        'GET',
        `/v1/contests/${contest.id}/entries/${entry.id}/attachment`,
        tokens.pupil4,
      );
      expect(download.status).toBe(200);
      expect(download.headers.get('content-type')).toBe('application/pdf');
      expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);

      const overseen = await send('GET', `/v1/contests/${contest.id}/entries`, tokens.t1Officer);
      expect((await json<Page<EntryBody>>(overseen)).items.map((item) => item.id)).toEqual([
        entry.id,
      ]);
      const outside = await send('GET', `/v1/contests/${contest.id}/entries`, tokens.t2Officer);
      expect(outside.status).toBe(404);
    });

    it('when the entrant is registered, then the age band is checked against the birth date of their ID number, and a typed date must agree', async () => {
      /** A participant registered in registration, born `years` ago today, with a token of their own. */
      const registeredBorn = async (years: number, sequence: number): Promise<string> => {
        const token = await stack.token({
          subject: `registered-${randomUUID()}`,
          roles: ['participant'],
        });
        const birthDate = yearsAgo(years);
        const response = await stack.registration.send('POST', '/v1/participants', token, {
          name: '参赛者',
          tier: years < 18 ? 'pupil' : 'ordinary_citizen',
          homeJurisdiction: T1_V1,
          idNumber: residentIdNumber(birthDate.replaceAll('-', ''), sequence),
          language: 'zh-CN',
          consent: { notifications: false },
        });
        expect(response.status, await response.clone().text()).toBe(201);
        return token;
      };
      // An adult types a ten-year-old's date: refused, and without it the band refuses them.
      const adult = await registeredBorn(20, 801);
      expect(await refusal(await enter(contest.id, adult, {}))).toEqual({
        status: 400,
        code: 'CONTEST_BIRTH_DATE_MISMATCH',
      });
      const untyped = { text: '亲爱的爷爷：您好！' };
      const withoutDate = await send('POST', `/v1/contests/${contest.id}/entries`, adult, untyped);
      expect(await refusal(withoutDate)).toEqual({ status: 400, code: 'CONTEST_AGE_OUTSIDE_BAND' });

      // A registered child need not type it: the entry carries registration's date.
      const child = await registeredBorn(10, 802);
      const entered = await send('POST', `/v1/contests/${contest.id}/entries`, child, untyped);
      expect(entered.status).toBe(201);
      expect((await json<EntryBody>(entered)).birthDate).toBe(yearsAgo(10));
    });

    it('when an entry is sent again with the same Idempotency-Key, then the first answer is replayed', async () => {
      const key = randomUUID();
      const body = { text: '第二封信', birthDate: yearsAgo(9) };
      const sendOnce = () =>
        stack.activities.send('POST', `/v1/contests/${contest.id}/entries`, tokens.pupil1, body, {
          headers: { 'idempotency-key': key },
        });
      const first = await sendOnce();
      expect(first.status).toBe(201);
      const again = await sendOnce();
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect((await json<EntryBody>(again)).id).toBe((await json<EntryBody>(first)).id);
    });

    it('when entries are closed, then an entry is refused with 409 CONTEST_ENTRY_WINDOW_CLOSED', async () => {
      const closed = await send(
        'POST',
        `/v1/contests/${contest.id}:close-entries`,
        tokens.department,
      );
      expect(closed.status).toBe(200);
      const response = await enter(contest.id, tokens.pupil2, {});
      expect(await refusal(response)).toEqual({ status: 409, code: 'CONTEST_ENTRY_WINDOW_CLOSED' });
    });
  });

  describe('judging and results', () => {
    let contest: ContestBody;
    const entries = {} as Record<'fromA' | 'fromB' | 'independent', EntryBody>;

    beforeAll(async () => {
      contest = await createContest({
        judges: [
          { judgeId: 'judge-a', organizations: [ORG_A] },
          { judgeId: 'judge-b', organizations: [] },
        ],
      });
      const submit = async (token: string, organizationId?: string) => {
        const response = await enter(contest.id, token, {
          ...(organizationId === undefined ? {} : { organizationId }),
        });
        if (response.status !== 201) throw new Error(await response.text());
        return json<EntryBody>(response);
      };
      entries.fromA = await submit(tokens.pupil1, ORG_A);
      entries.fromB = await submit(tokens.pupil2, ORG_B);
      entries.independent = await submit(tokens.pupil3);
    });

    const score = (entryId: string, token: string, points: Record<string, number>) =>
      send('POST', `/v1/contests/${contest.id}/entries/${entryId}/scorecards`, token, { points });

    it('when judges are assigned before entries close, then 409 CONTEST_ENTRY_WINDOW_NOT_CLOSED', async () => {
      const response = await send(
        'POST',
        `/v1/contests/${contest.id}:assign-judges`,
        tokens.department,
      );
      expect(await refusal(response)).toEqual({
        status: 409,
        code: 'CONTEST_ENTRY_WINDOW_NOT_CLOSED',
      });
    });

    it('when a judge is assigned by hand to an entry of their own organization, then 409 CONTEST_JUDGE_CONFLICT', async () => {
      expect(
        (await send('POST', `/v1/contests/${contest.id}:close-entries`, tokens.department)).status,
      ).toBe(200);
      const response = await send(
        'PUT',
        `/v1/contests/${contest.id}/entries/${entries.fromA.id}/judges`,
        tokens.department,
        { version: entries.fromA.version, judgeIds: ['judge-a'] },
      );
      expect(await refusal(response)).toEqual({ status: 409, code: 'CONTEST_JUDGE_CONFLICT' });
      const offPanel = await send(
        'PUT',
        `/v1/contests/${contest.id}/entries/${entries.fromA.id}/judges`,
        tokens.department,
        { version: entries.fromA.version, judgeIds: ['judge-outsider'] },
      );
      expect(await refusal(offPanel)).toEqual({ status: 400, code: 'CONTEST_JUDGE_NOT_ON_PANEL' });
    });

    it('when a judge is set by hand and the rest assigned at once, then no judge gets their own organization', async () => {
      const byHand = await send(
        'PUT',
        `/v1/contests/${contest.id}/entries/${entries.fromB.id}/judges`,
        tokens.department,
        { version: entries.fromB.version, judgeIds: ['judge-a'] },
      );
      expect(byHand.status).toBe(200);
      expect((await json<EntryBody>(byHand)).judges).toEqual(['judge-a']);

      const bulk = await send(
        'POST',
        `/v1/contests/${contest.id}:assign-judges`,
        tokens.department,
      );
      expect(bulk.status).toBe(200);
      expect(await json<{ assigned: number }>(bulk)).toEqual({ assigned: 2 });

      const all = await json<Page<EntryBody>>(
        await send('GET', `/v1/contests/${contest.id}/entries`, tokens.department),
      );
      const judgesOf = new Map(all.items.map((item) => [item.id, item.judges]));
      expect(judgesOf.get(entries.fromA.id)).toEqual(['judge-b']);
      expect(judgesOf.get(entries.fromB.id)).toEqual(['judge-a']);
      expect(judgesOf.get(entries.independent.id)).toHaveLength(1);
    });

    it('when a judge lists entries, then only theirs come, without who wrote them', async () => {
      const response = await send('GET', `/v1/contests/${contest.id}/entries`, tokens.judgeA);
      const page = await json<Page<EntryBody>>(response);
      expect(page.items.map((item) => item.id)).toContain(entries.fromB.id);
      expect(page.items.map((item) => item.id)).not.toContain(entries.fromA.id);
      for (const item of page.items) {
        expect(item.participantId).toBeUndefined();
        expect(item.birthDate).toBeUndefined();
      }
      const outsider = await send('GET', `/v1/contests/${contest.id}/entries`, tokens.outsider);
      expect((await json<Page<EntryBody>>(outsider)).items).toEqual([]);
    });

    it('when a judge scores an entry of their own organization, then 409 CONTEST_JUDGE_CONFLICT', async () => {
      const response = await score(entries.fromA.id, tokens.judgeA, {
        content: 5,
        expression: 5,
        neatness: 5,
      });
      expect(await refusal(response)).toEqual({ status: 409, code: 'CONTEST_JUDGE_CONFLICT' });
    });

    it('when scores break the rubric, then 400 with the rule broken', async () => {
      const judge = await json<Page<EntryBody>>(
        await send('GET', `/v1/contests/${contest.id}/entries`, tokens.judgeB),
      );
      const entryId = judge.items[0]?.id ?? '';
      const outOfRange = await score(entryId, tokens.judgeB, {
        content: 11,
        expression: 5,
        neatness: 5,
      });
      expect(await refusal(outOfRange)).toEqual({
        status: 400,
        code: 'CONTEST_SCORE_OUT_OF_RANGE',
      });
      const incomplete = await score(entryId, tokens.judgeB, { content: 5 });
      expect(await refusal(incomplete)).toEqual({ status: 400, code: 'CONTEST_SCORE_INCOMPLETE' });
    });

    it('when results are asked for before every entry is scored, then 409 CONTEST_SCORING_INCOMPLETE', async () => {
      const response = await send(
        'POST',
        `/v1/contests/${contest.id}:publish-results`,
        tokens.department,
      );
      expect(await refusal(response)).toEqual({ status: 409, code: 'CONTEST_SCORING_INCOMPLETE' });
      const notYet = await send('GET', `/v1/contests/${contest.id}/results`, null);
      expect(await refusal(notYet)).toEqual({ status: 404, code: 'CONTEST_RESULTS_NOT_PUBLISHED' });
    });

    it('when every entry is scored and results published, then ties share a rank, the event comes once and a second publication is refused', async () => {
      const all = await json<Page<EntryBody>>(
        await send('GET', `/v1/contests/${contest.id}/entries`, tokens.department),
      );
      const judgeOf = new Map(all.items.map((item) => [item.id, item.judges?.[0]]));
      const tokenOf = (judgeId: string | undefined) =>
        judgeId === 'judge-a' ? tokens.judgeA : tokens.judgeB;
      // fromA wins; fromB and the independent entry tie exactly, criterion by criterion.
      const plan: [EntryBody, Record<string, number>][] = [
        [entries.fromA, { content: 9, expression: 8, neatness: 5 }],
        [entries.fromB, { content: 7, expression: 7, neatness: 3 }],
        [entries.independent, { content: 7, expression: 7, neatness: 3 }],
      ];
      for (const [entry, points] of plan) {
        const response = await score(entry.id, tokenOf(judgeOf.get(entry.id)), points);
        expect(response.status).toBe(201);
      }
      const twice = await score(entries.fromA.id, tokens.judgeB, {
        content: 1,
        expression: 1,
        neatness: 1,
      });
      expect(await refusal(twice)).toEqual({ status: 409, code: 'CONTEST_DUPLICATE_SCORECARD' });

      const published = await send(
        'POST',
        `/v1/contests/${contest.id}:publish-results`,
        tokens.department,
      );
      expect(published.status).toBe(200);
      expect((await json<ContestBody>(published)).status).toBe('results_published');
      const again = await send(
        'POST',
        `/v1/contests/${contest.id}:publish-results`,
        tokens.department,
      );
      expect(await refusal(again)).toEqual({
        status: 409,
        code: 'CONTEST_RESULTS_ALREADY_PUBLISHED',
      });

      const results = await json<Page<{ entryId: string; rank: number; average: number }>>(
        await send('GET', `/v1/contests/${contest.id}/results?pageSize=200`, null),
      );
      const tied = [entries.fromB.id, entries.independent.id].sort();
      expect(results.items).toEqual([
        { entryId: entries.fromA.id, rank: 1, average: 48, scorecards: 1 },
        { entryId: tied[0], rank: 2, average: 38, scorecards: 1 },
        { entryId: tied[1], rank: 2, average: 38, scorecards: 1 },
      ]);
      const firstPage = await json<Page<{ entryId: string }>>(
        await send('GET', `/v1/contests/${contest.id}/results?pageSize=2`, null),
      );
      expect(firstPage.items).toHaveLength(2);
      const secondPage = await json<Page<{ entryId: string }>>(
        await send(
          'GET',
          `/v1/contests/${contest.id}/results?pageSize=2&pageToken=${firstPage.nextPageToken ?? ''}`,
          null,
        ),
      );
      expect(secondPage).toMatchObject({
        contestId: contest.id,
        items: [results.items[2]],
        nextPageToken: null,
      });

      const [event] = await watch.waitFor('ContestResultsPublished', ({ message }) => {
        const cloudEvent = fromKafkaMessage(message);
        return (
          cloudEvent.type === activityEvents.ContestResultsPublished.type &&
          cloudEvent.subject === contest.id
        );
      });
      if (event === undefined) throw new Error('no event');
      const payload = activities.ContestResultsPublished.fromJSON(
        fromKafkaMessage(event.message).data,
      );
      // A contest that names no categories publishes none.
      expect(payload).toMatchObject({
        contestId: contest.id,
        jurisdictionPath: [CITY, T1],
        leadDepartment: DEPARTMENT,
        categories: [],
      });
      expect(
        payload.rankings.map((ranking) => [ranking.entryId, ranking.rank, ranking.scoreMillis]),
      ).toEqual([
        [entries.fromA.id, 1, '48000'],
        [tied[0], 2, '38000'],
        [tied[1], 2, '38000'],
      ]);
      const participantOf = new Map(payload.rankings.map((r) => [r.entryId, r.participantId]));
      expect(participantOf.get(entries.fromA.id)).toBe(entries.fromA.participantId);
      // Anything published twice would have been relayed by now alongside the first.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(resultsEventsOf(contest.id)).toHaveLength(1);

      const late = await score(entries.fromB.id, tokens.judgeA, {
        content: 1,
        expression: 1,
        neatness: 1,
      });
      expect(await refusal(late)).toEqual({
        status: 409,
        code: 'CONTEST_RESULTS_ALREADY_PUBLISHED',
      });
    });
  });
  describe('organizers and campaigns from their sources, and the public lists', () => {
    const asAdminOf = (organizationId: string) =>
      stack.token({
        subject: `admin-${organizationId}`,
        roles: ['org_admin'],
        organizations: [organizationId],
      });
    const decide = async (id: string, body: Record<string, unknown>) => {
      const response = await stack.registration.send(
        'POST',
        `/v1/organizations/${id}:decide`,
        tokens.admin,
        body,
      );
      expect(response.status, await response.text()).toBe(200);
    };
    const createCampaign = async (jurisdictionCode: string): Promise<string> => {
      const year = new Date().getUTCFullYear() + 1;
      const response = await send('POST', '/v1/campaigns', tokens.department, {
        title: `${year} 书信月 ${randomUUID().slice(0, 6)}`,
        ownerDepartment: DEPARTMENT,
        startsOn: `${year}-04-01`,
        endsOn: `${year}-04-30`,
        targetTiers: ['pupil'],
        categories: ['ethics_etiquette'],
        jurisdictionCode,
        goals: [],
      });
      const body = await json<{ id: string }>(response);
      expect(response.status, JSON.stringify(body)).toBe(201);
      return body.id;
    };
    /** Closes a campaign in the app's own database: the campaigns slice closes only after the last day. */
    const closeCampaignInDatabase = async (id: string) => {
      const connection = await createConnection(servers.mongo.uri).asPromise();
      try {
        const { databases } = (await connection.db?.admin().listDatabases()) ?? { databases: [] };
        let closed = 0;
        for (const { name } of databases) {
          const result = await connection
            .useDb(name)
            .collection('campaigns')
            .updateOne({ _id: id as never }, { $set: { status: 'closed' } });
          closed += result.modifiedCount;
        }
        expect(closed).toBe(1);
      } finally {
        await connection.close();
      }
    };

    it('when a registered organization runs a contest, then its kind and lead department come from registration, and the results event carries them', async () => {
      const contest = await createContest(
        {
          organizer: { kind: 'organization', id: school },
          jurisdictionCode: T3,
          judges: [{ judgeId: 'judge-b', organizations: [] }],
          categories: ['ethics_etiquette', 'science_culture_skills'],
        },
        tokens.orgAdmin,
      );
      expect(contest).toMatchObject({
        organizer: { kind: 'organization', id: school, organizationKind: 'community' },
        leadDepartment: 'wenming-ban',
        categories: ['ethics_etiquette', 'science_culture_skills'],
      });
      const pupil = await stack.token({ subject: `pupil-${randomUUID()}`, roles: ['participant'] });
      const entered = await enter(contest.id, pupil, {});
      expect(entered.status).toBe(201);
      const entry = await json<EntryBody>(entered);
      for (const step of ['close-entries', 'assign-judges'])
        expect(
          (await send('POST', `/v1/contests/${contest.id}:${step}`, tokens.orgAdmin)).status,
        ).toBe(200);
      const scored = await send(
        'POST',
        `/v1/contests/${contest.id}/entries/${entry.id}/scorecards`,
        tokens.judgeB,
        { points: { content: 5, expression: 5, neatness: 5 } },
      );
      expect(scored.status).toBe(201);
      expect(
        (await send('POST', `/v1/contests/${contest.id}:publish-results`, tokens.orgAdmin)).status,
      ).toBe(200);
      const [event] = await watch.waitFor('ContestResultsPublished', ({ message }) => {
        const cloudEvent = fromKafkaMessage(message);
        return (
          cloudEvent.type === activityEvents.ContestResultsPublished.type &&
          cloudEvent.subject === contest.id
        );
      });
      if (event === undefined) throw new Error('no event');
      expect(
        activities.ContestResultsPublished.fromJSON(fromKafkaMessage(event.message).data),
      ).toMatchObject({
        contestId: contest.id,
        jurisdictionPath: [CITY, T3],
        leadDepartment: 'wenming-ban',
        categories: [
          common.ContentCategory.CONTENT_CATEGORY_ETHICS_ETIQUETTE,
          common.ContentCategory.CONTENT_CATEGORY_SCIENCE_CULTURE_SKILLS,
        ],
      });
    });

    it('when the organization is unknown or rejected, then 400 CONTEST_ORGANIZER_UNKNOWN or 409 CONTEST_ORGANIZER_NOT_ACTIVE', async () => {
      const unknown = randomUUID();
      expect(
        await refusalOf(
          { organizer: { kind: 'organization', id: unknown } },
          await asAdminOf(unknown),
        ),
      ).toEqual({
        status: 400,
        code: 'CONTEST_ORGANIZER_UNKNOWN',
      });
      const rejected = await registerOrganization();
      await decide(rejected, { action: 'start_review' });
      await decide(rejected, { action: 'reject', reason: '材料不实' });
      expect(
        await refusalOf(
          { organizer: { kind: 'organization', id: rejected } },
          await asAdminOf(rejected),
        ),
      ).toEqual({
        status: 409,
        code: 'CONTEST_ORGANIZER_NOT_ACTIVE',
      });
    });

    it('when it joins a campaign, then the campaign must exist, cover its place and not be closed', async () => {
      expect(await refusalOf({ campaignId: randomUUID() })).toEqual({
        status: 400,
        code: 'CONTEST_CAMPAIGN_UNKNOWN',
      });
      const elsewhere = await createCampaign(T2);
      expect(await refusalOf({ campaignId: elsewhere })).toEqual({
        status: 400,
        code: 'CONTEST_OUTSIDE_CAMPAIGN_SCOPE',
      });
      const citywide = await createCampaign(CITY);
      const joined = await createContest({ campaignId: citywide });
      expect(joined).toMatchObject({ campaignId: citywide });
      await closeCampaignInDatabase(citywide);
      expect(await refusalOf({ campaignId: citywide })).toEqual({
        status: 409,
        code: 'CONTEST_CAMPAIGN_CLOSED',
      });
    });

    it('when the public lists contests in a place, then it sees those taking entries or with results, page by page, without panels', async () => {
      const openNow = await Promise.all([
        createContest({
          jurisdictionCode: T3,
          judges: [{ judgeId: 'judge-a', organizations: [] }],
        }),
        createContest({ jurisdictionCode: T3 }),
      ]);
      await createContest({
        jurisdictionCode: T3,
        entryWindow: {
          opensAt: new Date(Date.now() + DAY_MS).toISOString(),
          closesAt: new Date(Date.now() + 2 * DAY_MS).toISOString(),
        },
      });
      await createContest({ jurisdictionCode: T2 });
      const listed: ContestBody[] = [];
      let token: string | null = null;
      do {
        const query = `stage=entries_open&jurisdiction=${T3}&pageSize=1${token === null ? '' : `&pageToken=${token}`}`;
        const response = await send('GET', `/v1/public/contests?${query}`, null);
        const page = await json<Page<ContestBody>>(response);
        expect(response.status, JSON.stringify(page)).toBe(200);
        expect(page.items.length).toBeLessThanOrEqual(1);
        listed.push(...page.items);
        token = page.nextPageToken;
      } while (token !== null);
      expect(listed.map((contest) => contest.id)).toEqual(
        openNow.map((contest) => contest.id).sort(),
      );
      expect(listed.every((contest) => contest.judges === undefined)).toBe(true);

      const published = await json<Page<OrganizedContestBody>>(
        await send('GET', `/v1/public/contests?stage=results_published&jurisdiction=${T3}`, null),
      );
      expect(published.items).toHaveLength(1);
      expect(published.items[0]).toMatchObject({
        status: 'results_published',
        leadDepartment: 'wenming-ban',
      });
      expect(published.items[0]?.judges).toBeUndefined();

      const unknown = await send('GET', '/v1/public/contests?jurisdiction=330281999000', null);
      expect(await refusal(unknown)).toEqual({ status: 400, code: 'JURISDICTION_UNKNOWN' });
      const bad = await send('GET', '/v1/public/contests?stage=everything', null);
      expect(await refusal(bad)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    });
  });
});
