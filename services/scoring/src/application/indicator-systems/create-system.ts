/** The office sets a year's indicator system for one target: checked, stored as version 1, audited. */
import { randomUUID } from 'node:crypto';
import type { Principal } from '@learning/auth';
import {
  checkIndicatorSystem,
  type Indicator,
  type IndicatorSystem,
  type SystemTarget,
} from '../../domain/evaluation.js';
import { systemAudit } from './audit.js';
import { assertYearOpen, type IndicatorSystemsDeps } from './deps.js';
import type { StoredIndicatorSystem } from './ports.js';

export interface SystemTerms {
  readonly name: string;
  /** Hundredths of a point. */
  readonly passMark: number;
  readonly indicators: readonly Indicator[];
}

export interface CreateSystemRequest extends SystemTerms {
  readonly year: number;
  readonly target: SystemTarget;
}

export type CreateSystem = (
  principal: Principal,
  request: CreateSystemRequest,
) => Promise<StoredIndicatorSystem>;

/** Stores `system` as new, with its audit record, and drops the public pages that no longer show it. */
export async function storeNewSystem(
  { systems, publicPages, audit, clock }: IndicatorSystemsDeps,
  principal: Principal,
  system: IndicatorSystem,
  action: 'indicator_system.create' | 'indicator_system.copy',
): Promise<StoredIndicatorSystem> {
  const now = clock();
  assertYearOpen(system.year, now);
  checkIndicatorSystem(system);
  const stored = await systems.create({
    ...system,
    createdBy: principal.subject,
    createdAt: now,
    events: [systemAudit(audit, principal, action, null, system)],
  });
  await publicPages.invalidate();
  return stored;
}

export const createSystem =
  (deps: IndicatorSystemsDeps): CreateSystem =>
  (principal, request) =>
    storeNewSystem(
      deps,
      principal,
      {
        id: randomUUID(),
        year: request.year,
        target: request.target,
        name: request.name,
        version: 1,
        passMark: request.passMark,
        indicators: request.indicators,
      },
      'indicator_system.create',
    );
