import { rejectionOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import { probeClient, serviceToken, startProbeServer, useProbeBed } from '../support.js';

describe('retries', () => {
  // The support client declares flakyRead idempotent, and flakyWrite not.
  const bed = useProbeBed({ retry: { maxAttempts: 3, initialBackoffMs: 10, maxBackoffMs: 50 } });

  it('when an idempotent method fails once with UNAVAILABLE, then the client retries it and succeeds', async () => {
    await expect(bed.client.call.flakyRead({ key: 'read-1' })).resolves.toEqual({ text: 'done' });

    expect(bed.probe.calls.get('read-1')).toBe(2);
  });

  it('when a non-idempotent method fails with UNAVAILABLE, then the client does not retry and reports it', async () => {
    const error = await rejectionOf(bed.client.call.flakyWrite({ key: 'write-1' }));

    expect(error).toMatchObject({
      kind: 'unavailable',
      code: 'TRY_AGAIN',
      message: 'Busy for a moment; try again.',
    });
    expect(bed.probe.calls.get('write-1')).toBe(1);
  });

  it('when the server is not there, then the caller gets a clear unavailable error', async () => {
    const stopped = await startProbeServer(bed.issuer);
    await stopped.server.stop(1_000);
    const orphan = probeClient(stopped.address, { tokenProvider: () => serviceToken(bed.issuer) });

    const error = await rejectionOf(orphan.call.echo({ text: 'anyone?' }));
    orphan.close();

    expect(error).toMatchObject({
      kind: 'unavailable',
      code: 'UPSTREAM_UNAVAILABLE',
      message: 'test.v1.Probe is unavailable right now. Please try again shortly.',
    });
  });
});
