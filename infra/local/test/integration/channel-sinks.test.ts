/**
 * The local providers' stand-ins, through real sockets: the SMTP sink with
 * nodemailer as the client, the recording receiver with fetch.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  byPath,
  delayed,
  failFirst,
  failFraction,
  smsProvider,
  startChannelSinks,
  startRecordingReceiver,
  startSmtpSink,
  wechatApi,
  type RecordingReceiver,
  type SmtpSink,
} from '../../src/index.js';

const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('the SMTP sink', () => {
  let sink: SmtpSink;
  const transport = () => createTransport({ url: sink.url });

  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterEach(() => {
    sink.clear();
  });
  afterAll(async () => {
    await sink.stop();
  });

  it('when a message with a Chinese subject and body is sent, then it is recorded parsed, envelope, Message-ID and headers included', async () => {
    await transport().sendMail({
      from: '学习型城市 <noreply@learning.local>',
      to: 'resident@example.cn',
      subject: '报名成功：宋韵讲坛',
      text: '您已报名“宋韵讲坛”，12月8日 14:00 开始。',
      messageId: '<evt-1%3Ap-1%3Aemail@learning.local>',
    });

    const [mail] = await sink.waitFor(1);
    expect(mail).toMatchObject({
      from: 'noreply@learning.local',
      to: ['resident@example.cn'],
      subject: '报名成功：宋韵讲坛',
      text: '您已报名“宋韵讲坛”，12月8日 14:00 开始。',
      messageId: '<evt-1%3Ap-1%3Aemail@learning.local>',
    });
    expect(mail?.headers['message-id']).toBe('<evt-1%3Ap-1%3Aemail@learning.local>');
    // Encoded on the wire (RFC 2047), decoded in `subject`.
    expect(mail?.headers['subject']).toMatch(/^=\?UTF-8\?/i);
  });

  it('when a recipient is refused, then RCPT TO is answered 550 and nothing is recorded', async () => {
    sink.refuse('Gone@Example.cn');

    const refusal = await transport()
      .sendMail({ from: 'noreply@learning.local', to: 'gone@example.cn', subject: 's', text: 't' })
      .then(
        () => undefined,
        (error: unknown) => error as { responseCode?: number; command?: string },
      );

    expect(refusal).toMatchObject({ responseCode: 550, command: 'RCPT TO' });
    expect(sink.messages).toHaveLength(0);
  });

  it('when a recipient is refused with a temporary code, then the client sees that code', async () => {
    sink.refuse('busy@example.cn', { code: 451, message: 'try again later' });

    const refusal = await transport()
      .sendMail({ from: 'noreply@learning.local', to: 'busy@example.cn', subject: 's', text: 't' })
      .then(
        () => undefined,
        (error: unknown) => error as { responseCode?: number },
      );

    expect(refusal).toMatchObject({ responseCode: 451 });
  });

  it('when fewer messages than awaited arrive, then waitFor rejects saying how many came', async () => {
    await expect(sink.waitFor(1, 100)).rejects.toThrow('received 0 of 1 messages');
  });
});

describe('the recording receiver', () => {
  let receiver: RecordingReceiver;

  beforeAll(async () => {
    receiver = await startRecordingReceiver();
  });
  afterEach(() => {
    receiver.clear();
  });
  afterAll(async () => {
    await receiver.stop();
  });

  it('when a request arrives, then its method, path, query, headers, raw body and JSON are recorded with the time', async () => {
    const before = Date.now();
    const response = await postJson(
      `${receiver.url}/hooks/a?x=1`,
      { 名: '值' },
      { 'x-sig': 'abc' },
    );

    expect(response.status).toBe(200);
    const [request] = receiver.requests;
    expect(request).toMatchObject({
      method: 'POST',
      url: '/hooks/a?x=1',
      path: '/hooks/a',
      json: { 名: '值' },
    });
    expect(request?.query.get('x')).toBe('1');
    expect(request?.headers['x-sig']).toBe('abc');
    expect(request?.body.toString('utf8')).toBe(JSON.stringify({ 名: '值' }));
    expect(request?.receivedAt.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('when the body is not JSON, then json is undefined and the raw body is kept', async () => {
    await fetch(`${receiver.url}/plain`, { method: 'POST', body: 'not json' });

    expect(receiver.requests[0]).toMatchObject({ json: undefined });
    expect(receiver.requests[0]?.body.toString()).toBe('not json');
  });

  it('when the first two calls are set to fail, then they get 503 and the third the responder’s answer', async () => {
    receiver.respondWith(failFirst(2, () => ({ status: 202, body: { ok: true } })));

    const statuses = [];
    for (let call = 0; call < 3; call++) statuses.push((await postJson(receiver.url, {})).status);

    expect(statuses).toEqual([503, 503, 202]);
  });

  it('when a seeded tenth of the calls fail, then the same calls fail for the same seed, about a tenth of them', async () => {
    const failuresWith = async (seed: number): Promise<number[]> => {
      receiver.respondWith(failFraction({ fraction: 0.1, seed }, () => ({ status: 200 })));
      const failures: number[] = [];
      for (let call = 0; call < 200; call++) {
        if ((await postJson(receiver.url, {})).status === 503) failures.push(call);
      }
      return failures;
    };

    const first = await failuresWith(7);
    const again = await failuresWith(7);
    const other = await failuresWith(8);

    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    expect(first.length).toBeGreaterThan(5);
    expect(first.length).toBeLessThan(40);
  });

  it('when the answer is delayed past the caller’s timeout, then the caller gives up and the request is still recorded', async () => {
    receiver.respondWith(delayed(1_000, () => ({ status: 200 })));

    const outcome = await fetch(receiver.url, {
      method: 'POST',
      signal: AbortSignal.timeout(100),
    }).then(
      () => 'answered',
      (error: unknown) => (error as Error).name,
    );

    expect(outcome).toBe('TimeoutError');
    expect(receiver.requests).toHaveLength(1);
  });

  it('when routes are given by path, then the longest matching prefix answers and the rest falls through', async () => {
    receiver.respondWith(
      byPath({ '/a': () => ({ status: 201 }), '/a/b': () => ({ status: 202 }) }, () => ({
        status: 404,
      })),
    );

    const statuses = [];
    for (const path of ['/a/x', '/a/b/c', '/z']) {
      statuses.push((await postJson(`${receiver.url}${path}`, {})).status);
    }

    expect(statuses).toEqual([201, 202, 404]);
  });
});

describe('the played providers', () => {
  let receiver: RecordingReceiver;

  beforeAll(async () => {
    receiver = await startRecordingReceiver();
  });
  afterAll(async () => {
    await receiver.stop();
  });

  const sms = {
    outId: 'evt-1:p-1:sms',
    phoneNumbers: '13800138000',
    signName: '学习型城市',
    content: '【学习型城市】你好',
  };

  it('when an SMS out-id is sent twice, then both get the same bizId and the second is recorded as a repeat', async () => {
    const provider = smsProvider({ key: 'k' });
    receiver.respondWith(provider.respond);

    const first = await (await postJson(receiver.url, sms, { authorization: 'Bearer k' })).json();
    const second = await (await postJson(receiver.url, sms, { authorization: 'Bearer k' })).json();

    expect(first).toEqual({ code: 'OK', message: 'OK', bizId: expect.any(String) as string });
    expect(second).toEqual(first);
    expect(provider.accepted.size).toBe(1);
    expect(provider.repeats).toEqual([sms.outId]);
  });

  it.each([
    ['a wrong key', sms, 'Bearer wrong', 401, 'UNAUTHORIZED'],
    [
      'a landline',
      { ...sms, outId: 'x:2', phoneNumbers: '057487654321' },
      'Bearer k',
      400,
      'isv.MOBILE_NUMBER_ILLEGAL',
    ],
    [
      'no content',
      { ...sms, outId: 'x:3', content: '' },
      'Bearer k',
      400,
      'isv.INVALID_PARAMETERS',
    ],
  ])(
    'when an SMS comes with %s, then the provider refuses it with its code',
    async (_case, body, auth, status, code) => {
      receiver.respondWith(smsProvider({ key: 'k' }).respond);

      const response = await postJson(receiver.url, body, { authorization: auth });

      expect(response.status).toBe(status);
      expect(await response.json()).toMatchObject({ code });
    },
  );

  it('when a WeChat client_msg_id is sent twice, then both get the same msgid and the second is a repeat; unfollowed and unknown openids get their errcodes', async () => {
    const provider = wechatApi({ accessToken: 't', unsubscribed: ['gone'], invalid: ['nobody'] });
    receiver.respondWith(provider.respond);
    const message = (touser: string, id: string) => ({
      touser,
      template_id: 'enrollment.confirmed',
      data: { title: { value: '报名成功' } },
      client_msg_id: id,
    });
    const url = `${receiver.url}/cgi-bin/message/template/send?access_token=t`;

    const first = await (await postJson(url, message('o-1', 'm-1'))).json();
    const again = await (await postJson(url, message('o-1', 'm-1'))).json();
    const gone = await (await postJson(url, message('gone', 'm-2'))).json();
    const nobody = await (await postJson(url, message('nobody', 'm-3'))).json();
    const badToken = await (
      await postJson(`${receiver.url}/x?access_token=u`, message('o-1', 'm-4'))
    ).json();

    expect(first).toEqual({ errcode: 0, errmsg: 'ok', msgid: expect.any(Number) as number });
    expect(again).toEqual(first);
    expect(provider.repeats).toEqual(['m-1']);
    expect(gone).toMatchObject({ errcode: 43004 });
    expect(nobody).toMatchObject({ errcode: 40003 });
    expect(badToken).toMatchObject({ errcode: 40001 });
  });
});

describe('the channel sinks together', () => {
  it('when notifications’ environment for them is used, then mail, SMS and WeChat are accepted, a webhook gets 200, and each is a line of the log', async () => {
    const logFile = join(mkdtempSync(join(tmpdir(), 'sinks-')), 'channel-sinks.log');
    const sinks = await startChannelSinks({ logFile });
    try {
      const env = sinks.environment;
      await createTransport({ url: env['SMTP_URL'] }).sendMail({
        from: 'noreply@learning.local',
        to: 'a@example.cn',
        subject: '通知',
        text: '正文',
      });
      const sms = await postJson(
        env['SMS_GATEWAY_URL'] ?? '',
        {
          outId: 'n:p:sms',
          phoneNumbers: '13800138000',
          signName: '学习型城市',
          content: '【学习型城市】正文',
        },
        { authorization: `Bearer ${env['SMS_GATEWAY_KEY'] ?? ''}` },
      );
      const wechat = await postJson(
        `${env['WECHAT_GATEWAY_URL'] ?? ''}?access_token=${env['WECHAT_ACCESS_TOKEN'] ?? ''}`,
        { touser: 'o-1', template_id: 'k', data: {}, client_msg_id: 'n:p:wechat' },
      );
      const webhook = await postJson(`${sinks.receiver.url}/hooks/department`, { type: 'x' });

      expect(await sms.json()).toMatchObject({ code: 'OK' });
      expect(await wechat.json()).toMatchObject({ errcode: 0 });
      expect(webhook.status).toBe(200);
      expect(sinks.sms.accepted.has('n:p:sms')).toBe(true);
      expect(sinks.wechat.accepted.has('n:p:wechat')).toBe(true);
      await sinks.smtp.waitFor(1);
    } finally {
      await sinks.stop();
    }
    const lines = readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(4);
    expect(lines.map((line) => line['channel'] ?? line['path'])).toEqual(
      expect.arrayContaining([
        'email',
        '/sms/send',
        '/cgi-bin/message/template/send',
        '/hooks/department',
      ]),
    );
  });
});
