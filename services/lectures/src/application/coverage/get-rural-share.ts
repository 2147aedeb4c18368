/**
 * The rural share per forum: of a year's sessions (scheduled and held, not
 * cancelled, by start), the share at countryside venues (a venue's setting
 * is fixed when its session is scheduled). The office counts the whole city;
 * an area officer counts the sessions within their subtrees.
 */
import { Scope, type Principal } from '@learning/auth';
import { chinaYearOf, domainCall } from '@learning/domain';
import {
  quarterBoundaries,
  ruralShare,
  ruralSharesByForum,
  type ForumRuralShare,
  type RuralShare,
} from '../../domain/coverage.js';
import { readerScope } from './access.js';
import type { CoverageDeps } from './get-coverage.js';
import type { ForumSummary } from './ports.js';

export interface ForumShare extends ForumRuralShare {
  readonly name: string;
  readonly status: string;
}

export interface RuralShares {
  readonly year: number;
  /** The subtrees counted; null: the whole city. */
  readonly countedWithin: readonly string[] | null;
  readonly forums: readonly ForumShare[];
  readonly total: RuralShare;
}

export function getRuralShare(deps: CoverageDeps) {
  return async (principal: Principal, requestedYear?: number): Promise<RuralShares> => {
    const year = requestedYear ?? chinaYearOf(deps.clock());
    const boundaries = domainCall(() => quarterBoundaries(year));
    const scope = await readerScope(principal, deps.catalogue);
    const reach = Scope.describe(scope);
    const roots = reach.kind === 'within' ? [...reach.roots].sort() : null;
    const forums = await deps.catalogue.forums();
    const ids = forums.map((forum) => forum.id);
    const rows = await deps.figures.sessionsByForum(ids, boundaries[0], boundaries[4], roots);
    const shares = ruralSharesByForum(ids, rows);
    const all = shares.reduce((sum, share) => sum + share.sessions, 0);
    const countryside = shares.reduce((sum, share) => sum + share.countrysideSessions, 0);
    return {
      year,
      countedWithin: roots,
      // One share per forum, in the catalogue's order.
      forums: shares.map((share, index) => {
        const { name, status } = forums[index] as ForumSummary;
        return { ...share, name, status };
      }),
      total: ruralShare(countryside, all),
    };
  };
}

export type GetRuralShare = ReturnType<typeof getRuralShare>;
