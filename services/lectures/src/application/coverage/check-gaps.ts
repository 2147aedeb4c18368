/**
 * The periodic gap check: finds the gaps of a subtree and publishes
 * CoverageGapDetected once per gap. A gap is stored under its identity
 * (township + the last session before it) with its event, so a rerun or a
 * second replica stores and publishes nothing twice; an open gap whose
 * township has had a session since is closed, and the township's next gap,
 * after that session, has another identity and is published again.
 */
import { lectureEvents } from '@learning/contracts';
import { newEvent, type OutboxEntry } from '@learning/events';
import { gapIdentity } from '../../domain/coverage.js';
import type { Jurisdictions } from '../ports.js';
import { coverageJurisdictionNotFound } from './errors.js';
import { findGaps } from './get-gaps.js';
import type { Catalogue, CoverageFigures, GapStore, ReportedGap } from './ports.js';

export interface CheckGapsDeps {
  readonly jurisdictions: Jurisdictions;
  readonly figures: CoverageFigures;
  readonly catalogue: Catalogue;
  readonly gaps: GapStore;
  readonly clock: () => Date;
}

export interface CheckOutcome {
  readonly jurisdictionCode: string;
  readonly months: number;
  /** Gaps found now. */
  readonly gaps: number;
  /** Of those, the ones stored and published by this check. */
  readonly newlyReported: number;
  /** Open gaps closed by a session held since. */
  readonly closed: number;
  /** The department the events are routed to; null when no series exists yet (nothing is reported). */
  readonly leadDepartment: string | null;
}

export function gapDetected(gap: ReportedGap, leadDepartment: string): OutboxEntry {
  // Keyed by township: one township's gaps stay in order on one partition.
  return newEvent(lectureEvents.CoverageGapDetected, gap.townshipCode, {
    townshipCode: gap.townshipCode,
    jurisdictionPath: [...gap.jurisdictionPath],
    months: gap.months,
    ...(gap.lastSessionAt === null ? {} : { lastSessionAt: gap.lastSessionAt }),
    leadDepartment,
    detectedAt: gap.detectedAt,
  });
}

export function checkGaps(deps: CheckGapsDeps) {
  const find = findGaps(deps);
  return async (rootCode: string, months: number): Promise<CheckOutcome> => {
    const root = (await deps.jurisdictions.find([rootCode])).get(rootCode);
    if (root === undefined) throw coverageJurisdictionNotFound();
    const now = deps.clock();
    const [{ gaps }, departments] = await Promise.all([
      find(root, months, now),
      deps.catalogue.seriesDepartments(),
    ]);
    const leadDepartment = departments[0] ?? null;
    const outcome = { jurisdictionCode: root.code, months, gaps: gaps.length, leadDepartment };
    // Without a lecture series there is no programme to cover and no department to tell.
    if (leadDepartment === null) return { ...outcome, newlyReported: 0, closed: 0 };
    const found = new Map(
      gaps.map((gap) => [
        gapIdentity(gap.townshipCode, gap.lastSessionAt),
        {
          id: gapIdentity(gap.townshipCode, gap.lastSessionAt),
          townshipCode: gap.townshipCode,
          jurisdictionPath: gap.path,
          months,
          lastSessionAt: gap.lastSessionAt,
          detectedAt: now,
        },
      ]),
    );
    const open = await deps.gaps.openUnder(root.code);
    // Closed first: a township's next gap is stored only once its earlier one is closed.
    const closed = await deps.gaps.close(
      open.filter((gap) => !found.has(gap.id)).map((gap) => gap.id),
      now,
    );
    const openIds = new Set(open.map((gap) => gap.id));
    const fresh = [...found.values()]
      .filter((gap) => !openIds.has(gap.id))
      .map((gap) => ({ ...gap, events: [gapDetected(gap, leadDepartment)] }));
    const newlyReported = fresh.length === 0 ? 0 : await deps.gaps.report(fresh);
    return { ...outcome, newlyReported, closed };
  };
}

export type CheckGaps = ReturnType<typeof checkGaps>;
