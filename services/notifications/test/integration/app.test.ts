import { createGrpcClient } from '@learning/grpc';
import { health } from '@learning/proto';
import { describeWithServers } from '@learning/testing';
import { expect, it } from 'vitest';
import { useNotificationsStack } from '../support/stack.js';

describeWithServers(['mongo', 'kafka', 'redis'], 'notifications app', (servers) => {
  const running = useNotificationsStack(servers).notifications;

  it('when /healthz is asked, then it answers 200', async () => {
    expect((await fetch(`${running.base}/healthz`)).status).toBe(200);
  });

  it('when /readyz is asked, then MongoDB, Kafka and Redis are each reported ok', async () => {
    const response = await fetch(`${running.base}/readyz`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ok',
      checks: { mongo: 'ok', kafka: 'ok', redis: 'ok' },
    });
  });

  it('when gRPC health is checked, then the server answers SERVING', async () => {
    const client = createGrpcClient(health.HealthClient, {
      address: `127.0.0.1:${running.ports.grpcPort}`,
      logger: running.logs.logger,
      idempotentMethods: ['check'],
    });
    try {
      await expect(client.call.check({ service: '' })).resolves.toEqual({
        status: health.HealthCheckResponse_ServingStatus.SERVING,
      });
    } finally {
      client.close();
    }
  });

  it('when /openapi.json is asked, then the document is titled Notifications', async () => {
    const response = await fetch(`${running.base}/openapi.json`);

    expect(response.status).toBe(200);
    expect(((await response.json()) as { info: { title: string } }).info.title).toBe(
      'Notifications',
    );
  });
});
