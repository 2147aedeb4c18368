/**
 * The one write every versioned aggregate's change goes through (campaigns,
 * training programmes): the fields over the version read, the events, and
 * the audit record of before and after, in one conditional update.
 */
import { actorOf, type AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import type { OutboxEntry } from '@learning/events';

export interface VersionedChange<Fields> {
  readonly id: string;
  readonly expectedVersion: number;
  readonly updatedAt: Date;
  readonly set: Partial<Fields>;
  readonly events: readonly OutboxEntry[];
}

interface Versioned {
  readonly id: string;
  readonly version: number;
  readonly jurisdictionPath: readonly string[];
}

export interface VersionedStore<Stored, Fields> {
  /** Applies the change if the aggregate is still at `expectedVersion`; the stored result. */
  change(change: VersionedChange<Fields>): Promise<Stored>;
}

export interface AuditedEntity<Stored> {
  /** The audit log's entity type, e.g. `campaign`. */
  readonly entityType: string;
  /** What the audit log keeps of the aggregate before and after. */
  readonly viewOf: (stored: Stored) => unknown;
}

/** Writes `set` over `current` if it is still at the version read, with `events` and the audit record. */
export function storeVersionedChange<Stored extends Versioned, Fields>(
  deps: { readonly store: VersionedStore<Stored, Fields>; readonly audit: AuditTrail },
  entity: AuditedEntity<Stored>,
  principal: Principal,
  action: string,
  current: Stored,
  change: { readonly set: Partial<Fields>; readonly at: Date },
  events: readonly OutboxEntry[] = [],
): Promise<Stored> {
  const after: Stored = { ...current, ...change.set };
  return deps.store.change({
    id: current.id,
    expectedVersion: current.version,
    updatedAt: change.at,
    set: change.set,
    events: [
      ...events,
      deps.audit.entry({
        actor: actorOf(principal),
        action,
        entityType: entity.entityType,
        entityId: current.id,
        jurisdictionPath: after.jurisdictionPath,
        before: entity.viewOf(current),
        after: entity.viewOf(after),
      }),
    ],
  });
}
