/**
 * The WeChat channel: an official account's template message per notice
 * (`POST …/message/template/send?access_token=…`), the delivery id as
 * client_msg_id so WeChat drops a repeat. One generic template per notice
 * kind for now: its id is the kind's name, its fields `title` and `content`.
 */
import type { OutboundMessage, SendOutcome } from '../../application/ports.js';
import { fieldOf, postJson } from './http.js';
import { delivered, failed } from './outcomes.js';
import type { SendOne } from './paced.js';

export interface WechatSettings {
  readonly url: string;
  readonly accessToken: string | undefined;
  readonly timeoutMs: number;
}

export interface TemplateMessage {
  readonly touser: string;
  readonly template_id: string;
  readonly data: {
    readonly title: { readonly value: string };
    readonly content: { readonly value: string };
  };
  readonly client_msg_id: string;
}

export const templateMessageOf = (message: OutboundMessage): TemplateMessage => ({
  touser: message.address,
  template_id: message.kind,
  data: { title: { value: message.rendered.title }, content: { value: message.rendered.body } },
  client_msg_id: message.deliveryId,
});

/** WeChat's errcodes that mean something other than a plain refusal. */
const ADDRESS_INVALID_ERRCODES = new Set([40003, 43004]);
const RATE_LIMITED_ERRCODES = new Set([45009]);
/** System busy, and an access token expired or replaced meanwhile (it is refreshed outside the service). */
const UNAVAILABLE_ERRCODES = new Set([-1, 40001, 40014, 42001]);

/** What WeChat's answer means for the message. */
export function wechatOutcomeOf(deliveryId: string, status: number, json: unknown): SendOutcome {
  if (status === 429) return failed(deliveryId, 'RATE_LIMITED');
  if (status >= 500 || status === 408) return failed(deliveryId, 'GATEWAY_UNAVAILABLE');
  if (status < 200 || status >= 300) return failed(deliveryId, 'GATEWAY_REJECTED');
  const errcode = fieldOf(json, 'errcode');
  const msgid = fieldOf(json, 'msgid');
  // A 2xx we cannot read may still have been sent: client_msg_id makes asking again safe.
  if (typeof errcode !== 'number') return failed(deliveryId, 'GATEWAY_UNAVAILABLE');
  if (errcode === 0) {
    return typeof msgid === 'number' || typeof msgid === 'string'
      ? delivered(deliveryId, String(msgid))
      : failed(deliveryId, 'GATEWAY_UNAVAILABLE');
  }
  if (ADDRESS_INVALID_ERRCODES.has(errcode)) return failed(deliveryId, 'ADDRESS_INVALID');
  if (RATE_LIMITED_ERRCODES.has(errcode)) return failed(deliveryId, 'RATE_LIMITED');
  if (UNAVAILABLE_ERRCODES.has(errcode)) return failed(deliveryId, 'GATEWAY_UNAVAILABLE');
  return failed(deliveryId, 'GATEWAY_REJECTED');
}

export function wechatSender(settings: WechatSettings): SendOne {
  const url = new URL(settings.url);
  if (settings.accessToken !== undefined)
    url.searchParams.set('access_token', settings.accessToken);
  return async (message) => {
    try {
      const answer = await postJson(url, templateMessageOf(message), {
        timeoutMs: settings.timeoutMs,
      });
      return wechatOutcomeOf(message.deliveryId, answer.status, answer.json);
    } catch {
      // No answer (refused connection, reset, the timeout): WeChat may take it later.
      return failed(message.deliveryId, 'GATEWAY_UNAVAILABLE');
    }
  };
}
