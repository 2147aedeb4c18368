/**
 * What the journey's steps share: requests that fail loudly with the answer,
 * the city calendar, and the timeline it prints at the end.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { call, type Call } from '@learning/runtime/testing';
import { eventually } from '@learning/testing';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The city keeps China's time (UTC+8, no daylight saving). */
const CITY_OFFSET_MS = 8 * HOUR_MS;

/** The city date (YYYY-MM-DD) of an instant. */
export const cityDateOf = (instant: Date): string =>
  new Date(instant.getTime() + CITY_OFFSET_MS).toISOString().slice(0, 10);

/** The city year of an instant. */
export const cityYearOf = (instant: Date): number => Number(cityDateOf(instant).slice(0, 4));

/** 14:00 in the city, `days` city days after `instant`'s. */
export function cityAfternoon(instant: Date, days: number): Date {
  const local = instant.getTime() + CITY_OFFSET_MS;
  return new Date(
    Math.floor(local / DAY_MS) * DAY_MS + days * DAY_MS + 14 * HOUR_MS - CITY_OFFSET_MS,
  );
}

/** An enrollment as registration answers a sign-up. */
export interface Enrollment {
  readonly id: string;
  readonly status: string;
  readonly qrPayload: string;
}

/**
 * A city of its own for one run, with a township and a village: Redis
 * (leaderboards) and the broker outlive a run, so no two runs share a code.
 */
export function freshCity() {
  const prefix = `33${String(randomInt(9000, 9999))}`;
  return {
    prefix,
    city: `${prefix}000000`,
    township: `${prefix}001000`,
    village: `${prefix}001001`,
    run: randomUUID().slice(0, 6),
  };
}

/** A request whose status must be `expected`; anything else throws with the answer. */
export async function expectCall(
  expected: number,
  base: string,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const answer: Call = await call(base, method, path, token, body);
  if (answer.status !== expected)
    throw new Error(
      `${method} ${base}${path} answered ${answer.status}, not ${expected}: ${JSON.stringify(answer.body)}`,
    );
  return answer.body;
}

/** Polls a GET until `pick` finds something in its 200 answer. */
export function eventuallyFound<T>(
  what: string,
  base: string,
  path: string,
  token: string | null,
  pick: (body: Record<string, unknown>) => T | undefined,
  timeoutMs = 30_000,
): Promise<T> {
  return eventually(
    what,
    async () => {
      const answer = await call(base, 'GET', path, token);
      return answer.status === 200 ? pick(answer.body) : undefined;
    },
    timeoutMs,
  );
}

export interface Timeline {
  /** Runs one step of the journey and notes when it finished. */
  readonly step: <T>(name: string, run: () => Promise<T>) => Promise<T>;
  /** The steps so far as a table: step, elapsed ms since the start, ms the step took. */
  readonly print: () => string;
}

export function startTimeline(): Timeline {
  const started = performance.now();
  const steps: { name: string; elapsed: number; took: number }[] = [];
  return {
    step: async (name, run) => {
      const before = performance.now();
      const result = await run();
      const after = performance.now();
      steps.push({ name, elapsed: after - started, took: after - before });
      return result;
    },
    print: () => {
      const width = Math.max(4, ...steps.map((step) => step.name.length));
      return [
        `${'step'.padEnd(width)}  elapsed ms  step ms`,
        ...steps.map(
          (step) =>
            `${step.name.padEnd(width)}  ${String(Math.round(step.elapsed)).padStart(10)}  ${String(Math.round(step.took)).padStart(7)}`,
        ),
      ].join('\n');
    },
  };
}
