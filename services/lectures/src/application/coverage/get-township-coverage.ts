/**
 * One township's or street's lecture year for another service (scoring
 * assesses areas on it, over gRPC with a service token, so the whole city):
 * its sessions as the coverage report counts them (scheduled or held, by
 * start, in the city's calendar), the months they fall in, and attendance.
 * Two counts on the township's indexed fields, never a scan of the city.
 */
import { chinaYearOf, domainCall } from '@learning/domain';
import { monthBoundaries, townshipYear, type TownshipYear } from '../../domain/coverage.js';
import type { Jurisdictions } from '../ports.js';
import { coverageJurisdictionNotFound } from './errors.js';
import type { TownshipYearFigures } from './ports.js';

export interface TownshipCoverageDeps {
  readonly jurisdictions: Jurisdictions;
  readonly townshipFigures: TownshipYearFigures;
  readonly clock: () => Date;
}

export interface TownshipCoverage extends TownshipYear {
  readonly townshipCode: string;
  readonly year: number;
  readonly attendance: number;
}

const TOWNSHIP_LEVELS: readonly string[] = ['township', 'street'];

export function getTownshipCoverage(deps: TownshipCoverageDeps) {
  return async (townshipCode: string, requestedYear?: number): Promise<TownshipCoverage> => {
    const year = requestedYear ?? chinaYearOf(deps.clock());
    const boundaries = domainCall(() => monthBoundaries(year));
    const node = (await deps.jurisdictions.find([townshipCode])).get(townshipCode);
    // A village or the city has no figures of this kind: for the caller it is no township at all.
    if (node === undefined || !TOWNSHIP_LEVELS.includes(node.level))
      throw coverageJurisdictionNotFound();
    const from = boundaries[0] as Date;
    const to = boundaries[12] as Date;
    const [rows, attendance] = await Promise.all([
      deps.townshipFigures.sessionsByMonth(townshipCode, boundaries),
      deps.townshipFigures.attendanceIn(townshipCode, from, to),
    ]);
    return { townshipCode, year, ...townshipYear(rows), attendance };
  };
}

export type GetTownshipCoverage = ReturnType<typeof getTownshipCoverage>;
