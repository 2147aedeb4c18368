/**
 * The email channel: nodemailer's pooled SMTP transport, the rendered title as
 * the subject and the body as UTF-8 text (nodemailer encodes a Chinese subject
 * as RFC 2047 words), a Message-ID made from the delivery id so a message
 * handed over twice after a crash is one message to the receiving side.
 */
import { createTransport } from 'nodemailer';
import type { SendOutcome } from '../../application/ports.js';
import { delivered, failed, type SendFailureCode } from './outcomes.js';
import type { SendOne } from './paced.js';

export interface EmailSettings {
  /** `smtp://user:pass@host:port` or `smtps://…`. */
  readonly smtpUrl: string;
  /** `学习型城市 <noreply@example.gov.cn>`. */
  readonly from: string;
  readonly timeoutMs: number;
}

/** Connections the pool keeps open to the SMTP server. */
const POOL_CONNECTIONS = 5;
/** The SMTP reply codes that say the mailbox does not exist or cannot be addressed. */
const MAILBOX_CODES = new Set([550, 551, 553]);
/** Characters a Message-ID's left part may hold as they are (RFC 5322 atext, without the dot). */
const ATEXT = /[A-Za-z0-9!#$&'*+\-/=?^_`{|}~]/;

/** The domain after the sender address's @, for the Message-ID's right part. */
const domainOf = (from: string): string =>
  /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'notifications.local';

/** `<delivery id, %-encoded where not atext>@<sender's domain>`: the same delivery, the same Message-ID. */
export function messageIdOf(deliveryId: string, from: string): string {
  let left = '';
  for (const character of deliveryId) {
    left += ATEXT.test(character)
      ? character
      : [...Buffer.from(character, 'utf8')]
          .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)
          .join('');
  }
  return `<${left}@${domainOf(from)}>`;
}

/** What an SMTP refusal or a connection error means for the message. */
export function emailFailureCodeOf(error: unknown): SendFailureCode {
  const { responseCode, code, command } = (error ?? {}) as {
    responseCode?: unknown;
    code?: unknown;
    command?: unknown;
  };
  if (typeof responseCode === 'number') {
    if (MAILBOX_CODES.has(responseCode) && (code === 'EENVELOPE' || command === 'RCPT TO')) {
      return 'ADDRESS_INVALID';
    }
    if (responseCode >= 500) return 'GATEWAY_REJECTED';
    if (responseCode >= 400) return 'GATEWAY_UNAVAILABLE';
  }
  // Refused by nodemailer before any server saw it: the address cannot be mailed.
  if (code === 'EENVELOPE') return 'ADDRESS_INVALID';
  return 'GATEWAY_UNAVAILABLE';
}

export interface EmailSender {
  readonly send: SendOne;
  /** Closes the pool's connections. */
  close(): void;
}

export function emailSender(settings: EmailSettings): EmailSender {
  const transport = createTransport({
    url: settings.smtpUrl,
    pool: true,
    maxConnections: POOL_CONNECTIONS,
    connectionTimeout: settings.timeoutMs,
    greetingTimeout: settings.timeoutMs,
    socketTimeout: settings.timeoutMs,
  });
  return {
    async send(message): Promise<SendOutcome> {
      const messageId = messageIdOf(message.deliveryId, settings.from);
      try {
        await transport.sendMail({
          from: settings.from,
          to: message.address,
          subject: message.rendered.title,
          text: message.rendered.body,
          messageId,
        });
        return delivered(message.deliveryId, messageId);
      } catch (error) {
        return failed(message.deliveryId, emailFailureCodeOf(error));
      }
    },
    close() {
      transport.close();
    },
  };
}
