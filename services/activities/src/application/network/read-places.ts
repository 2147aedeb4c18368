/**
 * Reading places: officers within their scope; a keeper reads and lists the
 * places they keep wherever they are.
 */
import type { Principal } from '@learning/auth';
import { byIdScope, keeps, readerScope } from './access.js';
import { placeNotFound } from './errors.js';
import type { Page, PlaceQuery, PlaceRepository, StoredPlace } from './ports.js';

export interface ReadPlacesDeps {
  readonly places: PlaceRepository;
}

/** The place as `principal` may see it; NETWORK_PLACE_NOT_FOUND when they may not. */
export async function findVisiblePlace(
  places: PlaceRepository,
  principal: Principal,
  id: string,
): Promise<StoredPlace> {
  const scope = readerScope(principal);
  if (scope !== null) {
    const place = await places.get(scope, id);
    if (place !== null) return place;
  }
  const place = await places.get(byIdScope(), id);
  if (place !== null && keeps(principal, place)) return place;
  throw placeNotFound();
}

export const getPlace =
  (deps: ReadPlacesDeps) =>
  (principal: Principal, id: string): Promise<StoredPlace> =>
    findVisiblePlace(deps.places, principal, id);

export const listPlaces =
  (deps: ReadPlacesDeps) =>
  async (principal: Principal, query: PlaceQuery): Promise<Page<StoredPlace>> => {
    const scope = readerScope(principal);
    if (scope !== null) return deps.places.list(scope, query);
    // Anyone else lists the places they keep (none for most people).
    return deps.places.list(byIdScope(), { ...query, keeperSubject: principal.subject });
  };

export type GetPlace = ReturnType<typeof getPlace>;
export type ListPlaces = ReturnType<typeof listPlaces>;
