/**
 * The channel gateways through their real adapters: nodemailer to the SMTP
 * sink, fetch to the recording receiver playing the SMS provider and WeChat,
 * the provider quota in the harness's Redis.
 */
import {
  delayed,
  failFirst,
  smsProvider,
  startRecordingReceiver,
  startSmtpSink,
  wechatApi,
  type RecordingReceiver,
  type Responder,
  type SmtpSink,
} from '@learning/local-infra';
import { connectRedis, type RedisClient } from '@learning/redis';
import { captureLogger, describeWithServers, uniqueName } from '@learning/testing';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { messageIdOf } from '../../src/adapters/gateways/email.js';
import {
  gatewaysFrom,
  type GatewayConfig,
  type Gateways,
} from '../../src/adapters/gateways/index.js';
import type { ChannelGateway, OutboundMessage } from '../../src/application/ports.js';

const EMAIL_FROM = '学习型城市 <noreply@learning.local>';
const SMS_KEY = 'sms-key';
const WECHAT_TOKEN = 'wechat-token';
// Roomy: a loaded CI machine must not time out a call the test expects answered.
const TIMEOUT_MS = 1_500;

const messageOf = (
  channel: ChannelGateway['channel'],
  index: number,
  address: string,
): OutboundMessage => ({
  deliveryId: `evt-${index}:p-${index}:${channel}`,
  recipient: `p-${index}`,
  address,
  kind: 'enrollment.confirmed',
  language: 'zh-CN',
  rendered: {
    title: '报名成功：宋韵讲坛',
    body: '您已报名“宋韵讲坛”，12月8日 14:00 在市图书馆开始。',
    templateVersion: 1,
  },
});

const mobile = (index: number): string => `1380013${String(index).padStart(4, '0')}`;

describeWithServers(['redis'], 'the channel gateways', (servers) => {
  let redis: RedisClient;
  let smtp: SmtpSink;
  let receiver: RecordingReceiver;
  const closers: (() => Promise<unknown>)[] = [];
  const logs = captureLogger();

  beforeAll(async () => {
    redis = await connectRedis({ url: servers.redis.url, logger: logs.logger });
    smtp = await startSmtpSink();
    receiver = await startRecordingReceiver();
  });
  afterEach(() => {
    smtp.clear();
    receiver.clear();
  });
  afterAll(async () => {
    for (const close of closers) await close();
    await Promise.allSettled([smtp.stop(), receiver.stop()]);
    await redis.close();
  });

  /** A fresh set of gateways on the sinks, with a quota of its own unless `quotaName` is shared. */
  function gateways(overrides: Partial<GatewayConfig> = {}, quotaName = uniqueName('q')): Gateways {
    const config: GatewayConfig = {
      SMTP_URL: smtp.url,
      EMAIL_FROM,
      SMS_GATEWAY_URL: `${receiver.url}/sms/send`,
      SMS_GATEWAY_KEY: SMS_KEY,
      SMS_SIGNATURE: '学习型城市',
      WECHAT_GATEWAY_URL: `${receiver.url}/cgi-bin/message/template/send`,
      WECHAT_ACCESS_TOKEN: WECHAT_TOKEN,
      SMS_RATE_PER_SECOND: 100,
      EMAIL_RATE_PER_SECOND: 100,
      WECHAT_RATE_PER_SECOND: 100,
      GATEWAY_TIMEOUT_MS: TIMEOUT_MS,
      ...overrides,
    };
    return gatewaysFrom(config, {
      redis,
      registry: new Registry(),
      logger: logs.logger,
      onClose: (_name, close) => closers.push(close),
      quotaName,
      maxQuotaWaitMs: 10_000,
    });
  }

  const gatewayOf = (all: Gateways, channel: ChannelGateway['channel']): ChannelGateway => {
    const gateway = all.get(channel);
    if (gateway === undefined) throw new Error(`no ${channel} gateway`);
    return gateway;
  };

  const playing = (responder: Responder): void => {
    receiver.respondWith(responder);
  };

  it('when a provider URL is unset, then its channel is absent and the others are there', () => {
    const some = gateways({ SMS_GATEWAY_URL: undefined, WECHAT_GATEWAY_URL: undefined });

    expect([...some.keys()]).toEqual(['email']);
    expect([...gateways().keys()].sort()).toEqual(['email', 'sms', 'wechat']);
  });

  it('when an email is sent, then the sink receives it with the Chinese subject and body intact and a Message-ID made from the delivery id', async () => {
    const message = messageOf('email', 1, 'resident@example.cn');

    const outcomes = await gatewayOf(gateways(), 'email').send([message]);

    const [mail] = await smtp.waitFor(1);
    expect(mail).toMatchObject({
      to: ['resident@example.cn'],
      subject: '报名成功：宋韵讲坛',
      text: '您已报名“宋韵讲坛”，12月8日 14:00 在市图书馆开始。',
      messageId: '<evt-1%3Ap-1%3Aemail@learning.local>',
    });
    expect(mail?.headers['from']).toContain('noreply@learning.local');
    expect(outcomes).toEqual([
      {
        deliveryId: message.deliveryId,
        status: 'delivered',
        providerId: messageIdOf(message.deliveryId, EMAIL_FROM),
      },
    ]);
  });

  it('when one mailbox of a batch is refused (550), then that message fails ADDRESS_INVALID, not retryable, and the others are delivered', async () => {
    smtp.refuse('gone@example.cn');
    const batch = [
      messageOf('email', 1, 'a@example.cn'),
      messageOf('email', 2, 'gone@example.cn'),
      messageOf('email', 3, 'b@example.cn'),
    ];

    const outcomes = await gatewayOf(gateways(), 'email').send(batch);

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['delivered', 'failed', 'delivered']);
    expect(outcomes[1]).toEqual({
      deliveryId: batch[1]?.deliveryId,
      status: 'failed',
      code: 'ADDRESS_INVALID',
      retryable: false,
    });
    expect(smtp.messages.map((mail) => mail.to[0]).sort()).toEqual([
      'a@example.cn',
      'b@example.cn',
    ]);
  });

  it('when the mail server refuses for now (451) or is not there, then the message fails GATEWAY_UNAVAILABLE, retryable', async () => {
    smtp.refuse('busy@example.cn', { code: 451 });
    const closed = await startSmtpSink();
    await closed.stop();

    const busy = await gatewayOf(gateways(), 'email').send([
      messageOf('email', 1, 'busy@example.cn'),
    ]);
    const down = await gatewayOf(gateways({ SMTP_URL: closed.url }), 'email').send([
      messageOf('email', 2, 'a@example.cn'),
    ]);

    expect([...busy, ...down]).toMatchObject([
      { status: 'failed', code: 'GATEWAY_UNAVAILABLE', retryable: true },
      { status: 'failed', code: 'GATEWAY_UNAVAILABLE', retryable: true },
    ]);
  });

  it('when an SMS is sent, then the provider gets the key, the out-id, the number and the signed text, and the outcome carries its bizId', async () => {
    const provider = smsProvider({ key: SMS_KEY });
    playing(provider.respond);
    const message = messageOf('sms', 1, mobile(1));

    const outcomes = await gatewayOf(gateways(), 'sms').send([message]);

    const [request] = receiver.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/sms/send' });
    expect(request?.headers['authorization']).toBe(`Bearer ${SMS_KEY}`);
    expect(request?.headers['content-type']).toContain('application/json');
    expect(request?.json).toEqual({
      outId: message.deliveryId,
      phoneNumbers: mobile(1),
      signName: '学习型城市',
      content: '【学习型城市】您已报名“宋韵讲坛”，12月8日 14:00 在市图书馆开始。',
    });
    expect(outcomes).toEqual([
      {
        deliveryId: message.deliveryId,
        status: 'delivered',
        providerId: provider.accepted.get(message.deliveryId),
      },
    ]);
  });

  it('when an SMS is sent again after its first call failed, then the provider has accepted it once: the repeat carries the same out-id', async () => {
    const provider = smsProvider({ key: SMS_KEY });
    const sms = gatewayOf(gateways(), 'sms');
    const message = messageOf('sms', 1, mobile(1));
    // The provider takes the message but the answer is lost to our timeout.
    playing(delayed(TIMEOUT_MS * 3, provider.respond));

    const first = await sms.send([message]);
    playing(provider.respond);
    const second = await sms.send([message]);

    expect(first).toMatchObject([
      { status: 'failed', code: 'GATEWAY_UNAVAILABLE', retryable: true },
    ]);
    expect(second).toMatchObject([{ status: 'delivered' }]);
    expect(provider.accepted.size).toBe(1);
    expect(provider.repeats).toEqual([message.deliveryId]);
  });

  it('when the provider refuses in each of its ways, then each SMS fails with its code', async () => {
    const provider = smsProvider({ key: SMS_KEY });
    playing((request) => {
      const outId = (request.json as { outId: string }).outId;
      if (outId.startsWith('evt-2:'))
        return { status: 429, body: { code: 'isv.BUSINESS_LIMIT_CONTROL' } };
      if (outId.startsWith('evt-3:')) return { status: 500, body: { code: 'InternalError' } };
      if (outId.startsWith('evt-4:'))
        return { status: 400, body: { code: 'isv.TEMPLATE_MISSING' } };
      return provider.respond(request);
    });

    const outcomes = await gatewayOf(gateways(), 'sms').send([
      messageOf('sms', 1, '057487654321'),
      messageOf('sms', 2, mobile(2)),
      messageOf('sms', 3, mobile(3)),
      messageOf('sms', 4, mobile(4)),
    ]);

    expect(
      outcomes.map((outcome) =>
        outcome.status === 'failed' ? [outcome.code, outcome.retryable] : outcome.status,
      ),
    ).toEqual([
      ['ADDRESS_INVALID', false],
      ['RATE_LIMITED', true],
      ['GATEWAY_UNAVAILABLE', true],
      ['GATEWAY_REJECTED', false],
    ]);
  });

  it('when the SMS key is wrong, then the provider’s 401 fails the message GATEWAY_REJECTED', async () => {
    playing(smsProvider({ key: SMS_KEY }).respond);

    const outcomes = await gatewayOf(gateways({ SMS_GATEWAY_KEY: 'stale' }), 'sms').send([
      messageOf('sms', 1, mobile(1)),
    ]);

    expect(outcomes).toMatchObject([
      { status: 'failed', code: 'GATEWAY_REJECTED', retryable: false },
    ]);
  });

  it('when a WeChat message is sent, then the template message carries the openid, the kind’s template, the text and the delivery id, with the access token in the query', async () => {
    const provider = wechatApi({ accessToken: WECHAT_TOKEN });
    playing(provider.respond);
    const message = messageOf('wechat', 1, 'o-openid-1');

    const outcomes = await gatewayOf(gateways(), 'wechat').send([message]);

    const [request] = receiver.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/cgi-bin/message/template/send' });
    expect(request?.query.get('access_token')).toBe(WECHAT_TOKEN);
    expect(request?.json).toEqual({
      touser: 'o-openid-1',
      template_id: 'enrollment.confirmed',
      data: {
        title: { value: '报名成功：宋韵讲坛' },
        content: { value: '您已报名“宋韵讲坛”，12月8日 14:00 在市图书馆开始。' },
      },
      client_msg_id: message.deliveryId,
    });
    expect(outcomes).toEqual([
      {
        deliveryId: message.deliveryId,
        status: 'delivered',
        providerId: provider.accepted.get(message.deliveryId),
      },
    ]);
  });

  it('when WeChat answers with its errcodes, a failure first or too late, then each message fails with its code and a repeat is recognised', async () => {
    const provider = wechatApi({
      accessToken: WECHAT_TOKEN,
      unsubscribed: ['gone'],
      invalid: ['nobody'],
    });
    const wechat = gatewayOf(gateways(), 'wechat');
    playing((request) => {
      const id = (request.json as { client_msg_id: string }).client_msg_id;
      if (id.startsWith('evt-3:'))
        return { status: 200, body: { errcode: 45009, errmsg: 'reach max api daily quota limit' } };
      if (id.startsWith('evt-4:'))
        return { status: 200, body: { errcode: -1, errmsg: 'system error' } };
      if (id.startsWith('evt-5:')) return delayed(TIMEOUT_MS * 3, provider.respond)(request);
      return provider.respond(request);
    });

    const outcomes = await wechat.send([
      messageOf('wechat', 1, 'gone'),
      messageOf('wechat', 2, 'nobody'),
      messageOf('wechat', 3, 'o-3'),
      messageOf('wechat', 4, 'o-4'),
      messageOf('wechat', 5, 'o-5'),
    ]);
    playing(failFirst(1, provider.respond));
    const retried = await wechat.send([messageOf('wechat', 5, 'o-5')]);
    const again = await wechat.send([messageOf('wechat', 5, 'o-5')]);

    expect(
      outcomes.map((outcome) =>
        outcome.status === 'failed' ? [outcome.code, outcome.retryable] : outcome.status,
      ),
    ).toEqual([
      ['ADDRESS_INVALID', false],
      ['ADDRESS_INVALID', false],
      ['RATE_LIMITED', true],
      ['GATEWAY_UNAVAILABLE', true],
      ['GATEWAY_UNAVAILABLE', true],
    ]);
    expect(retried).toMatchObject([{ status: 'failed', code: 'GATEWAY_UNAVAILABLE' }]);
    expect(again).toMatchObject([{ status: 'delivered' }]);
    // The late answer to the first try was an acceptance: the last try was a repeat, not a second message.
    expect(provider.repeats).toEqual([messageOf('wechat', 5, 'o-5').deliveryId]);
    expect(provider.accepted.size).toBe(1);
  });

  it('when two gateway instances share a quota of 5 SMS a second on one Redis, then no wall-clock second sees more than 5 sends and every message is delivered', async () => {
    const quotaName = uniqueName('shared');
    const provider = smsProvider({ key: SMS_KEY });
    playing(provider.respond);
    const first = gatewayOf(gateways({ SMS_RATE_PER_SECOND: 5 }, quotaName), 'sms');
    const second = gatewayOf(gateways({ SMS_RATE_PER_SECOND: 5 }, quotaName), 'sms');
    const batch = (offset: number) =>
      Array.from({ length: 12 }, (_, index) =>
        messageOf('sms', offset + index, mobile(offset + index)),
      );

    const outcomes = (await Promise.all([first.send(batch(0)), second.send(batch(100))])).flat();

    expect(outcomes.every((outcome) => outcome.status === 'delivered')).toBe(true);
    expect(provider.accepted.size).toBe(24);
    const perSecond = new Map<number, number>();
    for (const request of receiver.requests) {
      const second = Math.floor(request.receivedAt.getTime() / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(5);
    // 24 messages at 5 a second take at least five seconds.
    expect(perSecond.size).toBeGreaterThanOrEqual(5);
  }, 30_000);

  it('when the logs of all these sends are read, then no address appears in them', () => {
    const text = logs.text();
    expect(text).toContain('evt-2:p-2:sms');
    for (const address of [
      'gone@example.cn',
      'busy@example.cn',
      mobile(2),
      '057487654321',
      'nobody',
      'o-openid-1',
    ]) {
      expect(text).not.toContain(address);
    }
  });
});
