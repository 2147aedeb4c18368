import type { Principal } from '@learning/auth';
import { describe, expect, it } from 'vitest';
import type { IndicatorSystemReader } from '../../../src/application/evaluation/ports.js';
import type { Place, Places } from '../../../src/application/funding/ports.js';
import {
  exportRankings,
  type RankingRow,
} from '../../../src/application/rankings/export-rankings.js';
import type {
  RankedAssessment,
  RankingScope,
  RankingSource,
} from '../../../src/application/rankings/ports.js';

const principal = (overrides: Partial<Principal>): Principal => ({
  subject: 'someone',
  roles: [],
  cityWide: false,
  jurisdictions: [],
  organizations: [],
  ...overrides,
});

const ranked = (name: string, score: number, townshipCode: string | null): RankedAssessment => ({
  subjectId: name,
  name,
  townshipCode,
  score,
  passed: score >= 6000,
  status: score > 9000 ? 'locked' : 'provisional',
  indicatorScores: new Map([['training', score]]),
});

/** A source that records the scope it was asked with and answers the rows given, counting how many were read. */
function fakeSource(rows: readonly RankedAssessment[]) {
  const asked: RankingScope[] = [];
  let read = 0;
  const source: RankingSource = {
    async *read(_year, _target, scope) {
      asked.push(scope);
      for (const row of rows) {
        read += 1;
        await Promise.resolve();
        yield row;
      }
    },
  };
  return { source, asked, read: () => read };
}

const systems: IndicatorSystemReader = {
  forTarget: () =>
    Promise.resolve({
      id: 'system',
      year: 2026,
      target: 'enterprise',
      name: '企业',
      version: 1,
      passMark: 6000,
      indicators: [
        {
          key: 'training',
          name: '职工培训',
          weight: 5000,
          method: { kind: 'yes_no', metric: 'members' },
        },
        { key: 'spend', name: '经费', weight: 5000, method: { kind: 'yes_no', metric: 'members' } },
      ],
    } as unknown as Awaited<ReturnType<IndicatorSystemReader['forTarget']>>),
  atVersion: () => Promise.resolve(undefined),
  freeze: () => Promise.resolve(),
};

/** Knows one township; records how many lookups were made. */
function fakePlaces() {
  const lookups: (readonly string[])[] = [];
  const places: Places = {
    find: (codes) => {
      lookups.push(codes);
      const known: [string, Place][] = codes.includes('330281001000')
        ? [['330281001000', { code: '330281001000', name: '第1街道', path: [] }]]
        : [];
      return Promise.resolve(new Map(known));
    },
  };
  return { places, lookups };
}

const collect = async (rows: AsyncIterable<RankingRow>): Promise<RankingRow[]> => {
  const all: RankingRow[] = [];
  for await (const row of rows) all.push(row);
  return all;
};

describe('exporting the rankings', () => {
  it('when the office exports, then rows are ranked with ties sharing, townships named, indicators in the system’s order', async () => {
    const { source, asked } = fakeSource([
      ranked('甲', 9500, '330281001000'),
      ranked('乙', 9500, '330281002000'),
      ranked('丙', 5000, null),
    ]);
    const { places } = fakePlaces();
    const table = await exportRankings({
      source,
      systems,
      places,
      clock: () => new Date('2026-12-06T17:00:00Z'),
    })(principal({ roles: ['city_admin'], cityWide: true }), 2026, 'enterprise');

    expect(table.title).toBe('2026年度学习型组织评估排名（学习型企业）');
    expect(table.issuedOn).toBe('2026-12-07');
    expect(table.indicators.map(({ name }) => name)).toEqual(['职工培训', '经费']);
    expect(await collect(table.rows)).toEqual([
      {
        rank: 1,
        name: '甲',
        area: '第1街道',
        score: '95.00',
        pass: '达标',
        status: '已锁定',
        indicatorScores: ['95.00', ''],
      },
      {
        rank: 1,
        name: '乙',
        area: '330281002000',
        score: '95.00',
        pass: '达标',
        status: '已锁定',
        indicatorScores: ['95.00', ''],
      },
      {
        rank: 3,
        name: '丙',
        area: '',
        score: '50.00',
        pass: '未达标',
        status: '暂定',
        indicatorScores: ['50.00', ''],
      },
    ]);
    expect(asked).toEqual([{}]);
  });

  it('when officers export, then the scope is their department’s kinds or their areas; the areas’ table is not a department’s', async () => {
    const { source, asked } = fakeSource([]);
    const run = exportRankings({
      source,
      systems,
      places: fakePlaces().places,
      clock: () => new Date(),
    });

    await collect(
      (
        await run(
          principal({ roles: ['department_officer'], department: 'jingmao-ju', cityWide: true }),
          2026,
          'enterprise',
        )
      ).rows,
    );
    await collect(
      (
        await run(
          principal({ roles: ['area_officer'], jurisdictions: ['330281001000'] }),
          2026,
          'area',
        )
      ).rows,
    );

    expect(asked).toEqual([{ leadDepartment: 'jingmao-ju' }, { within: ['330281001000'] }]);
    await expect(
      run(principal({ roles: ['department_officer'], department: 'jingmao-ju' }), 2026, 'area'),
    ).rejects.toMatchObject({ code: 'RANKING_NOT_PERMITTED' });
    await expect(run(principal({ roles: ['area_officer'] }), 2026, 'area')).rejects.toMatchObject({
      code: 'RANKING_NOT_PERMITTED',
    });
  });

  it('when a year has more rows than a batch, then townships are looked up once per batch, not per row', async () => {
    const rows = Array.from({ length: 1_200 }, (_, index) =>
      ranked(`单位${String(index)}`, 10_000 - index, '330281001000'),
    );
    const { source } = fakeSource(rows);
    const { places, lookups } = fakePlaces();
    const table = await exportRankings({ source, systems, places, clock: () => new Date() })(
      principal({ roles: ['city_admin'] }),
      2026,
      'enterprise',
    );

    const printed = await collect(table.rows);

    expect(printed).toHaveLength(1_200);
    expect(printed.at(-1)?.rank).toBe(1_200);
    // The first batch learns the township; later batches have nothing new to ask.
    expect(lookups.filter((codes) => codes.length > 0)).toEqual([['330281001000']]);
  });
});
