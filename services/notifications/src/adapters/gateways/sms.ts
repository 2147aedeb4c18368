/**
 * The SMS channel: one JSON POST per message to the provider (a typical
 * mainland provider's API: outId, phoneNumbers, signName, content → code,
 * bizId), the delivery id as the out-id so a message sent again after a crash
 * or a timeout is not delivered twice.
 */
import type { OutboundMessage, SendOutcome } from '../../application/ports.js';
import { fieldOf, postJson } from './http.js';
import { delivered, failed } from './outcomes.js';
import type { SendOne } from './paced.js';

export interface SmsSettings {
  readonly url: string;
  /** Sent as `Authorization: Bearer <key>`. */
  readonly key: string | undefined;
  /** The approved signature (签名), put in 【】 before every text. */
  readonly signature: string;
  readonly timeoutMs: number;
}

export interface SmsRequest {
  /** The provider's idempotency key: our delivery id. */
  readonly outId: string;
  readonly phoneNumbers: string;
  readonly signName: string;
  readonly content: string;
}

export const smsRequestOf = (message: OutboundMessage, signature: string): SmsRequest => ({
  outId: message.deliveryId,
  phoneNumbers: message.address,
  signName: signature,
  content: `【${signature}】${message.rendered.body}`,
});

/** The provider's codes that mean something other than a plain refusal. */
const INVALID_NUMBER_CODE = /MOBILE_NUMBER_ILLEGAL|PHONE_NUMBER_ILLEGAL|INVALID_PHONE/i;
const THROTTLED_CODE = /BUSINESS_LIMIT_CONTROL|RATE_LIMIT/i;

/** What the provider's answer means for the message. */
export function smsOutcomeOf(deliveryId: string, status: number, json: unknown): SendOutcome {
  const code = fieldOf(json, 'code');
  const bizId = fieldOf(json, 'bizId');
  if (status >= 200 && status < 300) {
    if (code === 'OK' && typeof bizId === 'string' && bizId !== '') {
      return delivered(deliveryId, bizId);
    }
    // A 2xx we cannot read may still have been sent: the out-id makes asking again safe.
    if (typeof code !== 'string' || code === 'OK') return failed(deliveryId, 'GATEWAY_UNAVAILABLE');
  }
  if (status === 429) return failed(deliveryId, 'RATE_LIMITED');
  if (status >= 500 || status === 408) return failed(deliveryId, 'GATEWAY_UNAVAILABLE');
  if (typeof code === 'string' && INVALID_NUMBER_CODE.test(code)) {
    return failed(deliveryId, 'ADDRESS_INVALID');
  }
  if (typeof code === 'string' && THROTTLED_CODE.test(code)) {
    return failed(deliveryId, 'RATE_LIMITED');
  }
  return failed(deliveryId, 'GATEWAY_REJECTED');
}

export function smsSender(settings: SmsSettings): SendOne {
  const headers: Record<string, string> =
    settings.key === undefined ? {} : { authorization: `Bearer ${settings.key}` };
  return async (message) => {
    try {
      const answer = await postJson(settings.url, smsRequestOf(message, settings.signature), {
        headers,
        timeoutMs: settings.timeoutMs,
      });
      return smsOutcomeOf(message.deliveryId, answer.status, answer.json);
    } catch {
      // No answer (refused connection, reset, the timeout): the provider may take it later.
      return failed(message.deliveryId, 'GATEWAY_UNAVAILABLE');
    }
  };
}
