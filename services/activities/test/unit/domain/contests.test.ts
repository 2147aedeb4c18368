import { describe, expect, it } from 'vitest';
import {
  assignJudge,
  assignJudges,
  checkSubmission,
  entrantBirthDate,
  CONTEST_AGE_BAND_INVALID,
  CONTEST_AGE_OUTSIDE_BAND,
  CONTEST_BIRTH_DATE_MISMATCH,
  CONTEST_BIRTH_DATE_REQUIRED,
  CONTEST_DUPLICATE_SCORECARD,
  CONTEST_ENTRY_WINDOW_CLOSED,
  CONTEST_ENTRY_WINDOW_INVALID,
  CONTEST_ENTRY_WINDOW_NOT_CLOSED,
  CONTEST_ENTRY_WINDOW_NOT_OPEN,
  CONTEST_JUDGE_CONFLICT,
  CONTEST_JUDGE_NOT_ASSIGNED,
  CONTEST_JUDGES_PER_ENTRY_INVALID,
  CONTEST_NOT_ENOUGH_JUDGES,
  CONTEST_RESULTS_ALREADY_PUBLISHED,
  CONTEST_RUBRIC_DUPLICATE_CRITERION,
  CONTEST_RUBRIC_EMPTY,
  CONTEST_RUBRIC_INVALID_MAX_POINTS,
  CONTEST_RUBRIC_INVALID_WEIGHT,
  CONTEST_SCORE_INCOMPLETE,
  CONTEST_SCORE_OUT_OF_RANGE,
  CONTEST_SCORE_UNKNOWN_CRITERION,
  CONTEST_SCORING_INCOMPLETE,
  CONTEST_SUBMISSION_EMPTY,
  CONTEST_TEXT_TOO_LONG,
  MAX_TEXT_LENGTH,
  publishResults,
  rankEntries,
  scoreEntry,
  validateContest,
  weightedTotal,
  type Assignment,
  type Contest,
  type Criterion,
  type Entry,
  type Judge,
  type Scorecard,
} from '../../../src/domain/contests.js';
import { refusalOf } from '@learning/testing';

const at = (iso: string) => new Date(iso);
const rubric: Criterion[] = [
  { id: 'content', name: '内容', weight: 3, maxPoints: 10 },
  { id: 'expression', name: '表达', weight: 2, maxPoints: 10 },
  { id: 'neatness', name: '书写', weight: 1, maxPoints: 5 },
];
const contest: Contest = {
  id: 'letters-2026',
  status: 'open',
  entryWindow: { opensAt: at('2026-05-01T00:00:00Z'), closesAt: at('2026-06-01T00:00:00Z') },
  ageBand: { min: 8, max: 12 },
  ageReferenceDate: '2026-06-01',
  rubric,
};
const open = at('2026-05-15T00:00:00Z');
const closed = at('2026-06-01T00:00:00Z');
const pupil = { birthDate: '2016-03-03', organizationId: 'school-1' };
const letter = { text: ' 亲爱的爷爷： ', attachment: null };

describe('contest setup', () => {
  it('when the setup is sound, then it is accepted', () => {
    expect(validateContest(contest)).toBe(contest);
  });

  it('when the entry window closes before it opens, then it is refused', () => {
    expect(
      refusalOf(() =>
        validateContest({ ...contest, entryWindow: { opensAt: closed, closesAt: open } }),
      ).code,
    ).toBe(CONTEST_ENTRY_WINDOW_INVALID);
  });

  it('when the age band is upside down, then it is refused', () => {
    expect(
      refusalOf(() => validateContest({ ...contest, ageBand: { min: 12, max: 8 } })).code,
    ).toBe(CONTEST_AGE_BAND_INVALID);
  });

  it('when the rubric is empty, repeats a criterion or has a bad weight or maximum, then it is refused', () => {
    const [first] = rubric;
    if (!first) throw new Error('fixture');
    const cases: [Criterion[], string][] = [
      [[], CONTEST_RUBRIC_EMPTY],
      [[first, first], CONTEST_RUBRIC_DUPLICATE_CRITERION],
      [[{ ...first, weight: 0 }], CONTEST_RUBRIC_INVALID_WEIGHT],
      [[{ ...first, weight: 1.5 }], CONTEST_RUBRIC_INVALID_WEIGHT],
      [[{ ...first, maxPoints: 0 }], CONTEST_RUBRIC_INVALID_MAX_POINTS],
    ];
    for (const [bad, code] of cases) {
      expect(refusalOf(() => validateContest({ ...contest, rubric: bad })).code).toBe(code);
    }
  });
});

describe('checkSubmission', () => {
  it('when an eligible pupil submits in the window, then the trimmed entry is accepted', () => {
    expect(checkSubmission(contest, pupil, letter, open)).toEqual({
      text: '亲爱的爷爷：',
      attachment: null,
      birthDate: pupil.birthDate,
    });
  });

  it('when the window has not opened, then it is refused', () => {
    expect(
      refusalOf(() => checkSubmission(contest, pupil, letter, at('2026-04-30T23:59:59Z'))).code,
    ).toBe(CONTEST_ENTRY_WINDOW_NOT_OPEN);
  });

  it('when the window has closed (at the closing instant), then it is refused', () => {
    expect(refusalOf(() => checkSubmission(contest, pupil, letter, closed)).code).toBe(
      CONTEST_ENTRY_WINDOW_CLOSED,
    );
    expect(() => checkSubmission(contest, pupil, letter, at('2026-05-31T23:59:59Z'))).not.toThrow();
  });

  it('when the entrant is too young or too old on the reference day, then it is refused', () => {
    for (const birthDate of ['2018-06-02', '2013-06-01']) {
      expect(
        refusalOf(() => checkSubmission(contest, { ...pupil, birthDate }, letter, open)).code,
      ).toBe(CONTEST_AGE_OUTSIDE_BAND);
    }
  });

  it('when the entrant turns the youngest age on the reference day or is the oldest age, then it is accepted', () => {
    for (const birthDate of ['2018-06-01', '2013-06-02']) {
      expect(() => checkSubmission(contest, { ...pupil, birthDate }, letter, open)).not.toThrow();
    }
  });

  it('when the birth date is unknown, then it is refused', () => {
    expect(
      refusalOf(() => checkSubmission(contest, { ...pupil, birthDate: null }, letter, open)).code,
    ).toBe(CONTEST_BIRTH_DATE_REQUIRED);
  });

  it('when registration verified a birth date, then it is the one used; a typed one must agree, and stands alone only without it', () => {
    expect(entrantBirthDate('2016-03-03', null)).toBe('2016-03-03');
    expect(entrantBirthDate('2016-03-03', '2016-03-03')).toBe('2016-03-03');
    expect(refusalOf(() => entrantBirthDate('2020-02-02', '2016-03-03')).code).toBe(
      CONTEST_BIRTH_DATE_MISMATCH,
    );
    expect(entrantBirthDate(null, '2016-03-03')).toBe('2016-03-03');
    expect(entrantBirthDate(null, null)).toBeNull();
  });

  it('when there is neither text nor a file, then it is refused; a file alone is enough', () => {
    expect(
      refusalOf(() => checkSubmission(contest, pupil, { text: '  ', attachment: null }, open)).code,
    ).toBe(CONTEST_SUBMISSION_EMPTY);
    expect(() =>
      checkSubmission(
        contest,
        pupil,
        { text: '', attachment: { fileRef: 'f-1', bytes: 1000 } },
        open,
      ),
    ).not.toThrow();
  });

  it('when the text is too long, then it is refused', () => {
    expect(
      refusalOf(() =>
        checkSubmission(
          contest,
          pupil,
          { text: '字'.repeat(MAX_TEXT_LENGTH + 1), attachment: null },
          open,
        ),
      ).code,
    ).toBe(CONTEST_TEXT_TOO_LONG);
  });

  it('when results are published, then no more entries are accepted', () => {
    expect(
      refusalOf(() =>
        checkSubmission({ ...contest, status: 'results_published' }, pupil, letter, open),
      ).code,
    ).toBe(CONTEST_RESULTS_ALREADY_PUBLISHED);
  });
});

const entries: Entry[] = [
  { id: 'e3', organizationId: 'school-1' },
  { id: 'e1', organizationId: 'school-1' },
  { id: 'e2', organizationId: 'school-2' },
  { id: 'e4', organizationId: null },
];
const judges: Judge[] = [
  { id: 'j-a', organizations: ['school-1'] },
  { id: 'j-b', organizations: ['school-2'] },
  { id: 'j-c', organizations: [] },
];

describe('judge assignment', () => {
  it('when a judge is assigned an entry from their own organization, then it is refused', () => {
    const [judgeA] = judges;
    if (!judgeA) throw new Error('fixture');
    expect(
      refusalOf(() => assignJudge(judgeA, { id: 'e1', organizationId: 'school-1' })).code,
    ).toBe(CONTEST_JUDGE_CONFLICT);
    expect(assignJudge(judgeA, { id: 'e2', organizationId: 'school-2' })).toEqual({
      entryId: 'e2',
      judgeId: 'j-a',
    });
  });

  it('when judges are assigned in bulk, then no judge gets their own organization’s entry and the load is spread', () => {
    const plan = assignJudges(entries, judges, 2);
    const judgeOf = new Map(judges.map((j) => [j.id, j]));
    const entryOf = new Map(entries.map((e) => [e.id, e]));
    for (const a of plan) {
      const entry = entryOf.get(a.entryId);
      expect(
        entry?.organizationId === null ||
          !judgeOf.get(a.judgeId)?.organizations.includes(entry?.organizationId ?? ''),
      ).toBe(true);
    }
    expect(
      plan
        .filter((a) => a.entryId === 'e1')
        .map((a) => a.judgeId)
        .sort(),
    ).toEqual(['j-b', 'j-c']);
    const loads = judges.map((j) => plan.filter((a) => a.judgeId === j.id).length);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(2);
    expect(plan).toHaveLength(8);
  });

  it('when the same input is assigned twice, in any order, then the plan is the same', () => {
    expect(assignJudges(entries.toReversed(), judges.toReversed(), 2)).toEqual(
      assignJudges(entries, judges, 2),
    );
  });

  it('when too few judges are free of conflict, then assignment is refused', () => {
    expect(refusalOf(() => assignJudges(entries, judges, 3)).code).toBe(CONTEST_NOT_ENOUGH_JUDGES);
  });

  it('when the number of judges per entry is not a whole number of one or more, then it is refused', () => {
    expect(refusalOf(() => assignJudges(entries, judges, 0)).code).toBe(
      CONTEST_JUDGES_PER_ENTRY_INVALID,
    );
  });
});

describe('scoreEntry', () => {
  const judge: Judge = { id: 'j-c', organizations: [] };
  const entry: Entry = { id: 'e1', organizationId: 'school-1' };
  const assignments: Assignment[] = [{ entryId: 'e1', judgeId: 'j-c' }];
  const points = { content: 8, expression: 7, neatness: 5 };

  it('when an assigned judge scores every criterion, then the weighted total is Σ weight × points', () => {
    const card = scoreEntry(contest, assignments, judge, entry, points, closed);
    expect(card.weightedTotal).toBe(3 * 8 + 2 * 7 + 1 * 5);
    expect(weightedTotal(rubric, points)).toBe(43);
  });

  it('when entries are still open, then scoring is refused', () => {
    expect(refusalOf(() => scoreEntry(contest, assignments, judge, entry, points, open)).code).toBe(
      CONTEST_ENTRY_WINDOW_NOT_CLOSED,
    );
  });

  it('when the judge belongs to the entry’s organization, then scoring is refused even if assigned', () => {
    const conflicted: Judge = { id: 'j-a', organizations: ['school-1'] };
    const error = refusalOf(() =>
      scoreEntry(contest, [{ entryId: 'e1', judgeId: 'j-a' }], conflicted, entry, points, closed),
    );
    expect(error.code).toBe(CONTEST_JUDGE_CONFLICT);
    expect(error.kind).toBe('failed_precondition');
  });

  it('when the judge is not assigned the entry, then scoring is refused', () => {
    expect(refusalOf(() => scoreEntry(contest, [], judge, entry, points, closed)).code).toBe(
      CONTEST_JUDGE_NOT_ASSIGNED,
    );
  });

  it('when a criterion is missing, unknown, out of range or fractional, then scoring is refused', () => {
    const cases: [Record<string, number>, string][] = [
      [{ content: 8, expression: 7 }, CONTEST_SCORE_INCOMPLETE],
      [{ ...points, style: 3 }, CONTEST_SCORE_UNKNOWN_CRITERION],
      [{ ...points, neatness: 6 }, CONTEST_SCORE_OUT_OF_RANGE],
      [{ ...points, content: -1 }, CONTEST_SCORE_OUT_OF_RANGE],
      [{ ...points, content: 7.5 }, CONTEST_SCORE_OUT_OF_RANGE],
    ];
    for (const [bad, code] of cases) {
      expect(
        refusalOf(() => scoreEntry(contest, assignments, judge, entry, bad, closed)).code,
      ).toBe(code);
    }
  });

  it('when results are published, then scoring is refused', () => {
    expect(
      refusalOf(() =>
        scoreEntry(
          { ...contest, status: 'results_published' },
          assignments,
          judge,
          entry,
          points,
          closed,
        ),
      ).code,
    ).toBe(CONTEST_RESULTS_ALREADY_PUBLISHED);
  });
});

describe('ranking and results', () => {
  const card = (
    entryId: string,
    judgeId: string,
    content: number,
    expression: number,
    neatness: number,
  ): Scorecard => {
    const points = { content, expression, neatness };
    return { entryId, judgeId, points, weightedTotal: weightedTotal(rubric, points) };
  };
  const four: Entry[] = [
    { id: 'e1', organizationId: null },
    { id: 'e2', organizationId: null },
    { id: 'e3', organizationId: null },
    { id: 'e4', organizationId: null },
  ];
  const oneJudgeEach: Assignment[] = four.map((e) => ({ entryId: e.id, judgeId: 'j' }));

  it('when totals differ, then entries rank by weighted total, highest first', () => {
    const ranked = rankEntries(rubric, four, oneJudgeEach, [
      card('e1', 'j', 5, 5, 5), // 30
      card('e2', 'j', 10, 10, 5), // 55
      card('e3', 'j', 8, 8, 0), // 40
      card('e4', 'j', 1, 1, 1), // 6
    ]);
    expect(ranked.map((r) => [r.entryId, r.rank, r.average])).toEqual([
      ['e2', 1, 55],
      ['e3', 2, 40],
      ['e1', 3, 30],
      ['e4', 4, 6],
    ]);
  });

  it('when totals tie, then the higher score on the first criterion wins', () => {
    // e1: 3·6 + 2·5 + 0 = 28; e2: 3·4 + 2·8 + 0 = 28. e2 leads on expression, e1 on content.
    const ranked = rankEntries(rubric, four.slice(0, 2), oneJudgeEach.slice(0, 2), [
      card('e2', 'j', 4, 8, 0),
      card('e1', 'j', 6, 5, 0),
    ]);
    expect(ranked.map((r) => [r.entryId, r.rank])).toEqual([
      ['e1', 1],
      ['e2', 2],
    ]);
  });

  it('when entries tie on every criterion, then they share the rank and the next rank is skipped', () => {
    const ranked = rankEntries(rubric, four, oneJudgeEach, [
      card('e4', 'j', 9, 9, 5),
      card('e3', 'j', 5, 5, 5),
      card('e2', 'j', 5, 5, 5),
      card('e1', 'j', 1, 1, 1),
    ]);
    expect(ranked.map((r) => [r.entryId, r.rank])).toEqual([
      ['e4', 1],
      ['e2', 2],
      ['e3', 2],
      ['e1', 4],
    ]);
  });

  it('when entries have different numbers of judges, then averages are compared exactly', () => {
    // e1: (10 + 20) / 2 = 15; e2: 45 / 3 = 15 exactly: a tie, broken on content (e2 higher).
    const ranked = rankEntries(
      rubric,
      four.slice(0, 2),
      [
        { entryId: 'e1', judgeId: 'a' },
        { entryId: 'e1', judgeId: 'b' },
        { entryId: 'e2', judgeId: 'a' },
        { entryId: 'e2', judgeId: 'b' },
        { entryId: 'e2', judgeId: 'c' },
      ],
      [
        card('e1', 'a', 0, 5, 0),
        card('e1', 'b', 0, 10, 0),
        card('e2', 'a', 5, 0, 0),
        card('e2', 'b', 5, 0, 0),
        card('e2', 'c', 5, 0, 0),
      ],
    );
    expect(ranked.map((r) => [r.entryId, r.rank, r.average])).toEqual([
      ['e2', 1, 15],
      ['e1', 2, 15],
    ]);
  });

  it('when a judge’s scores are missing or an entry has no judge, then ranking is refused', () => {
    expect(
      refusalOf(() => rankEntries(rubric, four.slice(0, 1), oneJudgeEach.slice(0, 1), [])).code,
    ).toBe(CONTEST_SCORING_INCOMPLETE);
    expect(refusalOf(() => rankEntries(rubric, four.slice(0, 1), [], [])).code).toBe(
      CONTEST_SCORING_INCOMPLETE,
    );
  });

  it('when a judge has two scorecards for one entry, then ranking is refused as the conflict scoring twice is', () => {
    const error = refusalOf(() =>
      rankEntries(rubric, four.slice(0, 1), oneJudgeEach.slice(0, 1), [
        card('e1', 'j', 1, 1, 1),
        card('e1', 'j', 2, 2, 2),
      ]),
    );
    expect({ code: error.code, kind: error.kind }).toEqual({
      code: CONTEST_DUPLICATE_SCORECARD,
      kind: 'conflict',
    });
  });

  it('when results are published after entries close, then the contest is marked and the event carries the ranking', () => {
    const cards = four.map((e, i) => card(e.id, 'j', i, i, i));
    const {
      contest: after,
      results,
      event,
    } = publishResults(contest, four, oneJudgeEach, cards, closed);
    expect(after.status).toBe('results_published');
    expect(results[0]?.entryId).toBe('e4');
    expect(event).toEqual({
      type: 'ContestResultsPublished',
      contestId: 'letters-2026',
      data: { results, publishedAt: '2026-06-01T00:00:00.000Z' },
    });
  });

  it('when results are published a second time, then it is refused', () => {
    const cards = four.map((e) => card(e.id, 'j', 1, 1, 1));
    const { contest: after } = publishResults(contest, four, oneJudgeEach, cards, closed);
    expect(refusalOf(() => publishResults(after, four, oneJudgeEach, cards, closed)).code).toBe(
      CONTEST_RESULTS_ALREADY_PUBLISHED,
    );
  });

  it('when entries are still open, then results cannot be published', () => {
    expect(refusalOf(() => publishResults(contest, [], [], [], open)).code).toBe(
      CONTEST_ENTRY_WINDOW_NOT_CLOSED,
    );
  });
});
