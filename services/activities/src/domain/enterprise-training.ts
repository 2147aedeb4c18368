/**
 * An enterprise's own training in a year (policy §4.3, §6.4): the people it
 * trained, the minutes of training and what it spent, reported by its admin
 * for the funding and per-capita indicators of the annual evaluation. Money
 * is counted in fen (integers) so sums are exact; it travels as a decimal
 * string of yuan. Pure.
 */
import { fenOfYuan, invalid, type Fen } from '@learning/domain';

/** The first year a report may be for: the platform's records start there. */
export const FIRST_REPORT_YEAR = 2000;
/** Revisions one report may have in all: a year's figures are corrected, not kept as a log. */
export const MAX_REPORT_REVISIONS = 100;
/** Up to 9,999,999,999.99 yuan, in fen. */
const MAX_SPEND_FEN: Fen = 999_999_999_999;
export const MAX_TRAINEES = 10_000_000;
/** Minutes one person could attend in a year, at the very most: every minute of it. */
const MINUTES_IN_A_YEAR = 366 * 24 * 60;

export const ENTERPRISE_REPORT_SPEND_INVALID = 'ENTERPRISE_REPORT_SPEND_INVALID';
export const ENTERPRISE_REPORT_YEAR_INVALID = 'ENTERPRISE_REPORT_YEAR_INVALID';
export const ENTERPRISE_REPORT_FIGURES_INCONSISTENT = 'ENTERPRISE_REPORT_FIGURES_INCONSISTENT';

/** What a report says of a year. */
export interface ReportFigures {
  readonly trainees: number;
  readonly trainingMinutes: number;
  readonly spendFen: Fen;
  readonly note: string;
}

/** "125000.5" → 12500050 fen. Refuses signs, exponents, more than two fraction digits, leading zeros. */
export function parseYuan(text: string): Fen {
  const fen = fenOfYuan(text, MAX_SPEND_FEN);
  if (fen === undefined)
    throw invalid(
      ENTERPRISE_REPORT_SPEND_INVALID,
      'Spend is yuan as a plain decimal, zero or more, with at most two fraction digits, such as 125000 or 3800.50.',
    );
  return fen;
}

/** Minutes as hours with at most two fraction digits, rounded half up: 90 → "1.5". */
export function formatHours(minutes: number): string {
  const hundredths = Math.round((minutes * 100) / 60);
  const fraction = String(hundredths % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  const whole = String(Math.trunc(hundredths / 100));
  return fraction === '' ? whole : `${whole}.${fraction}`;
}

/** A year's training is reported once it has begun: from 2000 to this year (the city's calendar). */
export function checkReportYear(year: number, currentYear: number): void {
  if (!Number.isInteger(year) || year < FIRST_REPORT_YEAR || year > currentYear)
    throw invalid(
      ENTERPRISE_REPORT_YEAR_INVALID,
      `A report is for a year from ${String(FIRST_REPORT_YEAR)} to this year (${String(currentYear)}).`,
    );
}

/**
 * People and minutes go together: trained people have minutes and minutes
 * were someone's, and no one attends more minutes than a year has.
 */
export function checkFigures(figures: Pick<ReportFigures, 'trainees' | 'trainingMinutes'>): void {
  const { trainees, trainingMinutes } = figures;
  if ((trainees === 0) !== (trainingMinutes === 0))
    throw invalid(
      ENTERPRISE_REPORT_FIGURES_INCONSISTENT,
      'Trainees and training minutes are both zero or both more than zero.',
    );
  if (trainingMinutes > trainees * MINUTES_IN_A_YEAR)
    throw invalid(
      ENTERPRISE_REPORT_FIGURES_INCONSISTENT,
      'The training minutes exceed what the trainees could attend in a year.',
    );
}

/** Whether a new report says exactly what the current one says: then it changes nothing. */
export const sameFigures = (a: ReportFigures, b: ReportFigures): boolean =>
  a.trainees === b.trainees &&
  a.trainingMinutes === b.trainingMinutes &&
  a.spendFen === b.spendFen &&
  a.note === b.note;

/** Sums over some reports, and what they make per trainee (the policy's per-capita indicators). */
export interface ReportTotals {
  readonly reports: number;
  readonly trainees: number;
  readonly trainingMinutes: number;
  readonly spendFen: Fen;
  /** Null when nobody was trained. */
  readonly minutesPerTrainee: number | null;
  /** Null when nobody was trained; rounded half up to the fen. */
  readonly spendFenPerTrainee: Fen | null;
}

/** The per-trainee figures of sums over some reports (made where the reports are, a $sum). */
export function totalsOf(
  sums: Pick<ReportTotals, 'reports' | 'trainees' | 'trainingMinutes' | 'spendFen'>,
): ReportTotals {
  const { trainees } = sums;
  return {
    ...sums,
    minutesPerTrainee: trainees === 0 ? null : Math.round(sums.trainingMinutes / trainees),
    spendFenPerTrainee: trainees === 0 ? null : Math.round(sums.spendFen / trainees),
  };
}
