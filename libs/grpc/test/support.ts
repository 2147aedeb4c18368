import { setTimeout as sleep } from 'node:timers/promises';
import { createLocalIssuer, createTokenVerifier, type LocalIssuer } from '@learning/auth';
import { AppError } from '@learning/errors';
import { currentCorrelationId, type Logger } from '@learning/logger';
import { captureLogger } from '@learning/testing';
import { Registry } from 'prom-client';
import { afterAll, beforeAll } from 'vitest';
import {
  createGrpcClient,
  createGrpcServer,
  type GrpcClient,
  type GrpcClientOptions,
  type GrpcServer,
  type GrpcServerOptions,
  type ServiceImplementation,
} from '../src/index.js';
import { ProbeClient, ProbeService } from './fixtures/probe.js';

export type LogLine = Record<string, unknown> & {
  msg?: string;
  level?: string;
  correlationId?: string;
};

/** captureLogger's logger and lines, typed with the fields the tests read. */
export type CapturedLogs = Omit<ReturnType<typeof captureLogger>, 'lines'> & { lines: LogLine[] };

export const ISSUER = 'https://id.city.test';
export const AUDIENCE = 'learning-services';

export const localIssuer = (): Promise<LocalIssuer> =>
  createLocalIssuer({ issuer: ISSUER, audience: AUDIENCE });

export const serviceToken = (issuer: LocalIssuer, service = 'activities'): Promise<string> =>
  issuer.sign({ subject: `svc-${service}`, roles: ['service'], service });

export const FAILED_PRECONDITION_ERROR = new AppError(
  'failed_precondition',
  'ACTIVITY_FULL',
  '活动名额已满，请选择其他场次。',
  {
    details: [{ field: '/activityId', message: '名额已满' }],
  },
);

/** The probe service's handlers, counting calls per key so tests can see retries. */
export function probeImplementation(logger: Logger): {
  implementation: ServiceImplementation<typeof ProbeService>;
  calls: Map<string, number>;
} {
  const calls = new Map<string, number>();
  const countCall = (key: string): number => {
    const count = (calls.get(key) ?? 0) + 1;
    calls.set(key, count);
    return count;
  };
  const flaky = (key: string | undefined): { text: string } => {
    if (countCall(key ?? '') === 1) {
      throw new AppError('unavailable', 'TRY_AGAIN', 'Busy for a moment; try again.');
    }
    return { text: 'done' };
  };
  const implementation: ServiceImplementation<typeof ProbeService> = {
    echo(request, call) {
      logger.info({ text: request.text }, 'echo handled');
      return {
        text: request.text ?? '',
        ...(currentCorrelationId() === undefined ? {} : { correlationId: currentCorrelationId() }),
        ...(call.principal?.service === undefined ? {} : { caller: call.principal.service }),
      };
    },
    async slow(request, call) {
      await sleep(request.delayMs ?? 0, undefined, { signal: call.signal });
      return { text: 'finally' };
    },
    fail(request) {
      if (request.failWith === 'app-error') throw FAILED_PRECONDITION_ERROR;
      throw new Error('connection to db-7.internal refused, password hunter2 rejected');
    },
    flakyRead: (request) => flaky(request.key),
    flakyWrite: (request) => flaky(request.key),
    async count(request, call) {
      for (let index = 0; index < (request.count ?? 0); index += 1) {
        if (index === request.failAfter) {
          throw new AppError('failed_precondition', 'COUNT_STOPPED', 'Counting stopped here.');
        }
        await call.send({ text: `message ${index}`, index });
      }
    },
  };
  return { implementation, calls };
}

export interface ProbeServer {
  server: GrpcServer;
  port: number;
  address: string;
  logs: CapturedLogs;
  registry: Registry;
  calls: Map<string, number>;
}

/** A server with the probe service registered, listening on an ephemeral port of 127.0.0.1. */
export async function startProbeServer(
  issuer: LocalIssuer,
  overrides: Partial<GrpcServerOptions> = {},
): Promise<ProbeServer> {
  const logs: CapturedLogs = captureLogger('grpc-test');
  const registry = new Registry();
  const server = createGrpcServer({
    logger: logs.logger,
    registry,
    auth: createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks: issuer.jwks }),
    readiness: {},
    healthPollMs: 20,
    ...overrides,
  });
  const { implementation, calls } = probeImplementation(logs.logger);
  server.addService(ProbeService, implementation);
  const port = await server.listen('127.0.0.1', 0);
  return { server, port, address: `127.0.0.1:${port}`, logs, registry, calls };
}

export function probeClient(
  address: string,
  options: Partial<GrpcClientOptions<typeof ProbeService>> = {},
): GrpcClient<typeof ProbeService> {
  return createGrpcClient(ProbeClient, {
    address,
    logger: captureLogger('grpc-test').logger,
    idempotentMethods: ['flakyRead'],
    ...options,
  });
}

export interface ProbeBed {
  issuer: LocalIssuer;
  probe: ProbeServer;
  /** Calls as the activities service. */
  client: GrpcClient<typeof ProbeService>;
}

/** Registers beforeAll/afterAll hooks: a probe server and a client for it; the fields are ready inside tests. */
export function useProbeBed(
  clientOptions: Partial<GrpcClientOptions<typeof ProbeService>> = {},
): ProbeBed {
  const bed = {} as ProbeBed;
  beforeAll(async () => {
    bed.issuer = await localIssuer();
    bed.probe = await startProbeServer(bed.issuer);
    const token = await serviceToken(bed.issuer, 'activities');
    bed.client = probeClient(bed.probe.address, { tokenProvider: () => token, ...clientOptions });
  });
  afterAll(async () => {
    bed.client.close();
    await bed.probe.server.stop(1_000);
  });
  return bed;
}
