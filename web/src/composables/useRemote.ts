import { shallowRef, watch, type Ref, type WatchSource } from 'vue';
import { ApiError } from '../api/http.js';

export type RemoteState<T> =
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly value: T }
  | { readonly kind: 'failed'; readonly code: string; readonly status: number | null };

/**
 * Loads what a page shows whenever its inputs change: the older request is
 * aborted, so an answer that arrives late never replaces a newer one.
 */
export function useRemote<Input, T>(
  input: WatchSource<Input>,
  load: (input: Input, signal: AbortSignal) => Promise<T>,
): { state: Ref<RemoteState<T>>; reload: () => void } {
  const state = shallowRef<RemoteState<T>>({ kind: 'loading' });
  let current: AbortController | null = null;
  let latest: Input | undefined;

  const run = (value: Input): void => {
    latest = value;
    current?.abort();
    const controller = new AbortController();
    current = controller;
    state.value = { kind: 'loading' };
    load(value, controller.signal).then(
      (result) => {
        if (current === controller) state.value = { kind: 'ready', value: result };
      },
      (error: unknown) => {
        if (current !== controller) return;
        state.value =
          error instanceof ApiError
            ? { kind: 'failed', code: error.code, status: error.status }
            : { kind: 'failed', code: 'NETWORK', status: null };
      },
    );
  };

  watch(input, run, { immediate: true, deep: true });
  return {
    state,
    reload: () => {
      run(latest as Input);
    },
  };
}
