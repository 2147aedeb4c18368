/**
 * Calendar dates in the city's own time. China has kept UTC+8 without
 * daylight saving since 1991, so a fixed offset is exact: no time-zone
 * database is needed and no date ever repeats or disappears.
 */
import { invalid } from './errors.js';

/** A calendar date as `YYYY-MM-DD`, in China time. */
export type CalendarDate = string;

/** Lengths of time as Date arithmetic counts them; with no daylight saving a day is always 24 hours. */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export const CHINA_OFFSET_MS = 8 * HOUR_MS;

export const CALENDAR_DATE_INVALID = 'CALENDAR_DATE_INVALID';

/** The calendar date in China at `instant`. */
export const chinaDateOf = (instant: Date): CalendarDate =>
  new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);

/** The year in China at `instant`: 23:30 UTC on 31 December is already next year there. */
export const chinaYearOf = (instant: Date): number => Number(chinaDateOf(instant).slice(0, 4));

export const isRealDate = (year: number, month: number, day: number): boolean => {
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
};

/** Year, month and day of a `YYYY-MM-DD` date, refusing anything else (2025-02-30 included). */
export function partsOf(date: CalendarDate): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const [, y, m, d] = match ?? [];
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  if (match === null || !isRealDate(year, month, day)) {
    throw invalid(CALENDAR_DATE_INVALID, `"${date}" is not a calendar date (YYYY-MM-DD).`);
  }
  return { year, month, day };
}

export const formatDate = (year: number, month: number, day: number): CalendarDate =>
  `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/** The instant China's day `date` begins (00:00 UTC+8, i.e. 16:00 UTC the day before). */
export function chinaMidnight(date: CalendarDate): Date {
  const { year, month, day } = partsOf(date);
  return new Date(Date.UTC(year, month - 1, day) - CHINA_OFFSET_MS);
}

/** The date `days` later (or earlier, when negative). */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  const { year, month, day } = partsOf(date);
  return new Date(Date.UTC(year, month - 1, day) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The same month and day `years` later; 29 February becomes 28 February in a
 * year without it, so an edition never spills into March.
 */
export function addYears(date: CalendarDate, years: number): CalendarDate {
  const { year, month, day } = partsOf(date);
  const target = year + years;
  return formatDate(target, month, isRealDate(target, month, day) ? day : day - 1);
}

/** Whole years of age on `on`; someone born on 29 February turns a year older on 1 March. */
export function ageOn(birthDate: CalendarDate, on: CalendarDate): number {
  const birth = partsOf(birthDate);
  const day = partsOf(on);
  const hadBirthday =
    day.month > birth.month || (day.month === birth.month && day.day >= birth.day);
  return day.year - birth.year - (hadBirthday ? 0 : 1);
}
