/**
 * Townships and streets with no session in the last N months: none started
 * (and not cancelled) since the same China time N calendar months ago. A
 * session scheduled but not started yet does not close a gap; it is shown as
 * the next one.
 */
import type { Principal } from '@learning/auth';
import { domainCall } from '@learning/domain';
import { coverageGaps, monthsBefore } from '../../domain/coverage.js';
import type { Jurisdiction, Jurisdictions } from '../ports.js';
import { readerScope, rootInScope, townshipsUnder, type Township } from './access.js';
import type { CoverageDeps } from './get-coverage.js';
import type { CoverageFigures } from './ports.js';

export interface TownshipGap extends Township {
  readonly townshipCode: string;
  readonly lastSessionAt: Date | null;
  readonly nextSessionAt: Date | null;
}

export interface Gaps {
  readonly jurisdictionCode: string;
  readonly months: number;
  /** Sessions that started after this instant count. */
  readonly since: Date;
  readonly asOf: Date;
  readonly townships: number;
  /** Longest uncovered first (never covered before all). */
  readonly gaps: readonly TownshipGap[];
}

export interface GapDeps {
  readonly jurisdictions: Jurisdictions;
  readonly figures: CoverageFigures;
}

/** The gaps of `root`'s subtree at `now`: one count over the look-back, one over the gapped townships. */
export function findGaps(deps: GapDeps) {
  return async (root: Jurisdiction, months: number, now: Date): Promise<Gaps> => {
    const since = domainCall(() => monthsBefore(now, months));
    const townships = await townshipsUnder(deps.jurisdictions, root);
    const covered = await deps.figures.coveredSince(
      townships.map((township) => township.code),
      since,
      now,
    );
    const uncovered = townships.filter((township) => !covered.has(township.code));
    const history = await deps.figures.historyOf(
      uncovered.map((township) => township.code),
      now,
    );
    const gaps = coverageGaps(
      uncovered.map((township) => ({
        ...township,
        townshipCode: township.code,
        lastSessionAt: history.get(township.code)?.lastSessionAt ?? null,
        nextSessionAt: history.get(township.code)?.nextSessionAt ?? null,
      })),
      since,
    );
    return {
      jurisdictionCode: root.code,
      months,
      since,
      asOf: now,
      townships: townships.length,
      gaps,
    };
  };
}

export interface GapsRequest {
  readonly months?: number;
}

export function getGaps(deps: CoverageDeps & { readonly defaultMonths: number }) {
  const find = findGaps(deps);
  return async (
    principal: Principal,
    jurisdictionCode: string,
    request: GapsRequest = {},
  ): Promise<Gaps> => {
    const months = request.months ?? deps.defaultMonths;
    const now = deps.clock();
    // Checked before any lookup, so a bad look-back is a 400 whoever asks.
    domainCall(() => monthsBefore(now, months));
    const scope = await readerScope(principal, deps.catalogue);
    const root = await rootInScope(deps.jurisdictions, scope, jurisdictionCode);
    return find(root, months, now);
  };
}

export type GetGaps = ReturnType<typeof getGaps>;
