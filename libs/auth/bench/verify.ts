/**
 * The token check a request pays: --requests verifications of ES256 tokens
 * from --people distinct signed-in people (each sends theirs again and
 * again, as a browser does), once with the verified-token cache off and once
 * with it on (the default), in this process.
 *
 *   pnpm --filter @learning/auth bench [--quick] [--people 500] [--requests 20000]
 *
 * --quick is 125 people and 5,000 requests (the same hit share). Prints the
 * CPU microseconds per verification of each, the cache's hit share, and one
 * JSON line, holding both runs to answering every request with its sender. Nothing here waits on a server: the figures are
 * the service's own CPU.
 */
import { parseArgs } from 'node:util';
import { printBenchSummary } from '@learning/testing';
import { createLocalIssuer, createTokenVerifier, type TokenVerifier } from '../src/index.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    people: { type: 'string' },
    requests: { type: 'string' },
  },
});
const people = Number(values.people ?? (values.quick ? '125' : '500'));
const requests = Number(values.requests ?? (values.quick ? '5000' : '20000'));
if (!Number.isInteger(people) || people < 1 || !Number.isInteger(requests) || requests < people)
  throw new Error('--people and --requests are whole numbers, requests at least people');

const ISSUER = 'https://id.city.bench';
const AUDIENCE = 'learning-platform';
const issuer = await createLocalIssuer({ issuer: ISSUER, audience: AUDIENCE });
const tokens = await Promise.all(
  Array.from({ length: people }, (_, index) =>
    issuer.sign({ subject: `person-${String(index)}`, roles: ['participant'] }),
  ),
);

/** Requests answered with someone other than their sender, summed over every run: a cache must not mix people up. */
let wrongPrincipals = 0;

/** CPU microseconds (user + system) per verification over the whole request stream. */
async function cpuPerVerification(verifier: TokenVerifier): Promise<number> {
  const before = process.cpuUsage();
  for (let request = 0; request < requests; request += 1) {
    const principal = await verifier.verify(tokens[request % people]);
    if (principal.subject !== `person-${String(request % people)}`) wrongPrincipals += 1;
  }
  const spent = process.cpuUsage(before);
  return (spent.user + spent.system) / requests;
}

const verifierWith = (verifiedTokenCacheSize: number): TokenVerifier =>
  createTokenVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    jwks: issuer.jwks,
    verifiedTokenCacheSize,
  });

// One pass unmeasured, so both runs meet a warmed-up jose and JIT.
await cpuPerVerification(verifierWith(0));
const uncached = await cpuPerVerification(verifierWith(0));
const cached = await cpuPerVerification(verifierWith(10_000));
const hitShare = (requests - people) / requests;

process.stdout.write(
  [
    `${String(requests)} verifications of ${String(people)} people's ES256 tokens`,
    `  every one verified:   ${uncached.toFixed(1)} µs CPU each`,
    `  verified tokens kept: ${cached.toFixed(1)} µs CPU each (${(hitShare * 100).toFixed(1)} % answered from the cache)`,
    `  saved per request:    ${(uncached - cached).toFixed(1)} µs (${(uncached / cached).toFixed(1)}×)`,
    '',
  ].join('\n'),
);
printBenchSummary(
  'auth.verify',
  {
    people,
    requests,
    uncachedCpuMicrosPerVerification: Number(uncached.toFixed(1)),
    cachedCpuMicrosPerVerification: Number(cached.toFixed(1)),
    cacheHitShare: Number(hitShare.toFixed(3)),
    wrongPrincipals,
  },
  { wrongPrincipals: { equals: 0 } },
);
