/**
 * An officer over a place changes its keeper, name, opening hours, services
 * or holdings (a stock-take). New holdings that take a library to the
 * standard for the first time announce it, as a receipt would.
 */
import { actorOf, type AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { managerScope } from './access.js';
import { NETWORK_CHANGE_EMPTY, placeNotFound, networkErrors } from './errors.js';
import { placeAuditView } from './events.js';
import type { PlaceChange, PlaceDetails, PlaceRepository, StoredPlace } from './ports.js';
import { stockTake } from './stock-take.js';

export interface ChangePlaceRequest extends Partial<PlaceDetails> {
  /** The version read; the change applies only if nobody changed the place since. */
  readonly version: number;
}

export interface ChangePlaceDeps {
  readonly places: PlaceRepository;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
}

export function changePlace(deps: ChangePlaceDeps) {
  return async (
    principal: Principal,
    id: string,
    request: ChangePlaceRequest,
  ): Promise<StoredPlace> => {
    const scope = managerScope(principal);
    const { version, ...fields } = request;
    if (Object.keys(fields).length === 0)
      throw networkErrors.error(NETWORK_CHANGE_EMPTY, 'Name at least one field to change.');
    const place = await deps.places.get(scope, id);
    if (place === null) throw placeNotFound();
    const now = deps.clock();
    const change: Omit<PlaceChange, 'events'> = {
      id,
      expectedVersion: version,
      updatedAt: now,
      ...(fields.name === undefined ? {} : { name: fields.name.trim() }),
      ...(fields.keeper === undefined ? {} : { keeper: fields.keeper }),
      ...(fields.openingHours === undefined ? {} : { openingHours: fields.openingHours.trim() }),
      ...(fields.services === undefined ? {} : { services: [...new Set(fields.services)] }),
    };
    const stock =
      fields.holdings === undefined ? undefined : stockTake(place, fields.holdings, now);
    const holdingsChange: Pick<PlaceChange, 'holdings' | 'totalBooks' | 'standardReachedOn'> =
      stock === undefined
        ? {}
        : {
            holdings: stock.holdings,
            totalBooks: stock.totalBooks,
            standardReachedOn: stock.standardReachedOn,
          };
    const after = { ...place, ...change, ...holdingsChange };
    const events = [
      ...(stock?.events ?? []),
      deps.audit.entry({
        actor: actorOf(principal),
        action: 'network_place.change',
        entityType: 'network_place',
        entityId: id,
        jurisdictionPath: place.jurisdictionPath,
        before: placeAuditView(place),
        after: placeAuditView(after),
      }),
    ];
    return deps.places.change(scope, { ...change, ...holdingsChange, events });
  };
}

export type ChangePlace = ReturnType<typeof changePlace>;
