/**
 * A programme's progress in one year: trained and completed per township,
 * target group and month, against the year's quotas; the townships falling
 * behind and a forecast at the current pace (rules in
 * domain/training-quotas.ts). Its leaders see the whole programme; an area
 * officer the townships inside their area, with totals over those only.
 */
import type { Principal } from '@learning/auth';
import { chinaYearOf, domainCall } from '@learning/domain';
import { assertProgrammeYear } from '../../../domain/training-programmes.js';
import {
  BEHIND_THRESHOLD,
  elapsedFractionOfYear,
  paceOf,
  type Pace,
} from '../../../domain/training-quotas.js';
import type { Jurisdictions } from '../../ports.js';
import { findVisible } from './access.js';
import type { ProgrammeRepository } from './programme-repository.js';
import type { Figures, TraineeFigures } from './trainee-figures.js';

export interface ProgressDeps {
  readonly programmes: ProgrammeRepository;
  readonly jurisdictions: Jurisdictions;
  readonly trainees: TraineeFigures;
  readonly clock: () => Date;
}

export interface QuotaProgress extends Figures, Pace {
  readonly quota: number;
}

export interface TownshipProgress extends QuotaProgress {
  readonly jurisdictionCode: string;
}

export interface ProgrammeProgress {
  readonly programmeId: string;
  readonly year: number;
  /** The roots of what is counted: the programme's area, or the reader's part of it. */
  readonly countedWithin: readonly string[];
  readonly asOf: Date;
  readonly elapsedFraction: number;
  readonly behindThreshold: number;
  readonly total: QuotaProgress;
  /** Every township with a quota or a trainee, by code. */
  readonly townships: readonly TownshipProgress[];
  /** The codes of the townships behind. */
  readonly behind: readonly string[];
  readonly targetGroups: readonly (Figures & { readonly targetGroup: string })[];
  readonly months: readonly (Figures & { readonly month: string })[];
}

const NONE: Figures = { trained: 0, completed: 0 };

export interface ProgressRequest {
  /** Absent: the current year (China time). */
  readonly year?: number;
}

export function getProgrammeProgress(deps: ProgressDeps) {
  return async (
    principal: Principal,
    id: string,
    request: ProgressRequest,
  ): Promise<ProgrammeProgress> => {
    const { programme, view } = await findVisible(deps, principal, id);
    const now = deps.clock();
    const year = request.year ?? chinaYearOf(now);
    domainCall(() => {
      assertProgrammeYear(programme, year);
    });
    const roots = view.kind === 'whole' ? null : view.roots;
    const yearQuotas = programme.quotas.filter((quota) => quota.year === year);
    const quotaNodes =
      roots === null
        ? null
        : await deps.jurisdictions.find(yearQuotas.map((quota) => quota.jurisdictionCode));
    const quotas = new Map(
      yearQuotas
        .filter(
          (quota) =>
            quotaNodes === null ||
            roots?.some((root) => quotaNodes.get(quota.jurisdictionCode)?.path.includes(root)),
        )
        .map((quota) => [quota.jurisdictionCode, quota.people]),
    );
    const figures = await deps.trainees.yearFigures(programme.id, year, roots);
    const elapsed = elapsedFractionOfYear(year, now);
    const progressOf = (counted: Figures, quota: number): QuotaProgress => ({
      ...counted,
      quota,
      ...paceOf(counted.trained, quota, elapsed),
    });
    const codes = [...new Set([...quotas.keys(), ...figures.byTownship.keys()])].sort();
    const townships = codes.map((code) => ({
      jurisdictionCode: code,
      ...progressOf(figures.byTownship.get(code) ?? NONE, quotas.get(code) ?? 0),
    }));
    const quotaTotal = [...quotas.values()].reduce((sum, people) => sum + people, 0);
    return {
      programmeId: programme.id,
      year,
      countedWithin: roots ?? [programme.jurisdictionPath.at(-1) ?? ''],
      asOf: now,
      elapsedFraction: elapsed,
      behindThreshold: BEHIND_THRESHOLD,
      total: progressOf(figures.total, quotaTotal),
      townships,
      behind: townships
        .filter((township) => township.behind)
        .map((township) => township.jurisdictionCode),
      targetGroups: [...figures.byTargetGroup.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([targetGroup, counted]) => ({ targetGroup, ...counted })),
      months: [...figures.byMonth.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([month, counted]) => ({ month, ...counted })),
    };
  };
}

export type GetProgrammeProgress = ReturnType<typeof getProgrammeProgress>;
