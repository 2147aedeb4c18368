/**
 * An SMTP server on 127.0.0.1 that keeps every message it accepts, parsed, for
 * the caller to read: the local stack's mail catcher and the email channel's
 * tests. It can be told to refuse a recipient, as a real server refuses an
 * unknown mailbox.
 */
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

export interface ReceivedMail {
  /** The envelope's sender (MAIL FROM). */
  readonly from: string;
  /** The envelope's recipients (RCPT TO) that were accepted. */
  readonly to: readonly string[];
  /** Decoded (RFC 2047 words become text). */
  readonly subject: string;
  readonly text: string;
  /** As sent, with its angle brackets. */
  readonly messageId: string | undefined;
  /** Each header as the message carries it (lower-case names, values unfolded but still encoded). */
  readonly headers: Readonly<Record<string, string>>;
  readonly receivedAt: Date;
}

export interface SmtpRefusal {
  /** 550 (mailbox unavailable) unless told; a 4xx is a temporary refusal. */
  readonly code?: number;
  readonly message?: string;
}

export interface SmtpSink {
  readonly port: number;
  /** `smtp://127.0.0.1:<port>`: what SMTP_URL is set to. */
  readonly url: string;
  /** Every message accepted so far, oldest first. */
  readonly messages: readonly ReceivedMail[];
  /** Refuses RCPT TO for `address` (case-insensitive) from now on. */
  refuse(address: string, refusal?: SmtpRefusal): void;
  /** Resolves with the messages once at least `count` have arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<readonly ReceivedMail[]>;
  /** Forgets the messages and the refusals. */
  clear(): void;
  stop(): Promise<void>;
}

export interface SmtpSinkOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Told of each message as it is accepted (the local stack writes them to a log). */
  readonly onMessage?: (mail: ReceivedMail) => void;
}

const DEFAULT_WAIT_MS = 10_000;
const WAIT_POLL_MS = 20;

class SmtpReplyError extends Error {
  constructor(
    message: string,
    readonly responseCode: number,
  ) {
    super(message);
  }
}

const addressOf = (address: SMTPServerAddress | false): string =>
  address === false ? '' : address.address;

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  const refusals = new Map<string, SmtpRefusal>();

  const server = new SMTPServer({
    // A local catcher: no TLS, and any credentials a client presents are accepted.
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    // A pooled client keeps its connection open: stopping should not wait the default 30 s for it.
    closeTimeout: 500,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? 'anyone' });
    },
    onRcptTo(address, _session, callback) {
      const refusal = refusals.get(address.address.toLowerCase());
      if (refusal === undefined) {
        callback();
        return;
      }
      callback(
        new SmtpReplyError(
          refusal.message ?? 'Requested action not taken: mailbox unavailable',
          refusal.code ?? 550,
        ),
      );
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          const headers: Record<string, string> = {};
          for (const { key, line } of parsed.headerLines) {
            headers[key] = line.slice(line.indexOf(':') + 1).trim();
          }
          const mail: ReceivedMail = {
            from: addressOf(session.envelope.mailFrom),
            to: session.envelope.rcptTo.map((recipient) => recipient.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            messageId: parsed.messageId,
            headers,
            receivedAt: new Date(),
          };
          messages.push(mail);
          options.onMessage?.(mail);
          callback();
        },
        (error: unknown) => {
          callback(error instanceof Error ? error : new Error(String(error)));
        },
      );
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const bound = server.server.address();
  const port = typeof bound === 'object' && bound !== null ? bound.port : 0;

  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    refuse(address, refusal = {}) {
      refusals.set(address.toLowerCase(), refusal);
    },
    async waitFor(count, timeoutMs = DEFAULT_WAIT_MS) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) {
          throw new Error(
            `the SMTP sink received ${messages.length} of ${count} messages in ${timeoutMs} ms`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
      }
      return [...messages];
    },
    clear() {
      messages.length = 0;
      refusals.clear();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}
