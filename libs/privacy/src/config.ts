/** Settings every service has for personal data: spread into the service's config schema. */
import { env } from '@learning/config';

/** Six months: the least the classified-protection rules for government systems ask of audit logs. */
export const AUDIT_RETENTION_MIN_DAYS = 183;

export const privacyEnv = {
  /** How often the retention sweeps run (once per tick across all replicas); default daily. */
  RETENTION_SWEEP_EVERY_MS: env.integer({ default: 86_400_000, minimum: 1_000 }),
  /** Days the audit log keeps a record; at least six months. */
  AUDIT_RETENTION_DAYS: env.integer({ default: 400, minimum: AUDIT_RETENTION_MIN_DAYS }),
};

export interface PrivacyConfig {
  readonly RETENTION_SWEEP_EVERY_MS: number;
  readonly AUDIT_RETENTION_DAYS: number;
}
