import { describe, expect, it } from 'vitest';
import { reusedFor } from '../../src/reuse.js';

describe('a value reused for a while', () => {
  const counting = () => {
    let calls = 0;
    // Not 0: lru-cache takes a start time of 0 as "no start".
    let clock = 1_000_000;
    let fail = false;
    return {
      load: async () => {
        calls += 1;
        if (fail) throw new Error('registration is down');
        return { load: calls };
      },
      now: () => clock,
      advance: (ms: number) => {
        clock += ms;
      },
      failNext: (value: boolean) => {
        fail = value;
      },
      calls: () => calls,
    };
  };

  it('when asked again within its time, then it is not loaded again, even while the first load runs', async () => {
    const source = counting();
    const get = reusedFor(60_000, source.load, source.now);
    const [first, second] = await Promise.all([get(), get()]);
    source.advance(59_999);
    expect([first, second, await get()].map((value) => value.load)).toEqual([1, 1, 1]);
    expect(source.calls()).toBe(1);
  });

  it('when its time is up, then the next ask loads it anew', async () => {
    const source = counting();
    const get = reusedFor(60_000, source.load, source.now);
    await get();
    source.advance(60_001);
    expect((await get()).load).toBe(2);
  });

  it('when a load fails, then the failure is not kept and the next ask tries again', async () => {
    const source = counting();
    const get = reusedFor(60_000, source.load, source.now);
    source.failNext(true);
    await expect(get()).rejects.toThrow('registration is down');
    source.failNext(false);
    expect((await get()).load).toBe(2);
  });
});
