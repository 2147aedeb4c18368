/** The external channels this deployment has: each configured provider, behind its shared quota. */
import type { Logger } from '@learning/logger';
import { PerSecondQuota, type RedisClient } from '@learning/redis';
import type { Registry } from 'prom-client';
import type { ChannelGateway } from '../../application/ports.js';
import type { NotificationsConfig } from '../../config.js';
import { gatewayMetrics } from '../metrics/gateways.js';
import { emailSender } from './email.js';
import { pacedGateway, type ExternalChannel, type PacingDeps, type SendOne } from './paced.js';
import { smsSender } from './sms.js';
import { wechatSender } from './wechat.js';

export type Gateways = ReadonlyMap<ExternalChannel, ChannelGateway>;

export interface GatewayDeps {
  readonly redis: RedisClient;
  readonly registry: Registry;
  readonly logger: Logger;
  /** Registers what must be closed when the app stops (the SMTP pool). */
  readonly onClose: (name: string, close: () => Promise<unknown>) => void;
  /** Names the shared quota counters (`ls:quota:<name>:<channel>:<second>`); tests isolate theirs. */
  readonly quotaName?: string;
  /** How long a batch waits for its next turn under a quota; then what is left fails RATE_LIMITED. */
  readonly maxQuotaWaitMs?: number;
}

/** Long enough for a fan-out round to get its turn behind the other replicas. */
export const DEFAULT_MAX_QUOTA_WAIT_MS = 30_000;

export type GatewayConfig = Pick<
  NotificationsConfig,
  | 'SMTP_URL'
  | 'EMAIL_FROM'
  | 'SMS_GATEWAY_URL'
  | 'SMS_GATEWAY_KEY'
  | 'SMS_SIGNATURE'
  | 'WECHAT_GATEWAY_URL'
  | 'WECHAT_ACCESS_TOKEN'
  | 'SMS_RATE_PER_SECOND'
  | 'EMAIL_RATE_PER_SECOND'
  | 'WECHAT_RATE_PER_SECOND'
  | 'GATEWAY_TIMEOUT_MS'
>;

/** A gateway for every channel whose provider URL is set; a channel left unset is absent. */
export function gatewaysFrom(config: GatewayConfig, deps: GatewayDeps): Gateways {
  const metrics = gatewayMetrics(deps.registry);
  const gateways = new Map<ExternalChannel, ChannelGateway>();
  const add = (channel: ExternalChannel, perSecond: number, sendOne: SendOne): void => {
    const pacing: PacingDeps = {
      quota: new PerSecondQuota(deps.redis, { name: deps.quotaName ?? 'gateway', perSecond }),
      metrics,
      logger: deps.logger,
      maxQuotaWaitMs: deps.maxQuotaWaitMs ?? DEFAULT_MAX_QUOTA_WAIT_MS,
    };
    gateways.set(channel, pacedGateway(channel, sendOne, pacing));
  };
  const timeoutMs = config.GATEWAY_TIMEOUT_MS;

  if (config.SMTP_URL !== undefined) {
    const email = emailSender({ smtpUrl: config.SMTP_URL, from: config.EMAIL_FROM, timeoutMs });
    deps.onClose('SMTP pool', async () => {
      email.close();
    });
    add('email', config.EMAIL_RATE_PER_SECOND, email.send);
  }
  if (config.SMS_GATEWAY_URL !== undefined) {
    add(
      'sms',
      config.SMS_RATE_PER_SECOND,
      smsSender({
        url: config.SMS_GATEWAY_URL,
        key: config.SMS_GATEWAY_KEY,
        signature: config.SMS_SIGNATURE,
        timeoutMs,
      }),
    );
  }
  if (config.WECHAT_GATEWAY_URL !== undefined) {
    add(
      'wechat',
      config.WECHAT_RATE_PER_SECOND,
      wechatSender({
        url: config.WECHAT_GATEWAY_URL,
        accessToken: config.WECHAT_ACCESS_TOKEN,
        timeoutMs,
      }),
    );
  }
  return gateways;
}
