import { captureLogger } from '@learning/testing';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { gatewayMetrics } from '../../../src/adapters/metrics/gateways.js';
import { delivered, failed } from '../../../src/adapters/gateways/outcomes.js';
import { pacedGateway, type SendOne } from '../../../src/adapters/gateways/paced.js';
import type { OutboundMessage } from '../../../src/application/ports.js';

const messageTo = (index: number): OutboundMessage => ({
  deliveryId: `evt-${index}:p-${index}:sms`,
  recipient: `p-${index}`,
  address: `1380013${String(index).padStart(4, '0')}`,
  kind: 'enrollment.confirmed',
  language: 'zh-CN',
  rendered: { title: '报名成功', body: '您已报名。', templateVersion: 1 },
});

/** A quota that grants per "second" from a script of grants; each sleep moves to the next second. */
function scriptedQuota(grantsPerSecond: readonly number[]) {
  let second = 0;
  const asked: number[] = [];
  return {
    asked,
    sleeps: 0,
    quota: {
      take: async (_key: string, wanted: number) => {
        asked.push(wanted);
        const left = grantsPerSecond[second] ?? 0;
        const granted = Math.min(left, wanted);
        (grantsPerSecond as number[])[second] = left - granted;
        return { granted, msUntilNextSecond: 1_000 };
      },
    },
    sleep: async () => {
      second += 1;
    },
  };
}

function gatewayWith(
  sendOne: SendOne,
  script: ReturnType<typeof scriptedQuota>,
  maxQuotaWaitMs = 60_000,
) {
  const registry = new Registry();
  const logs = captureLogger();
  const gateway = pacedGateway('sms', sendOne, {
    quota: script.quota,
    metrics: gatewayMetrics(registry),
    logger: logs.logger,
    maxQuotaWaitMs,
    sleep: script.sleep,
  });
  return { gateway, registry, logs };
}

describe('a gateway behind its provider quota', () => {
  it('when a batch is larger than a second’s quota, then it waits for the next seconds and gives every outcome in order', async () => {
    const script = scriptedQuota([2, 0, 2, 1]);
    const sent: string[] = [];
    const { gateway } = gatewayWith(async (message) => {
      sent.push(message.deliveryId);
      return delivered(message.deliveryId, `biz-${message.recipient}`);
    }, script);
    const messages = [1, 2, 3, 4, 5].map(messageTo);

    const outcomes = await gateway.send(messages);

    expect(outcomes.map((outcome) => outcome.deliveryId)).toEqual(
      messages.map((message) => message.deliveryId),
    );
    expect(outcomes.every((outcome) => outcome.status === 'delivered')).toBe(true);
    expect(sent).toEqual(messages.map((message) => message.deliveryId));
    // Each time for all that was left, again in the same second after a grant, and in the next after none.
    expect(script.asked).toEqual([5, 3, 3, 3, 1, 1]);
  });

  it('when the quota stays spent longer than the bounded wait, then what is left fails RATE_LIMITED, retryable', async () => {
    const script = scriptedQuota([1]);
    const { gateway } = gatewayWith(
      async (message) => delivered(message.deliveryId, 'biz'),
      script,
      // Less than the next second's start: the batch does not wait for it.
      500,
    );

    const outcomes = await gateway.send([1, 2, 3].map(messageTo));

    expect(outcomes).toEqual([
      delivered(messageTo(1).deliveryId, 'biz'),
      failed(messageTo(2).deliveryId, 'RATE_LIMITED'),
      failed(messageTo(3).deliveryId, 'RATE_LIMITED'),
    ]);
    expect(outcomes[1]).toMatchObject({ retryable: true });
  });

  it('when the quota cannot be read (Redis down), then nothing is sent and every message fails GATEWAY_UNAVAILABLE, retryable', async () => {
    let calls = 0;
    const registry = new Registry();
    const gateway = pacedGateway(
      'sms',
      async (message) => {
        calls += 1;
        return delivered(message.deliveryId, 'biz');
      },
      {
        quota: {
          take: () => Promise.reject(new Error('connection refused')),
        },
        metrics: gatewayMetrics(registry),
        logger: captureLogger().logger,
        maxQuotaWaitMs: 1_000,
      },
    );

    expect(await gateway.send([messageTo(1), messageTo(2)])).toEqual([
      failed(messageTo(1).deliveryId, 'GATEWAY_UNAVAILABLE'),
      failed(messageTo(2).deliveryId, 'GATEWAY_UNAVAILABLE'),
    ]);
    expect(calls).toBe(0);
  });

  it('when sending one message throws, then that one fails GATEWAY_UNAVAILABLE and the others are sent', async () => {
    const { gateway } = gatewayWith(
      async (message) => {
        if (message.recipient === 'p-2') throw new TypeError('a bug');
        return delivered(message.deliveryId, 'biz');
      },
      scriptedQuota([10]),
    );

    const outcomes = await gateway.send([1, 2, 3].map(messageTo));

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['delivered', 'failed', 'delivered']);
    expect(outcomes[1]).toMatchObject({ code: 'GATEWAY_UNAVAILABLE', retryable: true });
  });

  it('when messages are sent and refused, then the metrics count them by channel and code, and the logs name delivery ids, never addresses', async () => {
    const { gateway, registry, logs } = gatewayWith(
      async (message) =>
        message.recipient === 'p-1'
          ? delivered(message.deliveryId, 'biz')
          : failed(message.deliveryId, 'ADDRESS_INVALID'),
      scriptedQuota([10]),
    );

    await gateway.send([1, 2, 3].map(messageTo));

    const text = await registry.metrics();
    expect(text).toContain('notifications_gateway_sent_total{channel="sms"} 1');
    expect(text).toContain(
      'notifications_gateway_failed_total{channel="sms",code="ADDRESS_INVALID"} 2',
    );
    expect(text).toContain('notifications_gateway_send_seconds_count{channel="sms"} 3');
    expect(logs.text()).toContain(messageTo(2).deliveryId);
    for (const index of [1, 2, 3]) expect(logs.text()).not.toContain(messageTo(index).address);
  });
});
