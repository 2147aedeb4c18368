import { AppError } from '@learning/errors';
import type { activities, lectures } from '@learning/proto';
import { captureLogger } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import {
  lectureReadings,
  lecturesGatherer,
  type TownshipCoverageLookup,
} from '../../../src/adapters/evaluation/lectures-gatherer.js';
import {
  networkGatherer,
  networkReadings,
  type CoverageLookup,
} from '../../../src/adapters/evaluation/network-gatherer.js';
import type { SubjectCard } from '../../../src/application/evaluation/ports.js';

const T1 = '330281001000';
const T2 = '330281002000';

const area = (code: string): SubjectCard => ({
  subjectKind: 'area',
  subjectId: code,
  name: code,
  organizationKind: null,
  leadDepartment: null,
  jurisdictionPath: ['330281000000', code],
});

const coverageOf = (overrides: Partial<activities.Coverage> = {}): activities.Coverage => ({
  jurisdictionCode: T1,
  year: 2026,
  townships: 1,
  villages: 4,
  supermarkets: 1,
  libraries: 3,
  townshipsWithoutSupermarket: [],
  villagesWithoutLibrary: ['330281001004'],
  librariesUnderStandard: ['thin'],
  pairingsWithoutDonation: ['p-2'],
  pairedLibraries: 2,
  pairings: 3,
  ...overrides,
});

const valueOf = (readings: readonly { metric: string; value: number }[], metric: string) =>
  readings.find((reading) => reading.metric === metric)?.value;

describe('the learning network’s readings of an area', () => {
  it('when the township has its supermarket, libraries and pairings, then each figure is the count less its gap list', () => {
    const readings = networkReadings(T1, coverageOf());
    expect(Object.fromEntries(readings.map((r) => [r.metric, r.value]))).toEqual({
      supermarket: 1,
      villages: 4,
      villages_with_library: 3,
      paired_libraries: 2,
      libraries_at_standard: 1,
      pairings_with_donation: 2,
    });
    expect(readings.every((reading) => reading.source === 'activities')).toBe(true);
  });

  it('when the township is listed without a supermarket or has none, then the supermarket is no', () => {
    expect(
      valueOf(
        networkReadings(T1, coverageOf({ townshipsWithoutSupermarket: [T1] })),
        'supermarket',
      ),
    ).toBe(0);
    expect(valueOf(networkReadings(T1, coverageOf({ supermarkets: 0 })), 'supermarket')).toBe(0);
  });

  it('when a gap list is longer than its count (an unpaired library under the standard), then the figure stays at 0', () => {
    const readings = networkReadings(
      T1,
      coverageOf({ pairedLibraries: 0, pairings: 0, librariesUnderStandard: ['x'] }),
    );
    expect(valueOf(readings, 'libraries_at_standard')).toBe(0);
    expect(valueOf(readings, 'pairings_with_donation')).toBe(0);
  });
});

describe('the lectures’ readings of an area', () => {
  it('when a township had sessions in two months, then sessions and months covered are read, with what was held', () => {
    const coverage: lectures.TownshipCoverage = {
      townshipCode: T1,
      year: 2026,
      sessions: 3,
      heldSessions: 2,
      monthsCovered: [1, 8],
      attendance: 40,
    };
    expect(lectureReadings(coverage)).toEqual([
      {
        metric: 'lecture_sessions',
        value: 3,
        source: 'lectures',
        detail: '已举办 2 场，听众 40 人次',
      },
      { metric: 'lecture_months_covered', value: 2, source: 'lectures', detail: '1、8 月' },
    ]);
  });
});

describe('gathering a page of areas', () => {
  it('when one area’s call fails, then that area alone has no readings and a warning names it without failing the page', async () => {
    const asked: string[] = [];
    const client: CoverageLookup = {
      call: {
        getCoverage: (request) => {
          asked.push(`${request.jurisdictionCode}/${request.year}`);
          if (request.jurisdictionCode === T2)
            return Promise.reject(new AppError('unavailable', 'UPSTREAM_UNAVAILABLE', 'down'));
          return Promise.resolve({ coverage: coverageOf({ jurisdictionCode: T1 }) });
        },
      },
    };
    const log = captureLogger();
    const organization: SubjectCard = {
      ...area('org-1'),
      subjectKind: 'organization',
      organizationKind: 'enterprise',
    };
    const readings = await networkGatherer(client, log.logger).gather(
      2026,
      [area(T1), area(T2), organization],
      ['supermarket', 'villages'],
    );
    expect(asked.sort()).toEqual([`${T1}/2026`, `${T2}/2026`]);
    expect([...readings.keys()]).toEqual([T1]);
    expect(readings.get(T1)?.map((reading) => reading.metric)).toEqual(['supermarket', 'villages']);
    const warning = log.lines.find((line) => line['areaCode'] === T2);
    expect(warning).toMatchObject({
      source: 'activities',
      code: 'UPSTREAM_UNAVAILABLE',
      year: 2026,
    });
  });

  it('when the lectures answer without coverage or with it, then only the answered area is read, many areas a few at a time', async () => {
    let inFlight = 0;
    let most = 0;
    const codes = Array.from({ length: 20 }, (_, index) => `3302810${String(index + 10)}000`);
    const client: TownshipCoverageLookup = {
      call: {
        getTownshipCoverage: async (request) => {
          inFlight += 1;
          most = Math.max(most, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 1));
          inFlight -= 1;
          if (request.townshipCode === codes[0]) return {};
          return {
            coverage: {
              townshipCode: request.townshipCode,
              year: request.year,
              sessions: 1,
              heldSessions: 1,
              monthsCovered: [3],
              attendance: 5,
            },
          };
        },
      },
    };
    const log = captureLogger();
    const readings = await lecturesGatherer(client, log.logger).gather(2026, codes.map(area), [
      'lecture_months_covered',
    ]);
    expect(readings.size).toBe(19);
    expect(readings.has(codes[0] as string)).toBe(false);
    expect(readings.get(codes[1] as string)).toEqual([
      { metric: 'lecture_months_covered', value: 1, source: 'lectures', detail: '3 月' },
    ]);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(8);
    expect(log.lines.some((line) => line['areaCode'] === codes[0])).toBe(true);
  });

  it('when none of the gatherer’s metrics is asked, then no call is made', async () => {
    const client: TownshipCoverageLookup = {
      call: { getTownshipCoverage: () => Promise.reject(new Error('not to be called')) },
    };
    const readings = await lecturesGatherer(client, captureLogger().logger).gather(
      2026,
      [area(T1)],
      [],
    );
    expect(readings.size).toBe(0);
  });
});
