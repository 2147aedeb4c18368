/**
 * An officer over a place changes its keeper, name, opening hours, services
 * or holdings (a stock-take). New holdings that take a library to the
 * standard for the first time announce it, as a receipt would.
 */
import { actorOf, type AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { chinaDateOf, domainCall } from '@learning/domain';
import { AppError } from '@learning/errors';
import {
  totalBooks as totalOf,
  updateHoldings,
  type NetworkService,
} from '../../domain/library-standard.js';
import { managerScope } from './access.js';
import { NETWORK_CHANGE_EMPTY, placeNotFound } from './errors.js';
import { placeAuditView, standardReached } from './events.js';
import type { CategoryCounts, Keeper, PlaceChange, PlaceRepository, StoredPlace } from './ports.js';

export interface ChangePlaceRequest {
  /** The version read; the change applies only if nobody changed the place since. */
  readonly version: number;
  readonly name?: string;
  readonly keeper?: Keeper | null;
  readonly openingHours?: string;
  readonly services?: readonly NetworkService[];
  readonly holdings?: CategoryCounts;
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
      throw new AppError(
        'invalid_argument',
        NETWORK_CHANGE_EMPTY,
        'Name at least one field to change.',
      );
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
    let reached = false;
    let holdingsChange: Pick<PlaceChange, 'holdings' | 'totalBooks' | 'standardReachedOn'> = {};
    if (fields.holdings !== undefined) {
      const holdings = fields.holdings;
      const updated = domainCall(() =>
        updateHoldings(
          {
            id,
            jurisdictionCode: place.jurisdictionCode,
            keeperId: place.keeper?.subject ?? null,
            holdings: place.holdings,
            standardReachedOn: place.standardReachedOn,
          },
          holdings,
          chinaDateOf(now),
        ),
      );
      const isLibrary = place.kind === 'farmhouse_library';
      reached = isLibrary && updated.standardReached !== null;
      holdingsChange = {
        holdings: { ...holdings },
        totalBooks: totalOf(holdings),
        ...(isLibrary ? { standardReachedOn: updated.library.standardReachedOn } : {}),
      };
    }
    const after = { ...place, ...change, ...holdingsChange };
    const events = [
      ...(reached ? [standardReached(place, after.totalBooks, now)] : []),
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
