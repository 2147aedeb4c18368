import { Readable } from 'node:stream';
import { activityEvents } from '@learning/contracts';
import { activities, common } from '@learning/proto';
import { rejectionOf } from '@learning/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createContest,
  type CreateContestRequest,
} from '../../../src/application/contests/create-contest.js';
import { submitEntry, uploadAttachment } from '../../../src/application/contests/entries.js';
import {
  assignAllJudges,
  assignEntryJudges,
  scoreContestEntry,
} from '../../../src/application/contests/judging.js';
import {
  closeContestEntries,
  setJudges,
} from '../../../src/application/contests/manage-contest.js';
import {
  getContest,
  listContests,
  listPublicContests,
} from '../../../src/application/contests/read-contests.js';
import { getEntry, listEntries } from '../../../src/application/contests/read-entries.js';
import {
  publishContestResults,
  readPublishedResults,
} from '../../../src/application/contests/results.js';
import {
  audit,
  campaign,
  CITY,
  FakeCampaigns,
  fakeDepartments,
  fakeJurisdictions,
  FakeOrganizations,
  principal,
  T1,
  T2,
} from './activities-fakes.js';
import {
  FakeAttachments,
  FakeContests,
  FakeEntries,
  FakeParticipants,
  testClock,
} from './contests-fakes.js';

const DEPARTMENT = 'jiaoyu-ju';
const SCHOOL_A = '0a000000-0000-4000-8000-000000000001';
const SCHOOL_B = '0b000000-0000-4000-8000-000000000002';

const officer = principal({
  subject: 'jiaoyu-officer',
  roles: ['department_officer'],
  department: DEPARTMENT,
  cityWide: true,
});
const t1Officer = principal({ subject: 't1', roles: ['area_officer'], jurisdictions: [T1] });
const t2Officer = principal({ subject: 't2', roles: ['area_officer'], jurisdictions: [T2] });
const pupil = (n: number) => principal({ subject: `pupil-${n}`, roles: ['participant'] });
const judge = (id: string, organizations: string[] = []) =>
  principal({ subject: id, roles: ['expert'], organizations });

const request = (overrides: Partial<CreateContestRequest> = {}): CreateContestRequest => ({
  title: ' 少儿书信大赛 ',
  description: '给远方亲人的一封信',
  organizer: { kind: 'department', id: DEPARTMENT },
  jurisdictionCode: T1,
  entryWindow: {
    opensAt: new Date('2026-05-01T00:00:00Z'),
    closesAt: new Date('2026-06-01T00:00:00Z'),
  },
  ageBand: { min: 8, max: 12 },
  rubric: [
    { id: 'content', name: '内容', weight: 3, maxPoints: 10 },
    { id: 'neatness', name: '书写', weight: 1, maxPoints: 5 },
  ],
  judgesPerEntry: 1,
  judges: [
    { judgeId: 'judge-a', organizations: [SCHOOL_A] },
    { judgeId: 'judge-b', organizations: [] },
  ],
  ...overrides,
});

describe('contest use cases', () => {
  let contests: FakeContests;
  let entries: FakeEntries;
  let attachments: FakeAttachments;
  let time: ReturnType<typeof testClock>;
  let organizations: FakeOrganizations;
  let campaigns: FakeCampaigns;
  let participants: FakeParticipants;
  let deps: {
    contests: FakeContests;
    entries: FakeEntries;
    attachments: FakeAttachments;
    participants: FakeParticipants;
    audit: typeof audit;
    clock: () => Date;
  };
  let ids: number;

  beforeEach(() => {
    contests = new FakeContests();
    entries = new FakeEntries();
    attachments = new FakeAttachments();
    time = testClock('2026-04-20T00:00:00Z');
    organizations = new FakeOrganizations();
    campaigns = new FakeCampaigns();
    participants = new FakeParticipants();
    deps = { contests, entries, attachments, participants, audit, clock: time.clock };
    ids = 0;
  });

  const newId = () => `00000000-0000-4000-8000-${String((ids += 1)).padStart(12, '0')}`;
  const creating = () =>
    createContest({
      ...deps,
      jurisdictions: fakeJurisdictions,
      organizations,
      departments: fakeDepartments,
      campaigns,
      newId,
    });
  const open = (overrides: Partial<CreateContestRequest> = {}, by = officer) =>
    creating()(by, request(overrides));
  const enter = (contestId: string, who: number, organizationId?: string) =>
    submitEntry({ ...deps, newId })(pupil(who), contestId, {
      text: '亲爱的爷爷：',
      birthDate: '2016-03-03',
      ...(organizationId === undefined ? {} : { organizationId }),
    });

  describe('opening a contest', () => {
    it('when an officer opens one for their department, then it is stored in its place with its audit record', async () => {
      const contest = await open();
      expect(contest).toMatchObject({
        title: '少儿书信大赛',
        jurisdictionPath: [CITY, T1],
        status: 'open',
        ageReferenceDate: '2026-06-01',
      });
      expect(contests.outbox.map((event) => event.type)).toEqual(['activities.audit.recorded.v1']);
    });

    it('when it names what it is about, then its categories are kept once each; when it names none, it has none', async () => {
      const about = await open({
        categories: ['ethics_etiquette', 'science_culture_skills', 'ethics_etiquette'],
      });
      expect(about.categories).toEqual(['ethics_etiquette', 'science_culture_skills']);
      expect((await open()).categories).toEqual([]);
    });

    it('when the organizer is not theirs, then CONTEST_ORGANIZER_FORBIDDEN', async () => {
      const admin = principal({ subject: 'a', roles: ['org_admin'], organizations: [SCHOOL_A] });
      const refusal = await rejectionOf(
        open({ organizer: { kind: 'organization', id: SCHOOL_B } }, admin),
      );
      expect(refusal).toMatchObject({ code: 'CONTEST_ORGANIZER_FORBIDDEN' });
    });

    it('when an organization organizes, then its kind and lead department come from registration', async () => {
      const admin = principal({ subject: 'a', roles: ['org_admin'], organizations: [SCHOOL_A] });
      organizations.register(SCHOOL_A, { status: 'under_review' });
      const contest = await open({ organizer: { kind: 'organization', id: SCHOOL_A } }, admin);
      expect(contest).toMatchObject({
        organizer: { kind: 'organization', id: SCHOOL_A, organizationKind: 'community' },
        leadDepartment: 'wenming-ban',
      });
    });

    it('when the organization is unknown, rejected or suspended, then it is refused and nothing is stored', async () => {
      const admin = principal({
        subject: 'a',
        roles: ['org_admin'],
        organizations: [SCHOOL_A, SCHOOL_B],
      });
      const by = (id: string) => open({ organizer: { kind: 'organization', id } }, admin);
      expect(await rejectionOf(by(SCHOOL_A))).toMatchObject({
        code: 'CONTEST_ORGANIZER_UNKNOWN',
        kind: 'invalid_argument',
      });
      organizations.register(SCHOOL_A, { status: 'suspended' });
      organizations.register(SCHOOL_B, { status: 'rejected' });
      for (const id of [SCHOOL_A, SCHOOL_B])
        expect(await rejectionOf(by(id))).toMatchObject({
          code: 'CONTEST_ORGANIZER_NOT_ACTIVE',
          kind: 'failed_precondition',
        });
      expect(contests.stored.size).toBe(0);
    });

    it('when it joins a campaign, then the campaign must exist, be open and cover its place', async () => {
      const { id } = campaign();
      expect(await rejectionOf(open({ campaignId: id }))).toMatchObject({
        code: 'CONTEST_CAMPAIGN_UNKNOWN',
      });
      campaigns.campaigns.set(id, campaign({ status: 'closed' }));
      expect(await rejectionOf(open({ campaignId: id }))).toMatchObject({
        code: 'CONTEST_CAMPAIGN_CLOSED',
        kind: 'failed_precondition',
      });
      campaigns.campaigns.set(id, campaign({ scopePath: [CITY, T2] }));
      expect(await rejectionOf(open({ campaignId: id }))).toMatchObject({
        code: 'CONTEST_OUTSIDE_CAMPAIGN_SCOPE',
      });
      expect(contests.stored.size).toBe(0);
      campaigns.campaigns.set(id, campaign({ scopePath: [CITY] }));
      expect(await open({ campaignId: id })).toMatchObject({ campaignId: id });
    });

    it('when the window has passed or the place is unknown, then it is refused', async () => {
      time.set('2026-07-01T00:00:00Z');
      expect(await rejectionOf(open())).toMatchObject({ code: 'CONTEST_ENTRY_WINDOW_PAST' });
      time.set('2026-04-20T00:00:00Z');
      expect(await rejectionOf(open({ jurisdictionCode: '330281999000' }))).toMatchObject({
        code: 'JURISDICTION_UNKNOWN',
      });
      expect(contests.stored.size).toBe(0);
    });
  });

  describe('reading', () => {
    it('when people of different reach read a contest, then each sees what is theirs', async () => {
      const contest = await open();
      const read = getContest({ contests });
      expect(await read(t1Officer, contest.id)).toMatchObject({ detail: 'full' });
      expect(await read(pupil(1), contest.id)).toMatchObject({ detail: 'call' });
      expect(await rejectionOf(read(t2Officer, contest.id))).toMatchObject({
        code: 'CONTEST_NOT_FOUND',
      });
      expect((await listContests({ contests })(t2Officer, {})).items).toEqual([]);
      expect((await listContests({ contests })(officer, {})).items.map((c) => c.id)).toEqual([
        contest.id,
      ]);
    });

    it('when the public lists contests, then it sees those taking entries now, or with results, in the place asked', async () => {
      const inT1 = await open();
      const inT2 = await open({ jurisdictionCode: T2 });
      const later = await open({
        entryWindow: {
          opensAt: new Date('2026-07-01T00:00:00Z'),
          closesAt: new Date('2026-08-01T00:00:00Z'),
        },
      });
      const list = listPublicContests({
        contests,
        jurisdictions: fakeJurisdictions,
        clock: time.clock,
      });
      const ids = async (request: Parameters<typeof list>[0]) =>
        (await list(request)).items.map((contest) => contest.id);
      expect(await ids({ stage: 'entries_open' })).toEqual([]);
      time.set('2026-05-10T00:00:00Z');
      expect(await ids({ stage: 'entries_open' })).toEqual([inT1.id, inT2.id]);
      expect(await ids({ stage: 'entries_open', jurisdictionCode: T2 })).toEqual([inT2.id]);
      const first = await list({ stage: 'entries_open', pageSize: 1 });
      expect(first.items.map((contest) => contest.id)).toEqual([inT1.id]);
      // The next page asks as of the first one, even after entries have closed meanwhile.
      time.set('2026-07-10T00:00:00Z');
      const pageToken = first.nextPageToken ?? '';
      expect(await ids({ stage: 'entries_open', pageSize: 1, pageToken })).toEqual([inT2.id]);
      expect(await rejectionOf(list({ stage: 'entries_open', pageToken: 'bogus' }))).toMatchObject({
        code: 'CURSOR_INVALID',
      });
      time.set('2026-05-10T00:00:00Z');
      expect(await ids({ stage: 'results_published' })).toEqual([]);
      time.set('2026-07-10T00:00:00Z');
      expect(await ids({ stage: 'entries_open' })).toEqual([later.id]);
      expect(
        await rejectionOf(list({ stage: 'entries_open', jurisdictionCode: '330281999000' })),
      ).toMatchObject({
        code: 'JURISDICTION_UNKNOWN',
      });
    });
  });

  describe('entering', () => {
    it('when the entrant is too young, then CONTEST_AGE_OUTSIDE_BAND, and nothing is stored', async () => {
      const contest = await open();
      time.set('2026-05-10T00:00:00Z');
      const refusal = await rejectionOf(
        submitEntry(deps)(pupil(1), contest.id, { text: '信', birthDate: '2021-01-01' }),
      );
      expect(refusal).toMatchObject({ code: 'CONTEST_AGE_OUTSIDE_BAND' });
      expect(entries.stored.size).toBe(0);
    });

    it('when registration has the entrant’s birth date, then the age band is checked against it, and a typed date must agree', async () => {
      const contest = await open();
      time.set('2026-05-10T00:00:00Z');
      // Registered as six years old; types a ten-year-old's date to get in.
      participants.birthDates.set('pupil-1', '2020-02-02');
      expect(
        await rejectionOf(
          submitEntry(deps)(pupil(1), contest.id, { text: '信', birthDate: '2016-03-03' }),
        ),
      ).toMatchObject({ code: 'CONTEST_BIRTH_DATE_MISMATCH' });
      expect(
        await rejectionOf(submitEntry(deps)(pupil(1), contest.id, { text: '信' })),
      ).toMatchObject({ code: 'CONTEST_AGE_OUTSIDE_BAND' });
      expect(entries.stored.size).toBe(0);

      participants.birthDates.set('pupil-2', '2016-03-03');
      const untyped = await submitEntry(deps)(pupil(2), contest.id, { text: '信' });
      expect(untyped.birthDate).toBe('2016-03-03');
      participants.birthDates.set('pupil-3', '2016-03-03');
      const agreeing = await submitEntry(deps)(pupil(3), contest.id, {
        text: '信',
        birthDate: '2016-03-03',
      });
      expect(agreeing.birthDate).toBe('2016-03-03');
    });

    it('when registration has no birth date for the entrant, then the typed one is checked, and one is needed', async () => {
      const contest = await open();
      time.set('2026-05-10T00:00:00Z');
      participants.birthDates.set('pupil-2', null);
      expect(
        await rejectionOf(submitEntry(deps)(pupil(2), contest.id, { text: '信' })),
      ).toMatchObject({ code: 'CONTEST_BIRTH_DATE_REQUIRED' });
      expect(
        (await submitEntry(deps)(pupil(2), contest.id, { text: '信', birthDate: '2016-03-03' }))
          .birthDate,
      ).toBe('2016-03-03');
      // Not registered at all: the typed date, as before.
      expect((await enter(contest.id, 4)).birthDate).toBe('2016-03-03');
    });

    it('when entries are not open yet, then uploads and entries are refused', async () => {
      const contest = await open();
      expect(await rejectionOf(enter(contest.id, 1))).toMatchObject({
        code: 'CONTEST_ENTRY_WINDOW_NOT_OPEN',
      });
      const upload = uploadAttachment(deps)(pupil(1), contest.id, {
        fileName: 'a.pdf',
        contentType: 'application/pdf',
        content: Readable.from([Buffer.from('x')]),
      });
      expect(await rejectionOf(upload)).toMatchObject({ code: 'CONTEST_ENTRY_WINDOW_NOT_OPEN' });
    });

    it('when an upload declares more than 10 MB, then it is refused before it is read', async () => {
      const contest = await open();
      time.set('2026-05-10T00:00:00Z');
      const content = Readable.from([Buffer.from('x')]);
      const refusal = await rejectionOf(
        uploadAttachment(deps)(pupil(1), contest.id, {
          fileName: 'a.pdf',
          contentType: 'application/pdf',
          declaredBytes: 10 * 1024 * 1024 + 1,
          content,
        }),
      );
      expect(refusal).toMatchObject({ code: 'CONTEST_ATTACHMENT_TOO_LARGE' });
      expect(attachments.files.size).toBe(0);
    });

    it('when a participant enters with their file, then the audit keeps neither the letter nor the birth date', async () => {
      const contest = await open();
      time.set('2026-05-10T00:00:00Z');
      const file = await uploadAttachment(deps)(pupil(1), contest.id, {
        fileName: 'a.pdf',
        contentType: 'application/pdf',
        content: Readable.from([Buffer.from('%PDF')]),
      });
      const entry = await submitEntry(deps)(pupil(1), contest.id, {
        text: '  亲爱的爷爷  ',
        fileRef: file.fileRef,
        birthDate: '2016-03-03',
      });
      expect(entry).toMatchObject({ text: '亲爱的爷爷', attachment: { sha256: file.sha256 } });
      const record = JSON.stringify(entries.outbox[0]?.data);
      expect(record).not.toContain('亲爱的爷爷');
      expect(record).not.toContain('2016-03-03');

      const stranger = await rejectionOf(
        submitEntry(deps)(pupil(2), contest.id, {
          text: '信',
          fileRef: file.fileRef,
          birthDate: '2016-03-03',
        }),
      );
      expect(stranger).toMatchObject({ code: 'CONTEST_ATTACHMENT_UNKNOWN' });
    });

    it('when the only content is an empty file, then CONTEST_SUBMISSION_EMPTY', async () => {
      const contest = await open();
      time.set('2026-05-10T00:00:00Z');
      const empty = await uploadAttachment(deps)(pupil(1), contest.id, {
        fileName: 'empty.pdf',
        contentType: 'application/pdf',
        content: Readable.from([]),
      });
      const refusal = await rejectionOf(
        submitEntry(deps)(pupil(1), contest.id, {
          text: '   ',
          fileRef: empty.fileRef,
          birthDate: '2016-03-03',
        }),
      );
      expect(refusal).toMatchObject({ code: 'CONTEST_SUBMISSION_EMPTY' });
    });

    it('when entries are closed early, then a later entry is refused', async () => {
      const contest = await open();
      time.set('2026-05-10T00:00:00Z');
      await closeContestEntries(deps)(officer, contest.id);
      expect(await rejectionOf(enter(contest.id, 1))).toMatchObject({
        code: 'CONTEST_ENTRY_WINDOW_CLOSED',
      });
    });
  });

  describe('judging', () => {
    const setUp = async () => {
      const contest = await open();
      time.set('2026-05-10T00:00:00Z');
      const fromA = await enter(contest.id, 1, SCHOOL_A);
      const fromB = await enter(contest.id, 2, SCHOOL_B);
      time.set('2026-06-02T00:00:00Z');
      return { contest, fromA, fromB };
    };

    it('when all entries are assigned, then no judge gets their own organization', async () => {
      const { contest, fromA } = await setUp();
      expect(await assignAllJudges(deps)(officer, contest.id)).toEqual({ assigned: 2 });
      expect(entries.stored.get(fromA.id)?.judges).toEqual(['judge-b']);
      // A rerun finds nothing left to assign.
      expect(await assignAllJudges(deps)(officer, contest.id)).toEqual({ assigned: 0 });
    });

    it('when only conflicted judges remain, then CONTEST_NOT_ENOUGH_JUDGES and nothing is assigned', async () => {
      const { contest } = await setUp();
      await setJudges(deps)(officer, contest.id, {
        version: 1,
        judges: [{ judgeId: 'judge-a', organizations: [SCHOOL_A] }],
      });
      expect(await rejectionOf(assignAllJudges(deps)(officer, contest.id))).toMatchObject({
        code: 'CONTEST_NOT_ENOUGH_JUDGES',
      });
      expect([...entries.stored.values()].every((entry) => entry.judges.length === 0)).toBe(true);
    });

    it('when a judge is set by hand on their own organization’s entry, then CONTEST_JUDGE_CONFLICT', async () => {
      const { contest, fromA } = await setUp();
      const refusal = await rejectionOf(
        assignEntryJudges(deps)(officer, contest.id, fromA.id, {
          version: fromA.version,
          judgeIds: ['judge-a'],
        }),
      );
      expect(refusal).toMatchObject({ code: 'CONTEST_JUDGE_CONFLICT' });
    });

    it('when a judge’s token names the entry’s organization, then scoring it is a conflict even if the panel did not say so', async () => {
      const { contest, fromB } = await setUp();
      await assignEntryJudges(deps)(officer, contest.id, fromB.id, {
        version: fromB.version,
        judgeIds: ['judge-b'],
      });
      const refusal = await rejectionOf(
        scoreContestEntry(deps)(judge('judge-b', [SCHOOL_B]), contest.id, fromB.id, {
          content: 5,
          neatness: 5,
        }),
      );
      expect(refusal).toMatchObject({ code: 'CONTEST_JUDGE_CONFLICT' });
    });

    it('when an expert off the panel scores, then the entry reads as not found', async () => {
      const { contest, fromB } = await setUp();
      const refusal = await rejectionOf(
        scoreContestEntry(deps)(judge('judge-z'), contest.id, fromB.id, {
          content: 1,
          neatness: 1,
        }),
      );
      expect(refusal).toMatchObject({ code: 'CONTEST_ENTRY_NOT_FOUND' });
    });

    it('when a judge scores twice, then CONTEST_DUPLICATE_SCORECARD, and the first card stands', async () => {
      const { contest, fromA } = await setUp();
      await assignAllJudges(deps)(officer, contest.id);
      const score = scoreContestEntry(deps);
      await score(judge('judge-b'), contest.id, fromA.id, { content: 9, neatness: 4 });
      expect(
        await rejectionOf(
          score(judge('judge-b'), contest.id, fromA.id, { content: 1, neatness: 1 }),
        ),
      ).toMatchObject({ code: 'CONTEST_DUPLICATE_SCORECARD' });
      expect(entries.stored.get(fromA.id)?.scorecards.map((card) => card.weightedTotal)).toEqual([
        31,
      ]);
    });

    it('when a judge lists and reads entries, then only their own come', async () => {
      const { contest, fromA, fromB } = await setUp();
      await assignAllJudges(deps)(officer, contest.id);
      const list = await listEntries(deps)(judge('judge-b'), contest.id, {});
      expect(list.viewer).toBe('judge');
      expect(list.page.items.map((entry) => entry.id)).toContain(fromA.id);
      const judgeOfB = entries.stored.get(fromB.id)?.judges[0] ?? '';
      const other = judgeOfB === 'judge-a' ? 'judge-b' : 'judge-a';
      expect(await rejectionOf(getEntry(deps)(judge(other), contest.id, fromB.id))).toMatchObject({
        code: 'CONTEST_ENTRY_NOT_FOUND',
      });
    });
  });

  describe('results', () => {
    it('when every entry is scored, then the results are published once with the event and ties share a rank', async () => {
      const contest = await open({
        judges: [{ judgeId: 'judge-b', organizations: [] }],
        categories: ['ethics_etiquette'],
      });
      time.set('2026-05-10T00:00:00Z');
      const first = await enter(contest.id, 1, SCHOOL_A);
      const second = await enter(contest.id, 2, SCHOOL_B);
      const third = await enter(contest.id, 3);
      time.set('2026-06-02T00:00:00Z');
      await assignAllJudges(deps)(officer, contest.id);
      const publish = publishContestResults(deps);
      expect(await rejectionOf(publish(officer, contest.id))).toMatchObject({
        code: 'CONTEST_SCORING_INCOMPLETE',
      });
      const score = scoreContestEntry(deps);
      await score(judge('judge-b'), contest.id, first.id, { content: 6, neatness: 2 });
      await score(judge('judge-b'), contest.id, second.id, { content: 6, neatness: 2 });
      await score(judge('judge-b'), contest.id, third.id, { content: 9, neatness: 1 });

      const published = await publish(officer, contest.id);
      expect(published.status).toBe('results_published');
      expect(published.results?.map((r) => [r.entryId, r.rank])).toEqual([
        [third.id, 1],
        [first.id, 2],
        [second.id, 2],
      ]);
      const events = contests.outbox.filter(
        (event) => event.type === activityEvents.ContestResultsPublished.type,
      );
      expect(events).toHaveLength(1);
      const payload = activities.ContestResultsPublished.fromJSON(events[0]?.data);
      expect(payload).toMatchObject({
        contestId: contest.id,
        leadDepartment: DEPARTMENT,
        categories: [common.ContentCategory.CONTENT_CATEGORY_ETHICS_ETIQUETTE],
      });
      expect(payload.rankings.map((r) => [r.participantId, r.rank, r.scoreMillis])).toEqual([
        ['pupil-3', 1, '28000'],
        ['pupil-1', 2, '20000'],
        ['pupil-2', 2, '20000'],
      ]);

      expect(await rejectionOf(publish(officer, contest.id))).toMatchObject({
        code: 'CONTEST_RESULTS_ALREADY_PUBLISHED',
      });
      expect(
        contests.outbox.filter(
          (event) => event.type === activityEvents.ContestResultsPublished.type,
        ),
      ).toHaveLength(1);

      const read = readPublishedResults({ contests });
      const page = await read(contest.id, { pageSize: 2 });
      expect(page.page.items.map((r) => r.rank)).toEqual([1, 2]);
      const rest = await read(contest.id, {
        pageSize: 2,
        pageToken: page.page.nextPageToken ?? '',
      });
      expect(rest.page).toEqual({ items: [published.results?.[2]], nextPageToken: null });
      expect(await rejectionOf(read(contest.id, { pageToken: 'bogus' }))).toMatchObject({
        code: 'CURSOR_INVALID',
      });
    });

    it('when nobody entered, then CONTEST_NO_ENTRIES', async () => {
      const contest = await open();
      time.set('2026-06-02T00:00:00Z');
      expect(await rejectionOf(publishContestResults(deps)(officer, contest.id))).toMatchObject({
        code: 'CONTEST_NO_ENTRIES',
      });
      expect(await rejectionOf(readPublishedResults({ contests })(contest.id, {}))).toMatchObject({
        code: 'CONTEST_RESULTS_NOT_PUBLISHED',
      });
    });
  });
});
