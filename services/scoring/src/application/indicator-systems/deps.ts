/** What the indicator systems use cases share: the store, the public pages, the audit trail and the clock. */
import type { AuditTrail } from '@learning/audit';
import { chinaDateOf } from '@learning/domain';
import { AppError } from '@learning/errors';
import { systemNotFound, yearInvalid } from './errors.js';
import type {
  IndicatorSystemRepository,
  PublicSystemPages,
  StoredIndicatorSystem,
} from './ports.js';

export interface IndicatorSystemsDeps {
  readonly systems: IndicatorSystemRepository;
  readonly publicPages: PublicSystemPages;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
}

/** The first year the platform keeps systems for: nothing was assessed on it earlier. */
export const FIRST_YEAR = 2000;

/** Refuses a year outside 2000 to next year (city calendar): next year's system is prepared in advance, no further. */
export function assertYearOpen(year: number, now: Date): void {
  const nextYear = Number(chinaDateOf(now).slice(0, 4)) + 1;
  if (!Number.isInteger(year) || year < FIRST_YEAR || year > nextYear) throw yearInvalid(nextYear);
}

/** The system as stored, at the version the caller read when they name one. */
export async function systemAt(
  systems: IndicatorSystemRepository,
  id: string,
  expectedVersion: number | undefined,
): Promise<StoredIndicatorSystem> {
  const system = await systems.get(id);
  if (system === null) throw systemNotFound();
  if (expectedVersion !== undefined && expectedVersion !== system.version)
    throw new AppError(
      'aborted',
      'VERSION_CONFLICT',
      'The indicator system was changed by someone else; reload it and try again.',
    );
  return system;
}
