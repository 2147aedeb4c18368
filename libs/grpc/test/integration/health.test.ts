import type { LocalIssuer } from '@learning/auth';
import { AppError } from '@learning/errors';
import { health } from '@learning/proto';
import { captureLogger, rejectionOf } from '@learning/testing';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGrpcClient, HEALTH_SERVICE_UNKNOWN, type GrpcClient } from '../../src/index.js';
import { LateService } from '../fixtures/probe.js';
import { localIssuer, startProbeServer, type ProbeServer } from '../support.js';

const { SERVING, NOT_SERVING, SERVICE_UNKNOWN } = health.HealthCheckResponse_ServingStatus;

describe('grpc.health.v1.Health', () => {
  let issuer: LocalIssuer;
  const cleanups: (() => Promise<void> | void)[] = [];

  beforeAll(async () => {
    issuer = await localIssuer();
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A probe server whose one readiness check answers `ready.value`, and a health client for it. */
  async function setup(check?: () => Promise<boolean>): Promise<{
    probe: ProbeServer;
    client: GrpcClient<typeof health.HealthService>;
    ready: { value: boolean };
  }> {
    const ready = { value: true };
    const probe = await startProbeServer(issuer, {
      readiness: { store: check ?? (() => Promise.resolve(ready.value)) },
    });
    // Health is public: the client sends no token.
    const client = createGrpcClient(health.HealthClient, {
      address: probe.address,
      logger: captureLogger('grpc-test').logger,
      idempotentMethods: ['check'],
    });
    cleanups.push(
      () => probe.server.stop(1_000),
      () => {
        client.close();
      },
    );
    return { probe, client, ready };
  }

  it('when every readiness check passes, then the server and each registered service are SERVING', async () => {
    const { client } = await setup();

    for (const service of ['', 'test.v1.Probe', 'grpc.health.v1.Health']) {
      await expect(client.call.check({ service })).resolves.toEqual({ status: SERVING });
    }
  });

  it('when a readiness check fails, then Check answers NOT_SERVING until it passes again', async () => {
    const { client, ready } = await setup();

    ready.value = false;
    await expect(client.call.check({ service: '' })).resolves.toEqual({ status: NOT_SERVING });
    await expect(client.call.check({ service: 'test.v1.Probe' })).resolves.toEqual({
      status: NOT_SERVING,
    });

    ready.value = true;
    await expect(client.call.check({ service: 'test.v1.Probe' })).resolves.toEqual({
      status: SERVING,
    });
  });

  it('when a readiness check throws, then Check answers NOT_SERVING and the server logs the check', async () => {
    const { client, probe } = await setup(() => Promise.reject(new Error('store ping failed')));

    await expect(client.call.check({ service: '' })).resolves.toEqual({ status: NOT_SERVING });
    const threw = probe.logs.lines.find((line) => line.msg === 'readiness check threw');
    expect(threw).toMatchObject({ check: 'store', err: { message: 'store ping failed' } });
  });

  it('when the service name is unknown, then Check fails with NOT_FOUND', async () => {
    const { client } = await setup();

    const error = await rejectionOf(client.call.check({ service: 'no.such.Service' }));

    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ kind: 'not_found', code: HEALTH_SERVICE_UNKNOWN });
  });

  it('when readiness changes, then Watch streams the new status', async () => {
    const { client, ready } = await setup();
    const updates = client.call
      .watch({ service: 'test.v1.Probe' }, { deadlineMs: 30_000 })
      [Symbol.asyncIterator]();

    await expect(updates.next()).resolves.toEqual({ done: false, value: { status: SERVING } });
    ready.value = false;
    await expect(updates.next()).resolves.toEqual({ done: false, value: { status: NOT_SERVING } });
    ready.value = true;
    await expect(updates.next()).resolves.toEqual({ done: false, value: { status: SERVING } });

    await updates.return?.();
  });

  it('when Watch names an unknown service, then it answers SERVICE_UNKNOWN and stays open until the service is known', async () => {
    const { client, probe } = await setup();
    const updates = client.call
      .watch({ service: 'test.v1.Late' }, { deadlineMs: 30_000 })
      [Symbol.asyncIterator]();

    await expect(updates.next()).resolves.toEqual({
      done: false,
      value: { status: SERVICE_UNKNOWN },
    });
    probe.server.addService(LateService, { echo: (request) => ({ text: request.text ?? '' }) });
    await expect(updates.next()).resolves.toEqual({ done: false, value: { status: SERVING } });

    await updates.return?.();
  });

  it('when stop begins, then watchers get NOT_SERVING and their streams end so the shutdown can finish', async () => {
    const { client, probe } = await setup();
    const updates = client.call
      .watch({ service: '' }, { deadlineMs: 30_000 })
      [Symbol.asyncIterator]();
    await expect(updates.next()).resolves.toEqual({ done: false, value: { status: SERVING } });

    const stopped = probe.server.stop(5_000);

    await expect(updates.next()).resolves.toEqual({ done: false, value: { status: NOT_SERVING } });
    await expect(updates.next()).resolves.toEqual({ done: true, value: undefined });
    await stopped;
    expect(
      probe.logs.lines.some((line) => line.msg?.startsWith('grpc calls still running') === true),
    ).toBe(false);
  });

  it('when stop begins while a Check is evaluating readiness, then that Check answers NOT_SERVING', async () => {
    let release: (ready: boolean) => void = () => undefined;
    let evaluating: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      evaluating = resolve;
    });
    const { client, probe } = await setup(
      () =>
        new Promise<boolean>((resolve) => {
          release = resolve;
          evaluating();
        }),
    );

    const answer = client.call.check({ service: '' }, { deadlineMs: 10_000 });
    await started;
    const stopped = probe.server.stop(5_000);
    release(true);

    await expect(answer).resolves.toEqual({ status: NOT_SERVING });
    await stopped;
  });
});
