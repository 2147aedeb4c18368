/**
 * The gRPC health service of an app built by the runtime follows its real
 * dependencies: a broker outage turns it NOT_SERVING, the broker's return
 * SERVING again, for Check and for Watch.
 */
import { createGrpcClient, type GrpcClient } from '@learning/grpc';
import { health } from '@learning/proto';
import { brokerSwitch, describeWithServers } from '@learning/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { useServiceApp } from '../../src/testing.js';
import { bareService, loadBareConfig } from '../support/bare-service.js';

const { SERVING, NOT_SERVING } = health.HealthCheckResponse_ServingStatus;

describeWithServers(['mongo', 'kafka', 'redis'], 'gRPC health of a runtime app', (servers) => {
  const running = useServiceApp(bareService, servers, { loadConfig: loadBareConfig });
  let client: GrpcClient<typeof health.HealthService>;

  beforeAll(() => {
    client = createGrpcClient(health.HealthClient, {
      address: `127.0.0.1:${running.ports.grpcPort}`,
      logger: running.logs.logger,
      idempotentMethods: ['check'],
    });
  });
  afterAll(() => {
    client.close();
  });

  const statusNow = async () => (await client.call.check({ service: '' })).status;

  it('when the broker goes down, then Check and Watch say NOT_SERVING, and SERVING once it is back', async (context) => {
    const outage = brokerSwitch(servers.kafka);
    if (outage === undefined) {
      context.skip('a real cluster cannot be switched off from a test; runs against the stand-in');
      return;
    }
    expect(await statusNow()).toBe(SERVING);
    const updates = client.call
      .watch({ service: '' }, { deadlineMs: 60_000 })
      [Symbol.asyncIterator]();
    try {
      await expect(updates.next()).resolves.toEqual({ done: false, value: { status: SERVING } });
      await outage.down();
      try {
        // Watch re-evaluates every second; the Kafka probe gives up after one.
        await expect(updates.next()).resolves.toEqual({
          done: false,
          value: { status: NOT_SERVING },
        });
        expect(await statusNow()).toBe(NOT_SERVING);
        expect(running.logs.lines).toContainEqual(
          expect.objectContaining({ msg: 'not ready to serve gRPC', failed: ['kafka'] }),
        );
      } finally {
        await outage.up();
      }
      await expect(updates.next()).resolves.toEqual({ done: false, value: { status: SERVING } });
      expect(await statusNow()).toBe(SERVING);
    } finally {
      await updates.return?.();
    }
  });
});
