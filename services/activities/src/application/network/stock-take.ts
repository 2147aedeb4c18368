/**
 * New holdings for a place, as opening it or a stock-take sets them: their
 * total and, for a library, the day it first reaches the standard (the
 * domain's rule), with the milestone event when that day is today.
 */
import { chinaDateOf, domainCall, type CalendarDate } from '@learning/domain';
import type { OutboxEntry } from '@learning/events';
import { totalBooks, updateHoldings } from '../../domain/library-standard.js';
import { standardReached } from './events.js';
import type { CategoryCounts, StoredPlace } from './ports.js';

export interface StockTake {
  readonly holdings: CategoryCounts;
  readonly totalBooks: number;
  readonly standardReachedOn: CalendarDate | null;
  /** LibraryStandardReached when these holdings first take the library to the standard. */
  readonly events: readonly OutboxEntry[];
}

export function stockTake(
  place: Pick<
    StoredPlace,
    'id' | 'kind' | 'jurisdictionCode' | 'jurisdictionPath' | 'keeper' | 'standardReachedOn'
  >,
  holdings: CategoryCounts,
  now: Date,
): StockTake {
  const updated = domainCall(() =>
    updateHoldings(
      {
        id: place.id,
        jurisdictionCode: place.jurisdictionCode,
        keeperId: place.keeper?.subject ?? null,
        holdings,
        standardReachedOn: place.standardReachedOn,
      },
      holdings,
      chinaDateOf(now),
    ),
  );
  const total = totalBooks(holdings);
  if (place.kind !== 'farmhouse_library')
    return { holdings: { ...holdings }, totalBooks: total, standardReachedOn: null, events: [] };
  return {
    holdings: { ...holdings },
    totalBooks: total,
    standardReachedOn: updated.library.standardReachedOn,
    events: updated.standardReached === null ? [] : [standardReached(place, total, now)],
  };
}
