/** The fan-out's progress, on the service's registry (scraped at /metrics), read at scrape time. */
import { Gauge, type Registry } from 'prom-client';

export interface FanOutProgress {
  /** Broadcasts queued or being worked. */
  readonly unfinished: number;
  /** How long the unfinished broadcast that moved least recently has gone without a batch; 0 when none. */
  readonly secondsWithoutProgress: number;
}

/** Every replica reports the same figures (they come from the database): alerts take the max. */
export function broadcastMetrics(
  registry: Registry,
  progress: () => Promise<FanOutProgress>,
): void {
  // A scrape collects every metric at once: both gauges share the one read in flight.
  let reading: Promise<FanOutProgress> | undefined;
  const read = (): Promise<FanOutProgress> =>
    (reading ??= progress().finally(() => {
      reading = undefined;
    }));
  new Gauge({
    name: 'notifications_broadcasts_unfinished',
    help: 'Broadcasts queued or being fanned out',
    registers: [registry],
    async collect() {
      this.set((await read()).unfinished);
    },
  });
  new Gauge({
    name: 'notifications_broadcast_seconds_without_progress',
    help: 'Seconds since the unfinished broadcast that moved least recently wrote a batch (0 when none is unfinished)',
    registers: [registry],
    async collect() {
      this.set((await read()).secondsWithoutProgress);
    },
  });
}
