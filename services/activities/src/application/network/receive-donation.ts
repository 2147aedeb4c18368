/**
 * The library's keeper signs for a recorded donation: the holdings grow by
 * its categories and BookDonationRecorded goes out, with LibraryStandardReached
 * when this receipt first takes the library to 200 books. The receipt, the
 * new holdings, the milestone flag and the events are one write guarded by
 * the library's version, so two receipts crossing the line one after the
 * other announce the milestone once: the second sees the flag the first set.
 */
import { actorOf, type AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { chinaDateOf, domainCall } from '@learning/domain';
import { isAppError } from '@learning/errors';
import { recordDonation as receiveIntoLibrary, totalBooks } from '../../domain/library-standard.js';
import { donationNotFound, NETWORK_DONATION_ALREADY_RECEIVED, networkErrors } from './errors.js';
import { donationAuditView, donationRecorded, placeAuditView, standardReached } from './events.js';
import type { CategoryCounts, StoredDonation, StoredPlace } from './ports.js';
import { findVisiblePairing, type ReadPairingsDeps } from './read-pairings.js';
import { byIdScope } from './access.js';

/** Another receipt at the same library may win the version race; the loser reads again. */
const MAX_ATTEMPTS = 3;

export interface ReceiveDonationDeps extends ReadPairingsDeps {
  readonly audit: AuditTrail;
  readonly clock: () => Date;
}

export interface Receipt {
  readonly donation: StoredDonation;
  readonly library: StoredPlace;
}

export function receiveDonation(deps: ReceiveDonationDeps) {
  const attempt = async (
    principal: Principal,
    pairingId: string,
    donationId: string,
  ): Promise<Receipt> => {
    const { pairing, library } = await findVisiblePairing(deps, principal, pairingId);
    const index = library.donations.findIndex(
      (donation) => donation.id === donationId && donation.pairingId === pairing.id,
    );
    const donation = library.donations[index];
    if (donation === undefined) throw donationNotFound();
    if (donation.status === 'received')
      throw networkErrors.error(
        NETWORK_DONATION_ALREADY_RECEIVED,
        'This donation has already been received.',
      );
    const now = deps.clock();
    const result = domainCall(() =>
      receiveIntoLibrary(
        {
          id: library.id,
          jurisdictionCode: library.jurisdictionCode,
          keeperId: library.keeper?.subject ?? null,
          holdings: library.holdings,
          standardReachedOn: library.standardReachedOn,
        },
        { id: pairing.id, enterpriseId: pairing.enterpriseId, libraryId: pairing.libraryId },
        {
          id: donation.id,
          pairingId: donation.pairingId,
          count: donation.count,
          byCategory: donation.byCategory,
          donatedOn: donation.donatedOn,
          receivedBy: principal.subject,
        },
        chinaDateOf(now),
      ),
    );
    const holdings = result.library.holdings as CategoryCounts;
    const total = totalBooks(holdings);
    const received: StoredDonation = {
      ...donation,
      status: 'received',
      receivedBy: principal.subject,
      receivedAt: now,
    };
    const after = { ...library, holdings, totalBooks: total };
    const events = [
      donationRecorded(library, received, now),
      ...(result.standardReached === null ? [] : [standardReached(library, total, now)]),
      deps.audit.entry({
        actor: actorOf(principal),
        action: 'book_donation.receive',
        entityType: 'network_place',
        entityId: library.id,
        jurisdictionPath: library.jurisdictionPath,
        before: { donation: donationAuditView(donation), library: placeAuditView(library) },
        after: { donation: donationAuditView(received), library: placeAuditView(after) },
      }),
    ];
    const updated = await deps.places.change(byIdScope(), {
      id: library.id,
      expectedVersion: library.version,
      updatedAt: now,
      holdings,
      totalBooks: total,
      standardReachedOn: result.library.standardReachedOn,
      received: { index, receivedBy: principal.subject, receivedAt: now },
      events,
    });
    return { donation: received, library: updated };
  };

  return async (principal: Principal, pairingId: string, donationId: string): Promise<Receipt> => {
    for (let tries = 1; ; tries += 1) {
      try {
        return await attempt(principal, pairingId, donationId);
      } catch (error) {
        const raced = isAppError(error) && error.code === 'VERSION_CONFLICT';
        if (!raced || tries >= MAX_ATTEMPTS) throw error;
      }
    }
  };
}

export type ReceiveDonation = ReturnType<typeof receiveDonation>;
