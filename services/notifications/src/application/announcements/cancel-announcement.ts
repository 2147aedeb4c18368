/**
 * Stops an announcement: the worker finds it cancelled when it next moves
 * the cursor, so the batch in hand finishes and no other starts. Those
 * already reached keep it in their inbox.
 */
import { actorOf, type AuditTrail } from '@learning/audit';
import { CITY_WIDE_PATH, type Principal } from '@learning/auth';
import type { Broadcast, BroadcastStore } from '../broadcasts/ports.js';
import { announcementFinished, announcementNotFound } from './errors.js';
import { visibleAnnouncement } from './get-announcement.js';

export type CancelAnnouncement = (principal: Principal, id: string) => Promise<Broadcast>;

export const cancelAnnouncement =
  (deps: {
    readonly broadcasts: BroadcastStore;
    readonly audit: AuditTrail;
    readonly clock: () => Date;
  }): CancelAnnouncement =>
  async (principal, id) => {
    const found = await visibleAnnouncement(deps.broadcasts, principal, id);
    if (found.status === 'cancelled') return found;
    if (found.status === 'completed') throw announcementFinished();
    const cancelled = await deps.broadcasts.cancel(id, deps.clock(), (before) => [
      deps.audit.entry({
        actor: actorOf(principal),
        action: 'announcement.cancelled',
        entityType: 'announcement',
        entityId: id,
        jurisdictionPath: CITY_WIDE_PATH,
        before: { status: before.status, recipientsDone: before.recipientsDone },
        after: { status: 'cancelled' },
      }),
    ]);
    if (cancelled === null) throw announcementNotFound();
    // Completed between the read and the write: nothing was left to stop.
    if (cancelled.status === 'completed') throw announcementFinished();
    return cancelled;
  };
