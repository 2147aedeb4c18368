/**
 * The office's coverage of the learning network over a jurisdiction's
 * subtree: every township/street and village/community comes from
 * registration (streamed), the places and pairings from this service's
 * store, and the gaps from the domain's rule. Officers see coverage within
 * their scope (404 outside it); other services (gRPC) see the whole city.
 */
import { type Principal, Scope, scopeAllows } from '@learning/auth';
import { chinaYearOf } from '@learning/domain';
import { coverageGaps, type CoverageGaps } from '../../domain/library-standard.js';
import type { Jurisdiction, JurisdictionLevel, Jurisdictions } from '../ports.js';
import { readerScopeRequired } from './access.js';
import { jurisdictionNotFound, NETWORK_YEAR_INVALID, networkErrors } from './errors.js';
import type { PairingRepository, PlaceRepository } from './ports.js';

const COVERED_LEVELS: readonly JurisdictionLevel[] = ['township', 'street', 'village', 'community'];
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

export interface Coverage extends CoverageGaps {
  readonly jurisdictionCode: string;
  readonly year: number;
  readonly townships: number;
  readonly villages: number;
  readonly supermarkets: number;
  readonly libraries: number;
  /** Libraries in the subtree with at least one pairing: what "paired libraries under the standard" is out of. */
  readonly pairedLibraries: number;
  /** Pairings whose library is in the subtree: what "pairings without a donation" is out of. */
  readonly pairings: number;
}

/** Coverage with what a check needs to place each gap in the tree. */
export interface CoverageReport {
  readonly coverage: Coverage;
  /** Path of every node of the subtree, by code. */
  readonly pathOf: ReadonlyMap<string, readonly string[]>;
  /** The jurisdiction code of each pairing's library, by pairing id. */
  readonly pairingPlace: ReadonlyMap<string, string>;
}

export interface GetCoverageDeps {
  readonly jurisdictions: Jurisdictions;
  readonly places: PlaceRepository;
  readonly pairings: PairingRepository;
  readonly clock: () => Date;
}

function yearOf(requested: number | undefined, now: Date): number {
  const year = requested ?? chinaYearOf(now);
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR)
    throw networkErrors.error(
      NETWORK_YEAR_INVALID,
      `The year must be from ${MIN_YEAR} to ${MAX_YEAR}.`,
      { details: [{ field: '/year', message: 'is out of range' }] },
    );
  return year;
}

/** The report over `root`'s subtree as seen within `scope`. */
export function coverageReport(deps: GetCoverageDeps) {
  return async (
    scope: Scope,
    root: Jurisdiction,
    requestedYear?: number,
  ): Promise<CoverageReport> => {
    const year = yearOf(requestedYear, deps.clock());
    const nodes: Jurisdiction[] = [];
    const [, places, pairings] = await Promise.all([
      (async () => {
        for await (const page of deps.jurisdictions.subtree(root.code, COVERED_LEVELS))
          nodes.push(...page);
      })(),
      deps.places.figuresUnder(scope, root.code),
      deps.pairings.figuresUnder(scope, root.code),
    ]);
    const pathOf = new Map(nodes.map((node) => [node.code, node.path]));
    const supermarkets = places.filter(
      (place) => place.kind === 'knowledge_supermarket' && pathOf.has(place.jurisdictionCode),
    );
    const libraries = places.filter(
      (place) => place.kind === 'farmhouse_library' && pathOf.has(place.jurisdictionCode),
    );
    const libraryPlace = new Map(
      libraries.map((library) => [library.id, library.jurisdictionCode]),
    );
    const pairingPlace = new Map<string, string>();
    const pairedLibraries = new Set<string>();
    for (const pairing of pairings) {
      const code = libraryPlace.get(pairing.libraryId);
      if (code === undefined) continue;
      pairingPlace.set(pairing.id, code);
      pairedLibraries.add(pairing.libraryId);
    }
    const gaps = coverageGaps({
      jurisdictions: nodes,
      supermarkets,
      libraries,
      pairings,
      donations: libraries.flatMap((library) => library.donations),
      year,
      scopeCode: root.code,
    });
    const count = (levels: readonly JurisdictionLevel[]) =>
      nodes.filter((node) => levels.includes(node.level)).length;
    return {
      coverage: {
        jurisdictionCode: root.code,
        year,
        townships: count(['township', 'street']),
        villages: count(['village', 'community']),
        supermarkets: supermarkets.length,
        libraries: libraries.length,
        pairedLibraries: pairedLibraries.size,
        pairings: pairingPlace.size,
        ...gaps,
      },
      pathOf,
      pairingPlace,
    };
  };
}

/** The node `code` names; NETWORK_JURISDICTION_NOT_FOUND when the tree has none. */
export async function rootOf(jurisdictions: Jurisdictions, code: string): Promise<Jurisdiction> {
  const root = (await jurisdictions.find([code])).get(code);
  if (root === undefined) throw jurisdictionNotFound();
  return root;
}

/** An officer's view: NETWORK_JURISDICTION_NOT_FOUND for a jurisdiction outside their scope. */
export function getCoverage(deps: GetCoverageDeps) {
  const report = coverageReport(deps);
  return async (
    principal: Principal,
    jurisdictionCode: string,
    year?: number,
  ): Promise<Coverage> => {
    const scope = readerScopeRequired(principal);
    const root = await rootOf(deps.jurisdictions, jurisdictionCode);
    if (!scopeAllows(scope, root.path)) throw jurisdictionNotFound();
    return (await report(scope, root, year)).coverage;
  };
}

/** Another service's view (gRPC): the whole city. */
export function getCoverageForService(deps: GetCoverageDeps) {
  const report = coverageReport(deps);
  return async (jurisdictionCode: string, year?: number): Promise<Coverage> => {
    const root = await rootOf(deps.jurisdictions, jurisdictionCode);
    return (await report(Scope.cityWide(), root, year)).coverage;
  };
}

export type GetCoverage = ReturnType<typeof getCoverage>;
export type GetCoverageForService = ReturnType<typeof getCoverageForService>;
