import { nextTick, ref } from 'vue';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/http.js';
import { useRemote } from '../../src/composables/useRemote.js';

/** A promise the test settles by hand, to order answers as the network might. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

const settle = async (): Promise<void> => {
  await new Promise((resolve) => setTimeout(resolve, 0));
  await nextTick();
};

describe('useRemote', () => {
  it('when the answer comes, then the state goes from loading to ready with it', async () => {
    const answer = deferred<string[]>();
    const { state } = useRemote(ref('读书'), () => answer.promise);
    expect(state.value.kind).toBe('loading');
    answer.resolve(['社区读书会']);
    await settle();
    expect(state.value).toEqual({ kind: 'ready', value: ['社区读书会'] });
  });

  it("when the service refuses, then its stable code and status are kept for the page's message", async () => {
    const { state } = useRemote(ref('x'), () =>
      Promise.reject(new ApiError(404, 'ACTIVITY_NOT_FOUND', 'No such activity.')),
    );
    await settle();
    expect(state.value).toEqual({ kind: 'failed', code: 'ACTIVITY_NOT_FOUND', status: 404 });
  });

  it('when the network fails, then the state says so without a status', async () => {
    const { state } = useRemote(ref('x'), () => Promise.reject(new TypeError('Failed to fetch')));
    await settle();
    expect(state.value).toEqual({ kind: 'failed', code: 'NETWORK', status: null });
  });

  it('when the input changes before the first answer, then the older request is aborted and its late answer ignored', async () => {
    const query = ref('读书');
    const answers = new Map<string, ReturnType<typeof deferred<string>>>();
    const signals = new Map<string, AbortSignal>();
    const { state } = useRemote(query, (value, signal) => {
      const answer = deferred<string>();
      answers.set(value, answer);
      signals.set(value, signal);
      return answer.promise;
    });
    query.value = '宋韵';
    await nextTick();
    expect(signals.get('读书')?.aborted).toBe(true);
    answers.get('宋韵')?.resolve('newer');
    await settle();
    answers.get('读书')?.resolve('older');
    await settle();
    expect(state.value).toEqual({ kind: 'ready', value: 'newer' });
  });

  it('when reload is asked after a failure, then the same input is loaded again', async () => {
    let calls = 0;
    const { state, reload } = useRemote(ref('x'), () => {
      calls += 1;
      return calls === 1
        ? Promise.reject(new ApiError(503, 'UNAVAILABLE', ''))
        : Promise.resolve(calls);
    });
    await settle();
    expect(state.value.kind).toBe('failed');
    reload();
    await settle();
    expect(state.value).toEqual({ kind: 'ready', value: 2 });
  });
});
