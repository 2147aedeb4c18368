/** In-memory stores and a small jurisdiction tree for the learning network's use cases. */
import { auditTrail } from '@learning/audit';
import { type Principal, type PrincipalInput, scopeAllows, type Scope } from '@learning/auth';
import { AppError } from '@learning/errors';
import { topics, type OutboxEntry } from '@learning/events';
import type {
  Jurisdiction,
  Jurisdictions,
  Organization,
  Organizations,
} from '../../../src/application/ports.js';
import {
  gapKey,
  type NewPairing,
  type NewPlace,
  type Page,
  type PairingQuery,
  type PairingRepository,
  type PlaceChange,
  type PlaceFigures,
  type PlaceQuery,
  type PlaceRepository,
  type ReportedGap,
  type ReportedGapRepository,
  type StoredDonation,
  type StoredPairing,
  type StoredPlace,
} from '../../../src/application/network/ports.js';

export const CITY = '330281000000';
export const T1 = '330281001000';
export const T2 = '330281002000';
export const V11 = '330281001001';
export const V12 = '330281001002';
export const V21 = '330281002001';

const nodes: Jurisdiction[] = [
  { code: CITY, name: '市', level: 'city', path: [CITY] },
  { code: T1, name: '一镇', level: 'township', path: [CITY, T1] },
  { code: T2, name: '二街道', level: 'street', path: [CITY, T2] },
  { code: V11, name: '一村', level: 'village', path: [CITY, T1, V11] },
  { code: V12, name: '二村', level: 'village', path: [CITY, T1, V12] },
  { code: V21, name: '一社区', level: 'community', path: [CITY, T2, V21] },
];

export const fakeJurisdictions: Jurisdictions = {
  async find(codes) {
    return new Map(nodes.filter((node) => codes.includes(node.code)).map((n) => [n.code, n]));
  },
  async *subtree(rootCode, levels = []) {
    yield nodes.filter(
      (node) =>
        node.path.includes(rootCode) && (levels.length === 0 || levels.includes(node.level)),
    );
  },
};

const organization = (
  id: string,
  kind: Organization['kind'],
  status: Organization['status'],
): Organization => ({
  id,
  name: id,
  kind,
  leadDepartment: kind === 'enterprise' ? 'jingmao-ju' : 'wenming-ban',
  jurisdictionPath: [CITY, T1],
  status,
});

/** Two recognized enterprises, one applied, one suspended, one rejected, and a community. */
const organizations: Organization[] = [
  organization('ent-1', 'enterprise', 'recognized'),
  organization('ent-2', 'enterprise', 'recognized'),
  organization('ent-applied', 'enterprise', 'applied'),
  organization('ent-suspended', 'enterprise', 'suspended'),
  organization('ent-rejected', 'enterprise', 'rejected'),
  organization('community-1', 'community', 'recognized'),
];

export const fakeOrganizations: Organizations = {
  async find(ids) {
    return new Map(organizations.filter((o) => ids.includes(o.id)).map((o) => [o.id, o]));
  },
  /** The network never lists members: a known organization has none here. */
  async members(organizationId) {
    return organizations.some((o) => o.id === organizationId)
      ? { members: [], nextPageToken: '' }
      : null;
  },
};

export const principal = (input: PrincipalInput): Principal => ({
  subject: input.subject,
  roles: [...input.roles],
  cityWide: input.cityWide === true || input.roles.includes('city_admin'),
  jurisdictions: [...(input.jurisdictions ?? [])],
  organizations: [...(input.organizations ?? [])],
});

export const audit = auditTrail('activities', topics.activitiesAudit);

const notFound = (entity: string) =>
  new AppError('not_found', `${entity}_NOT_FOUND`, `The ${entity} was not found.`);

export class FakePlaces implements PlaceRepository {
  readonly places = new Map<string, StoredPlace>();
  /** Every event written, in order. */
  readonly outbox: OutboxEntry[] = [];
  /** Makes the next versioned change lose a race once, as if another receipt came first. */
  raceNextChange: ((place: StoredPlace) => StoredPlace) | null = null;

  async get(scope: Scope, id: string): Promise<StoredPlace | null> {
    const place = this.places.get(id);
    return place !== undefined && scopeAllows(scope, place.jurisdictionPath) ? place : null;
  }

  async create(scope: Scope, place: NewPlace): Promise<StoredPlace> {
    if (!scopeAllows(scope, place.jurisdictionPath))
      throw new AppError('permission_denied', 'OUT_OF_SCOPE', 'outside');
    if ([...this.places.values()].some((p) => p.jurisdictionCode === place.jurisdictionCode))
      throw new AppError('conflict', 'NETWORK_PLACE_ALREADY_EXISTS', 'exists');
    const { events, ...fields } = place;
    const stored: StoredPlace = { ...fields, donations: [], version: 1 };
    this.places.set(place.id, stored);
    this.outbox.push(...events);
    return stored;
  }

  async change(scope: Scope, change: PlaceChange): Promise<StoredPlace> {
    let place = await this.get(scope, change.id);
    if (place === null) throw notFound('NETWORK_PLACE');
    if (this.raceNextChange !== null) {
      place = this.raceNextChange(place);
      this.raceNextChange = null;
      this.places.set(place.id, place);
    }
    const { id, expectedVersion, events, received, ...fields } = change;
    if (place.version !== expectedVersion)
      throw new AppError('aborted', 'VERSION_CONFLICT', 'changed meanwhile');
    const donations = place.donations.map((donation, index) =>
      received !== undefined && index === received.index
        ? {
            ...donation,
            status: 'received' as const,
            receivedBy: received.receivedBy,
            receivedAt: received.receivedAt,
          }
        : donation,
    );
    const updated: StoredPlace = { ...place, ...fields, donations, version: place.version + 1 };
    this.places.set(id, updated);
    this.outbox.push(...events);
    return updated;
  }

  async appendDonation(
    scope: Scope,
    libraryId: string,
    donation: StoredDonation,
    updatedAt: Date,
    events: readonly OutboxEntry[],
  ): Promise<StoredPlace | null> {
    const place = await this.get(scope, libraryId);
    if (place?.kind !== 'farmhouse_library') return null;
    const updated: StoredPlace = {
      ...place,
      donations: [...place.donations, donation],
      updatedAt,
      version: place.version + 1,
    };
    this.places.set(libraryId, updated);
    this.outbox.push(...events);
    return updated;
  }

  async list(scope: Scope, query: PlaceQuery): Promise<Page<StoredPlace>> {
    const items = [...this.places.values()].filter(
      (place) =>
        scopeAllows(scope, place.jurisdictionPath) &&
        (query.kind === undefined || place.kind === query.kind),
    );
    return { items: items.slice(0, query.pageSize), nextPageToken: null };
  }

  async figuresUnder(scope: Scope, rootCode: string): Promise<PlaceFigures[]> {
    return [...this.places.values()]
      .filter(
        (p) => scopeAllows(scope, p.jurisdictionPath) && p.jurisdictionPath.includes(rootCode),
      )
      .map((p) => ({
        id: p.id,
        kind: p.kind,
        jurisdictionCode: p.jurisdictionCode,
        totalBooks: p.totalBooks,
        donations: p.donations.filter((d) => d.status === 'received'),
      }));
  }
}

export class FakePairings implements PairingRepository {
  readonly pairings = new Map<string, StoredPairing>();
  readonly outbox: OutboxEntry[] = [];

  async get(scope: Scope, id: string): Promise<StoredPairing | null> {
    const pairing = this.pairings.get(id);
    return pairing !== undefined && scopeAllows(scope, pairing.jurisdictionPath) ? pairing : null;
  }

  async create(scope: Scope, pairing: NewPairing): Promise<StoredPairing> {
    if (!scopeAllows(scope, pairing.jurisdictionPath))
      throw new AppError('permission_denied', 'OUT_OF_SCOPE', 'outside');
    const { events, ...fields } = pairing;
    const stored: StoredPairing = { ...fields, version: 1 };
    this.pairings.set(pairing.id, stored);
    this.outbox.push(...events);
    return stored;
  }

  async list(scope: Scope, query: PairingQuery): Promise<Page<StoredPairing>> {
    const items = [...this.pairings.values()].filter(
      (p) =>
        scopeAllows(scope, p.jurisdictionPath) &&
        (query.enterpriseIds === undefined || query.enterpriseIds.includes(p.enterpriseId)),
    );
    return { items, nextPageToken: null };
  }

  async figuresUnder(
    scope: Scope,
    rootCode: string,
  ): Promise<Pick<StoredPairing, 'id' | 'libraryId'>[]> {
    return [...this.pairings.values()]
      .filter(
        (p) => scopeAllows(scope, p.jurisdictionPath) && p.jurisdictionPath.includes(rootCode),
      )
      .map((p) => ({ id: p.id, libraryId: p.libraryId }));
  }
}

export class FakeGaps implements ReportedGapRepository {
  readonly stored = new Map<string, ReportedGap>();

  async reported(keys: readonly string[]): Promise<ReadonlySet<string>> {
    return new Set(keys.filter((key) => this.stored.has(key)));
  }

  async report(gaps: readonly ReportedGap[]): Promise<number> {
    let added = 0;
    for (const gap of gaps) {
      const key = gapKey(gap);
      if (this.stored.has(key)) continue;
      this.stored.set(key, gap);
      added += 1;
    }
    return added;
  }
}

/** A counter for ids that read well in failures. */
export const sequentialIds = (prefix: string): (() => string) => {
  let next = 0;
  return () => `${prefix}-${(next += 1)}`;
};
