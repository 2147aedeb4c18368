/**
 * A city admin or an area officer opens a knowledge supermarket in a township
 * or street, or a farmhouse library in a village or community, inside their
 * own jurisdictions. Registration says where the code is and at which level;
 * a second place in the same jurisdiction is refused by the store's unique key.
 */
import { randomUUID } from 'node:crypto';
import { actorOf, type AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { chinaDateOf, domainCall } from '@learning/domain';
import {
  assertPlaceLevel,
  totalBooks as totalOf,
  updateHoldings,
  type NetworkPlaceKind,
  type NetworkService,
} from '../../domain/library-standard.js';
import type { Jurisdictions } from '../ports.js';
import { managerScope } from './access.js';
import { jurisdictionUnknown } from './errors.js';
import { placeAuditView, standardReached } from './events.js';
import type { CategoryCounts, Keeper, NewPlace, PlaceRepository, StoredPlace } from './ports.js';

export interface CreatePlaceRequest {
  readonly kind: NetworkPlaceKind;
  readonly name: string;
  readonly jurisdictionCode: string;
  readonly keeper?: Keeper | null;
  readonly openingHours?: string;
  readonly services?: readonly NetworkService[];
  readonly holdings?: CategoryCounts;
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
    // A library opened with 200 books or more has reached the standard on its first day.
    const opened = domainCall(() =>
      updateHoldings(
        {
          id,
          jurisdictionCode: node.code,
          keeperId: null,
          holdings: request.holdings ?? {},
          standardReachedOn: null,
        },
        request.holdings ?? {},
        chinaDateOf(now),
      ),
    );
    const isLibrary = request.kind === 'farmhouse_library';
    const totalBooks = totalOf(opened.library.holdings);
    const place: Omit<NewPlace, 'events'> = {
      id,
      kind: request.kind,
      name: request.name.trim(),
      jurisdictionCode: node.code,
      jurisdictionPath: [...node.path],
      keeper: request.keeper ?? null,
      openingHours: request.openingHours?.trim() ?? '',
      services: [...new Set(request.services ?? [])],
      holdings: { ...(opened.library.holdings as CategoryCounts) },
      totalBooks,
      standardReachedOn: isLibrary ? opened.library.standardReachedOn : null,
      createdBy: principal.subject,
      createdAt: now,
      updatedAt: now,
    };
    const events = [
      ...(isLibrary && opened.standardReached !== null
        ? [standardReached(place, totalBooks, now)]
        : []),
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
