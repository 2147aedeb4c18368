/**
 * Reading pairings: officers within their scope, an enterprise's admins the
 * pairings of their enterprise, a keeper the pairings of their library
 * (listed by library).
 */
import type { Principal } from '@learning/auth';
import { AppError } from '@learning/errors';
import { administersEnterprise, byIdScope, keeps, readerScope } from './access.js';
import { pairingNotFound } from './errors.js';
import type {
  Page,
  PairingQuery,
  PairingRepository,
  PlaceRepository,
  StoredPairing,
  StoredPlace,
} from './ports.js';

export interface ReadPairingsDeps {
  readonly places: PlaceRepository;
  readonly pairings: PairingRepository;
}

export interface VisiblePairing {
  readonly pairing: StoredPairing;
  /** The paired library, read with the pairing. */
  readonly library: StoredPlace;
  /** Whether the pairing is in the caller's officer scope (rather than reached as admin or keeper). */
  readonly inScope: boolean;
}

/** The pairing and its library as `principal` may see them; NETWORK_PAIRING_NOT_FOUND otherwise. */
export async function findVisiblePairing(
  deps: ReadPairingsDeps,
  principal: Principal,
  id: string,
): Promise<VisiblePairing> {
  const scope = readerScope(principal);
  const inScope = scope === null ? null : await deps.pairings.get(scope, id);
  const pairing = inScope ?? (await deps.pairings.get(byIdScope(), id));
  if (pairing === null) throw pairingNotFound();
  const library = await deps.places.get(byIdScope(), pairing.libraryId);
  if (library === null) throw pairingNotFound();
  if (inScope !== null || administersEnterprise(principal, pairing) || keeps(principal, library))
    return { pairing, library, inScope: inScope !== null };
  throw pairingNotFound();
}

export const getPairing =
  (deps: ReadPairingsDeps) =>
  async (principal: Principal, id: string): Promise<StoredPairing> =>
    (await findVisiblePairing(deps, principal, id)).pairing;

export const listPairings =
  (deps: ReadPairingsDeps) =>
  async (principal: Principal, query: PairingQuery): Promise<Page<StoredPairing>> => {
    const scope = readerScope(principal);
    if (scope !== null) return deps.pairings.list(scope, query);
    if (query.libraryId !== undefined) {
      // A keeper lists the pairings of their library, to find the donations waiting for them.
      const library = await deps.places.get(byIdScope(), query.libraryId);
      if (library !== null && keeps(principal, library))
        return deps.pairings.list(byIdScope(), query);
    }
    if (principal.roles.includes('org_admin') && principal.organizations.length > 0)
      return deps.pairings.list(byIdScope(), {
        ...query,
        enterpriseIds: principal.organizations,
      });
    throw new AppError(
      'permission_denied',
      'ROLE_REQUIRED',
      "Only officers, enterprise admins and a library's keeper (by library) list pairings.",
    );
  };

export type GetPairing = ReturnType<typeof getPairing>;
export type ListPairings = ReturnType<typeof listPairings>;
