/**
 * The donations of a pairing, oldest first, for whoever may see the pairing
 * (officers over it, the enterprise's admins, the library's keeper). They
 * live in the library's document, a handful a year, so a page is cut from
 * that list; the cursor names the last donation of the previous page.
 */
import type { Principal } from '@learning/auth';
import { AppError } from '@learning/errors';
import type { DonationStatus, Page, StoredDonation } from './ports.js';
import { findVisiblePairing, type ReadPairingsDeps } from './read-pairings.js';

export interface DonationQuery {
  readonly status?: DonationStatus;
  readonly pageSize: number;
  readonly pageToken?: string;
}

const invalidCursor = (): AppError =>
  new AppError(
    'invalid_argument',
    'CURSOR_INVALID',
    'The page cursor is not valid for this query; start again from the first page.',
  );

const cursorOf = (donationId: string): string =>
  Buffer.from(JSON.stringify({ after: donationId })).toString('base64url');

function positionAfter(cursor: string, donations: readonly StoredDonation[]): number {
  let after: unknown;
  try {
    after = (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown })
      .after;
  } catch {
    throw invalidCursor();
  }
  const index = donations.findIndex((donation) => donation.id === after);
  if (index < 0) throw invalidCursor();
  return index + 1;
}

export const listDonations =
  (deps: ReadPairingsDeps) =>
  async (
    principal: Principal,
    pairingId: string,
    query: DonationQuery,
  ): Promise<Page<StoredDonation>> => {
    const { library } = await findVisiblePairing(deps, principal, pairingId);
    const donations = library.donations.filter(
      (donation) =>
        donation.pairingId === pairingId &&
        (query.status === undefined || donation.status === query.status),
    );
    const start = query.pageToken === undefined ? 0 : positionAfter(query.pageToken, donations);
    const items = donations.slice(start, start + query.pageSize);
    const last = items.at(-1);
    const more = start + query.pageSize < donations.length;
    return { items, nextPageToken: more && last !== undefined ? cursorOf(last.id) : null };
  };

export type ListDonations = ReturnType<typeof listDonations>;
