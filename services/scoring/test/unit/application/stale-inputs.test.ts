import { describe, expect, it } from 'vitest';
import {
  markInputsChanged,
  type StaleAssessments,
} from '../../../src/application/evaluation/stale-inputs.js';
import type { SubjectKind } from '../../../src/domain/evaluation.js';

function recordingAssessments() {
  const marks: { year: number; kind: SubjectKind; ids: string[] }[] = [];
  const assessments: StaleAssessments = {
    async mark(year, kind, subjectIds) {
      marks.push({ year, kind, ids: [...subjectIds] });
      return subjectIds.length;
    },
  };
  return { assessments, marks };
}

describe('marking inputs changed', () => {
  it('when a run of changes arrives, then each year and subject kind is marked once with its subjects, without repeats or empty ids', async () => {
    const { assessments, marks } = recordingAssessments();

    const marked = await markInputsChanged({ assessments })([
      { year: 2026, organizationIds: ['a', 'b'], areaCodes: ['city', 't1', 'v1'] },
      { year: 2026, organizationIds: ['a', ''], areaCodes: ['city', 't1'] },
      { year: 2025, organizationIds: ['c'], areaCodes: [] },
    ]);

    expect(marks).toEqual([
      { year: 2026, kind: 'organization', ids: ['a', 'b'] },
      { year: 2026, kind: 'area', ids: ['city', 't1', 'v1'] },
      { year: 2025, kind: 'organization', ids: ['c'] },
    ]);
    expect(marked).toBe(6);
  });

  it('when a change concerns no subject, then nothing is marked', async () => {
    const { assessments, marks } = recordingAssessments();

    expect(
      await markInputsChanged({ assessments })([
        { year: 2026, organizationIds: [], areaCodes: [''] },
      ]),
    ).toBe(0);
    expect(marks).toEqual([]);
  });
});
