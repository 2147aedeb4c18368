/**
 * The office changes a system's name, pass mark or indicators: the next
 * version, with the one it replaces kept in the history (assessments name the
 * version they were computed under). A frozen system never changes.
 */
import type { Principal } from '@learning/auth';
import { checkIndicatorSystem } from '../../domain/evaluation.js';
import { systemAudit } from './audit.js';
import type { SystemTerms } from './create-system.js';
import { systemAt, type IndicatorSystemsDeps } from './deps.js';
import { systemFrozen } from './errors.js';
import type { StoredIndicatorSystem } from './ports.js';

export interface ReplaceSystemRequest extends SystemTerms {
  /** The version last read (its revision over HTTP); the current one when absent. */
  readonly expectedRevision?: number;
}

export type ReplaceSystem = (
  principal: Principal,
  id: string,
  request: ReplaceSystemRequest,
) => Promise<StoredIndicatorSystem>;

export const replaceSystem =
  ({ systems, publicPages, audit, clock }: IndicatorSystemsDeps): ReplaceSystem =>
  async (principal, id, request) => {
    const before = await systemAt(systems, id, request.expectedRevision);
    if (before.frozenAt !== null) throw systemFrozen();
    const after = {
      ...before,
      name: request.name,
      passMark: request.passMark,
      indicators: request.indicators,
      version: before.version + 1,
    };
    checkIndicatorSystem(after);
    const stored = await systems.replace({
      id,
      replaced: before,
      name: after.name,
      passMark: after.passMark,
      indicators: after.indicators,
      savedBy: principal.subject,
      savedAt: clock(),
      events: [systemAudit(audit, principal, 'indicator_system.replace', before, after)],
    });
    await publicPages.invalidate();
    return stored;
  };
