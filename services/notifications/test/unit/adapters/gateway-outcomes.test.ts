import { describe, expect, it } from 'vitest';
import { emailFailureCodeOf, messageIdOf } from '../../../src/adapters/gateways/email.js';
import { smsOutcomeOf, smsRequestOf } from '../../../src/adapters/gateways/sms.js';
import { templateMessageOf, wechatOutcomeOf } from '../../../src/adapters/gateways/wechat.js';
import type { OutboundMessage } from '../../../src/application/ports.js';

const DELIVERY = 'evt-1:p-42:sms';

const message: OutboundMessage = {
  deliveryId: 'evt-1:officer:kc-7:wechat',
  recipient: 'officer:kc-7',
  address: 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M',
  kind: 'enrollment.confirmed',
  language: 'zh-CN',
  rendered: { title: '报名成功', body: '您已报名“宋韵讲坛”。', templateVersion: 3 },
};

describe('the SMS provider’s answers', () => {
  it('when the provider answers 200 OK with a bizId, then the message is delivered under that id', () => {
    expect(smsOutcomeOf(DELIVERY, 200, { code: 'OK', message: 'OK', bizId: 'biz-9' })).toEqual({
      deliveryId: DELIVERY,
      status: 'delivered',
      providerId: 'biz-9',
    });
  });

  it.each([
    ['429 (throttled)', 429, { code: 'isv.BUSINESS_LIMIT_CONTROL' }, 'RATE_LIMITED', true],
    [
      '400 with the throttling code',
      400,
      { code: 'isv.BUSINESS_LIMIT_CONTROL' },
      'RATE_LIMITED',
      true,
    ],
    ['400 invalid number', 400, { code: 'isv.MOBILE_NUMBER_ILLEGAL' }, 'ADDRESS_INVALID', false],
    ['400 another refusal', 400, { code: 'isv.INVALID_PARAMETERS' }, 'GATEWAY_REJECTED', false],
    ['401 wrong key', 401, { code: 'UNAUTHORIZED' }, 'GATEWAY_REJECTED', false],
    ['403 without a body', 403, undefined, 'GATEWAY_REJECTED', false],
    ['500', 500, { code: 'InternalError' }, 'GATEWAY_UNAVAILABLE', true],
    ['503 without a body', 503, undefined, 'GATEWAY_UNAVAILABLE', true],
    ['408', 408, undefined, 'GATEWAY_UNAVAILABLE', true],
    [
      '200 with a refusal code',
      200,
      { code: 'isv.MOBILE_NUMBER_ILLEGAL' },
      'ADDRESS_INVALID',
      false,
    ],
    ['200 that is not JSON', 200, undefined, 'GATEWAY_UNAVAILABLE', true],
    ['200 OK without a bizId', 200, { code: 'OK' }, 'GATEWAY_UNAVAILABLE', true],
  ])('when the provider answers %s, then it fails %s', (_case, status, body, code, retryable) => {
    expect(smsOutcomeOf(DELIVERY, status, body)).toEqual({
      deliveryId: DELIVERY,
      status: 'failed',
      code,
      retryable,
    });
  });

  it('when a message becomes a request, then the delivery id is the out-id and the signature leads the text', () => {
    expect(smsRequestOf({ ...message, address: '13800138000' }, '学习型城市')).toEqual({
      outId: message.deliveryId,
      phoneNumbers: '13800138000',
      signName: '学习型城市',
      content: '【学习型城市】您已报名“宋韵讲坛”。',
    });
  });
});

describe('WeChat’s answers', () => {
  it('when WeChat answers errcode 0 with a msgid, then the message is delivered under that id', () => {
    expect(wechatOutcomeOf(DELIVERY, 200, { errcode: 0, errmsg: 'ok', msgid: 200228332 })).toEqual({
      deliveryId: DELIVERY,
      status: 'delivered',
      providerId: '200228332',
    });
  });

  it.each([
    ['43004 (not subscribed)', 200, { errcode: 43004 }, 'ADDRESS_INVALID', false],
    ['40003 (invalid openid)', 200, { errcode: 40003 }, 'ADDRESS_INVALID', false],
    ['45009 (quota)', 200, { errcode: 45009 }, 'RATE_LIMITED', true],
    ['-1 (system busy)', 200, { errcode: -1 }, 'GATEWAY_UNAVAILABLE', true],
    ['42001 (token expired)', 200, { errcode: 42001 }, 'GATEWAY_UNAVAILABLE', true],
    ['40037 (unknown template)', 200, { errcode: 40037 }, 'GATEWAY_REJECTED', false],
    ['errcode 0 without a msgid', 200, { errcode: 0 }, 'GATEWAY_UNAVAILABLE', true],
    ['200 that is not JSON', 200, undefined, 'GATEWAY_UNAVAILABLE', true],
    ['HTTP 502', 502, undefined, 'GATEWAY_UNAVAILABLE', true],
    ['HTTP 429', 429, undefined, 'RATE_LIMITED', true],
    ['HTTP 404', 404, undefined, 'GATEWAY_REJECTED', false],
  ])('when WeChat answers %s, then it fails %s', (_case, status, body, code, retryable) => {
    expect(wechatOutcomeOf(DELIVERY, status, body)).toEqual({
      deliveryId: DELIVERY,
      status: 'failed',
      code,
      retryable,
    });
  });

  it('when a message becomes a template message, then the openid, the kind’s template, the text and the delivery id are in it', () => {
    expect(templateMessageOf(message)).toEqual({
      touser: message.address,
      template_id: 'enrollment.confirmed',
      data: { title: { value: '报名成功' }, content: { value: '您已报名“宋韵讲坛”。' } },
      client_msg_id: message.deliveryId,
    });
  });
});

describe('SMTP refusals', () => {
  const smtpError = (fields: Record<string, unknown>): Error =>
    Object.assign(new Error('refused'), fields);

  it.each([
    [
      '550 to RCPT TO',
      { responseCode: 550, code: 'EENVELOPE', command: 'RCPT TO' },
      'ADDRESS_INVALID',
    ],
    ['553 to RCPT TO', { responseCode: 553, command: 'RCPT TO' }, 'ADDRESS_INVALID'],
    [
      '550 to DATA (content refused)',
      { responseCode: 550, code: 'EMESSAGE', command: 'DATA' },
      'GATEWAY_REJECTED',
    ],
    ['554', { responseCode: 554, code: 'EMESSAGE' }, 'GATEWAY_REJECTED'],
    ['451 (try later)', { responseCode: 451, command: 'RCPT TO' }, 'GATEWAY_UNAVAILABLE'],
    ['421 (closing)', { responseCode: 421, code: 'ECONNECTION' }, 'GATEWAY_UNAVAILABLE'],
    ['a refused connection', { code: 'ECONNECTION' }, 'GATEWAY_UNAVAILABLE'],
    ['a timeout', { code: 'ETIMEDOUT' }, 'GATEWAY_UNAVAILABLE'],
    ['no recipient nodemailer could use', { code: 'EENVELOPE' }, 'ADDRESS_INVALID'],
  ])('when the server answers %s, then the code is %s', (_case, fields, code) => {
    expect(emailFailureCodeOf(smtpError(fields))).toBe(code);
  });
});

describe('the Message-ID', () => {
  it('when made from a delivery id, then characters a Message-ID may not hold are %-encoded and the domain is the sender’s', () => {
    expect(messageIdOf('evt-1:officer:kc 7:email', '学习型城市 <noreply@example.gov.cn>')).toBe(
      '<evt-1%3Aofficer%3Akc%207%3Aemail@example.gov.cn>',
    );
  });

  it('when made twice from one delivery id, then it is the same, and another id gives another', () => {
    const from = 'noreply@learning.local';
    expect(messageIdOf('a:b:email', from)).toBe(messageIdOf('a:b:email', from));
    expect(messageIdOf('a:c:email', from)).not.toBe(messageIdOf('a:b:email', from));
  });
});
