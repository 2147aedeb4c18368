/**
 * Who could lecture where nobody has lately: the gaps of a subtree (as
 * get-gaps finds them) paired with experts of the pool by field (the
 * categories each township has had least of) and travel radius (a
 * city-radius expert never goes to a countryside township), idle experts
 * first (no session in the idle look-back and none coming), then the least
 * busy. The pool is city-wide; only active experts in a wanted field are read.
 */
import type { Principal } from '@learning/auth';
import { domainCall, type ContentCategory } from '@learning/domain';
import {
  assertSuggestionLimit,
  leastCoveredCategories,
  monthsBefore,
  suggestPairings,
  type ExpertLoad,
} from '../../domain/coverage.js';
import { readerScope, rootInScope } from './access.js';
import type { CoverageDeps } from './get-coverage.js';
import { findGaps, type TownshipGap } from './get-gaps.js';
import type { ExpertPool, ExpertProfile, SpeakerLoad } from './ports.js';

export const DEFAULT_SUGGESTIONS = 20;

export interface SuggestionsRequest {
  readonly months?: number;
  /** The look-back an expert counts as idle over; default: `months`. */
  readonly idleMonths?: number;
  readonly limit?: number;
}

export interface SuggestedTownship extends TownshipGap {
  readonly wantedCategories: readonly ContentCategory[];
}

export interface SuggestedExpert extends ExpertProfile, ExpertLoad {}

export interface Suggestion {
  readonly rank: number;
  readonly township: SuggestedTownship;
  readonly expert: SuggestedExpert;
  readonly idle: boolean;
  readonly matchedFields: readonly ContentCategory[];
}

export interface Suggestions {
  readonly jurisdictionCode: string;
  readonly months: number;
  readonly idleMonths: number;
  readonly asOf: Date;
  readonly gaps: number;
  readonly suggestions: readonly Suggestion[];
  /** Uncovered townships considered that no expert left fits, by field or radius. */
  readonly unmatched: readonly SuggestedTownship[];
}

export interface SuggestionDeps extends CoverageDeps {
  readonly experts: ExpertPool;
  readonly defaultMonths: number;
}

export function getSuggestions(deps: SuggestionDeps) {
  const find = findGaps(deps);
  return async (
    principal: Principal,
    jurisdictionCode: string,
    request: SuggestionsRequest = {},
  ): Promise<Suggestions> => {
    const months = request.months ?? deps.defaultMonths;
    const idleMonths = request.idleMonths ?? months;
    const limit = request.limit ?? DEFAULT_SUGGESTIONS;
    const now = deps.clock();
    const idleSince = domainCall(() => {
      monthsBefore(now, months);
      assertSuggestionLimit(limit);
      return monthsBefore(now, idleMonths);
    });
    const scope = await readerScope(principal, deps.catalogue);
    const root = await rootInScope(deps.jurisdictions, scope, jurisdictionCode);
    const { gaps } = await find(root, months, now);
    const had = await deps.figures.categoriesHad(
      gaps.map((gap) => gap.townshipCode),
      now,
    );
    const townships: SuggestedTownship[] = gaps.map((gap) => ({
      ...gap,
      wantedCategories: leastCoveredCategories(had.get(gap.townshipCode) ?? {}),
    }));
    const wanted = [...new Set(townships.flatMap((township) => township.wantedCategories))];
    const [profiles, load] =
      wanted.length === 0
        ? [[], new Map<string, SpeakerLoad>()]
        : await Promise.all([
            deps.experts.activeIn(wanted),
            deps.experts.loadSince(idleSince, now),
          ]);
    const experts: SuggestedExpert[] = profiles.map((profile) => ({
      ...profile,
      recentSessions: load.get(profile.expertId)?.recent ?? 0,
      upcomingSessions: load.get(profile.expertId)?.upcoming ?? 0,
    }));
    const { pairings, unmatched } = domainCall(() => suggestPairings(townships, experts, limit));
    return {
      jurisdictionCode: root.code,
      months,
      idleMonths,
      asOf: now,
      gaps: gaps.length,
      suggestions: pairings.map(({ rank, township, expert, idle, matchedFields }) => ({
        rank,
        township,
        expert,
        idle,
        matchedFields,
      })),
      unmatched,
    };
  };
}

export type GetSuggestions = ReturnType<typeof getSuggestions>;
