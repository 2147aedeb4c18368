/**
 * A webhook receiver on 127.0.0.1: records every call (path, headers, body)
 * and answers each path's calls with the statuses a test sets, 200 otherwise.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCall {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface RecordingReceiver {
  readonly base: string;
  readonly calls: ReceivedCall[];
  /** The statuses the next calls to `path` get, in turn; then 200. */
  answer(path: string, ...statuses: number[]): void;
  /** Every call to `path` gets `status` until changed. */
  always(path: string, status: number): void;
  callsTo(path: string): ReceivedCall[];
  close(): Promise<void>;
}

export async function startReceiver(): Promise<RecordingReceiver> {
  const calls: ReceivedCall[] = [];
  const queued = new Map<string, number[]>();
  const fixed = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      calls.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const next = queued.get(path)?.shift();
      response.statusCode = next ?? fixed.get(path) ?? 200;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    calls,
    answer(path, ...statuses) {
      queued.set(path, [...(queued.get(path) ?? []), ...statuses]);
    },
    always(path, status) {
      fixed.set(path, status);
    },
    callsTo: (path) => calls.filter((call) => call.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => { resolve(); });
      }),
  };
}
