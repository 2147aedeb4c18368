/**
 * A training programme's plan and status moves (policy §4.2–4.4, §6.4): the
 * years it runs, what a completion needs, and draft → launched → closed.
 * Pure; refusals are DomainErrors with the codes below.
 */
import { invalid, precondition } from '@learning/domain';
import {
  MAX_PROGRAMME_YEARS,
  PROGRAMME_YEARS,
  type Programme,
  type ProgrammeStatus,
} from './training.js';

export const PROGRAMME_YEARS_INVALID = 'PROGRAMME_YEARS_INVALID';
export const PROGRAMME_REQUIRED_MINUTES_INVALID = 'PROGRAMME_REQUIRED_MINUTES_INVALID';
export const PROGRAMME_NOT_DRAFT = 'PROGRAMME_NOT_DRAFT';
export const PROGRAMME_NOT_LAUNCHED = 'PROGRAMME_NOT_LAUNCHED';
export const PROGRAMME_CLOSED = 'PROGRAMME_CLOSED';
export const PROGRAMME_ALREADY_ENDED = 'PROGRAMME_ALREADY_ENDED';
export const PROGRAMME_YEAR_OUTSIDE = 'PROGRAMME_YEAR_OUTSIDE';

/** The most minutes a completion may require in one year: 1,000 hours. */
export const MAX_REQUIRED_MINUTES = 60_000;

export type ProgrammePlan = Pick<Programme, 'firstYear' | 'lastYear' | 'requiredMinutes'>;

export function validateProgrammePlan(plan: ProgrammePlan): void {
  const { firstYear, lastYear } = plan;
  if (
    !Number.isInteger(firstYear) ||
    !Number.isInteger(lastYear) ||
    firstYear < PROGRAMME_YEARS.min ||
    lastYear > PROGRAMME_YEARS.max
  )
    throw invalid(
      PROGRAMME_YEARS_INVALID,
      `A programme runs in whole years from ${PROGRAMME_YEARS.min} to ${PROGRAMME_YEARS.max}.`,
    );
  if (lastYear < firstYear)
    throw invalid(PROGRAMME_YEARS_INVALID, 'The last year comes before the first.');
  if (lastYear - firstYear + 1 > MAX_PROGRAMME_YEARS)
    throw invalid(
      PROGRAMME_YEARS_INVALID,
      `A programme runs at most ${MAX_PROGRAMME_YEARS} years; plan a follow-up for the rest.`,
    );
  if (
    !Number.isInteger(plan.requiredMinutes) ||
    plan.requiredMinutes < 1 ||
    plan.requiredMinutes > MAX_REQUIRED_MINUTES
  )
    throw invalid(
      PROGRAMME_REQUIRED_MINUTES_INVALID,
      `A completion requires a whole number of minutes from 1 to ${MAX_REQUIRED_MINUTES}.`,
    );
}

/** A draft or a launched programme may change; a closed one is a record. */
export function assertChangeable(status: ProgrammeStatus): void {
  if (status === 'closed')
    throw precondition(PROGRAMME_CLOSED, 'The programme is closed; its plan no longer changes.');
}

/** Launching a draft whose last year has not passed (in the city's calendar). */
export function assertMayLaunch(
  programme: Pick<Programme, 'status' | 'lastYear'>,
  currentYear: number,
): void {
  if (programme.status !== 'draft')
    throw precondition(PROGRAMME_NOT_DRAFT, `The programme is ${programme.status}, not a draft.`);
  if (programme.lastYear < currentYear)
    throw precondition(
      PROGRAMME_ALREADY_ENDED,
      `The programme's last year, ${programme.lastYear}, is over; it can no longer be launched.`,
    );
}

export function assertMayClose(programme: Pick<Programme, 'status'>): void {
  if (programme.status !== 'launched')
    throw precondition(
      PROGRAMME_NOT_LAUNCHED,
      `The programme is ${programme.status}; only a launched programme closes.`,
    );
}

/** Quotas and reports name one of the programme's years. */
export function assertProgrammeYear(
  programme: Pick<Programme, 'firstYear' | 'lastYear'>,
  year: number,
): void {
  if (year < programme.firstYear || year > programme.lastYear)
    throw invalid(
      PROGRAMME_YEAR_OUTSIDE,
      `The programme runs from ${programme.firstYear} to ${programme.lastYear}; ${year} is not one of its years.`,
    );
}
