/**
 * The `learning` CLI's parsing and its commands that need no servers: help at
 * every level, usage errors, tokens the stack would accept, the topic list,
 * and the demo city's dry run.
 */
import { topicsToProvision } from '@learning/events';
import {
  ensureSigningKey,
  generateDemoCity,
  LOCAL_JWT_AUDIENCE,
  LOCAL_JWT_ISSUER,
  requestsFor,
} from '@learning/local-infra';
import { importSPKI, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { learning } from '../support.js';

describe('learning --help', () => {
  it.each([
    [[], ['topics', 'dlq', 'import', 'token', 'health', 'demo']],
    [['topics'], ['list', 'provision']],
    [['topics', 'provision'], ['--brokers']],
    [
      ['dlq', 'replay'],
      ['<group>', '--brokers'],
    ],
    [['import'], ['--kind', '--url', '--token', '--interval']],
    [
      ['token', 'mint'],
      ['--role', '--jur', '--city-wide', '--org', '--dept', '--svc', '--sub'],
    ],
    [['health'], ['--host', '--service', '--timeout']],
    [
      ['demo', 'seed'],
      ['--size', '--seed', '--dry-run', 'small', 'city', 'large'],
    ],
  ])(
    'when `learning %j --help` runs, then it prints that level’s usage and exits 0',
    async (path, words) => {
      const { code, stdout } = await learning(...path, '--help');
      expect(code).toBe(0);
      expect(stdout).toContain('Usage: learning');
      for (const word of words) expect(stdout).toContain(word);
    },
  );

  it('when the command is unknown, then it says so on stderr and exits 2', async () => {
    const { code, stderr } = await learning('frobnicate');
    expect(code).toBe(2);
    expect(stderr).toContain("unknown command 'frobnicate'");
  });
});

describe('learning token mint', () => {
  it('when asked for an area officer, then it prints a token the stack’s key verifies, with the scope asked for', async () => {
    const key = await importSPKI(ensureSigningKey(), 'ES256');
    const { code, stdout } = await learning(
      'token',
      'mint',
      '--role',
      'area_officer',
      '--jur',
      '330999101000',
      '--sub',
      'officer-1',
      '--expires',
      '5m',
    );
    expect(code).toBe(0);
    const { payload } = await jwtVerify(stdout.trim(), key, {
      issuer: LOCAL_JWT_ISSUER,
      audience: LOCAL_JWT_AUDIENCE,
    });
    expect(payload).toMatchObject({
      sub: 'officer-1',
      roles: ['area_officer'],
      jur: ['330999101000'],
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(300);
  });

  it('when a role is unknown, then it refuses with exit 2 and prints no token', async () => {
    const { code, stdout, stderr } = await learning('token', 'mint', '--role', 'mayor');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('unknown role mayor');
  });

  it('when --role service comes without --svc, then it refuses with exit 2', async () => {
    const { code, stderr } = await learning('token', 'mint', '--role', 'service');
    expect(code).toBe(2);
    expect(stderr).toContain('--role service and --svc <name> go together');
  });

  it('when no role is given, then commander names the missing option and it exits 2', async () => {
    const { code, stderr } = await learning('token', 'mint');
    expect(code).toBe(2);
    expect(stderr).toContain("required option '--role <role>' not specified");
  });
});

describe('learning topics list', () => {
  it('when run, then it prints every registry topic as name:partitions', async () => {
    const { code, stdout } = await learning('topics', 'list');
    expect(code).toBe(0);
    expect(stdout).toBe(
      topicsToProvision()
        .map((spec) => `${spec.name}:${spec.partitions}\n`)
        .join(''),
    );
  });
});

describe('learning demo seed --dry-run', () => {
  it('when given a size and seed, then it prints what that city holds and how many requests it takes, sending nothing', async () => {
    const { code, stdout } = await learning(
      'demo',
      'seed',
      '--size',
      'small',
      '--seed',
      '11',
      '--dry-run',
    );
    const city = generateDemoCity({ size: 'small', seed: 11 });
    expect(code).toBe(0);
    expect(stdout).toContain(
      `--size small --seed 11: ${city.jurisdictions.length} jurisdictions, ${city.participants.length} participants`,
    );
    expect(stdout).toContain(`${requestsFor(city, true)} requests`);
  });

  it('when the size is not one it knows, then it lists the choices and exits 2', async () => {
    const { code, stderr } = await learning('demo', 'seed', '--size', 'huge', '--dry-run');
    expect(code).toBe(2);
    expect(stderr).toContain('Allowed choices are small, city, large');
  });

  it('when the seed is not a number, then it refuses with exit 2', async () => {
    const { code, stderr } = await learning('demo', 'seed', '--seed', 'abc', '--dry-run');
    expect(code).toBe(2);
    expect(stderr).toContain('--seed takes a whole number');
  });
});
