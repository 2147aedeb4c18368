/** The channel gateways' counters and timings, on the service's registry (scraped at /metrics). */
import { Counter, Histogram, type Registry } from 'prom-client';
import type { SendOutcome } from '../../application/ports.js';

export interface GatewayMetrics {
  /** One message's outcome and how long the provider took to give it. */
  sent(channel: string, outcome: SendOutcome, seconds: number): void;
  /** How long a batch waited for the provider quota before a round of sends. */
  waitedForQuota(channel: string, seconds: number): void;
}

export function gatewayMetrics(registry: Registry): GatewayMetrics {
  const delivered = new Counter({
    name: 'notifications_gateway_sent_total',
    help: 'Messages a provider accepted, by channel',
    labelNames: ['channel'],
    registers: [registry],
  });
  const failed = new Counter({
    name: 'notifications_gateway_failed_total',
    help: 'Messages not handed over, by channel and failure code',
    labelNames: ['channel', 'code'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'notifications_gateway_send_seconds',
    help: 'How long one message took at its provider, by channel',
    labelNames: ['channel'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const quotaWait = new Histogram({
    name: 'notifications_gateway_quota_wait_seconds',
    help: 'How long a batch waited for the provider quota shared by every replica, by channel',
    labelNames: ['channel'],
    buckets: [0.01, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [registry],
  });
  return {
    sent(channel, outcome, seconds) {
      if (outcome.status === 'delivered') delivered.inc({ channel });
      else failed.inc({ channel, code: outcome.code });
      latency.observe({ channel }, seconds);
    },
    waitedForQuota(channel, seconds) {
      quotaWait.observe({ channel }, seconds);
    },
  };
}
