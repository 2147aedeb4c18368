/**
 * The coverage check: finds the gaps of a subtree for a year and publishes
 * NetworkGapDetected once per gap never reported before. Each gap is stored
 * under its key (kind + subject + year) together with its event, so a rerun,
 * or two checks at once, publish nothing twice. Paired libraries only count
 * as under the standard: the 200-book standard is the pairing programme's.
 *
 * A city admin runs it over REST; the scheduler calls `checkCoverage` with a
 * system actor.
 */
import { actorOf, type AuditActor, type AuditTrail } from '@learning/audit';
import { requireRole, type Principal, Scope } from '@learning/auth';
import { gapDetected } from './events.js';
import { coverageReport, rootOf, type GetCoverageDeps } from './get-coverage.js';
import { gapKey, type GapKind, type ReportedGap, type ReportedGapRepository } from './ports.js';

export interface CheckCoverageDeps extends GetCoverageDeps {
  readonly gaps: ReportedGapRepository;
  readonly audit: AuditTrail;
}

export interface CheckOutcome {
  readonly jurisdictionCode: string;
  readonly year: number;
  /** Gaps found now. */
  readonly gaps: number;
  /** Of those, the ones reported (and published) by this check. */
  readonly newlyReported: number;
}

interface Gap {
  readonly kind: GapKind;
  readonly subjectId: string;
  readonly jurisdictionPath: readonly string[];
}

export function checkCoverage(deps: CheckCoverageDeps) {
  const report = coverageReport(deps);
  return async (
    actor: AuditActor,
    jurisdictionCode: string,
    year?: number,
  ): Promise<CheckOutcome> => {
    const root = await rootOf(deps.jurisdictions, jurisdictionCode);
    const { coverage, pathOf, pairingPlace } = await report(Scope.cityWide(), root, year);
    const at = (code: string | undefined): readonly string[] =>
      (code === undefined ? undefined : pathOf.get(code)) ?? root.path;
    const found: Gap[] = [
      ...coverage.townshipsWithoutSupermarket.map((code) => ({
        kind: 'township_without_supermarket' as const,
        subjectId: code,
        jurisdictionPath: at(code),
      })),
      ...coverage.villagesWithoutLibrary.map((code) => ({
        kind: 'village_without_library' as const,
        subjectId: code,
        jurisdictionPath: at(code),
      })),
      ...coverage.librariesUnderStandard
        .filter((library) => library.paired)
        .map((library) => ({
          kind: 'library_under_standard' as const,
          subjectId: library.libraryId,
          jurisdictionPath: at(library.jurisdictionCode),
        })),
      ...coverage.pairingsWithoutDonationThisYear.map((pairingId) => ({
        kind: 'pairing_without_donation' as const,
        subjectId: pairingId,
        jurisdictionPath: at(pairingPlace.get(pairingId)),
      })),
    ];
    const keyed = found.map((gap) => ({ gap, key: gapKey({ ...gap, year: coverage.year }) }));
    const reported = await deps.gaps.reported(keyed.map(({ key }) => key));
    const now = deps.clock();
    const fresh: ReportedGap[] = keyed
      .filter(({ key }) => !reported.has(key))
      .map(({ gap, key }) => {
        const stored = { ...gap, year: coverage.year };
        return {
          ...stored,
          detectedAt: now,
          events: [
            gapDetected(key, stored, now),
            deps.audit.entry({
              actor,
              action: 'network_gap.report',
              entityType: 'network_gap',
              entityId: key,
              jurisdictionPath: gap.jurisdictionPath,
              before: null,
              after: { kind: gap.kind, subjectId: gap.subjectId, year: coverage.year },
            }),
          ],
        };
      });
    const newlyReported = fresh.length === 0 ? 0 : await deps.gaps.report(fresh);
    return { jurisdictionCode: root.code, year: coverage.year, gaps: found.length, newlyReported };
  };
}

/** The check as a city admin runs it. */
export function checkCoverageBy(deps: CheckCoverageDeps) {
  const check = checkCoverage(deps);
  return (principal: Principal, jurisdictionCode: string, year?: number): Promise<CheckOutcome> => {
    requireRole(principal, 'city_admin');
    return check(actorOf(principal), jurisdictionCode, year);
  };
}

export type CheckCoverage = ReturnType<typeof checkCoverage>;
export type CheckCoverageBy = ReturnType<typeof checkCoverageBy>;
