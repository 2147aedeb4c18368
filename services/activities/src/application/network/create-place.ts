/**
 * A city admin or an area officer opens a knowledge supermarket in a township
 * or street, or a farmhouse library in a village or community, inside their
 * own jurisdictions. Registration says where the code is and at which level;
 * a second place in the same jurisdiction is refused by the store's unique key.
 */
import { randomUUID } from 'node:crypto';
import { actorOf, type AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { domainCall } from '@learning/domain';
import { assertPlaceLevel, type NetworkPlaceKind } from '../../domain/library-standard.js';
import type { Jurisdictions } from '../ports.js';
import { managerScope } from './access.js';
import { jurisdictionUnknown } from './errors.js';
import { placeAuditView } from './events.js';
import type { NewPlace, PlaceDetails, PlaceRepository, StoredPlace } from './ports.js';
import { stockTake } from './stock-take.js';

export interface CreatePlaceRequest
  extends Pick<PlaceDetails, 'name'>, Partial<Omit<PlaceDetails, 'name'>> {
  readonly kind: NetworkPlaceKind;
  readonly jurisdictionCode: string;
}

export interface CreatePlaceDeps {
  readonly places: PlaceRepository;
  readonly jurisdictions: Jurisdictions;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
  readonly newId?: () => string;
}

export function createPlace(deps: CreatePlaceDeps) {
  const newId = deps.newId ?? randomUUID;
  return async (principal: Principal, request: CreatePlaceRequest): Promise<StoredPlace> => {
    const scope = managerScope(principal);
    const node = (await deps.jurisdictions.find([request.jurisdictionCode])).get(
      request.jurisdictionCode,
    );
    if (node === undefined) throw jurisdictionUnknown('/jurisdictionCode');
    domainCall(() => {
      assertPlaceLevel(request.kind, node.level);
    });
    const now = deps.clock();
    const id = newId();
    const keeper = request.keeper ?? null;
    // A library opened with 200 books or more has reached the standard on its first day.
    const stock = stockTake(
      {
        id,
        kind: request.kind,
        jurisdictionCode: node.code,
        jurisdictionPath: node.path,
        keeper,
        standardReachedOn: null,
      },
      request.holdings ?? {},
      now,
    );
    const place: Omit<NewPlace, 'events'> = {
      id,
      kind: request.kind,
      name: request.name.trim(),
      jurisdictionCode: node.code,
      jurisdictionPath: [...node.path],
      keeper,
      openingHours: request.openingHours?.trim() ?? '',
      services: [...new Set(request.services ?? [])],
      holdings: stock.holdings,
      totalBooks: stock.totalBooks,
      standardReachedOn: stock.standardReachedOn,
      createdBy: principal.subject,
      createdAt: now,
      updatedAt: now,
    };
    const events = [
      ...stock.events,
      deps.audit.entry({
        actor: actorOf(principal),
        action: 'network_place.create',
        entityType: 'network_place',
        entityId: id,
        jurisdictionPath: place.jurisdictionPath,
        before: null,
        after: placeAuditView(place),
      }),
    ];
    return deps.places.create(scope, { ...place, events });
  };
}

export type CreatePlace = ReturnType<typeof createPlace>;
