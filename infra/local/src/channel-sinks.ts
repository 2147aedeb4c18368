/**
 * What stands in for notifications' providers, in the local stack and in
 * tests alike: the SMTP sink for email, and one recording receiver that plays
 * the SMS provider and the WeChat API on their paths and accepts anything else
 * (a webhook target).
 */
import { createWriteStream } from 'node:fs';
import { startRecordingReceiver, type RecordingReceiver } from './recording-receiver.js';
import { byPath, smsProvider, wechatApi, type ProviderPlay } from './responders.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';

/** The local stack's fixed ports. */
export const SMTP_SINK_PORT = 2525;
export const RECEIVER_PORT = 8190;
export const SMS_PATH = '/sms/send';
export const WECHAT_PATH = '/cgi-bin/message/template/send';
/** The credentials the played providers check, so a missing one shows. */
export const SINK_SMS_KEY = 'local-sms-key';
export const SINK_WECHAT_TOKEN = 'local-wechat-token';

/** What notifications is given to send through the sinks at these ports. */
export const channelSinkEnvironment = (
  smtpPort: number,
  receiverPort: number,
): Record<string, string> => ({
  SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
  SMS_GATEWAY_URL: `http://127.0.0.1:${receiverPort}${SMS_PATH}`,
  SMS_GATEWAY_KEY: SINK_SMS_KEY,
  WECHAT_GATEWAY_URL: `http://127.0.0.1:${receiverPort}${WECHAT_PATH}`,
  WECHAT_ACCESS_TOKEN: SINK_WECHAT_TOKEN,
});

export interface ChannelSinks {
  readonly smtp: SmtpSink;
  /** Plays the SMS provider at SMS_PATH and WeChat at WECHAT_PATH; anything else gets 200. */
  readonly receiver: RecordingReceiver;
  readonly sms: ProviderPlay;
  readonly wechat: ProviderPlay;
  /** notifications' SMTP_URL, SMS_* and WECHAT_* for these sinks. */
  readonly environment: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

export interface ChannelSinksOptions {
  /** 0 (the default) picks free ports. */
  readonly smtpPort?: number;
  readonly receiverPort?: number;
  /**
   * Each mail and request is appended there as a JSON line, addresses
   * included: they are the demo's, and the log is the developer's to read.
   */
  readonly logFile?: string;
}

export async function startChannelSinks(options: ChannelSinksOptions = {}): Promise<ChannelSinks> {
  const log =
    options.logFile === undefined ? undefined : createWriteStream(options.logFile, { flags: 'a' });
  const write = (entry: Record<string, unknown>): void => {
    log?.write(`${JSON.stringify(entry)}\n`);
  };
  const sms = smsProvider({ key: SINK_SMS_KEY });
  const wechat = wechatApi({ accessToken: SINK_WECHAT_TOKEN });
  const smtp = await startSmtpSink({
    port: options.smtpPort ?? 0,
    onMessage: (mail) => {
      write({ channel: 'email', to: mail.to, subject: mail.subject, text: mail.text });
    },
  });
  const receiver = await startRecordingReceiver({
    port: options.receiverPort ?? 0,
    respond: byPath({ [SMS_PATH]: sms.respond, [WECHAT_PATH]: wechat.respond }),
    onRequest: (request) => {
      write({
        method: request.method,
        path: request.path,
        body: request.json ?? request.body.toString('utf8'),
      });
    },
  }).catch(async (error: unknown) => {
    await smtp.stop();
    throw error;
  });
  return {
    smtp,
    receiver,
    sms,
    wechat,
    environment: channelSinkEnvironment(smtp.port, receiver.port),
    async stop() {
      await Promise.allSettled([smtp.stop(), receiver.stop()]);
      // Flushed before stop resolves, so the log is whole for whoever reads it next.
      if (log !== undefined) await new Promise<void>((resolve) => log.end(resolve));
    },
  };
}
