/**
 * Credits are counted in hundredths, as integers, so that sums over a ledger
 * are exact (policy §6.4 ties credits to promotion and pay); they travel as
 * decimal strings ("2.5", "-1"), as `common.Quantity` does.
 */
import { invalid } from '@learning/domain';

/** Hundredths of a credit; an integer, negative only in reversing entries. */
export type Hundredths = number;

export const CREDITS_INVALID = 'CREDITS_INVALID';

const DECIMAL = /^(-)?(\d{1,9})(?:\.(\d{1,2}))?$/;

/** "2.5" → 250. Refuses more than two fraction digits, exponents and anything not a plain decimal. */
export function parseCredits(text: string): Hundredths {
  const match = DECIMAL.exec(text);
  if (match === null)
    throw invalid(
      CREDITS_INVALID,
      `"${text}" is not an amount of credits: write a decimal with at most two fraction digits, such as 2 or 1.25.`,
    );
  const [, sign, whole = '0', fraction = ''] = match;
  const value = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return sign === undefined || value === 0 ? value : -value;
}

/** 250 → "2.5", -100 → "-1", 5 → "0.05". */
export function formatCredits(amount: Hundredths): string {
  const sign = amount < 0 ? '-' : '';
  const absolute = Math.abs(amount);
  const whole = Math.trunc(absolute / 100);
  const fraction = String(absolute % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return `${sign}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}

/** Minutes of learning as hours, two fraction digits, rounded half up: 90 → "1.5". */
export const formatHours = (minutes: number): string =>
  formatCredits(Math.round((minutes * 100) / 60));
