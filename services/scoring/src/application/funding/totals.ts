/** The year's money by source, purpose and township: the office and department officers city-wide, area officers their area. */
import { mayActIn, type Principal } from '@learning/auth';
import { shapeTotals, type FundingTotals } from '../../domain/funding.js';
import { jurisdictionUnknown, outOfScope } from './errors.js';
import type { FundingTotalsReader, Places } from './ports.js';
import { readsCityWide } from './receipts.js';

export type ReadTotals = (
  principal: Principal,
  year: number,
  jurisdictionCode: string | undefined,
) => Promise<FundingTotals>;

export const readTotals =
  ({ totals, places }: { totals: FundingTotalsReader; places: Places }): ReadTotals =>
  async (principal, year, jurisdictionCode) => {
    if (jurisdictionCode === undefined) {
      // An area officer's totals are their area's: the city's would show others' receipts.
      if (!readsCityWide(principal)) throw outOfScope();
    } else {
      const place = (await places.find([jurisdictionCode])).get(jurisdictionCode);
      if (place === undefined) throw jurisdictionUnknown();
      if (!readsCityWide(principal) && !mayActIn(principal, place.path)) throw outOfScope();
    }
    const raw = await totals.totals({
      year,
      ...(jurisdictionCode === undefined ? {} : { jurisdictionCode }),
    });
    const names = await places.find(raw.byArea.map(({ code }) => code));
    return shapeTotals(raw, new Map([...names].map(([code, place]) => [code, place.name])));
  };
