/**
 * Following the data until locked (decision 0019, 3): an event that changes
 * a figure marks the current provisional assessments of the subjects it
 * concerns stale, for the recomputation to take. Marking twice is marking
 * once, so a replayed or reordered event changes nothing more.
 */
import type { SubjectKind } from '../../domain/evaluation.js';

/** A figure changed for these subjects in a city year. */
export interface InputsChanged {
  readonly year: number;
  readonly organizationIds: readonly string[];
  /** Jurisdiction codes (a place's path): the townships and streets among them are the areas affected. */
  readonly areaCodes: readonly string[];
}

export interface StaleAssessments {
  /** Marks the current provisional assessments of these subjects of `year` stale; returns how many changed. */
  mark(year: number, kind: SubjectKind, subjectIds: readonly string[]): Promise<number>;
}

/** One mark per year and subject kind for the whole run of events. */
export function markInputsChanged(deps: { readonly assessments: StaleAssessments }) {
  return async (changes: readonly InputsChanged[]): Promise<number> => {
    const byYear = new Map<number, { organizations: Set<string>; areas: Set<string> }>();
    for (const change of changes) {
      const subjects = byYear.get(change.year) ?? { organizations: new Set(), areas: new Set() };
      for (const id of change.organizationIds) if (id !== '') subjects.organizations.add(id);
      for (const code of change.areaCodes) if (code !== '') subjects.areas.add(code);
      byYear.set(change.year, subjects);
    }
    let marked = 0;
    for (const [year, subjects] of byYear) {
      if (subjects.organizations.size > 0)
        marked += await deps.assessments.mark(year, 'organization', [...subjects.organizations]);
      if (subjects.areas.size > 0)
        marked += await deps.assessments.mark(year, 'area', [...subjects.areas]);
    }
    return marked;
  };
}
