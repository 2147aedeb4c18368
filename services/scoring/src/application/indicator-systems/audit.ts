/** What the audit log keeps of an indicator system (the office's own terms, no personal data), and how a change is recorded. */
import { actorOf, type AuditTrail } from '@learning/audit';
import { CITY_WIDE_PATH, type Principal } from '@learning/auth';
import type { OutboxEntry } from '@learning/events';
import { formatHundredths, type Indicator, type IndicatorSystem } from '../../domain/evaluation.js';

/** An indicator as people read it: the weight as a percentage string ("25.00"). */
export const indicatorView = (indicator: Indicator) => ({
  key: indicator.key,
  name: indicator.name,
  weight: formatHundredths(indicator.weight),
  method: { ...indicator.method },
});

export const systemAuditView = (system: IndicatorSystem) => ({
  year: system.year,
  target: system.target,
  name: system.name,
  version: system.version,
  passMark: formatHundredths(system.passMark),
  indicators: system.indicators.map(indicatorView),
});

export type SystemAuditAction =
  'indicator_system.create' | 'indicator_system.replace' | 'indicator_system.copy';

export function systemAudit(
  audit: AuditTrail,
  principal: Principal,
  action: SystemAuditAction,
  before: IndicatorSystem | null,
  after: IndicatorSystem,
): OutboxEntry {
  return audit.entry({
    actor: actorOf(principal),
    action,
    entityType: 'indicator_system',
    entityId: after.id,
    jurisdictionPath: CITY_WIDE_PATH,
    before: before === null ? null : systemAuditView(before),
    after: systemAuditView(after),
  });
}
