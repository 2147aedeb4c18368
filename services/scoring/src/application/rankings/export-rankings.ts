/**
 * The year's ranking table of one target as the office hands it to the
 * leadership: ranks (ties share one) among the rows the reader reaches,
 * names, townships by name, scores, 达标 or not, locked or provisional, and
 * each indicator's score. Rows are produced as they are read.
 */
import { hasRole, type Principal } from '@learning/auth';
import { chinaDateOf } from '@learning/domain';
import { formatHundredths, type SystemTarget } from '../../domain/evaluation.js';
import {
  FAIL_LABEL,
  LOCKED_LABEL,
  PASS_LABEL,
  PROVISIONAL_LABEL,
  Ranker,
  rankingTitle,
} from '../../domain/rankings.js';
import type { IndicatorSystemReader } from '../evaluation/ports.js';
import { isOffice } from '../evaluation/access.js';
import type { Places } from '../funding/ports.js';
import { rankingNotPermitted } from './errors.js';
import type { RankedAssessment, RankingScope, RankingSource } from './ports.js';

export interface RankingColumn {
  readonly key: string;
  readonly name: string;
}

export interface RankingRow {
  readonly rank: number;
  readonly name: string;
  readonly area: string;
  /** "87.25". */
  readonly score: string;
  readonly pass: string;
  readonly status: string;
  /** In the order of `indicators`; empty where the subject's result has no such indicator. */
  readonly indicatorScores: readonly string[];
}

export interface RankingTable {
  readonly year: number;
  readonly target: SystemTarget;
  readonly title: string;
  /** The city date it was made. */
  readonly issuedOn: string;
  readonly indicators: readonly RankingColumn[];
  readonly rows: AsyncIterable<RankingRow>;
}

export interface RankingDeps {
  readonly source: RankingSource;
  readonly systems: IndicatorSystemReader;
  readonly places: Places;
  readonly clock: () => Date;
}

/** Township names are looked up for this many rows at once. */
const NAME_BATCH = 500;

export type ExportRankings = (
  principal: Principal,
  year: number,
  target: SystemTarget,
) => Promise<RankingTable>;

export const exportRankings =
  ({ source, systems, places, clock }: RankingDeps): ExportRankings =>
  async (principal, year, target) => {
    const scope = scopeOf(principal, target);
    const system = await systems.forTarget(year, target);
    const indicators = (system?.indicators ?? []).map(({ key, name }) => ({ key, name }));
    return {
      year,
      target,
      title: rankingTitle(year, target),
      issuedOn: chinaDateOf(clock()),
      indicators,
      rows: printed(source.read(year, target, scope), indicators, places),
    };
  };

/** The office reads every row; a department officer the kinds their department leads; an area officer their areas. */
function scopeOf(principal: Principal, target: SystemTarget): RankingScope {
  if (isOffice(principal)) return {};
  if (hasRole(principal, 'department_officer') && principal.department !== undefined) {
    if (target === 'area') throw rankingNotPermitted();
    return { leadDepartment: principal.department };
  }
  if (hasRole(principal, 'area_officer')) {
    if (principal.cityWide) return {};
    if (principal.jurisdictions.length > 0) return { within: principal.jurisdictions };
  }
  throw rankingNotPermitted();
}

async function* printed(
  assessments: AsyncIterable<RankedAssessment>,
  indicators: readonly RankingColumn[],
  places: Places,
): AsyncIterable<RankingRow> {
  const ranker = new Ranker();
  const names = new Map<string, string>();
  let batch: RankedAssessment[] = [];
  const flush = async function* (): AsyncIterable<RankingRow> {
    const unknown = new Set(
      batch.flatMap(({ townshipCode }) =>
        townshipCode !== null && !names.has(townshipCode) ? [townshipCode] : [],
      ),
    );
    for (const [code, place] of await places.find([...unknown])) names.set(code, place.name);
    for (const assessment of batch) {
      const code = assessment.townshipCode;
      yield {
        rank: ranker.rankOf(assessment.score),
        name: assessment.name,
        area: code === null ? '' : (names.get(code) ?? code),
        score: formatHundredths(assessment.score),
        pass: assessment.passed ? PASS_LABEL : FAIL_LABEL,
        status: assessment.status === 'locked' ? LOCKED_LABEL : PROVISIONAL_LABEL,
        indicatorScores: indicators.map(({ key }) => {
          const score = assessment.indicatorScores.get(key);
          return score === undefined ? '' : formatHundredths(score);
        }),
      };
    }
    batch = [];
  };
  for await (const assessment of assessments) {
    batch.push(assessment);
    if (batch.length === NAME_BATCH) yield* flush();
  }
  yield* flush();
}
