/**
 * How fast the SMS and email gateways hand messages over, against the local
 * sinks (a receiver playing the SMS provider, the SMTP sink) with the quota in
 * Redis (REDIS_URL, default the machine's): once with a quota far above what
 * the machine sends, so the figure is the gateway's own, once with a quota of
 * 200 a second, to show a batch paced at the quota rather than refused.
 * `pnpm --filter @learning/notifications bench:gateways [--quick] [--messages 2000]`;
 * --quick sends 500 messages (the paced run is always three seconds' quota).
 */
import { startChannelSinks } from '@learning/local-infra';
import { createRootLogger } from '@learning/logger';
import { connectRedis } from '@learning/redis';
import { printBenchSummary, uniqueName } from '@learning/testing';
import { parseArgs } from 'node:util';
import { Registry } from 'prom-client';
import { gatewaysFrom, type GatewayConfig } from '../src/adapters/gateways/index.js';
import type { ChannelGateway, OutboundMessage } from '../src/application/ports.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    messages: { type: 'string' },
    batch: { type: 'string', default: '500' },
  },
});
const total = Number(values.messages ?? (values.quick ? '500' : '2000'));
const batchSize = Number(values.batch);
const PACED_RATE = 200;

const logger = createRootLogger({ service: 'bench', version: 'bench', level: 'warn' });
const redis = await connectRedis({
  url: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
  logger,
});
const sinks = await startChannelSinks();
const closers: (() => Promise<unknown>)[] = [];

const gatewayOf = (channel: ChannelGateway['channel'], perSecond: number): ChannelGateway => {
  const config: GatewayConfig = {
    SMTP_URL: sinks.environment['SMTP_URL'],
    EMAIL_FROM: '学习型城市 <noreply@learning.local>',
    SMS_GATEWAY_URL: sinks.environment['SMS_GATEWAY_URL'],
    SMS_GATEWAY_KEY: sinks.environment['SMS_GATEWAY_KEY'],
    SMS_SIGNATURE: '学习型城市',
    WECHAT_GATEWAY_URL: undefined,
    WECHAT_ACCESS_TOKEN: undefined,
    SMS_RATE_PER_SECOND: perSecond,
    EMAIL_RATE_PER_SECOND: perSecond,
    WECHAT_RATE_PER_SECOND: perSecond,
    GATEWAY_TIMEOUT_MS: 5_000,
  };
  const gateway = gatewaysFrom(config, {
    redis,
    registry: new Registry(),
    logger,
    onClose: (_name, close) => closers.push(close),
    quotaName: uniqueName('bench'),
  }).get(channel);
  if (gateway === undefined) throw new Error(`no ${channel} gateway`);
  return gateway;
};

const messagesFor = (channel: string, run: string, count: number): OutboundMessage[] =>
  Array.from({ length: count }, (_, index) => ({
    deliveryId: `${run}-${index}:p-${index}:${channel}`,
    recipient: `p-${index}`,
    address: channel === 'sms' ? `138${String(index).padStart(8, '0')}` : `p${index}@example.cn`,
    kind: 'enrollment.confirmed',
    language: 'zh-CN',
    rendered: {
      title: '报名成功：宋韵讲坛',
      body: '您已报名“宋韵讲坛”，12月8日 14:00 开始。',
      templateVersion: 1,
    },
  }));

async function run(channel: ChannelGateway['channel'], perSecond: number, count: number) {
  const gateway = gatewayOf(channel, perSecond);
  const messages = messagesFor(channel, uniqueName('r'), count);
  const started = performance.now();
  let delivered = 0;
  for (let offset = 0; offset < messages.length; offset += batchSize) {
    const outcomes = await gateway.send(messages.slice(offset, offset + batchSize));
    delivered += outcomes.filter((outcome) => outcome.status === 'delivered').length;
  }
  const seconds = (performance.now() - started) / 1000;
  const perSecondSent = Math.round(count / seconds);
  process.stdout.write(
    `${channel.padEnd(5)} quota ${String(perSecond).padStart(6)}/s: ${count} messages in ${seconds.toFixed(2)} s = ${perSecondSent}/s, ${delivered} delivered\n`,
  );
  return {
    messages: count,
    seconds: Number(seconds.toFixed(3)),
    perSecond: perSecondSent,
    delivered,
  };
}

const smsUnbounded = await run('sms', 100_000, total);
const emailUnbounded = await run('email', 100_000, Math.min(total, 1_000));
const smsPaced = await run('sms', PACED_RATE, PACED_RATE * 3);

for (const close of closers) await close();
await sinks.stop();
await redis.close();
printBenchSummary(
  'notifications-gateways',
  {
    smsUnbounded,
    emailUnbounded,
    smsPaced: { ...smsPaced, quota: PACED_RATE },
    everyMessageDelivered: [smsUnbounded, emailUnbounded, smsPaced].every(
      ({ messages, delivered }) => delivered === messages,
    ),
    // The quota counts per one-second window, so three windows' messages may go out in just
    // over two seconds (the first window is already running when the batch starts).
    pacedWithinQuota: smsPaced.seconds > smsPaced.messages / PACED_RATE - 1,
  },
  // The README sets no speed goal; a batch must be delivered whole, paced rather than refused.
  { everyMessageDelivered: { equals: true }, pacedWithinQuota: { equals: true } },
);
