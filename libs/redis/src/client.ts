import type { Logger } from '@learning/logger';
import {
  ClientClosedError,
  ClientOfflineError,
  ConnectionTimeoutError,
  createClient,
  SocketClosedUnexpectedlyError,
  SocketTimeoutError,
  TimeoutError,
} from 'redis';

export type RedisClient = ReturnType<typeof createClient>;

export interface ConnectRedisOptions {
  /** `redis[s]://[[user][:password]@]host[:port][/db]`; credentials never reach a log line or an error. */
  url: string;
  logger: Logger;
  /** Sent as CLIENT SETNAME and put on every log line, e.g. the service's name. */
  name?: string;
  /** How long the first connection may take, retries included, before connectRedis rejects. Default 5000. */
  connectTimeoutMs?: number;
}

export class RedisConnectionError extends Error {
  override readonly name = 'RedisConnectionError';
}

const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const MAX_RECONNECT_DELAY_MS = 5_000;

/** Exponential backoff from 100 ms, capped, with jitter so replicas do not reconnect in lockstep. */
export function reconnectDelayMs(retries: number): number {
  const base = Math.min(100 * 2 ** Math.min(retries, 16), MAX_RECONNECT_DELAY_MS);
  return base + Math.floor(Math.random() * 250);
}

/** `host:port` of a Redis URL, the only part of it that is safe to show. */
export function describeServer(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RedisConnectionError(
      'The Redis URL is not a valid URL (expected redis://host:port).',
    );
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new RedisConnectionError('The Redis URL must start with redis:// or rediss://.');
  }
  return `${parsed.hostname}:${parsed.port === '' ? '6379' : parsed.port}`;
}

/**
 * Connects and resolves once the client is ready. The first connection is
 * bounded by `connectTimeoutMs`, so a process with a wrong URL fails at start
 * with a clear error; once connected, a lost connection is retried forever
 * with capped backoff (readiness probes report the outage meanwhile).
 */
export async function connectRedis(options: ConnectRedisOptions): Promise<RedisClient> {
  const server = describeServer(options.url);
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  if (options.name !== undefined && !/^[\x21-\x7e]{1,64}$/.test(options.name)) {
    throw new RedisConnectionError(
      'The Redis client name must be 1 to 64 printable ASCII characters without spaces.',
    );
  }
  const logger = options.logger.child({
    component: 'redis',
    server,
    ...(options.name === undefined ? {} : { redis: options.name }),
  });
  const startedAt = Date.now();
  let everReady = false;
  let gaveUp: RedisConnectionError | undefined;

  const client = createClient({
    url: options.url,
    ...(options.name === undefined ? {} : { name: options.name }),
    // Requests must not hang while Redis is away: commands fail at once and
    // callers decide (fail open, or answer 503).
    disableOfflineQueue: true,
    socket: {
      connectTimeout: connectTimeoutMs,
      reconnectStrategy: (retries, cause) => {
        const delay = reconnectDelayMs(retries);
        if (!everReady && Date.now() - startedAt + delay >= connectTimeoutMs) {
          gaveUp = new RedisConnectionError(
            `Could not connect to Redis at ${server} within ${connectTimeoutMs} ms (${failureReason(cause)}).`,
            { cause },
          );
          return gaveUp;
        }
        return delay;
      },
    },
  });

  client.on('error', (error: unknown) => {
    logger.warn({ err: error }, 'redis connection error');
  });
  client.on('ready', () => {
    everReady = true;
    logger.info('redis ready');
  });

  try {
    await client.connect();
  } catch (error) {
    // node-redis wraps the strategy's error; surface ours, which names the server and the reason.
    throw (
      gaveUp ??
      new RedisConnectionError(
        `Could not connect to Redis at ${server} (${failureReason(error)}).`,
        {
          cause: error,
        },
      )
    );
  }
  return client;
}

/**
 * Why a connection failed: a socket error's code (ECONNREFUSED), else the
 * message of node-redis or of the server (WRONGPASS ...), which never echo credentials.
 */
function failureReason(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' ? code : error.message.slice(0, 120);
}

const DEFAULT_READY_TIMEOUT_MS = 1_000;

/** PING with a short timeout; false on any error, for readiness probes. */
export async function redisReady(
  client: RedisClient,
  timeoutMs = DEFAULT_READY_TIMEOUT_MS,
): Promise<boolean> {
  if (!client.isReady) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(resolve, timeoutMs, false);
  });
  try {
    // node-redis timeouts stop only commands not yet written; a hung server needs the race.
    return await Promise.race([client.ping().then((reply) => reply === 'PONG'), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * node-redis's errors that mean Redis did not answer (a timeout, a closed or
 * lost connection), not that the command was wrong: a caller may retry them shortly.
 */
export const isRedisUnavailable = (error: unknown): boolean =>
  error instanceof ClientClosedError ||
  error instanceof ClientOfflineError ||
  error instanceof ConnectionTimeoutError ||
  error instanceof SocketClosedUnexpectedlyError ||
  error instanceof SocketTimeoutError ||
  error instanceof TimeoutError;
