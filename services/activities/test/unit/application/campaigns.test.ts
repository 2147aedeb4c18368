/** The campaign use cases over in-memory fakes of their ports. */
import { auditTrail } from '@learning/audit';
import {
  claimsFromPrincipal,
  principalFromClaims,
  type Principal,
  type PrincipalInput,
} from '@learning/auth';
import { activityEvents } from '@learning/contracts';
import { AppError } from '@learning/errors';
import { topics, type OutboxEntry } from '@learning/events';
import { rejectionOf } from '@learning/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  getCampaignProgress,
  type CampaignActivityFigures,
  type CampaignLectureFigures,
  type LectureFigures,
} from '../../../src/application/campaigns/campaign-progress.js';
import type {
  CampaignChange,
  CampaignPage,
  CampaignQuery,
  CampaignRepository,
  NewCampaign,
  StoredCampaign,
} from '../../../src/application/campaigns/campaign-repository.js';
import { changeCampaign } from '../../../src/application/campaigns/change-campaign.js';
import { closeCampaign } from '../../../src/application/campaigns/close-campaign.js';
import { createCampaign } from '../../../src/application/campaigns/create-campaign.js';
import { createNextEdition } from '../../../src/application/campaigns/create-next-edition.js';
import { launchCampaign } from '../../../src/application/campaigns/launch-campaign.js';
import { getCampaign, listCampaigns } from '../../../src/application/campaigns/read-campaigns.js';
import type { Jurisdiction, Jurisdictions } from '../../../src/application/ports.js';
import { editionKey } from '../../../src/domain/recurrence.js';
import { CITY, T1, T1_V1, T2 } from '../../support/activities.js';
import {
  learningMonthCarriedOver,
  learningMonth,
  subCampaignLaunches,
  themePractice,
  themePracticeSubCampaigns,
} from '../../support/campaigns.js';
import { fakeDepartments } from './activities-fakes.js';

const audit = auditTrail('activities', topics.activitiesAudit);

/** A principal exactly as a token for `input` gives it. */
const principal = (input: PrincipalInput): Principal =>
  principalFromClaims({ sub: input.subject, ...claimsFromPrincipal(input) });
const cityAdmin = principal({ subject: 'office', roles: ['city_admin'], cityWide: true });
const propaganda = principal({
  subject: 'xuanchuan-officer',
  roles: ['department_officer'],
  department: 'xuanchuan-bu',
  cityWide: true,
});
const education = principal({
  subject: 'jiaoyu-officer',
  roles: ['department_officer'],
  department: 'jiaoyu-ju',
  cityWide: true,
});
const citizen = principal({ subject: 'citizen', roles: ['participant'] });

const node = (code: string, level: Jurisdiction['level'], path: string[]): Jurisdiction => ({
  code,
  name: code,
  level,
  path,
});
const TREE: readonly Jurisdiction[] = [
  node(CITY, 'city', [CITY]),
  node(T1, 'township', [CITY, T1]),
  node(T2, 'township', [CITY, T2]),
  node(T1_V1, 'village', [CITY, T1, T1_V1]),
];

const jurisdictions: Jurisdictions = {
  async find(codes) {
    return new Map(TREE.filter((n) => codes.includes(n.code)).map((n) => [n.code, n]));
  },
  async *subtree(rootCode, levels) {
    yield TREE.filter(
      (n) => n.path.includes(rootCode) && (levels === undefined || levels.includes(n.level)),
    );
  },
};

class FakeCampaigns implements CampaignRepository {
  readonly stored = new Map<string, StoredCampaign>();
  readonly writes: OutboxEntry[][] = [];
  lastQuery: CampaignQuery | undefined;
  /** Simulates a racing request that stores the same edition between the check and the insert. */
  raceOnNextCreate: StoredCampaign | undefined;

  async get(id: string) {
    return this.stored.get(id) ?? null;
  }

  async findEdition(seriesId: string, year: number) {
    return (
      [...this.stored.values()].find(
        (c) => editionKey(c.seriesId, c.year) === editionKey(seriesId, year),
      ) ?? null
    );
  }

  async create(campaign: NewCampaign) {
    if (this.raceOnNextCreate !== undefined) {
      this.stored.set(this.raceOnNextCreate.id, this.raceOnNextCreate);
      this.raceOnNextCreate = undefined;
    }
    const { events, ...fields } = campaign;
    if ((await this.findEdition(fields.seriesId, fields.year)) !== null)
      throw new AppError('conflict', 'CAMPAIGN_ALREADY_EXISTS', 'duplicate edition');
    const stored = { ...fields, version: 1 };
    this.stored.set(stored.id, stored);
    this.writes.push([...events]);
    return stored;
  }

  async change(change: CampaignChange) {
    const current = this.stored.get(change.id);
    if (current?.version !== change.expectedVersion)
      throw new AppError('aborted', 'VERSION_CONFLICT', 'changed');
    const next = {
      ...current,
      ...change.set,
      updatedAt: change.updatedAt,
      version: current.version + 1,
    };
    this.stored.set(next.id, next);
    this.writes.push([...change.events]);
    return next;
  }

  async search(query: CampaignQuery): Promise<CampaignPage> {
    this.lastQuery = query;
    return { items: [...this.stored.values()], nextPageToken: null };
  }
}

const codeOf = async (promise: Promise<unknown>): Promise<string> => {
  const error = await rejectionOf(promise);
  if (!(error instanceof AppError)) throw error;
  return error.code;
};

describe('campaign use cases', () => {
  let campaigns: FakeCampaigns;
  let now: Date;
  let ids: number;
  const clock = () => now;
  const newId = () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`;
  const deps = () => ({
    campaigns,
    jurisdictions,
    departments: fakeDepartments,
    audit,
    clock,
    newId,
  });

  beforeEach(() => {
    campaigns = new FakeCampaigns();
    now = new Date('2026-11-20T02:00:00Z');
    ids = 0;
  });

  describe('planning', () => {
    it('when the owner department plans the learning month, then a draft is stored with the scope path and one audit record', async () => {
      const created = await createCampaign(deps())(propaganda, learningMonth(2027));
      expect(created).toMatchObject({
        status: 'draft',
        year: 2027,
        jurisdictionPath: [CITY],
        createdBy: 'xuanchuan-officer',
      });
      expect(created.seriesId).not.toBe(created.id);
      expect(campaigns.writes).toHaveLength(1);
      expect(campaigns.writes[0]?.map((entry) => entry.type)).toEqual([audit.event.type]);
    });

    it('when another department plans for the owner, then it is CAMPAIGN_MANAGE_FORBIDDEN and nothing is stored', async () => {
      expect(await codeOf(createCampaign(deps())(education, learningMonth(2027)))).toBe(
        'CAMPAIGN_MANAGE_FORBIDDEN',
      );
      expect(campaigns.stored.size).toBe(0);
    });

    it('when the dates are off the yearly rule, then it is CAMPAIGN_DATES_OFF_RULE', async () => {
      const request = { ...learningMonth(2027), endsOn: '2027-05-15' };
      expect(await codeOf(createCampaign(deps())(cityAdmin, request))).toBe(
        'CAMPAIGN_DATES_OFF_RULE',
      );
    });

    it('when a one-off ends before it starts, then it is CAMPAIGN_ENDS_BEFORE_START', async () => {
      const request = {
        ...learningMonth(2027),
        rule: null,
        startsOn: '2027-06-10',
        endsOn: '2027-06-01',
      };
      expect(await codeOf(createCampaign(deps())(cityAdmin, request))).toBe(
        'CAMPAIGN_ENDS_BEFORE_START',
      );
    });

    it('when a metric has two goals, then it is CAMPAIGN_DUPLICATE_GOAL', async () => {
      const request = {
        ...learningMonth(2027),
        goals: [
          { metric: 'participants_reached', target: 10 },
          { metric: 'participants_reached', target: 20 },
        ],
      };
      expect(await codeOf(createCampaign(deps())(cityAdmin, request))).toBe(
        'CAMPAIGN_DUPLICATE_GOAL',
      );
    });

    it('when the scope is not in the tree, then it is JURISDICTION_UNKNOWN', async () => {
      const request = { ...learningMonth(2027), jurisdictionCode: '330281999000' };
      expect(await codeOf(createCampaign(deps())(cityAdmin, request))).toBe('JURISDICTION_UNKNOWN');
    });

    it('when a one-off is planned, then it is its own series', async () => {
      const created = await createCampaign(deps())(cityAdmin, {
        ...learningMonth(2027),
        rule: null,
      });
      expect(created.seriesId).toBe(created.id);
      expect(created.rule).toBeNull();
    });
  });

  describe('changing a draft', () => {
    it('when the owner retitles it and moves it inside its year, then the change is stored with an audit record', async () => {
      const created = await createCampaign(deps())(cityAdmin, {
        ...learningMonth(2027),
        rule: null,
      });
      const changed = await changeCampaign(deps())(propaganda, created.id, {
        version: 1,
        title: '2027 全民学习月（修订）',
        endsOn: '2027-05-10',
        jurisdictionCode: T1,
      });
      expect(changed).toMatchObject({
        version: 2,
        endsOn: '2027-05-10',
        jurisdictionPath: [CITY, T1],
      });
      expect(campaigns.writes.at(-1)?.map((entry) => entry.type)).toEqual([audit.event.type]);
    });

    it('when the dates move to another year, then it is CAMPAIGN_YEAR_MISMATCH', async () => {
      const created = await createCampaign(deps())(cityAdmin, {
        ...learningMonth(2027),
        rule: null,
      });
      expect(
        await codeOf(
          changeCampaign(deps())(cityAdmin, created.id, {
            version: 1,
            startsOn: '2028-04-01',
            endsOn: '2028-04-30',
          }),
        ),
      ).toBe('CAMPAIGN_YEAR_MISMATCH');
    });

    it('when the editor read an older version, then it is VERSION_CONFLICT', async () => {
      const created = await createCampaign(deps())(cityAdmin, learningMonth(2027));
      await changeCampaign(deps())(cityAdmin, created.id, { version: 1, title: 'A' });
      expect(
        await codeOf(changeCampaign(deps())(cityAdmin, created.id, { version: 1, title: 'B' })),
      ).toBe('VERSION_CONFLICT');
    });

    it('when nothing is named, then it is CAMPAIGN_CHANGE_EMPTY', async () => {
      const created = await createCampaign(deps())(cityAdmin, learningMonth(2027));
      expect(await codeOf(changeCampaign(deps())(cityAdmin, created.id, { version: 1 }))).toBe(
        'CAMPAIGN_CHANGE_EMPTY',
      );
    });

    it('when it was launched, then it is CAMPAIGN_NOT_DRAFT', async () => {
      const created = await createCampaign(deps())(cityAdmin, learningMonth(2027));
      await launchCampaign(deps())(cityAdmin, created.id, {});
      expect(
        await codeOf(changeCampaign(deps())(cityAdmin, created.id, { version: 2, title: 'A' })),
      ).toBe('CAMPAIGN_NOT_DRAFT');
    });
  });

  describe('launching and closing', () => {
    it('when the owner launches a draft, then CampaignLaunched and the audit record are written with the status', async () => {
      const created = await createCampaign(deps())(propaganda, learningMonth(2027));
      const launched = await launchCampaign(deps())(propaganda, created.id, { version: 1 });
      expect(launched).toMatchObject({
        status: 'launched',
        launchedAt: now,
        launchedBy: 'xuanchuan-officer',
      });
      const write = campaigns.writes.at(-1) ?? [];
      expect(write.map((entry) => entry.type)).toEqual([
        activityEvents.CampaignLaunched.type,
        audit.event.type,
      ]);
      expect(write[0]).toMatchObject({
        subject: created.id,
        data: {
          campaignId: created.id,
          seriesId: created.seriesId,
          editionYear: 2027,
          startsOn: '2027-04-01',
          scopePath: [CITY],
          targetTiers: ['TIER_ORDINARY_CITIZEN', 'TIER_ORDINARY_CADRE'],
        },
      });
    });

    it('when the theme-practice series is launched, then each tier sub-campaign gets its own CampaignLaunched naming its parent', async () => {
      const created = await createCampaign(deps())(propaganda, themePractice(2027));
      await launchCampaign(deps())(propaganda, created.id, {});
      const write = campaigns.writes.at(-1) ?? [];
      expect(write.map((entry) => entry.type)).toEqual([
        ...Array.from({ length: 5 }, () => activityEvents.CampaignLaunched.type),
        audit.event.type,
      ]);
      // Keyed by the campaign, so a consumer meets the parent before its sub-campaigns.
      expect(write.every((entry) => entry.subject === created.id)).toBe(true);
      const launched = write
        .slice(0, 5)
        .map((entry) => activityEvents.CampaignLaunched.codec.fromJSON(entry.data));
      expect(launched[0]).toMatchObject({ campaignId: created.id, parentCampaignId: '' });
      expect(launched.slice(1)).toEqual(subCampaignLaunches(created, 2027));
    });

    it('when it is launched twice, then the second is CAMPAIGN_NOT_DRAFT and publishes nothing', async () => {
      const created = await createCampaign(deps())(cityAdmin, learningMonth(2027));
      await launchCampaign(deps())(cityAdmin, created.id, {});
      const writes = campaigns.writes.length;
      expect(await codeOf(launchCampaign(deps())(cityAdmin, created.id, {}))).toBe(
        'CAMPAIGN_NOT_DRAFT',
      );
      expect(campaigns.writes).toHaveLength(writes);
    });

    it('when its last day is over, then it cannot be launched: CAMPAIGN_ALREADY_ENDED', async () => {
      const created = await createCampaign(deps())(cityAdmin, learningMonth(2026));
      expect(await codeOf(launchCampaign(deps())(cityAdmin, created.id, {}))).toBe(
        'CAMPAIGN_ALREADY_ENDED',
      );
    });

    it('when another department launches it, then a draft is not found and a launched one is forbidden', async () => {
      const created = await createCampaign(deps())(propaganda, learningMonth(2027));
      expect(await codeOf(launchCampaign(deps())(education, created.id, {}))).toBe(
        'CAMPAIGN_NOT_FOUND',
      );
      await launchCampaign(deps())(propaganda, created.id, {});
      expect(await codeOf(closeCampaign(deps())(education, created.id, {}))).toBe(
        'CAMPAIGN_MANAGE_FORBIDDEN',
      );
    });

    it('when it is closed on its last day, then CAMPAIGN_NOT_ENDED; from midnight China time after, it closes', async () => {
      const created = await createCampaign(deps())(cityAdmin, learningMonth(2027));
      await launchCampaign(deps())(cityAdmin, created.id, {});
      now = new Date('2027-04-30T15:59:59Z');
      expect(await codeOf(closeCampaign(deps())(propaganda, created.id, {}))).toBe(
        'CAMPAIGN_NOT_ENDED',
      );
      now = new Date('2027-04-30T16:00:00Z');
      const closed = await closeCampaign(deps())(propaganda, created.id, {});
      expect(closed).toMatchObject({
        status: 'closed',
        closedAt: now,
        closedBy: 'xuanchuan-officer',
      });
      expect(campaigns.writes.at(-1)?.map((entry) => entry.type)).toEqual([audit.event.type]);
    });

    it('when a draft is closed, then it is CAMPAIGN_NOT_LAUNCHED', async () => {
      const created = await createCampaign(deps())(cityAdmin, learningMonth(2026));
      expect(await codeOf(closeCampaign(deps())(cityAdmin, created.id, {}))).toBe(
        'CAMPAIGN_NOT_LAUNCHED',
      );
    });
  });

  describe("next year's edition", () => {
    it('when the 2027 learning month is carried over, then the 2028 edition is a draft of all April with the same structure', async () => {
      const source = await createCampaign(deps())(propaganda, learningMonth(2027));
      await launchCampaign(deps())(propaganda, source.id, {});
      const next = await createNextEdition(deps())(propaganda, source.id);
      expect(next).toMatchObject({ ...learningMonthCarriedOver(source, 2028), launchedAt: null });
      expect(next.id).not.toBe(source.id);
    });

    it('when the theme-practice series is carried over, then each tier keeps its sub-campaign a year on', async () => {
      const source = await createCampaign(deps())(cityAdmin, themePractice(2027));
      const next = await createNextEdition(deps())(cityAdmin, source.id);
      expect(next).toMatchObject({ year: 2028, startsOn: '2028-03-01', endsOn: '2028-11-30' });
      expect(next.subCampaigns).toEqual(themePracticeSubCampaigns(2028));
    });

    it('when the next edition exists already, then it is CAMPAIGN_EDITION_EXISTS naming it', async () => {
      const source = await createCampaign(deps())(cityAdmin, learningMonth(2027));
      const next = await createNextEdition(deps())(cityAdmin, source.id);
      const error = await rejectionOf(createNextEdition(deps())(cityAdmin, source.id));
      expect(error).toMatchObject({ code: 'CAMPAIGN_EDITION_EXISTS' });
      expect((error as AppError).message).toContain(next.id);
    });

    it('when a racing request stores the edition first, then the unique key turns into CAMPAIGN_EDITION_EXISTS', async () => {
      const source = await createCampaign(deps())(cityAdmin, learningMonth(2027));
      campaigns.raceOnNextCreate = { ...source, id: 'racer', year: 2028, version: 1 };
      const error = await rejectionOf(createNextEdition(deps())(cityAdmin, source.id));
      expect(error).toMatchObject({ code: 'CAMPAIGN_EDITION_EXISTS' });
      expect((error as AppError).message).toContain('racer');
    });

    it('when the campaign is a one-off, then it is CAMPAIGN_NOT_RECURRING', async () => {
      const source = await createCampaign(deps())(cityAdmin, {
        ...learningMonth(2027),
        rule: null,
      });
      expect(await codeOf(createNextEdition(deps())(cityAdmin, source.id))).toBe(
        'CAMPAIGN_NOT_RECURRING',
      );
    });
  });

  describe('reading', () => {
    it('when a draft is read by the public or another department, then it is not found; its owners see it', async () => {
      const created = await createCampaign(deps())(propaganda, learningMonth(2027));
      const read = getCampaign(deps());
      expect(await codeOf(read(undefined, created.id))).toBe('CAMPAIGN_NOT_FOUND');
      expect(await codeOf(read(education, created.id))).toBe('CAMPAIGN_NOT_FOUND');
      expect((await read(propaganda, created.id)).id).toBe(created.id);
      expect((await read(cityAdmin, created.id)).id).toBe(created.id);
      await launchCampaign(deps())(propaganda, created.id, {});
      expect((await read(undefined, created.id)).status).toBe('launched');
    });

    it('when lists are asked for, then each reader gets their visibility and a place becomes the path that covers it', async () => {
      const list = listCampaigns(deps());
      await list(citizen, {});
      expect(campaigns.lastQuery?.visibility).toEqual({ kind: 'launched' });
      await list(education, { coveringJurisdiction: T1_V1 });
      expect(campaigns.lastQuery).toMatchObject({
        visibility: { kind: 'launched_or_owned', department: 'jiaoyu-ju' },
        scopeRootIn: [CITY, T1, T1_V1],
        pageSize: 50,
      });
      await list(cityAdmin, { year: 2027, pageSize: 5 });
      expect(campaigns.lastQuery).toMatchObject({
        visibility: { kind: 'all' },
        year: 2027,
        pageSize: 5,
      });
      expect(await codeOf(list(undefined, { coveringJurisdiction: '330281999999' }))).toBe(
        'JURISDICTION_UNKNOWN',
      );
    });
  });

  describe('progress', () => {
    const NO_LECTURES: LectureFigures = { lectureSessions: 0, lectureAttendance: 0 };
    const t1Officer = principal({
      subject: 't1-officer',
      roles: ['area_officer'],
      jurisdictions: [T1],
    });
    /** Figures that hold three activities in T1 and record what they were asked. */
    const recordingFigures = (asked: { roots: string[]; townships: string[] }[]) =>
      ({
        async figuresOf(_campaignId, roots, townshipCodes) {
          asked.push({ roots: [...roots], townships: [...townshipCodes] });
          return {
            total: { activities: 3, participantsReached: 620 },
            byTownship: new Map([[T1, { activities: 3, participantsReached: 620 }]]),
          };
        },
      }) satisfies CampaignActivityFigures;
    const noLectures: CampaignLectureFigures = {
      figuresOf: () => Promise.resolve({ total: NO_LECTURES, byTownship: new Map() }),
    };
    const progressOf = (
      figures: CampaignActivityFigures,
      lectures: CampaignLectureFigures = noLectures,
    ) => getCampaignProgress({ campaigns, jurisdictions, figures, lectures });

    it('when one township has activities and the other none, then activities per township is not met and participants are summed', async () => {
      const created = await createCampaign(deps())(cityAdmin, learningMonth(2027));
      await launchCampaign(deps())(cityAdmin, created.id, {});
      const asked: { roots: string[]; townships: string[] }[] = [];
      const progress = await progressOf(recordingFigures(asked))(propaganda, created.id);
      expect(asked).toEqual([{ roots: [CITY], townships: [T1, T2] }]);
      expect(progress).toEqual({
        campaignId: created.id,
        countedWithin: [CITY],
        activities: 3,
        lectureSessions: 0,
        lectureAttendance: 0,
        participantsReached: 620,
        townships: [
          { jurisdictionCode: T1, ...NO_LECTURES, activities: 3, participantsReached: 620 },
          { jurisdictionCode: T2, ...NO_LECTURES, activities: 0, participantsReached: 0 },
        ],
        townshipsInScope: 2,
        townshipsWithoutActivities: [T2],
        goals: [
          { metric: 'activities_per_township', target: 1, achieved: 0, met: false },
          { metric: 'participants_reached', target: 50, achieved: 620, met: true },
        ],
      });
    });

    it('when an area officer asks about a city-wide campaign, then only the townships of their subtree are counted', async () => {
      const created = await createCampaign(deps())(cityAdmin, learningMonth(2027));
      await launchCampaign(deps())(cityAdmin, created.id, {});
      const asked: { roots: string[]; townships: string[] }[] = [];
      const progress = await progressOf(recordingFigures(asked))(t1Officer, created.id);
      expect(asked).toEqual([{ roots: [T1], townships: [T1] }]);
      expect(progress).toMatchObject({
        countedWithin: [T1],
        townships: [
          { jurisdictionCode: T1, ...NO_LECTURES, activities: 3, participantsReached: 620 },
        ],
        townshipsInScope: 1,
        townshipsWithoutActivities: [],
        goals: [
          { metric: 'activities_per_township', target: 1, achieved: 3, met: true },
          { metric: 'participants_reached', target: 50, achieved: 620, met: true },
        ],
      });
    });

    it('when lecture sessions count toward the learning month, then they are counted per township, reach the lecture_sessions goal and their attendance adds to participants reached', async () => {
      const created = await createCampaign(deps())(cityAdmin, {
        ...learningMonth(2027),
        goals: [
          { metric: 'activities_per_township', target: 1 },
          { metric: 'participants_reached', target: 700 },
          { metric: 'lecture_sessions', target: 3 },
        ],
      });
      await launchCampaign(deps())(cityAdmin, created.id, {});
      const asked: { campaignId: string; roots: string[]; townships: string[] }[] = [];
      const lectures: CampaignLectureFigures = {
        figuresOf(campaignId, roots, townshipCodes) {
          asked.push({ campaignId, roots: [...roots], townships: [...townshipCodes] });
          return Promise.resolve({
            total: { lectureSessions: 3, lectureAttendance: 90 },
            byTownship: new Map([
              [T1, { lectureSessions: 1, lectureAttendance: 0 }],
              [T2, { lectureSessions: 2, lectureAttendance: 90 }],
            ]),
          });
        },
      };
      const progress = await progressOf(recordingFigures([]), lectures)(propaganda, created.id);
      expect(asked).toEqual([{ campaignId: created.id, roots: [CITY], townships: [T1, T2] }]);
      expect(progress).toMatchObject({
        activities: 3,
        lectureSessions: 3,
        lectureAttendance: 90,
        participantsReached: 710,
        townships: [
          {
            jurisdictionCode: T1,
            activities: 3,
            lectureSessions: 1,
            lectureAttendance: 0,
            participantsReached: 620,
          },
          {
            jurisdictionCode: T2,
            activities: 0,
            lectureSessions: 2,
            lectureAttendance: 90,
            participantsReached: 90,
          },
        ],
        // Lecture sessions do not stand in for activities: T2 still has none.
        townshipsWithoutActivities: [T2],
        goals: [
          { metric: 'activities_per_township', target: 1, achieved: 0, met: false },
          { metric: 'participants_reached', target: 700, achieved: 710, met: true },
          { metric: 'lecture_sessions', target: 3, achieved: 3, met: true },
        ],
      });
    });

    it('when fewer lecture sessions are counted than the goal, then lecture_sessions is not met', async () => {
      const created = await createCampaign(deps())(cityAdmin, {
        ...learningMonth(2027),
        goals: [{ metric: 'lecture_sessions', target: 4 }],
      });
      await launchCampaign(deps())(cityAdmin, created.id, {});
      const lectures: CampaignLectureFigures = {
        figuresOf: () =>
          Promise.resolve({
            total: { lectureSessions: 3, lectureAttendance: 0 },
            byTownship: new Map(),
          }),
      };
      const progress = await progressOf(recordingFigures([]), lectures)(propaganda, created.id);
      expect(progress.goals).toEqual([
        { metric: 'lecture_sessions', target: 4, achieved: 3, met: false },
      ]);
    });

    it('when the campaign lies inside the officer’s subtree, then they see all of it', async () => {
      const created = await createCampaign(deps())(cityAdmin, {
        ...learningMonth(2027),
        rule: null,
        jurisdictionCode: T1,
      });
      await launchCampaign(deps())(cityAdmin, created.id, {});
      const asked: { roots: string[]; townships: string[] }[] = [];
      const progress = await progressOf(recordingFigures(asked))(t1Officer, created.id);
      expect(progress.countedWithin).toEqual([T1]);
      expect(asked).toEqual([{ roots: [T1], townships: [T1] }]);
    });

    it('when the campaign is outside the officer’s subtree, a draft, another department’s or asked by a participant, then it is not found', async () => {
      const elsewhere = await createCampaign(deps())(cityAdmin, {
        ...learningMonth(2027),
        rule: null,
        jurisdictionCode: T2,
      });
      await launchCampaign(deps())(cityAdmin, elsewhere.id, {});
      const draft = await createCampaign(deps())(propaganda, learningMonth(2028));
      const asked: { roots: string[]; townships: string[] }[] = [];
      const progress = progressOf(recordingFigures(asked));
      for (const [reader, id] of [
        [t1Officer, elsewhere.id],
        [t1Officer, draft.id],
        [education, draft.id],
        [citizen, elsewhere.id],
        [t1Officer, 'no-such-campaign'],
      ] as const)
        expect(await codeOf(progress(reader, id))).toBe('CAMPAIGN_NOT_FOUND');
      expect(asked).toEqual([]);
    });
  });
});
