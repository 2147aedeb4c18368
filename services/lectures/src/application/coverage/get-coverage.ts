/**
 * The coverage report: sessions (scheduled and held, not cancelled, by
 * start) and attendance per township or street per quarter of a year, with
 * totals and the rural share, over a jurisdiction's subtree. Two grouped
 * counts from the store; the tree from registration.
 */
import type { Principal } from '@learning/auth';
import { chinaYearOf, domainCall } from '@learning/domain';
import {
  coverageGrid,
  quarterBoundaries,
  type CoverageGrid,
  type TownshipFigures,
} from '../../domain/coverage.js';
import type { Jurisdictions } from '../ports.js';
import { readerScope, rootInScope, townshipsUnder, type Township } from './access.js';
import type { Catalogue, CoverageFigures } from './ports.js';

export interface CoverageDeps {
  readonly jurisdictions: Jurisdictions;
  readonly catalogue: Catalogue;
  readonly figures: CoverageFigures;
  readonly clock: () => Date;
}

export interface CoverageReport extends Omit<CoverageGrid, 'townships'> {
  readonly jurisdictionCode: string;
  readonly year: number;
  /** Where each quarter begins, then where the year ends. */
  readonly quarterBoundaries: readonly Date[];
  readonly townships: readonly (TownshipFigures & Omit<Township, 'code' | 'path'>)[];
}

export function getCoverage(deps: CoverageDeps) {
  return async (
    principal: Principal,
    jurisdictionCode: string,
    requestedYear?: number,
  ): Promise<CoverageReport> => {
    const year = requestedYear ?? chinaYearOf(deps.clock());
    const boundaries = domainCall(() => quarterBoundaries(year));
    const scope = await readerScope(principal, deps.catalogue);
    const root = await rootInScope(deps.jurisdictions, scope, jurisdictionCode);
    const townships = await townshipsUnder(deps.jurisdictions, root);
    const codes = townships.map((township) => township.code);
    // The city's report counts every township: one range over the year, not a seek per township.
    const asked = root.level === 'city' ? null : codes;
    const [sessions, attendance] = await Promise.all([
      deps.figures.sessionsByQuarter(asked, boundaries),
      deps.figures.attendanceByQuarter(asked, boundaries),
    ]);
    const grid = coverageGrid(codes, sessions, attendance);
    return {
      jurisdictionCode: root.code,
      year,
      quarterBoundaries: boundaries,
      ...grid,
      townships: grid.townships.map((figures, index) => {
        const township = townships[index] as Township;
        return { ...figures, name: township.name, setting: township.setting };
      }),
    };
  };
}

export type GetCoverage = ReturnType<typeof getCoverage>;
