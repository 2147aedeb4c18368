/**
 * `learning health`: the platform at a glance. For each service, its HTTP
 * readiness (/readyz, which runs its dependency checks) and its gRPC health
 * (grpc.health.v1 Check on the whole server), side by side in one table.
 */
import type { Command } from 'commander';
import { createGrpcClient } from '@learning/grpc';
import { createRootLogger } from '@learning/logger';
import { SERVICE_PORTS } from '@learning/local-infra';
import { health } from '@learning/proto';
import { CliError, type Io } from '../io.js';

export interface HealthTarget {
  readonly name: string;
  /** The service's base URL; its readiness is at /readyz. */
  readonly httpUrl: string;
  /** host:port of its gRPC server. */
  readonly grpcAddress: string;
}

export interface HealthRow {
  readonly name: string;
  readonly http: string;
  readonly grpc: string;
  readonly healthy: boolean;
}

const { SERVING } = health.HealthCheckResponse_ServingStatus;

async function httpReadiness(
  url: string,
  timeoutMs: number,
): Promise<{ ok: boolean; text: string }> {
  try {
    const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return { ok: response.ok, text: response.ok ? 'ready' : `not ready (${response.status})` };
  } catch {
    return { ok: false, text: 'unreachable' };
  }
}

async function grpcHealth(
  address: string,
  timeoutMs: number,
): Promise<{ ok: boolean; text: string }> {
  // The CLI's table says what failed; the client's own warnings would only repeat it.
  const logger = createRootLogger({ service: 'learning-cli', version: '0.1.0', level: 'silent' });
  const client = createGrpcClient(health.HealthClient, {
    address,
    logger,
    idempotentMethods: [],
    deadlineMs: timeoutMs,
  });
  try {
    const { status } = await client.call.check({ service: '' });
    return {
      ok: status === SERVING,
      text: health.HealthCheckResponse_ServingStatus[status],
    };
  } catch {
    return { ok: false, text: 'unreachable' };
  } finally {
    client.close();
  }
}

export async function checkHealth(
  targets: readonly HealthTarget[],
  timeoutMs: number,
): Promise<HealthRow[]> {
  return Promise.all(
    targets.map(async (target) => {
      const [http, grpc] = await Promise.all([
        httpReadiness(target.httpUrl, timeoutMs),
        grpcHealth(target.grpcAddress, timeoutMs),
      ]);
      return { name: target.name, http: http.text, grpc: grpc.text, healthy: http.ok && grpc.ok };
    }),
  );
}

export function healthTable(rows: readonly HealthRow[], targets: readonly HealthTarget[]): string {
  const header = { name: 'service', http: 'http /readyz', grpc: 'grpc health', where: 'where' };
  const where = (row: HealthRow): string => {
    const target = targets.find((candidate) => candidate.name === row.name);
    return target === undefined ? '' : `${target.httpUrl}  ${target.grpcAddress}`;
  };
  const lines = [header, ...rows.map((row) => ({ ...row, where: where(row) }))];
  const width = (key: 'name' | 'http' | 'grpc'): number =>
    Math.max(...lines.map((line) => line[key].length));
  return lines
    .map((line) =>
      [
        line.name.padEnd(width('name')),
        line.http.padEnd(width('http')),
        line.grpc.padEnd(width('grpc')),
        line.where,
      ]
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** `name=httpPort:grpcPort`, as --service takes it. */
export function parseServiceOption(value: string, previous: readonly string[] = []): string[] {
  if (!/^[a-z][a-z0-9-]*=\d+:\d+$/.test(value))
    throw new CliError(`--service takes name=httpPort:grpcPort, got "${value}"`, 2);
  return [...previous, value];
}

export function healthTargets(host: string, services: readonly string[]): HealthTarget[] {
  const ports =
    services.length === 0
      ? Object.entries(SERVICE_PORTS).map(([name, { http, grpc }]) => ({ name, http, grpc }))
      : services.map((entry) => {
          const [name = '', http = '', grpc = ''] = entry.split(/[=:]/);
          return { name, http: Number(http), grpc: Number(grpc) };
        });
  return ports.map(({ name, http, grpc }) => ({
    name,
    httpUrl: `http://${host}:${http}`,
    grpcAddress: `${host}:${grpc}`,
  }));
}

export function registerHealth(program: Command, io: Io): void {
  program
    .command('health')
    .description(
      "every service's HTTP readiness (/readyz) and gRPC health (grpc.health.v1) in one table; exits 1 unless all are healthy",
    )
    .option('--host <host>', 'where the services listen', '127.0.0.1')
    .option(
      '--service <name=http:grpc>',
      "a service and its ports; repeat for several (default: the local stack's five)",
      parseServiceOption,
      [],
    )
    .option('--timeout <ms>', 'how long each check may take', '2000')
    .action(async (options: { host: string; service: string[]; timeout: string }) => {
      const targets = healthTargets(options.host, options.service);
      const rows = await checkHealth(targets, Number(options.timeout));
      io.out(`${healthTable(rows, targets)}\n`);
      const unhealthy = rows.filter((row) => !row.healthy).map((row) => row.name);
      if (unhealthy.length > 0) throw new CliError(`not healthy: ${unhealthy.join(', ')}`, 1);
    });
}
