/**
 * An enterprise's admin (or an officer over the library) records books the
 * enterprise gave its paired library. The donation waits for the keeper's
 * receipt: only then do the holdings grow and BookDonationRecorded go out,
 * because the books count once they are on the library's shelves.
 */
import { randomUUID } from 'node:crypto';
import { actorOf, type AuditTrail } from '@learning/audit';
import { hasRole, type Principal } from '@learning/auth';
import { chinaDateOf, type CalendarDate, domainCall } from '@learning/domain';
import { validateDonation } from '../../domain/library-standard.js';
import { administersEnterprise, byIdScope } from './access.js';
import { NETWORK_DONATION_FORBIDDEN, pairingNotFound, networkErrors } from './errors.js';
import { donationAuditView } from './events.js';
import type { CategoryCounts, StoredDonation } from './ports.js';
import { findVisiblePairing, type ReadPairingsDeps } from './read-pairings.js';

export interface RecordDonationRequest {
  readonly count: number;
  readonly byCategory: CategoryCounts;
  readonly donatedOn: CalendarDate;
}

export interface RecordDonationDeps extends ReadPairingsDeps {
  readonly audit: AuditTrail;
  readonly clock: () => Date;
  readonly newId?: () => string;
}

export function recordDonation(deps: RecordDonationDeps) {
  const newId = deps.newId ?? randomUUID;
  return async (
    principal: Principal,
    pairingId: string,
    request: RecordDonationRequest,
  ): Promise<StoredDonation> => {
    const { pairing, library, inScope } = await findVisiblePairing(deps, principal, pairingId);
    const officerOver = inScope && hasRole(principal, 'city_admin', 'area_officer');
    if (!officerOver && !administersEnterprise(principal, pairing))
      throw networkErrors.error(
        NETWORK_DONATION_FORBIDDEN,
        "Donations are recorded by the enterprise's admins or an officer over the library.",
      );
    const now = deps.clock();
    domainCall(() => validateDonation(request, chinaDateOf(now)));
    const donation: StoredDonation = {
      id: newId(),
      pairingId: pairing.id,
      enterpriseId: pairing.enterpriseId,
      count: request.count,
      byCategory: { ...request.byCategory },
      donatedOn: request.donatedOn,
      status: 'pending',
      recordedBy: principal.subject,
      recordedAt: now,
      receivedBy: null,
      receivedAt: null,
    };
    const audit = deps.audit.entry({
      actor: actorOf(principal),
      action: 'book_donation.record',
      entityType: 'network_place',
      entityId: library.id,
      jurisdictionPath: library.jurisdictionPath,
      before: null,
      after: donationAuditView(donation),
    });
    const updated = await deps.places.appendDonation(byIdScope(), library.id, donation, now, [
      audit,
    ]);
    if (updated === null) throw pairingNotFound();
    return donation;
  };
}

export type RecordDonation = ReturnType<typeof recordDonation>;
