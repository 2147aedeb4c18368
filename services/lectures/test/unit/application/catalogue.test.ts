import { rejectionOf } from '@learning/testing';
import { AppError } from '@learning/errors';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  changeForum,
  createForum,
  getForum,
  getPublicForum,
  listForums,
  listPublicForums,
  reactivateForum,
  retireForum,
} from '../../../src/application/catalogue/forums.js';
import { changeSeries, createSeries } from '../../../src/application/catalogue/series.js';
import { audit, auditPayloads, departments, FakeForums, FakeSeries, principal } from './fakes.js';

const now = new Date('2026-03-01T00:00:00Z');
const clock = () => now;
const admin = principal('admin', ['city_admin']);
const propaganda = principal('officer-xc', ['department_officer'], 'xuanchuan-bu');
const education = principal('officer-jy', ['department_officer'], 'jiaoyu-ju');
const humanitiesManager = principal('manager-rw', ['participant']);
const youthManager = principal('manager-qn', ['participant']);

const codeOf = async (promise: Promise<unknown>): Promise<string> => {
  const error = await rejectionOf(promise);
  if (!(error instanceof AppError)) throw error;
  return error.code;
};

describe('the catalogue use cases', () => {
  let series: FakeSeries;
  let forums: FakeForums;
  let deps: {
    series: FakeSeries;
    forums: FakeForums;
    departments: typeof departments;
    audit: typeof audit;
    clock: () => Date;
  };
  let seriesId: string;

  beforeEach(async () => {
    series = new FakeSeries();
    forums = new FakeForums();
    deps = { series, forums, departments, audit, clock };
    seriesId = (
      await createSeries(deps)(admin, { name: ' 玉海大讲坛 ', ownerDepartment: 'xuanchuan-bu' })
    ).id;
  });

  const addForum = (name: string, managers: string[]) =>
    createForum(deps)(propaganda, seriesId, {
      name,
      managerSubjects: managers,
      targetTiers: ['ordinary_citizen'],
      categories: ['ethics_etiquette'],
      leadDepartment: 'xuanchuan-bu',
    });

  it('when the office adds a series, then it is stored trimmed with a create audit record', () => {
    const stored = series.rows.get(seriesId);

    expect(stored).toMatchObject({
      name: '玉海大讲坛',
      ownerDepartment: 'xuanchuan-bu',
      version: 1,
    });
    expect(auditPayloads(series.entries)).toEqual([
      expect.objectContaining({ action: 'series.create', before: null }),
    ]);
  });

  it('when a department officer adds a series, or names an unknown department, then nothing is stored', async () => {
    expect(
      await codeOf(createSeries(deps)(propaganda, { name: 'x', ownerDepartment: 'xuanchuan-bu' })),
    ).toBe('CATALOGUE_OFFICE_ONLY');
    expect(
      await codeOf(createSeries(deps)(admin, { name: 'y', ownerDepartment: 'no-such-bu' })),
    ).toBe('DEPARTMENT_UNKNOWN');
    expect(series.writes).toBe(1);
  });

  it('when the owner department’s officer edits the series, then it changes; another department’s is refused', async () => {
    expect(
      await codeOf(changeSeries(deps)(education, seriesId, { version: 1, description: 'x' })),
    ).toBe('CATALOGUE_OFFICE_ONLY');
    const changed = await changeSeries(deps)(propaganda, seriesId, {
      version: 1,
      description: '市委宣传部主办',
    });

    expect(changed).toMatchObject({ description: '市委宣传部主办', version: 2 });
    expect(await codeOf(changeSeries(deps)(propaganda, seriesId, { version: 1 }))).toBe(
      'CATALOGUE_CHANGE_EMPTY',
    );
    expect(
      await codeOf(changeSeries(deps)(propaganda, seriesId, { version: 1, name: 'stale' })),
    ).toBe('VERSION_CONFLICT');
  });

  it('when a forum is added, then it carries the series’ owner department and unique managers', async () => {
    const forum = await addForum('人文讲坛', ['manager-rw', 'manager-rw']);

    expect(forum).toMatchObject({
      seriesId,
      ownerDepartment: 'xuanchuan-bu',
      managerSubjects: ['manager-rw'],
      status: 'active',
    });
    expect(await codeOf(createForum(deps)(education, seriesId, { ...forum }))).toBe(
      'CATALOGUE_OFFICE_ONLY',
    );
    expect(
      await codeOf(createForum(deps)(admin, seriesId, { ...forum, leadDepartment: 'nope' })),
    ).toBe('DEPARTMENT_UNKNOWN');
    expect(await codeOf(createForum(deps)(admin, 'no-series', forum))).toBe('SERIES_NOT_FOUND');
    expect(forums.writes).toBe(1);
  });

  it('when a manager edits their forum’s description, then it changes with an audit record of before and after', async () => {
    const forum = await addForum('人文讲坛', ['manager-rw']);
    const changed = await changeForum(deps)(humanitiesManager, forum.id, {
      version: 1,
      description: '宋韵文化与地方史',
      targetTiers: ['ordinary_citizen', 'ordinary_cadre'],
    });

    expect(changed).toMatchObject({ description: '宋韵文化与地方史', version: 2 });
    expect(auditPayloads(forums.entries).at(-1)).toMatchObject({
      action: 'forum.change',
      before: { description: '' },
      after: { description: '宋韵文化与地方史' },
    });
  });

  it('when a manager renames their forum, names managers, retires it, or touches another forum, then each is refused and nothing changes', async () => {
    const humanities = await addForum('人文讲坛', ['manager-rw']);
    const youth = await addForum('青年讲坛', ['manager-qn']);
    const writes = forums.writes;

    expect(
      await codeOf(changeForum(deps)(humanitiesManager, humanities.id, { version: 1, name: 'x' })),
    ).toBe('FORUM_FIELD_OFFICE_ONLY');
    expect(
      await codeOf(
        changeForum(deps)(humanitiesManager, humanities.id, {
          version: 1,
          managerSubjects: ['manager-rw', 'friend'],
        }),
      ),
    ).toBe('FORUM_FIELD_OFFICE_ONLY');
    expect(await codeOf(retireForum(deps)(humanitiesManager, humanities.id, {}))).toBe(
      'FORUM_FIELD_OFFICE_ONLY',
    );
    expect(
      await codeOf(
        changeForum(deps)(youthManager, humanities.id, { version: 1, description: 'x' }),
      ),
    ).toBe('FORUM_MANAGE_FORBIDDEN');
    expect(await codeOf(getForum(deps)(youthManager, humanities.id))).toBe(
      'FORUM_MANAGE_FORBIDDEN',
    );
    expect(await codeOf(getForum(deps)(youthManager, 'missing'))).toBe('FORUM_NOT_FOUND');
    expect(forums.writes).toBe(writes);
    expect(forums.rows.get(humanities.id)).toEqual(humanities);
    expect(forums.rows.get(youth.id)).toEqual(youth);
  });

  it('when the office retires a forum, then it leaves the public list and comes back when reactivated', async () => {
    const forum = await addForum('企业家讲坛', []);
    await retireForum(deps)(propaganda, forum.id, { version: 1 });

    expect(await codeOf(retireForum(deps)(admin, forum.id, {}))).toBe('FORUM_ALREADY_RETIRED');
    expect(await codeOf(getPublicForum(deps)(forum.id))).toBe('FORUM_NOT_FOUND');
    expect((await listPublicForums(deps)({ pageSize: 10 })).items).toEqual([]);

    await reactivateForum(deps)(admin, forum.id, {});

    expect(await codeOf(reactivateForum(deps)(admin, forum.id, {}))).toBe('FORUM_NOT_RETIRED');
    expect((await getPublicForum(deps)(forum.id)).status).toBe('active');
    expect(auditPayloads(forums.entries).map((entry) => entry.action)).toEqual([
      'forum.create',
      'forum.retire',
      'forum.reactivate',
    ]);
  });

  it('when forums are listed, then the office sees all, a manager only theirs, anyone else none', async () => {
    await addForum('人文讲坛', ['manager-rw']);
    await addForum('青年讲坛', ['manager-qn']);
    const names = async (who: typeof admin) =>
      (await listForums(deps)(who, { pageSize: 10 })).items.map((forum) => forum.name).sort();

    expect(await names(admin)).toEqual(['人文讲坛', '青年讲坛']);
    expect(await names(propaganda)).toEqual(['人文讲坛', '青年讲坛']);
    expect(await names(humanitiesManager)).toEqual(['人文讲坛']);
    expect(await names(education)).toEqual([]);
  });
});
