/**
 * An HTTP server on 127.0.0.1 that records every request and answers through
 * a programmable responder: the local stand-in for the SMS provider, the
 * WeChat API and webhook targets, in the stack, tests and benchmarks alike.
 * Generic on purpose: what a provider would answer lives in the responders
 * (src/responders.ts), not here.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';

export interface RecordedRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** The body parsed as JSON; undefined when it is not JSON. */
  readonly json: unknown;
  readonly receivedAt: Date;
  /** 1 for the first request the receiver got, counting across `respondWith`. */
  readonly sequence: number;
}

export interface Reply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** A string or Buffer is sent as is; anything else as JSON. */
  readonly body?: unknown;
  /** Answers after this long (a slow or hanging provider). */
  readonly delayMs?: number;
}

export type Responder = (request: RecordedRequest) => Reply | Promise<Reply>;

export interface RecordingReceiver {
  readonly port: number;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Every request so far, oldest first. */
  readonly requests: readonly RecordedRequest[];
  /** Answers the next requests with `responder`. */
  respondWith(responder: Responder): void;
  /** Resolves with the requests once at least `count` have arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<readonly RecordedRequest[]>;
  /** Forgets the requests recorded (not the responder). */
  clear(): void;
  stop(): Promise<void>;
}

export interface RecordingReceiverOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** 200 with an empty JSON object unless told. */
  readonly respond?: Responder;
  /** Told of each request as it is recorded (the local stack writes them to a log). */
  readonly onRequest?: (request: RecordedRequest) => void;
}

const DEFAULT_WAIT_MS = 10_000;
const WAIT_POLL_MS = 20;

export const acceptEverything: Responder = () => ({ status: 200, body: {} });

function jsonOf(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export async function startRecordingReceiver(
  options: RecordingReceiverOptions = {},
): Promise<RecordingReceiver> {
  const requests: RecordedRequest[] = [];
  let responder = options.respond ?? acceptEverything;
  let sequence = 0;

  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const receivedAt = new Date();
      const body = Buffer.concat(chunks);
      const url = incoming.url ?? '/';
      const parsed = new URL(url, 'http://receiver');
      const request: RecordedRequest = {
        method: incoming.method ?? 'GET',
        url,
        path: parsed.pathname,
        query: parsed.searchParams,
        headers: incoming.headers,
        body,
        json: jsonOf(body),
        receivedAt,
        sequence: ++sequence,
      };
      requests.push(request);
      options.onRequest?.(request);
      Promise.resolve()
        .then(() => responder(request))
        .then(
          async (reply) => {
            if (reply.delayMs !== undefined && reply.delayMs > 0) {
              await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
            }
            // The caller may have given up meanwhile (its timeout): nothing to answer.
            if (response.destroyed) return;
            const isRaw = typeof reply.body === 'string' || Buffer.isBuffer(reply.body);
            const payload =
              reply.body === undefined
                ? ''
                : isRaw
                  ? (reply.body)
                  : JSON.stringify(reply.body);
            response.writeHead(reply.status, {
              ...(reply.body === undefined || isRaw
                ? {}
                : { 'content-type': 'application/json; charset=utf-8' }),
              ...reply.headers,
            });
            response.end(payload);
          },
          (error: unknown) => {
            if (response.destroyed) return;
            response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
            response.end(`the responder failed: ${String(error)}`);
          },
        );
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  const port = typeof bound === 'object' && bound !== null ? bound.port : 0;

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    respondWith(next) {
      responder = next;
    },
    async waitFor(count, timeoutMs = DEFAULT_WAIT_MS) {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < count) {
        if (Date.now() > deadline) {
          throw new Error(
            `the receiver got ${requests.length} of ${count} requests in ${timeoutMs} ms`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
      }
      return [...requests];
    },
    clear() {
      requests.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error === undefined) resolve();
          else reject(error);
        });
        // Keep-alive connections (undici's pool) would hold `close` open.
        server.closeAllConnections();
      }),
  };
}
