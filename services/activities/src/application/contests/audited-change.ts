/** A manager's change to a contest, written with its audit record in one versioned write. */
import { actorOf, type AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import type { OutboxEntry } from '@learning/events';
import type { ContestAccess } from './access.js';
import type { ContestChange, ContestRepository, StoredContest } from './ports.js';
import { contestAuditView } from './views.js';

export interface AuditedChangeDeps {
  readonly contests: ContestRepository;
  readonly audit: AuditTrail;
}

export interface AuditedChange {
  /** The audit action, `contest.<verb>`. */
  readonly action: string;
  readonly expectedVersion: number;
  readonly updatedAt: Date;
  /** The contest as it is after the change, for the audit record. */
  readonly after: StoredContest;
  readonly fields: Pick<ContestChange, 'judges' | 'entryWindow' | 'publication'>;
  /** Events that ride along with the audit record. */
  readonly events?: readonly OutboxEntry[];
}

export function changeContest(
  deps: AuditedChangeDeps,
  principal: Principal,
  { contest, scope }: ContestAccess,
  change: AuditedChange,
): Promise<StoredContest> {
  const audit = deps.audit.entry({
    actor: actorOf(principal),
    action: change.action,
    entityType: 'contest',
    entityId: contest.id,
    jurisdictionPath: contest.jurisdictionPath,
    before: contestAuditView(contest),
    after: contestAuditView(change.after),
  });
  return deps.contests.change(scope, {
    id: contest.id,
    expectedVersion: change.expectedVersion,
    updatedAt: change.updatedAt,
    ...change.fields,
    events: [...(change.events ?? []), audit],
  });
}
