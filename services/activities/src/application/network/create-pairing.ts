/**
 * 百村百企百书架: an officer over a farmhouse library pairs it with an
 * enterprise (a learning organization of kind enterprise, asked of
 * registration, not rejected or suspended). An enterprise is paired with a
 * library once; the store's unique key says so.
 */
import { randomUUID } from 'node:crypto';
import { actorOf, type AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { activeOrganization } from '../organizers.js';
import { managerScope } from './access.js';
import type { Organization, Organizations } from '../ports.js';
import {
  NETWORK_ENTERPRISE_NOT_ACTIVE,
  NETWORK_ENTERPRISE_UNKNOWN,
  NETWORK_NOT_A_LIBRARY,
  NETWORK_PAIRING_NOT_ENTERPRISE,
  placeNotFound,
  networkErrors,
} from './errors.js';
import { pairingAuditView } from './events.js';
import type { NewPairing, PairingRepository, PlaceRepository, StoredPairing } from './ports.js';

export interface CreatePairingRequest {
  readonly enterpriseId: string;
  readonly libraryId: string;
}

export interface CreatePairingDeps {
  readonly places: PlaceRepository;
  readonly pairings: PairingRepository;
  readonly organizations: Organizations;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
  readonly newId?: () => string;
}

const enterpriseField = [{ field: '/enterpriseId', message: 'is not a pairable enterprise' }];

/** The enterprise as registration has it, if it may take a pairing. */
async function pairableEnterprise(
  organizations: Organizations,
  enterpriseId: string,
): Promise<Organization> {
  const enterprise = await activeOrganization(organizations, enterpriseId, {
    unknown: NETWORK_ENTERPRISE_UNKNOWN,
    inactive: NETWORK_ENTERPRISE_NOT_ACTIVE,
    field: '/enterpriseId',
    doing: 'take a new pairing',
  });
  if (enterprise.kind !== 'enterprise')
    throw networkErrors.error(
      NETWORK_PAIRING_NOT_ENTERPRISE,
      'Libraries are paired with enterprises; that organization is of another kind.',
      { details: enterpriseField },
    );
  return enterprise;
}

export function createPairing(deps: CreatePairingDeps) {
  const newId = deps.newId ?? randomUUID;
  return async (principal: Principal, request: CreatePairingRequest): Promise<StoredPairing> => {
    const scope = managerScope(principal);
    const library = await deps.places.get(scope, request.libraryId);
    if (library === null) throw placeNotFound();
    if (library.kind !== 'farmhouse_library')
      throw networkErrors.error(
        NETWORK_NOT_A_LIBRARY,
        'Enterprises are paired with farmhouse libraries, not knowledge supermarkets.',
        { details: [{ field: '/libraryId', message: 'is not a farmhouse library' }] },
      );
    const enterprise = await pairableEnterprise(deps.organizations, request.enterpriseId);
    const id = newId();
    const pairing: Omit<NewPairing, 'events'> = {
      id,
      enterpriseId: enterprise.id,
      libraryId: library.id,
      jurisdictionPath: [...library.jurisdictionPath],
      createdBy: principal.subject,
      createdAt: deps.clock(),
    };
    const audit = deps.audit.entry({
      actor: actorOf(principal),
      action: 'network_pairing.create',
      entityType: 'network_pairing',
      entityId: id,
      jurisdictionPath: pairing.jurisdictionPath,
      before: null,
      after: pairingAuditView(pairing),
    });
    return deps.pairings.create(scope, { ...pairing, events: [audit] });
  };
}

export type CreatePairing = ReturnType<typeof createPairing>;
