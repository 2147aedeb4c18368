/** One announcement and its progress, to the office or the officer who sent it. */
import type { Principal } from '@learning/auth';
import type { Broadcast, BroadcastStore } from '../broadcasts/ports.js';
import { announcementNotFound } from './errors.js';
import { isOffice } from './scope.js';

export type GetAnnouncement = (principal: Principal, id: string) => Promise<Broadcast>;

/** The announcement when `principal` may see it, else not found (as if absent). */
export async function visibleAnnouncement(
  broadcasts: BroadcastStore,
  principal: Principal,
  id: string,
): Promise<Broadcast> {
  const found = await broadcasts.get(id);
  if (found?.kind !== 'announcement') throw announcementNotFound();
  if (!isOffice(principal) && found.sender !== principal.subject) throw announcementNotFound();
  return found;
}

export const getAnnouncement =
  (broadcasts: BroadcastStore): GetAnnouncement =>
  (principal, id) =>
    visibleAnnouncement(broadcasts, principal, id);
