/**
 * What stands in for notifications' providers in the local stack: the SMTP
 * sink for email, and one recording receiver that plays the SMS provider and
 * the WeChat API on their paths and accepts anything else (a webhook target).
 * Each message or request is written as a JSON line to a log, addresses
 * included: they are the demo's, and the log is the developer's to read.
 */
import { createWriteStream } from 'node:fs';
import { startRecordingReceiver, type RecordingReceiver } from './recording-receiver.js';
import { byPath, smsProvider, wechatApi } from './responders.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';

export const SMTP_SINK_PORT = 2525;
export const RECEIVER_PORT = 8190;
export const SMS_PATH = '/sms/send';
export const WECHAT_PATH = '/cgi-bin/message/template/send';
/** The local stack's credentials for the played providers: checked, so a missing one shows. */
export const LOCAL_SMS_KEY = 'local-sms-key';
export const LOCAL_WECHAT_TOKEN = 'local-wechat-token';

/** What notifications is given in the local stack to reach them. */
export const CHANNEL_SINK_SETTINGS: Readonly<Record<string, string>> = {
  SMTP_URL: `smtp://127.0.0.1:${SMTP_SINK_PORT}`,
  SMS_GATEWAY_URL: `http://127.0.0.1:${RECEIVER_PORT}${SMS_PATH}`,
  SMS_GATEWAY_KEY: LOCAL_SMS_KEY,
  WECHAT_GATEWAY_URL: `http://127.0.0.1:${RECEIVER_PORT}${WECHAT_PATH}`,
  WECHAT_ACCESS_TOKEN: LOCAL_WECHAT_TOKEN,
};

export interface ChannelSinks {
  readonly smtp: SmtpSink;
  readonly receiver: RecordingReceiver;
  stop(): Promise<void>;
}

export async function startChannelSinks(logFile: string): Promise<ChannelSinks> {
  const log = createWriteStream(logFile, { flags: 'a' });
  const write = (entry: Record<string, unknown>): void => {
    log.write(`${JSON.stringify(entry)}\n`);
  };
  const smtp = await startSmtpSink({
    port: SMTP_SINK_PORT,
    onMessage: (mail) => {
      write({ channel: 'email', to: mail.to, subject: mail.subject, text: mail.text });
    },
  });
  const receiver = await startRecordingReceiver({
    port: RECEIVER_PORT,
    respond: byPath({
      [SMS_PATH]: smsProvider({ key: LOCAL_SMS_KEY }).respond,
      [WECHAT_PATH]: wechatApi({ accessToken: LOCAL_WECHAT_TOKEN }).respond,
    }),
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
    async stop() {
      await Promise.allSettled([smtp.stop(), receiver.stop()]);
      log.end();
    },
  };
}
