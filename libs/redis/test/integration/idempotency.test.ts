import { expect, it, vi } from 'vitest';
import { describeWithServers } from '@learning/testing';
import { IdempotencyStore, redisKey, type StoredResponse } from '../../src/index.js';
import { runId, sleep, useRedisTestBed } from './support.js';

const response: StoredResponse = {
  statusCode: 201,
  headers: { 'content-type': 'application/json; charset=utf-8', location: '/enrollments/e-1' },
  body: JSON.stringify({ id: 'e-1', activity: '十月读书节', note: 'line\nbreak "quoted"' }),
};

describeWithServers(['redis'], 'IdempotencyStore', (servers) => {
  const bed = useRedisTestBed(servers);

  const store = (): IdempotencyStore =>
    new IdempotencyStore(bed.client, { name: runId, ttlSeconds: 3600 });

  it('when a request starts, repeats while running, completes and repeats, then it is started, in_progress, then replayed exactly', async () => {
    const idempotency = store();
    expect(await idempotency.begin('key-1', 'fp-a')).toEqual({ state: 'started' });
    expect(await idempotency.begin('key-1', 'fp-a')).toEqual({ state: 'in_progress' });

    await idempotency.complete('key-1', 'fp-a', response);

    expect(await idempotency.begin('key-1', 'fp-a')).toEqual({ state: 'replay', response });
    expect(await idempotency.begin('key-1', 'fp-a')).toEqual({ state: 'replay', response });
  });

  it('when the key is reused with a different fingerprint, then it is a mismatch while running and after completion', async () => {
    const idempotency = store();
    await idempotency.begin('key-2', 'fp-a');
    expect(await idempotency.begin('key-2', 'fp-b')).toEqual({ state: 'mismatch' });
    await idempotency.complete('key-2', 'fp-a', response);
    expect(await idempotency.begin('key-2', 'fp-b')).toEqual({ state: 'mismatch' });
  });

  it('when an attempt is abandoned, then a retry starts again', async () => {
    const idempotency = store();
    await idempotency.begin('key-3', 'fp-a');
    await idempotency.abandon('key-3');
    expect(await idempotency.begin('key-3', 'fp-a')).toEqual({ state: 'started' });
  });

  it('when a completed entry is abandoned, then it is kept and still replayed', async () => {
    const idempotency = store();
    await idempotency.begin('key-4', 'fp-a');
    await idempotency.complete('key-4', 'fp-a', response);
    await idempotency.abandon('key-4');
    expect(await idempotency.begin('key-4', 'fp-a')).toEqual({ state: 'replay', response });
  });

  it('when 50 requests of one turn begin and complete, then Redis gets one script call for the claims and one for the responses, and each key is answered as if alone', async () => {
    const idempotency = store();
    await idempotency.begin('batch-done', 'fp-a');
    await idempotency.complete('batch-done', 'fp-a', response);
    const calls = vi.spyOn(bed.client, 'eval');
    try {
      const keys = Array.from({ length: 50 }, (_, i) => `batch-${String(i)}`);
      const begun = await Promise.all([
        ...keys.map((key) => idempotency.begin(key, 'fp-a')),
        idempotency.begin('batch-0', 'fp-a'),
        idempotency.begin('batch-done', 'fp-a'),
        idempotency.begin('batch-done', 'fp-b'),
      ]);
      expect(begun).toEqual([
        ...keys.map(() => ({ state: 'started' })),
        { state: 'in_progress' },
        { state: 'replay', response },
        { state: 'mismatch' },
      ]);
      await Promise.all(keys.map((key) => idempotency.complete(key, 'fp-a', response)));
      expect(calls).toHaveBeenCalledTimes(2);
      expect(await idempotency.begin('batch-49', 'fp-a')).toEqual({ state: 'replay', response });
    } finally {
      calls.mockRestore();
    }
  });

  it('when many replicas begin the same key at once, then exactly one starts', async () => {
    const idempotency = store();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => idempotency.begin('key-5', 'fp-a')),
    );
    expect(results.filter((result) => result.state === 'started')).toHaveLength(1);
    expect(results.filter((result) => result.state === 'in_progress')).toHaveLength(19);
  });

  it('when a claim was lost to another request, then the late complete does not overwrite it', async () => {
    const idempotency = store();
    await idempotency.begin('key-6', 'fp-a');
    await idempotency.abandon('key-6');
    await idempotency.begin('key-6', 'fp-b');

    await idempotency.complete('key-6', 'fp-a', response);

    expect(await idempotency.begin('key-6', 'fp-b')).toEqual({ state: 'in_progress' });
  });

  it('when entries outlive their TTLs, then they expire and the key can start again', async () => {
    const idempotency = new IdempotencyStore(bed.client, {
      name: runId,
      ttlSeconds: 1,
      inProgressTtlSeconds: 1,
    });
    await idempotency.begin('key-7', 'fp-a');
    await idempotency.begin('key-8', 'fp-a');
    await idempotency.complete('key-8', 'fp-a', response);
    const remainingMs = await bed.client.pTTL(redisKey('idem', runId, 'key-8'));
    expect(remainingMs).toBeGreaterThan(0);
    expect(remainingMs).toBeLessThanOrEqual(1_000);

    await sleep(1_200);

    expect(await idempotency.begin('key-7', 'fp-a')).toEqual({ state: 'started' });
    expect(await idempotency.begin('key-8', 'fp-b')).toEqual({ state: 'started' });
  });

  it('when the idempotency key contains whitespace, then begin rejects with an invalid_argument AppError', async () => {
    await expect(store().begin('key 9', 'fp-a')).rejects.toMatchObject({
      name: 'AppError',
      kind: 'invalid_argument',
    });
  });
});
