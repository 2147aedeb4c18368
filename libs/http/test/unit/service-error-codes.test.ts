/**
 * Error codes are named in three places: the code that throws them, the
 * OpenAPI text of the routes, and the service's README. Nothing generates the
 * last two from the first yet, so this check keeps them from naming a code
 * that no longer exists (a renamed, merged or mistyped code fails here).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GrpcStatus, platformErrors } from '@learning/errors';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const UPPER_SNAKE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/;

const sourcesUnder = (directory: string): string[] =>
  readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => readFileSync(join(directory, name), 'utf8'));

/** Quoted upper-case words: codes, and the entity names libs/mongo builds codes from. */
const quotedCodes = (text: string): string[] =>
  [...text.matchAll(/['"`]([A-Z][A-Z0-9_]+)['"`]/g)].map((match) => match[1] ?? '');

/** Environment variables: the keys of every configuration schema (and their documented patterns). */
const environmentNames = (): Set<string> => {
  const files = [
    join(ROOT, 'libs/config/src/index.ts'),
    join(ROOT, 'libs/auth/src/service-credentials.ts'),
    join(ROOT, 'libs/pii/src/index.ts'),
    join(ROOT, 'libs/privacy/src/config.ts'),
    ...readdirSync(join(ROOT, 'services')).map((service) =>
      join(ROOT, 'services', service, 'src/config.ts'),
    ),
  ];
  const names = new Set<string>();
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const match of text.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)) names.add(match[1] ?? '');
  }
  return names;
};

/** gRPC status names, which READMEs and descriptions name beside the codes. */
const GRPC_STATUSES = Object.keys(GrpcStatus).filter((name) => UPPER_SNAKE.test(name));

/**
 * Every code a service can give: its own literals, the shared kernel's (libs/domain's rules,
 * such as the phone format, are thrown by whichever service uses them), the repository codes
 * of its entities, the platform's.
 */
function definedCodes(service: string): Set<string> {
  const literals = [
    ...sourcesUnder(join(ROOT, 'services', service, 'src')),
    ...sourcesUnder(join(ROOT, 'libs/domain/src')),
  ].flatMap(quotedCodes);
  // libs/mongo names conflicts and misses after the entity ("PARTICIPANT" → PARTICIPANT_NOT_FOUND).
  const entityCodes = literals.flatMap((entity) => [
    `${entity}_ALREADY_EXISTS`,
    `${entity}_NOT_FOUND`,
  ]);
  return new Set([...literals, ...entityCodes, ...platformErrors.codes, ...GRPC_STATUSES]);
}

const services = readdirSync(join(ROOT, 'services')).filter((service) => {
  try {
    return readdirSync(join(ROOT, 'services', service, 'src/adapters/http')).length > 0;
  } catch {
    return false;
  }
});

/** The domain helpers (libs/domain) and libs/attachments' refusal, each with the kind it gives. */
const HELPER_KINDS: Readonly<Record<string, string>> = {
  invalid: 'invalid_argument',
  precondition: 'failed_precondition',
  forbidden: 'permission_denied',
  conflict: 'conflict',
  attachmentTooLarge: 'payload_too_large',
};

/** Each code the service throws, with every kind it is thrown with (`new AppError` and the helpers above). */
function thrownKinds(service: string): Map<string, Set<string>> {
  const kinds = new Map<string, Set<string>>();
  const add = (code: string, kind: string) =>
    kinds.set(code, (kinds.get(code) ?? new Set()).add(kind));
  for (const text of sourcesUnder(join(ROOT, 'services', service, 'src'))) {
    for (const match of text.matchAll(/new AppError\(\s*'(\w+)',\s*'?([A-Z][A-Z0-9_]+)'?/g))
      add(match[2] ?? '', match[1] ?? '');
    for (const match of text.matchAll(
      /\b(invalid|precondition|forbidden|conflict|attachmentTooLarge)\(\s*'?([A-Z][A-Z0-9_]+)'?/g,
    ))
      add(match[2] ?? '', HELPER_KINDS[match[1] ?? ''] ?? '');
  }
  return kinds;
}

describe.each(services)('the error codes %s documents', (service) => {
  const defined = definedCodes(service);
  const environment = environmentNames();
  const undefinedOf = (named: Iterable<string>) =>
    [...new Set(named)].filter(
      (code) => UPPER_SNAKE.test(code) && !defined.has(code) && !environment.has(code),
    );

  it('when its code is read, then it gives the platform’s JURISDICTION_UNKNOWN, no code of its own for it', () => {
    expect(defined.size).toBeGreaterThan(20);
    expect([...defined].filter((code) => /.+_JURISDICTION_UNKNOWN$/.test(code))).toEqual([]);
  });

  it('when it throws a code, then always with one kind, the platform catalogue’s for a platform code', () => {
    const problems = [...thrownKinds(service)].flatMap(([code, kinds]) => {
      if (kinds.size > 1) return [`${code}: thrown as ${[...kinds].join(' and ')}`];
      const [kind] = kinds;
      return platformErrors.has(code) && platformErrors.definitionOf(code).kind !== kind
        ? [
            `${code}: thrown as ${kind}, the catalogue says ${platformErrors.definitionOf(code).kind}`,
          ]
        : [];
    });

    expect(problems).toEqual([]);
  });

  it('when its README names a code, then the service or the platform gives it', () => {
    const readme = readFileSync(join(ROOT, 'services', service, 'README.md'), 'utf8');
    const named = [...readme.matchAll(/`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`/g)].map(
      (match) => match[1] ?? '',
    );

    expect(undefinedOf(named)).toEqual([]);
  });

  it('when its OpenAPI text names a code, then the service or the platform gives it', () => {
    const routes = sourcesUnder(join(ROOT, 'services', service, 'src/adapters/http')).join('\n');
    // Descriptions are string literals; the codes in them stand between spaces and punctuation.
    const strings = [...routes.matchAll(/'([^'\n]*)'|`([^`]*)`/g)].map((match) =>
      (match[1] ?? match[2] ?? '').replaceAll(/\$\{[^}]*\}/g, ''),
    );
    const named = strings.flatMap((text) => text.match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g) ?? []);

    expect(undefinedOf(named)).toEqual([]);
  });
});
