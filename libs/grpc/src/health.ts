/**
 * grpc.health.v1.Health, as Kubernetes gRPC probes and health-checking load
 * balancers call it. Every known service ("" for the whole server) is SERVING
 * only while every readiness check passes, and NOT_SERVING from the moment the
 * server starts to stop.
 */
import { EventEmitter, on } from 'node:events';
import { AppError } from '@learning/errors';
import type { Logger } from '@learning/logger';
import { health } from '@learning/proto';
import type { ServiceImplementation } from './server.js';

export type ReadinessCheck = () => Promise<boolean>;

export const HEALTH_SERVICE_UNKNOWN = 'HEALTH_SERVICE_UNKNOWN';

const ServingStatus = health.HealthCheckResponse_ServingStatus;
type ServingStatus = health.HealthCheckResponse_ServingStatus;

/** One check's outcome within `timeoutMs`; a throw or a timeout counts as a failure. */
async function passes(
  check: ReadinessCheck,
  timeoutMs: number,
): Promise<{ ok: boolean; error?: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ ok: boolean }>((resolve) => {
    timer = setTimeout(resolve, timeoutMs, { ok: false });
  });
  try {
    return await Promise.race([
      check().then(
        (ok) => ({ ok }),
        (error: unknown) => ({ ok: false, error }),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The server's readiness: evaluated on demand (one evaluation shared by
 * concurrent callers), and polled for watchers, who get a `tick` per poll.
 */
export class Readiness extends EventEmitter<{ tick: [ready: boolean] }> {
  #stopping = false;
  #inFlight: Promise<boolean> | undefined;
  #lastReady: boolean | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly checks: Readonly<Record<string, ReadinessCheck>>,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
  ) {
    super();
    // One listener per open Watch call; any number of clients may watch.
    this.setMaxListeners(0);
  }

  isStopping(): boolean {
    return this.#stopping;
  }

  async evaluate(): Promise<boolean> {
    if (this.#stopping) return false;
    this.#inFlight ??= this.#runChecks().finally(() => {
      this.#inFlight = undefined;
    });
    const ready = await this.#inFlight;
    return ready && !this.#stopping;
  }

  startPolling(intervalMs: number): void {
    this.#timer ??= setInterval(() => {
      if (this.listenerCount('tick') === 0) return;
      void this.evaluate().then((ready) => {
        // stop() has sent the last tick; a poll that finishes after it must not contradict it.
        if (!this.#stopping) this.emit('tick', ready);
      });
    }, intervalMs);
    // Polling never keeps the process alive on its own.
    this.#timer.unref();
  }

  stop(): void {
    if (this.#stopping) return;
    this.#stopping = true;
    clearInterval(this.#timer);
    this.emit('tick', false);
  }

  async #runChecks(): Promise<boolean> {
    const outcomes = await Promise.all(
      Object.entries(this.checks).map(async ([name, check]) => ({
        name,
        ...(await passes(check, this.timeoutMs)),
      })),
    );
    const failed = outcomes.filter((outcome) => !outcome.ok);
    for (const { name, error } of failed) {
      if (error !== undefined)
        this.logger.warn({ err: error, check: name }, 'readiness check threw');
    }
    const ready = failed.length === 0;
    // Transitions only: probes and watchers evaluate every second or so.
    if (ready !== this.#lastReady) {
      if (ready) this.logger.info('ready to serve gRPC');
      else this.logger.warn({ failed: failed.map(({ name }) => name) }, 'not ready to serve gRPC');
      this.#lastReady = ready;
    }
    return ready;
  }
}

export function healthImplementation(
  readiness: Readiness,
  isKnown: (service: string) => boolean,
): ServiceImplementation<typeof health.HealthService> {
  return {
    async check(request) {
      if (!isKnown(request.service)) {
        throw new AppError(
          'not_found',
          HEALTH_SERVICE_UNKNOWN,
          'This server has no service by that name.',
        );
      }
      return {
        status: (await readiness.evaluate()) ? ServingStatus.SERVING : ServingStatus.NOT_SERVING,
      };
    },

    async watch(request, call) {
      const statusFor = (ready: boolean): ServingStatus => {
        if (!isKnown(request.service)) return ServingStatus.SERVICE_UNKNOWN;
        return ready ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
      };
      let last: ServingStatus | undefined;
      const push = async (status: ServingStatus): Promise<void> => {
        if (status === last) return;
        last = status;
        await call.send({ status });
      };
      // Subscribed before the first evaluation, so a change during it is not missed.
      const ticks = on(readiness, 'tick', { signal: call.signal }) as AsyncIterableIterator<
        [boolean]
      >;
      try {
        await push(statusFor(await readiness.evaluate()));
        if (readiness.isStopping()) return;
        for await (const [ready] of ticks) {
          await push(statusFor(ready));
          // Ending the stream lets a graceful shutdown finish; the spec tells clients to re-watch.
          if (readiness.isStopping()) return;
        }
      } finally {
        await ticks.return?.();
      }
    },
  };
}
