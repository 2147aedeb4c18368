/**
 * The venue catalogue: city admins, and area officers inside their area, add
 * the places activities are held; every organizer may look them up. Venues
 * are public places, so the list is not narrowed by the reader's area.
 */
import { randomUUID } from 'node:crypto';
import { actorOf, type AuditTrail } from '@learning/audit';
import { type Principal, Scope } from '@learning/auth';
import type { Jurisdictions } from '../ports.js';
import { knownPlace } from './places.js';
import { DEFAULT_PAGE_SIZE } from '@learning/http';
import type { StoredVenue, VenuePage, VenueRepository } from './venue-repository.js';

export interface AddVenueRequest {
  readonly name: string;
  readonly address?: string | null;
  readonly jurisdictionCode: string;
}

export interface VenueDeps {
  readonly venues: VenueRepository;
  readonly jurisdictions: Jurisdictions;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
  readonly newId?: () => string;
}

export function venueCatalogue(deps: VenueDeps) {
  const newId = deps.newId ?? randomUUID;
  const readScope = Scope.system('venue catalogue');
  return {
    /** OUT_OF_SCOPE for an area officer adding outside their area. */
    async add(principal: Principal, request: AddVenueRequest): Promise<StoredVenue> {
      const place = await knownPlace(deps.jurisdictions, request.jurisdictionCode);
      const id = newId();
      const venue = {
        id,
        name: request.name.trim(),
        address: request.address?.trim() ?? null,
        jurisdictionPath: [...place.path],
        createdBy: principal.subject,
        createdAt: deps.clock(),
      };
      const audit = deps.audit.entry({
        actor: actorOf(principal),
        action: 'venue.add',
        entityType: 'venue',
        entityId: id,
        jurisdictionPath: place.path,
        before: null,
        after: { name: venue.name, address: venue.address },
      });
      return deps.venues.create(Scope.of(principal), { ...venue, events: [audit] });
    },

    async list(request: {
      jurisdictionCode?: string;
      pageSize?: number;
      pageToken?: string;
    }): Promise<VenuePage> {
      const { pageSize, ...filters } = request;
      return deps.venues.list(readScope, { ...filters, pageSize: pageSize ?? DEFAULT_PAGE_SIZE });
    },

    /** A catalogued venue by id, or null. */
    find: (id: string): Promise<StoredVenue | null> => deps.venues.get(readScope, id),

    /** The catalogued venues among `ids` (other services ask in batches); unknown ids are absent. */
    findMany: (ids: readonly string[]): Promise<StoredVenue[]> =>
      ids.length === 0 ? Promise.resolve([]) : deps.venues.getMany(readScope, ids),
  };
}

export type VenueCatalogue = ReturnType<typeof venueCatalogue>;
