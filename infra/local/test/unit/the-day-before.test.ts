/**
 * The clock the local stack starts scoring on while the demo writes its rule
 * book (src/the-day-before.ts): a day behind and ticking, with dates that
 * mongoose still takes for dates; and the loader's token for it, issued on
 * that clock (src/dev-token.ts `asOf`).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DAY_MS, HOUR_MS } from '@learning/domain';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { ensureSigningKey, signLocalToken } from '../../src/dev-token.js';

const packageDirectory = fileURLToPath(new URL('../../', import.meta.url));

/** What a node process with `preload` (or none) sees of its clock. */
function clockSeen(preload: string[]): {
  now: number;
  constructed: number;
  epoch: number;
  name: string;
  isDate: boolean;
  schemaType: string;
} {
  const script = `
    const { Schema } = await import('mongoose');
    const schema = new Schema({ at: { type: Date } });
    console.log(JSON.stringify({
      now: Date.now(),
      constructed: new Date().getTime(),
      epoch: new Date(0).getTime(),
      name: Date.name,
      isDate: new Date() instanceof Date,
      schemaType: schema.path('at').instance,
    }));`;
  const output = execFileSync(
    process.execPath,
    [
      '--conditions=@learning/source',
      '--import',
      'tsx',
      ...preload.flatMap((module) => ['--import', module]),
      '--input-type=module',
      '-e',
      script,
    ],
    { cwd: packageDirectory, encoding: 'utf8' },
  );
  return JSON.parse(output) as ReturnType<typeof clockSeen>;
}

describe('the day before', () => {
  it('when preloaded, then now is a day behind and ticks, and dates stay dates', () => {
    const before = Date.now();
    const seen = clockSeen(['./src/the-day-before.ts']);
    const after = Date.now();
    expect(seen.now).toBeGreaterThanOrEqual(before - DAY_MS);
    expect(seen.now).toBeLessThanOrEqual(after - DAY_MS);
    expect(seen.constructed).toBeGreaterThanOrEqual(seen.now);
    expect(seen.constructed).toBeLessThanOrEqual(after - DAY_MS);
    expect(seen).toMatchObject({ epoch: 0, name: 'Date', isDate: true, schemaType: 'Date' });
  });

  it('when not preloaded, then the clock is today’s', () => {
    const before = Date.now();
    const seen = clockSeen([]);
    expect(seen.now).toBeGreaterThanOrEqual(before);
    expect(seen.now).toBeLessThanOrEqual(Date.now());
  });

  it('when a token is signed as of the day before, then it was issued then and lives an hour from then', async () => {
    ensureSigningKey();
    const asOf = new Date(Date.now() - DAY_MS);
    const claims = decodeJwt(
      await signLocalToken({ subject: 'demo-loader', roles: ['city_admin'], asOf }),
    );
    const issuedAt = Math.floor(asOf.getTime() / 1000);
    expect(claims).toMatchObject({ iat: issuedAt, exp: issuedAt + HOUR_MS / 1000 });
  });
});
