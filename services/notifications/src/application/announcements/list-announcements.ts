/** The announcements sent, newest first: all of them for the office, their own for an area officer. */
import type { Principal } from '@learning/auth';
import type { BroadcastPage, BroadcastStore } from '../broadcasts/ports.js';
import { isOffice } from './scope.js';

export type ListAnnouncements = (
  principal: Principal,
  page: { readonly pageSize: number; readonly pageToken?: string },
) => Promise<BroadcastPage>;

export const listAnnouncements =
  (broadcasts: BroadcastStore): ListAnnouncements =>
  (principal, page) =>
    broadcasts.list({
      kind: 'announcement',
      ...(isOffice(principal) ? {} : { sender: principal.subject }),
      ...page,
    });
