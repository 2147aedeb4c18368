import { connect } from 'node:net';
import { createGrpcClient } from '@learning/grpc';
import { health } from '@learning/proto';
import { describeWithServers, openApiProblems } from '@learning/testing';
import { expect, it } from 'vitest';
import { useRegistrationApp } from '../support/app.js';

/** Whether a TCP connection to the port is accepted, or the error code that refused it. */
function connectOutcome(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      resolve(error.code ?? error.message);
    });
  });
}

describeWithServers(['mongo', 'kafka', 'redis'], 'registration app', (servers) => {
  const running = useRegistrationApp(servers);

  it('when /healthz is asked, then it answers 200', async () => {
    const response = await fetch(`${running.base}/healthz`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('when /readyz is asked, then MongoDB, Kafka and Redis are each reported ok', async () => {
    const response = await fetch(`${running.base}/readyz`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ok',
      checks: { mongo: 'ok', kafka: 'ok', redis: 'ok' },
    });
  });

  it('when /metrics is scraped, then it carries the request duration histogram', async () => {
    await fetch(`${running.base}/healthz`);
    const response = await fetch(`${running.base}/metrics`);

    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/healthz",status_code="200"\} [1-9]/,
    );
  });

  it('when /openapi.json is asked, then the document is titled Registration', async () => {
    const response = await fetch(`${running.base}/openapi.json`);

    expect(response.status).toBe(200);
    const document = (await response.json()) as { info: { title: string; version: string } };
    expect(document.info.title).toBe('Registration');
    expect(document.info.version).toBe('0.1.0');
  });

  it('when /openapi.json is read, then every write that needs an Idempotency-Key declares it, every POST takes one, and every operation declares its errors with the Error schema', async () => {
    const { operations, problems } = openApiProblems(
      await (await fetch(`${running.base}/openapi.json`)).json(),
    );

    expect(operations).toBeGreaterThan(10);
    expect(problems).toEqual([]);
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

  it('when the app is stopped, then its HTTP port refuses connections', async () => {
    expect(await connectOutcome(running.ports.httpPort)).toBe('connected');

    await running.app.stop();

    expect(await connectOutcome(running.ports.httpPort)).toBe('ECONNREFUSED');
    expect(running.logs.lines.filter((line) => line['level'] === 'error')).toEqual([]);
  });
});
