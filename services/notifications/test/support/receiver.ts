/**
 * A webhook target for tests: the local stack's recording receiver, answering
 * each path's calls with the statuses a test sets (200 otherwise).
 */
import { startRecordingReceiver, type RecordedRequest } from '@learning/local-infra';

export interface WebhookTarget {
  readonly base: string;
  /** The statuses the next calls to `path` get, in turn; then `always`'s or 200. */
  answer(path: string, ...statuses: number[]): void;
  /** Every call to `path` gets `status` until changed. */
  always(path: string, status: number): void;
  callsTo(path: string): readonly RecordedRequest[];
  close(): Promise<void>;
}

export async function startWebhookTarget(): Promise<WebhookTarget> {
  const queued = new Map<string, number[]>();
  const fixed = new Map<string, number>();
  const receiver = await startRecordingReceiver({
    respond: (request) => ({
      status: queued.get(request.path)?.shift() ?? fixed.get(request.path) ?? 200,
    }),
  });
  return {
    base: receiver.url,
    answer(path, ...statuses) {
      queued.set(path, [...(queued.get(path) ?? []), ...statuses]);
    },
    always(path, status) {
      fixed.set(path, status);
    },
    callsTo: (path) => receiver.requests.filter((request) => request.path === path),
    close: () => receiver.stop(),
  };
}
