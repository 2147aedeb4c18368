import { AppError } from '@learning/errors';
import type { Principal } from '@learning/auth';
import type { OutboxEntry } from '@learning/events';
import { rejectionOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import type { Jurisdiction, Jurisdictions } from '../../../src/application/ports.js';
import { checkGaps } from '../../../src/application/coverage/check-gaps.js';
import { getCoverage } from '../../../src/application/coverage/get-coverage.js';
import type {
  Catalogue,
  CoverageFigures,
  GapStore,
  ReportedGap,
} from '../../../src/application/coverage/ports.js';
import type { SessionCount } from '../../../src/domain/coverage.js';

const CITY = 'C';
const node = (code: string, level: Jurisdiction['level'], path: string[]): Jurisdiction => ({
  code,
  name: code,
  level,
  path,
});
const tree = [
  node(CITY, 'city', [CITY]),
  node('T1', 'township', [CITY, 'T1']),
  node('S2', 'street', [CITY, 'S2']),
  node('V1', 'village', [CITY, 'T1', 'V1']),
];

const jurisdictions: Jurisdictions = {
  find: (codes) =>
    Promise.resolve(new Map(tree.filter((n) => codes.includes(n.code)).map((n) => [n.code, n]))),
  async *subtree(root, levels = []) {
    await Promise.resolve();
    yield tree.filter(
      (n) => n.path.includes(root) && (levels.length === 0 || levels.includes(n.level)),
    );
  },
};

const catalogue = (departments: string[]): Catalogue => ({
  forums: () => Promise.resolve([]),
  seriesDepartments: () => Promise.resolve(departments),
});

/** Sessions that took place, by township; everything else answered from them. */
function figuresOf(last: Map<string, Date>, rows: SessionCount[] = []): CoverageFigures {
  return {
    sessionsByQuarter: (codes) =>
      Promise.resolve(rows.filter((row) => codes === null || codes.includes(row.townshipCode))),
    attendanceByQuarter: () => Promise.resolve([]),
    coveredSince: (codes, since, now) =>
      Promise.resolve(
        new Set(
          codes.filter((code) => {
            const at = last.get(code);
            return at !== undefined && at > since && at <= now;
          }),
        ),
      ),
    historyOf: (codes) =>
      Promise.resolve(
        new Map(
          codes.map((code) => [
            code,
            { lastSessionAt: last.get(code) ?? null, nextSessionAt: null },
          ]),
        ),
      ),
    categoriesHad: () => Promise.resolve(new Map()),
    sessionsByForum: () => Promise.resolve([]),
  };
}

/** The store as MongoDB keeps it: by identity, one open per township, closed ones kept. */
function memoryGaps() {
  const stored = new Map<string, ReportedGap & { open: boolean; events: readonly OutboxEntry[] }>();
  const store: GapStore = {
    openUnder: (root) =>
      Promise.resolve(
        [...stored.values()].filter((gap) => gap.open && gap.jurisdictionPath.includes(root)),
      ),
    close: (ids) => {
      let closed = 0;
      for (const id of ids) {
        const gap = stored.get(id);
        if (gap?.open === true) {
          gap.open = false;
          closed += 1;
        }
      }
      return Promise.resolve(closed);
    },
    report: (gaps) => {
      let added = 0;
      for (const gap of gaps) {
        const openHere = [...stored.values()].some(
          (other) => other.open && other.townshipCode === gap.townshipCode,
        );
        if (stored.has(gap.id) || openHere) continue;
        stored.set(gap.id, { ...gap, open: true });
        added += 1;
      }
      return Promise.resolve(added);
    },
  };
  return { store, stored };
}

describe('the gap check', () => {
  const DAY = 24 * 60 * 60_000;
  let now = new Date('2026-09-01T00:00:00Z');
  const clock = () => now;

  it('when a township has had no session in the look-back, then its gap is reported once, with its event', async () => {
    const last = new Map([['S2', new Date('2026-08-01T00:00:00Z')]]);
    const gaps = memoryGaps();
    const check = checkGaps({
      jurisdictions,
      figures: figuresOf(last),
      catalogue: catalogue(['xuanchuan-bu']),
      gaps: gaps.store,
      clock,
    });

    expect(await check(CITY, 6)).toEqual({
      jurisdictionCode: CITY,
      months: 6,
      gaps: 1,
      newlyReported: 1,
      closed: 0,
      leadDepartment: 'xuanchuan-bu',
    });
    const [stored] = gaps.stored.values();
    expect(stored).toMatchObject({ id: 'T1@never', townshipCode: 'T1', open: true });
    expect(stored?.events.map((event) => [event.type, event.subject])).toEqual([
      ['lectures.coverage.gap-detected.v1', 'T1'],
    ]);
    expect(stored?.events[0]?.data).toMatchObject({
      townshipCode: 'T1',
      jurisdictionPath: [CITY, 'T1'],
      months: 6,
      leadDepartment: 'xuanchuan-bu',
    });

    expect((await check(CITY, 6)).newlyReported).toBe(0);
    expect(gaps.stored.size).toBe(1);
  });

  it('when a session has taken place in a gapped township, then its gap is closed and the next gap is reported anew', async () => {
    const last = new Map<string, Date>();
    const gaps = memoryGaps();
    now = new Date('2026-09-01T00:00:00Z');
    const check = checkGaps({
      jurisdictions,
      figures: figuresOf(last),
      catalogue: catalogue(['xuanchuan-bu']),
      gaps: gaps.store,
      clock,
    });
    expect((await check(CITY, 6)).newlyReported).toBe(2);

    const held = new Date(now.getTime() - DAY);
    last.set('T1', held);
    expect(await check(CITY, 6)).toMatchObject({ gaps: 1, newlyReported: 0, closed: 1 });
    expect(gaps.stored.get('T1@never')?.open).toBe(false);

    now = new Date(now.getTime() + 200 * DAY);
    expect(await check(CITY, 6)).toMatchObject({ gaps: 2, newlyReported: 1, closed: 0 });
    expect(gaps.stored.get(`T1@${held.toISOString()}`)).toMatchObject({
      open: true,
      lastSessionAt: held,
    });
    expect(gaps.stored.get(`T1@${held.toISOString()}`)?.events[0]?.data).toMatchObject({
      lastSessionAt: held.toISOString(),
    });
  });

  it('when no lecture series exists yet, then gaps are counted but nothing is stored or published', async () => {
    const gaps = memoryGaps();
    const check = checkGaps({
      jurisdictions,
      figures: figuresOf(new Map()),
      catalogue: catalogue([]),
      gaps: gaps.store,
      clock,
    });

    expect(await check(CITY, 6)).toMatchObject({ gaps: 2, newlyReported: 0, leadDepartment: null });
    expect(gaps.stored.size).toBe(0);
  });

  it('when the root is not in the tree, then COVERAGE_JURISDICTION_NOT_FOUND', async () => {
    const check = checkGaps({
      jurisdictions,
      figures: figuresOf(new Map()),
      catalogue: catalogue(['xuanchuan-bu']),
      gaps: memoryGaps().store,
      clock,
    });
    const error = await rejectionOf(check('nowhere', 6));
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('COVERAGE_JURISDICTION_NOT_FOUND');
  });
});

describe('who reads the report', () => {
  const principal = (input: Partial<Principal> & Pick<Principal, 'roles'>): Principal => ({
    subject: 'someone',
    cityWide: false,
    jurisdictions: [],
    organizations: [],
    ...input,
  });
  const report = getCoverage({
    jurisdictions,
    catalogue: catalogue(['xuanchuan-bu']),
    figures: figuresOf(new Map(), [
      { townshipCode: 'T1', quarter: 2, status: 'held', setting: 'countryside', sessions: 3 },
      { townshipCode: 'S2', quarter: 2, status: 'held', setting: 'city', sessions: 1 },
    ]),
    clock: () => new Date('2026-05-01T00:00:00Z'),
  });
  const codeOf = async (promise: Promise<unknown>) =>
    ((await rejectionOf(promise)) as AppError).code;

  it('when the series’ department asks without a city-wide grant, then it still reads the city', async () => {
    const answer = await report(
      principal({ roles: ['department_officer'], department: 'xuanchuan-bu' }),
      CITY,
    );
    expect(answer.year).toBe(2026);
    expect(answer.townships.map((t) => [t.townshipCode, t.setting, t.sessions])).toEqual([
      ['S2', 'city', 1],
      ['T1', 'countryside', 3],
    ]);
    expect(answer.ruralShare).toEqual({ sessions: 4, countrysideSessions: 3, share: 0.75 });
  });

  it('when another department, a participant or an officer outside asks, then each is refused with its code', async () => {
    expect(
      await codeOf(
        report(
          principal({ roles: ['department_officer'], department: 'jiaoyu-ju', cityWide: true }),
          CITY,
        ),
      ),
    ).toBe('COVERAGE_READ_FORBIDDEN');
    expect(await codeOf(report(principal({ roles: ['participant'] }), CITY))).toBe('ROLE_REQUIRED');
    expect(
      await codeOf(report(principal({ roles: ['area_officer'], jurisdictions: ['S2'] }), 'T1')),
    ).toBe('COVERAGE_JURISDICTION_NOT_FOUND');
    expect(
      await codeOf(report(principal({ roles: ['area_officer'], jurisdictions: ['T1'] }), 'V1')),
    ).toBe('COVERAGE_LEVEL_INVALID');
    expect(await codeOf(report(principal({ roles: ['city_admin'] }), CITY, 1999))).toBe(
      'COVERAGE_YEAR_INVALID',
    );
  });

  it('when an area officer asks for their street, then only it is counted', async () => {
    const answer = await report(
      principal({ roles: ['area_officer'], jurisdictions: ['S2'] }),
      'S2',
    );
    expect(answer.townships.map((t) => t.townshipCode)).toEqual(['S2']);
    expect(answer.totals.sessions).toBe(1);
  });
});
