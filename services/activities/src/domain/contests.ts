/**
 * Contests, with the children's letter-writing contest (少儿书信大赛) as the
 * model: an entry window, eligibility by age band, judges who never score
 * their own organization's entries, a weighted rubric, a deterministic
 * ranking and results published once.
 *
 * Scores are whole points and weights whole numbers, so a weighted total is
 * an integer and averages are compared exactly (by cross-multiplying), never
 * through floating point: two equal results are always recognized as a tie.
 */
import {
  ageOn,
  type CalendarDate,
  conflict,
  forbidden,
  invalid,
  precondition,
  type AgeBand,
} from '@learning/domain';

export interface EntryWindow {
  readonly opensAt: Date;
  readonly closesAt: Date;
}

/** A rubric criterion. List the rubric most important first: that order breaks ties. */
export interface Criterion {
  readonly id: string;
  readonly name: string;
  /** A whole number, one or more. */
  readonly weight: number;
  /** Points run from 0 to this whole number. */
  readonly maxPoints: number;
}

export type ContestStatus = 'open' | 'results_published';

export interface Contest {
  readonly id: string;
  readonly status: ContestStatus;
  readonly entryWindow: EntryWindow;
  readonly ageBand: AgeBand;
  /** The day ages are counted on (usually the closing day, China time). */
  readonly ageReferenceDate: CalendarDate;
  readonly rubric: readonly Criterion[];
}

export interface Entrant {
  readonly birthDate: CalendarDate | null;
  /** The school or organization the entry comes from, if any. */
  readonly organizationId: string | null;
}

export interface Attachment {
  /** The stored file's reference; the bytes live in the file store. */
  readonly fileRef: string;
  readonly bytes: number;
}

/** A submission that passed: its text trimmed, and the birth date the age band was checked against. */
export interface CheckedSubmission extends SubmissionInput {
  readonly birthDate: CalendarDate;
}

export interface SubmissionInput {
  readonly text: string;
  readonly attachment: Attachment | null;
}

export interface Entry {
  readonly id: string;
  readonly organizationId: string | null;
}

export interface Judge {
  readonly id: string;
  /** Organizations the judge belongs to: entries from these are never theirs to score. */
  readonly organizations: readonly string[];
}

export interface Assignment {
  readonly entryId: string;
  readonly judgeId: string;
}

export interface Scorecard {
  readonly entryId: string;
  readonly judgeId: string;
  readonly points: Readonly<Record<string, number>>;
  readonly weightedTotal: number;
}

export interface RankedEntry {
  readonly entryId: string;
  /** Competition ranking: tied entries share a rank and the next rank skips (1, 2, 2, 4). */
  readonly rank: number;
  /** Mean weighted total over the entry's scorecards, for display. */
  readonly average: number;
  readonly scorecards: number;
}

export interface ContestResultsPublished {
  readonly type: 'ContestResultsPublished';
  readonly contestId: string;
  readonly data: { readonly results: readonly RankedEntry[]; readonly publishedAt: string };
}

export const CONTEST_ENTRY_WINDOW_INVALID = 'CONTEST_ENTRY_WINDOW_INVALID';
export const CONTEST_AGE_BAND_INVALID = 'CONTEST_AGE_BAND_INVALID';
export const CONTEST_RUBRIC_EMPTY = 'CONTEST_RUBRIC_EMPTY';
export const CONTEST_RUBRIC_DUPLICATE_CRITERION = 'CONTEST_RUBRIC_DUPLICATE_CRITERION';
export const CONTEST_RUBRIC_INVALID_WEIGHT = 'CONTEST_RUBRIC_INVALID_WEIGHT';
export const CONTEST_RUBRIC_INVALID_MAX_POINTS = 'CONTEST_RUBRIC_INVALID_MAX_POINTS';
export const CONTEST_ENTRY_WINDOW_NOT_OPEN = 'CONTEST_ENTRY_WINDOW_NOT_OPEN';
export const CONTEST_ENTRY_WINDOW_CLOSED = 'CONTEST_ENTRY_WINDOW_CLOSED';
export const CONTEST_ENTRY_WINDOW_NOT_CLOSED = 'CONTEST_ENTRY_WINDOW_NOT_CLOSED';
export const CONTEST_BIRTH_DATE_REQUIRED = 'CONTEST_BIRTH_DATE_REQUIRED';
export const CONTEST_AGE_OUTSIDE_BAND = 'CONTEST_AGE_OUTSIDE_BAND';
export const CONTEST_BIRTH_DATE_MISMATCH = 'CONTEST_BIRTH_DATE_MISMATCH';
export const CONTEST_SUBMISSION_EMPTY = 'CONTEST_SUBMISSION_EMPTY';
export const CONTEST_TEXT_TOO_LONG = 'CONTEST_TEXT_TOO_LONG';
export const CONTEST_ATTACHMENT_TOO_LARGE = 'CONTEST_ATTACHMENT_TOO_LARGE';
export const CONTEST_JUDGES_PER_ENTRY_INVALID = 'CONTEST_JUDGES_PER_ENTRY_INVALID';
export const CONTEST_NOT_ENOUGH_JUDGES = 'CONTEST_NOT_ENOUGH_JUDGES';
export const CONTEST_JUDGE_CONFLICT = 'CONTEST_JUDGE_CONFLICT';
export const CONTEST_JUDGE_NOT_ASSIGNED = 'CONTEST_JUDGE_NOT_ASSIGNED';
export const CONTEST_SCORE_UNKNOWN_CRITERION = 'CONTEST_SCORE_UNKNOWN_CRITERION';
export const CONTEST_SCORE_INCOMPLETE = 'CONTEST_SCORE_INCOMPLETE';
export const CONTEST_SCORE_OUT_OF_RANGE = 'CONTEST_SCORE_OUT_OF_RANGE';
export const CONTEST_DUPLICATE_SCORECARD = 'CONTEST_DUPLICATE_SCORECARD';
export const CONTEST_SCORING_INCOMPLETE = 'CONTEST_SCORING_INCOMPLETE';
export const CONTEST_RESULTS_ALREADY_PUBLISHED = 'CONTEST_RESULTS_ALREADY_PUBLISHED';
export const CONTEST_ENTRY_WINDOW_PAST = 'CONTEST_ENTRY_WINDOW_PAST';
export const CONTEST_NO_ENTRIES = 'CONTEST_NO_ENTRIES';

/** A letter is a few pages; a longer text is a paste accident. */
export const MAX_TEXT_LENGTH = 20_000;
/**
 * A scanned handwritten letter fits easily. Enforced as the file arrives
 * (413 CONTEST_ATTACHMENT_TOO_LARGE, declared or streamed), so a stored file
 * an entry names is always within it.
 */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

const isPositiveInteger = (n: number): boolean => Number.isInteger(n) && n >= 1;

export function validateEntryWindow(window: EntryWindow): EntryWindow {
  if (
    Number.isNaN(window.opensAt.getTime()) ||
    Number.isNaN(window.closesAt.getTime()) ||
    window.closesAt.getTime() <= window.opensAt.getTime()
  ) {
    throw invalid(CONTEST_ENTRY_WINDOW_INVALID, 'The entry window must close after it opens.');
  }
  return window;
}

export function validateAgeBand(band: AgeBand): AgeBand {
  if (
    !Number.isInteger(band.min) ||
    !Number.isInteger(band.max) ||
    band.min < 0 ||
    band.max < band.min
  ) {
    throw invalid(CONTEST_AGE_BAND_INVALID, 'An age band is two whole ages, the lower first.');
  }
  return band;
}

export function validateRubric(rubric: readonly Criterion[]): readonly Criterion[] {
  if (rubric.length === 0) {
    throw invalid(CONTEST_RUBRIC_EMPTY, 'A rubric needs at least one criterion.');
  }
  const ids = new Set<string>();
  for (const criterion of rubric) {
    if (ids.has(criterion.id)) {
      throw invalid(CONTEST_RUBRIC_DUPLICATE_CRITERION, `Criterion ${criterion.id} appears twice.`);
    }
    ids.add(criterion.id);
    if (!isPositiveInteger(criterion.weight)) {
      throw invalid(
        CONTEST_RUBRIC_INVALID_WEIGHT,
        `The weight of ${criterion.id} must be a whole number, 1 or more.`,
      );
    }
    if (!isPositiveInteger(criterion.maxPoints)) {
      throw invalid(
        CONTEST_RUBRIC_INVALID_MAX_POINTS,
        `The maximum points of ${criterion.id} must be a whole number, 1 or more.`,
      );
    }
  }
  return rubric;
}

/** Validates a contest's setup as a whole. */
export function validateContest(contest: Contest): Contest {
  validateEntryWindow(contest.entryWindow);
  validateAgeBand(contest.ageBand);
  validateRubric(contest.rubric);
  return contest;
}

/** A new contest: a sound setup whose entry window has not closed yet. */
export function validateNewContest(contest: Contest, now: Date): Contest {
  validateContest(contest);
  if (contest.entryWindow.closesAt.getTime() <= now.getTime()) {
    throw invalid(CONTEST_ENTRY_WINDOW_PAST, 'The entry window must close in the future.');
  }
  return contest;
}

/** Closes entries now, ahead of the planned closing: only while they are open. */
export function closeEntries(contest: Contest, now: Date): EntryWindow {
  assertEntriesOpen(contest, now);
  return { opensAt: contest.entryWindow.opensAt, closesAt: now };
}

function assertNotPublished(contest: Contest): void {
  if (contest.status === 'results_published') {
    throw precondition(
      CONTEST_RESULTS_ALREADY_PUBLISHED,
      'The results of this contest are published.',
    );
  }
}

/** Entries (and their attachments) are taken from the opening instant until, not at, the closing one. */
export function assertEntriesOpen(contest: Contest, now: Date): void {
  assertNotPublished(contest);
  if (now.getTime() < contest.entryWindow.opensAt.getTime()) {
    throw precondition(CONTEST_ENTRY_WINDOW_NOT_OPEN, 'Entries are not open yet.');
  }
  if (now.getTime() >= contest.entryWindow.closesAt.getTime()) {
    throw precondition(CONTEST_ENTRY_WINDOW_CLOSED, 'Entries are closed.');
  }
}

/**
 * The birth date an age band is checked against. A registered entrant's ID
 * number carries theirs (`verified`, from registration): it is used, and a
 * typed date that disagrees is refused rather than ignored, so the entrant
 * learns their record and their claim differ. Without a verified date, the
 * typed one (`declared`) is taken as before; without either, the entry has
 * no age to check. Null only in that last case.
 */
export function entrantBirthDate(
  verified: CalendarDate | null,
  declared: CalendarDate | null,
): CalendarDate | null {
  if (verified === null) return declared;
  if (declared !== null && declared !== verified)
    throw invalid(
      CONTEST_BIRTH_DATE_MISMATCH,
      'The birth date differs from the one in your registered ID number; leave it out or correct it.',
    );
  return verified;
}

/**
 * Accepts an entry: within the window (opening instant included, closing
 * instant excluded), the entrant's age on the reference day inside the band,
 * some text or an attachment, the text not too long (the file's size was
 * checked as it was uploaded). Returns the trimmed submission
 * and the birth date it was checked against.
 */
export function checkSubmission(
  contest: Contest,
  entrant: Entrant,
  submission: SubmissionInput,
  now: Date,
): CheckedSubmission {
  assertEntriesOpen(contest, now);
  if (entrant.birthDate === null) {
    throw invalid(CONTEST_BIRTH_DATE_REQUIRED, 'A birth date is needed to check the age range.');
  }
  const age = ageOn(entrant.birthDate, contest.ageReferenceDate);
  const { min, max } = contest.ageBand;
  if (age < min || age > max) {
    throw invalid(CONTEST_AGE_OUTSIDE_BAND, `This contest is for entrants aged ${min} to ${max}.`);
  }
  const text = submission.text.trim();
  // An empty file says no more than no file.
  if (text === '' && (submission.attachment === null || submission.attachment.bytes === 0)) {
    throw invalid(CONTEST_SUBMISSION_EMPTY, 'An entry needs some text or an attached file.');
  }
  if (text.length > MAX_TEXT_LENGTH) {
    throw invalid(
      CONTEST_TEXT_TOO_LONG,
      `An entry's text has at most ${MAX_TEXT_LENGTH} characters.`,
    );
  }
  return { text, attachment: submission.attachment, birthDate: entrant.birthDate };
}

/** A judge may never score an entry from one of their own organizations. */
export const hasConflict = (judge: Judge, entry: Entry): boolean =>
  entry.organizationId !== null && judge.organizations.includes(entry.organizationId);

/** Refuses a manual assignment that would let a judge score their own organization. */
export function assignJudge(judge: Judge, entry: Entry): Assignment {
  if (hasConflict(judge, entry)) {
    throw precondition(
      CONTEST_JUDGE_CONFLICT,
      'A judge cannot score entries of their own organization.',
    );
  }
  return { entryId: entry.id, judgeId: judge.id };
}

const byId = (a: { id: string }, b: { id: string }): number =>
  a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/**
 * Gives every entry `perEntry` judges, none from the entry's organization,
 * spreading the load: entries in id order each take the least-loaded free
 * judges, ties by judge id, so the same input always yields the same plan.
 */
export function assignJudges(
  entries: readonly Entry[],
  judges: readonly Judge[],
  perEntry: number,
): Assignment[] {
  if (!isPositiveInteger(perEntry)) {
    throw invalid(
      CONTEST_JUDGES_PER_ENTRY_INVALID,
      'Each entry needs a whole number of judges, 1 or more.',
    );
  }
  const load = new Map(judges.map((judge) => [judge.id, 0]));
  const assignments: Assignment[] = [];
  for (const entry of entries.toSorted(byId)) {
    const chosen = judges
      .filter((judge) => !hasConflict(judge, entry))
      .toSorted((a, b) => (load.get(a.id) ?? 0) - (load.get(b.id) ?? 0) || byId(a, b))
      .slice(0, perEntry);
    if (chosen.length < perEntry) {
      throw precondition(
        CONTEST_NOT_ENOUGH_JUDGES,
        `Entry ${entry.id} needs ${perEntry} judges from outside its organization; only ${chosen.length} are available.`,
      );
    }
    for (const judge of chosen) {
      load.set(judge.id, (load.get(judge.id) ?? 0) + 1);
      assignments.push({ entryId: entry.id, judgeId: judge.id });
    }
  }
  return assignments;
}

/** Judging (assigning and scoring) runs from the close of entries until results are published. */
export function assertJudgingOpen(contest: Contest, now: Date): void {
  assertNotPublished(contest);
  if (now.getTime() < contest.entryWindow.closesAt.getTime()) {
    throw precondition(CONTEST_ENTRY_WINDOW_NOT_CLOSED, 'Judging starts when entries close.');
  }
}

/** Σ weight × points over the rubric. */
export const weightedTotal = (
  rubric: readonly Criterion[],
  points: Readonly<Record<string, number>>,
): number => rubric.reduce((total, c) => total + c.weight * (points[c.id] ?? 0), 0);

/**
 * A judge's scores for one entry, after the window has closed and before
 * results are published: only an assigned, unconflicted judge; every
 * criterion exactly once, in whole points from 0 to its maximum.
 */
export function scoreEntry(
  contest: Contest,
  assignments: readonly Assignment[],
  judge: Judge,
  entry: Entry,
  points: Readonly<Record<string, number>>,
  now: Date,
): Scorecard {
  assertJudgingOpen(contest, now);
  // Assignment never pairs them, so only a judge's organizations changing since can lead here.
  if (hasConflict(judge, entry)) {
    throw precondition(
      CONTEST_JUDGE_CONFLICT,
      'A judge cannot score entries of their own organization.',
    );
  }
  if (!assignments.some((a) => a.entryId === entry.id && a.judgeId === judge.id)) {
    throw forbidden(CONTEST_JUDGE_NOT_ASSIGNED, 'This entry is not assigned to you.');
  }
  const criteria = new Map(contest.rubric.map((c) => [c.id, c]));
  for (const id of Object.keys(points)) {
    if (!criteria.has(id)) {
      throw invalid(CONTEST_SCORE_UNKNOWN_CRITERION, `The rubric has no criterion ${id}.`);
    }
  }
  for (const criterion of contest.rubric) {
    const value = points[criterion.id];
    if (value === undefined) {
      throw invalid(CONTEST_SCORE_INCOMPLETE, `Criterion ${criterion.id} has no score.`);
    }
    if (!Number.isInteger(value) || value < 0 || value > criterion.maxPoints) {
      throw invalid(
        CONTEST_SCORE_OUT_OF_RANGE,
        `Criterion ${criterion.id} is scored in whole points from 0 to ${criterion.maxPoints}.`,
      );
    }
  }
  return {
    entryId: entry.id,
    judgeId: judge.id,
    points: { ...points },
    weightedTotal: weightedTotal(contest.rubric, points),
  };
}

/** A sum over `count` scorecards: averages compared exactly as fractions. */
interface Tally {
  sum: number;
  count: number;
}

/** Negative when `a` is the better (higher) average. */
const compareTallies = (a: Tally, b: Tally): number => b.sum * a.count - a.sum * b.count;

/**
 * The ranking: by mean weighted total over each entry's scorecards, highest
 * first. Tie-break: the mean points on each criterion in rubric order (most
 * important first). Entries still equal share a rank (1, 2, 2, 4) and are
 * listed by entry id, which carries no merit. Every assignment must have its
 * scorecard and every entry at least one.
 */
export function rankEntries(
  rubric: readonly Criterion[],
  entries: readonly Entry[],
  assignments: readonly Assignment[],
  scorecards: readonly Scorecard[],
): RankedEntry[] {
  const cards = new Map<string, Scorecard>();
  for (const card of scorecards) {
    const key = `${card.entryId}\u0000${card.judgeId}`;
    if (cards.has(key)) {
      throw conflict(
        CONTEST_DUPLICATE_SCORECARD,
        `Entry ${card.entryId} has two scorecards from one judge.`,
      );
    }
    cards.set(key, card);
  }
  const tallies = new Map<string, { total: Tally; byCriterion: Tally[] }>();
  for (const entry of entries) {
    const mine = assignments.filter((a) => a.entryId === entry.id);
    if (mine.length === 0) {
      throw precondition(CONTEST_SCORING_INCOMPLETE, `Entry ${entry.id} has no judge.`);
    }
    const total: Tally = { sum: 0, count: 0 };
    const byCriterion = rubric.map(() => ({ sum: 0, count: 0 }));
    for (const assignment of mine) {
      const card = cards.get(`${assignment.entryId}\u0000${assignment.judgeId}`);
      if (card === undefined) {
        throw precondition(
          CONTEST_SCORING_INCOMPLETE,
          `Entry ${entry.id} still awaits a judge's scores.`,
        );
      }
      total.sum += card.weightedTotal;
      total.count += 1;
      for (const [index, criterion] of rubric.entries()) {
        const tally = byCriterion[index];
        if (tally) {
          tally.sum += card.points[criterion.id] ?? 0;
          tally.count += 1;
        }
      }
    }
    tallies.set(entry.id, { total, byCriterion });
  }
  const merit = (a: Entry, b: Entry): number => {
    const ta = tallies.get(a.id);
    const tb = tallies.get(b.id);
    if (!ta || !tb) return 0;
    const byTotal = compareTallies(ta.total, tb.total);
    if (byTotal !== 0) return byTotal;
    for (const [index, tally] of ta.byCriterion.entries()) {
      const other = tb.byCriterion[index];
      const byCriterion = other ? compareTallies(tally, other) : 0;
      if (byCriterion !== 0) return byCriterion;
    }
    return 0;
  };
  const ordered = entries.toSorted((a, b) => merit(a, b) || byId(a, b));
  const ranked: RankedEntry[] = [];
  for (const [index, entry] of ordered.entries()) {
    const previous = ordered[index - 1];
    const previousRank = ranked[index - 1];
    const rank =
      previous !== undefined && previousRank !== undefined && merit(previous, entry) === 0
        ? previousRank.rank
        : index + 1;
    const tally = tallies.get(entry.id)?.total ?? { sum: 0, count: 1 };
    ranked.push({
      entryId: entry.id,
      rank,
      average: tally.sum / tally.count,
      scorecards: tally.count,
    });
  }
  return ranked;
}

/**
 * Publishes the results, once: after entries close, with scoring complete.
 * A second publication is refused so nobody's place changes after the fact.
 */
export function publishResults(
  contest: Contest,
  entries: readonly Entry[],
  assignments: readonly Assignment[],
  scorecards: readonly Scorecard[],
  now: Date,
): { contest: Contest; results: RankedEntry[]; event: ContestResultsPublished } {
  assertNotPublished(contest);
  if (now.getTime() < contest.entryWindow.closesAt.getTime()) {
    throw precondition(CONTEST_ENTRY_WINDOW_NOT_CLOSED, 'Results come after entries close.');
  }
  if (entries.length === 0) {
    throw precondition(CONTEST_NO_ENTRIES, 'A contest without entries has no results to publish.');
  }
  const results = rankEntries(contest.rubric, entries, assignments, scorecards);
  return {
    contest: { ...contest, status: 'results_published' },
    results,
    event: {
      type: 'ContestResultsPublished',
      contestId: contest.id,
      data: { results, publishedAt: now.toISOString() },
    },
  };
}
