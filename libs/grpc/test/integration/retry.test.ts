import type { LocalIssuer } from '@learning/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GrpcClient } from '../../src/index.js';
import type { ProbeService } from '../fixtures/probe.js';
import {
  localIssuer,
  probeClient,
  serviceToken,
  startProbeServer,
  type ProbeServer,
} from '../support.js';

describe('retries', () => {
  let issuer: LocalIssuer;
  let probe: ProbeServer;
  let client: GrpcClient<typeof ProbeService>;

  beforeAll(async () => {
    issuer = await localIssuer();
    probe = await startProbeServer(issuer);
    const token = await serviceToken(issuer);
    // The support client declares flakyRead idempotent, and flakyWrite not.
    client = probeClient(probe.address, {
      tokenProvider: () => token,
      retry: { maxAttempts: 3, initialBackoffMs: 10, maxBackoffMs: 50 },
    });
  });

  afterAll(async () => {
    client.close();
    await probe.server.stop(1_000);
  });

  it('when an idempotent method fails once with UNAVAILABLE, then the client retries it and succeeds', async () => {
    await expect(client.call.flakyRead({ key: 'read-1' })).resolves.toEqual({ text: 'done' });

    expect(probe.calls.get('read-1')).toBe(2);
  });

  it('when a non-idempotent method fails with UNAVAILABLE, then the client does not retry and reports it', async () => {
    const error = await client.call
      .flakyWrite({ key: 'write-1' })
      .catch((caught: unknown) => caught);

    expect(error).toMatchObject({
      kind: 'unavailable',
      code: 'TRY_AGAIN',
      message: 'Busy for a moment; try again.',
    });
    expect(probe.calls.get('write-1')).toBe(1);
  });

  it('when the server is not there, then the caller gets a clear unavailable error', async () => {
    const stopped = await startProbeServer(issuer);
    await stopped.server.stop(1_000);
    const orphan = probeClient(stopped.address, { tokenProvider: () => serviceToken(issuer) });

    const error = await orphan.call.echo({ text: 'anyone?' }).catch((caught: unknown) => caught);
    orphan.close();

    expect(error).toMatchObject({
      kind: 'unavailable',
      code: 'UPSTREAM_UNAVAILABLE',
      message: 'test.v1.Probe is unavailable right now. Please try again shortly.',
    });
  });
});
