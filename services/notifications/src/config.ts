/** The notifications service's environment: one schema, validated once at start. */
import { serviceCredentialsEnv, serviceCredentialsProblems } from '@learning/auth';
import { env, type Config } from '@learning/config';
import { piiEnv, piiKeysFrom, PiiKeyError } from '@learning/pii';
import { privacyEnv } from '@learning/privacy';
import { loadServiceConfig, serviceEnv } from '@learning/runtime';
import { Type } from '@sinclair/typebox';

export const notificationsEnv = Type.Object({
  ...serviceEnv,
  MONGODB_DATABASE: env.string({ default: 'notifications' }),
  /** `host:port` of registration's gRPC server: contacts, audiences, officers and members. */
  REGISTRATION_GRPC_ADDRESS: env.string({ default: '127.0.0.1:9101' }),
  /** The static service token notifications presents to registration (role `service`); the local stack's. */
  REGISTRATION_SERVICE_TOKEN: env.optional(env.string()),
  ...serviceCredentialsEnv,
  /** Encrypts webhook signing secrets at rest (the same key format as registration's personal data). */
  ...piiEnv,
  /** The city's IANA time zone: quiet hours and digests of people who set none. */
  CITY_TIME_ZONE: env.string({ default: 'Asia/Shanghai' }),
  /** How long a replica trusts its copy of a template before reading it again (a save on it forgets at once). */
  TEMPLATE_CACHE_TTL_MS: env.integer({ default: 10_000, minimum: 100, maximum: 300_000 }),

  /** The SMTP server mail is handed to, `smtp://user:pass@host:port` or `smtps://…`; unset: no email channel. */
  SMTP_URL: env.optional(env.url({ protocols: ['smtp', 'smtps'] })),
  /** The sender of every email, `学习型城市 <noreply@example.gov.cn>`. */
  EMAIL_FROM: env.string({ default: 'Learning City <noreply@learning.local>' }),
  /** The SMS provider's send endpoint (HTTP POST, JSON); unset: no SMS channel. */
  SMS_GATEWAY_URL: env.optional(env.url()),
  /** The key the SMS provider gave the city, sent with every call. */
  SMS_GATEWAY_KEY: env.optional(env.string()),
  /** The provider's approved signature (签名) put before every SMS. */
  SMS_SIGNATURE: env.string({ default: '学习型城市' }),
  /** The WeChat template-message endpoint (HTTP POST, JSON); unset: no WeChat channel. */
  WECHAT_GATEWAY_URL: env.optional(env.url()),
  /** The official account's access token for the WeChat endpoint. */
  WECHAT_ACCESS_TOKEN: env.optional(env.string()),
  /** Provider quotas shared by every replica: messages per second per channel. */
  SMS_RATE_PER_SECOND: env.integer({ default: 100, minimum: 1 }),
  EMAIL_RATE_PER_SECOND: env.integer({ default: 50, minimum: 1 }),
  WECHAT_RATE_PER_SECOND: env.integer({ default: 200, minimum: 1 }),
  /** A gateway call that has not answered by then counts as failed (and is retried). */
  GATEWAY_TIMEOUT_MS: env.integer({ default: 5_000, minimum: 100 }),

  /** Recipients per fan-out batch: one audience page, one batch record, one gateway round per channel. */
  FANOUT_BATCH_SIZE: env.integer({ default: 1_000, minimum: 1, maximum: 1_000 }),
  /** How long a worker's claim on a fan-out lasts without renewal; a crashed worker's fan-out resumes after it. */
  FANOUT_LEASE_MS: env.integer({ default: 30_000, minimum: 1_000 }),
  /** How often an idle fan-out worker looks for a broadcast queued by another replica (its own wake it at once). */
  FANOUT_POLL_MS: env.integer({ default: 1_000, minimum: 100 }),
  /** How often held (quiet hours), digested and reminder work is looked for. */
  SCHEDULER_TICK_MS: env.integer({ default: 60_000, minimum: 500 }),

  /** `production` refuses webhook URLs that are not https or resolve to loopback, link-local or private ranges. */
  WEBHOOK_TARGET_POLICY: env.oneOf(['production', 'allow-private'], 'production'),
  /** One webhook call's timeout. */
  WEBHOOK_TIMEOUT_MS: env.integer({ default: 10_000, minimum: 100 }),
  /** How long a failing delivery is retried (exponential backoff with jitter) before its dead-letter record. */
  WEBHOOK_RETRY_WINDOW_MS: env.integer({ default: 24 * 3_600_000, minimum: 1_000 }),
  /** The first retry's delay; each next one doubles, with full jitter. */
  WEBHOOK_FIRST_RETRY_MS: env.integer({ default: 10_000, minimum: 10 }),
  /** Consecutive final failures that pause a subscription and notify its owner. */
  WEBHOOK_PAUSE_AFTER: env.integer({ default: 5, minimum: 1 }),
  /** The largest event body delivered to a webhook. */
  WEBHOOK_MAX_PAYLOAD_BYTES: env.integer({ default: 256 * 1024, minimum: 1_024 }),

  /** The retention sweeps' period and the audit log's retention (at least six months). */
  ...privacyEnv,
  /** Days a personal notice (inbox entry, delivery record) is kept after it was made; then it and its read mark go. */
  NOTICE_RETENTION_DAYS: env.integer({ default: 365, minimum: 30 }),
  /** Days a broadcast's audience lists (who got an announcement on which channel) are kept; the broadcast's counts stay. */
  BROADCAST_RETENTION_DAYS: env.integer({ default: 365, minimum: 30 }),
  /** Days a reminder is kept after it fell due (sent, skipped or dropped). */
  REMINDER_RETENTION_DAYS: env.integer({ default: 30, minimum: 1 }),
  /** Days a finished webhook delivery (the event copy sent to a department) and its dead letter are kept. */
  WEBHOOK_DELIVERY_RETENTION_DAYS: env.integer({ default: 90, minimum: 7 }),
});

export type NotificationsConfig = Config<typeof notificationsEnv>;

function problemsOf(config: NotificationsConfig): string[] {
  const problems = serviceCredentialsProblems(config);
  try {
    piiKeysFrom(config);
  } catch (error) {
    if (!(error instanceof PiiKeyError)) throw error;
    problems.push(error.message);
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: config.CITY_TIME_ZONE });
  } catch {
    problems.push(`CITY_TIME_ZONE "${config.CITY_TIME_ZONE}" is not an IANA time zone`);
  }
  return problems;
}

export const loadNotificationsConfig = (
  environment: Readonly<Record<string, string | undefined>>,
): NotificationsConfig => loadServiceConfig(notificationsEnv, environment, problemsOf);
