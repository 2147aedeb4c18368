/**
 * Memberships in MongoDB: one document per (organization, participant), its
 * `_id` made of both, so joining twice can only ever find the same document.
 * `jurisdictionPath` is the organization's, which is what scopes the org's
 * admins and area officers.
 */
import { outboxPlugin, updateWithEvents, type WithOutbox } from '@learning/events';
import type { Logger } from '@learning/logger';
import type { Scope } from '@learning/auth';
import { ScopedRepository, scopedFields, type ScopedDocument } from '@learning/mongo';
import { Schema, type Connection, type Model } from 'mongoose';
import type {
  CurrentMemberships,
  MembershipPage,
  MembershipQuery,
  MembershipRepository,
  MembershipWrite,
  ParticipantDirectory,
  StoredMembership,
} from '../../application/memberships/membership-repository.js';
import { ORGANIZATION_KINDS, type OrganizationKind } from '../../domain/departments.js';
import {
  MEMBERSHIP_ROLES,
  MEMBERSHIP_STATUSES,
  membershipIdOf,
  type MembershipRole,
  type MembershipStatus,
} from '../../domain/organizations.js';

export interface MembershipDocument extends ScopedDocument, WithOutbox {
  /** `${organizationId}:${participantId}` */
  _id: string;
  organizationId: string;
  participantId: string;
  organizationKind: OrganizationKind;
  role: MembershipRole;
  status: MembershipStatus;
  since: Date;
  endedAt: Date | null;
}

const membershipSchema = new Schema<MembershipDocument>(
  {
    _id: { type: String, required: true },
    organizationId: { type: String, required: true },
    participantId: { type: String, required: true },
    organizationKind: { type: String, required: true, enum: ORGANIZATION_KINDS },
    role: { type: String, required: true, enum: MEMBERSHIP_ROLES },
    status: { type: String, required: true, enum: MEMBERSHIP_STATUSES },
    since: { type: Date, required: true },
    endedAt: { type: Date, default: null },
    // The compound index below starts with it, so the single-field one would be redundant.
    jurisdictionPath: { ...scopedFields.jurisdictionPath, index: false },
    version: scopedFields.version,
  },
  { collection: 'memberships', versionKey: false, strict: 'throw' },
);
membershipSchema.plugin(outboxPlugin);
// Audiences: the active members of every organization of a kind.
membershipSchema.index({ organizationKind: 1, status: 1, participantId: 1 });
// A participant's own organizations.
membershipSchema.index({ participantId: 1 });
// Scope filters, and one organization's members within them.
membershipSchema.index({ jurisdictionPath: 1, organizationId: 1 });
// One organization's members, paged in id order.
membershipSchema.index({ organizationId: 1, _id: 1 });

export function membershipModel(connection: Connection): Model<MembershipDocument> {
  // The same schema object each time, so every slice that calls this shares one model.
  return connection.model<MembershipDocument>('Membership', membershipSchema);
}

const toStored = (doc: MembershipDocument): StoredMembership => ({
  organizationId: doc.organizationId,
  participantId: doc.participantId,
  organizationKind: doc.organizationKind,
  role: doc.role,
  status: doc.status,
  since: doc.since,
  endedAt: doc.endedAt ?? null,
  jurisdictionPath: doc.jurisdictionPath,
  version: doc.version,
});

export class MongoMembershipRepository
  extends ScopedRepository<MembershipDocument>
  implements MembershipRepository, CurrentMemberships
{
  constructor(model: Model<MembershipDocument>, logger: Logger) {
    super(model, { entity: 'MEMBERSHIP', logger });
  }

  async get(
    scope: Scope,
    organizationId: string,
    participantId: string,
  ): Promise<StoredMembership | null> {
    const doc = await this.findById(scope, membershipIdOf(organizationId, participantId));
    return doc === null ? null : toStored(doc);
  }

  async save(scope: Scope, write: MembershipWrite): Promise<StoredMembership> {
    const { membership, expectedVersion, events } = write;
    const id = membershipIdOf(membership.organizationId, membership.participantId);
    const fields = {
      organizationId: membership.organizationId,
      participantId: membership.participantId,
      organizationKind: membership.organizationKind,
      role: membership.role,
      status: membership.status,
      since: membership.since,
      endedAt: membership.endedAt,
      jurisdictionPath: [...membership.jurisdictionPath],
    };
    if (expectedVersion === null) {
      const [oldest] = events;
      const doc = await this.insert(scope, {
        _id: id,
        ...fields,
        outbox: [...events],
        ...(oldest === undefined ? {} : { outboxSince: oldest.time }),
      });
      return toStored(doc);
    }
    // Only what a membership change can change: the pair, kind and path are fixed with the id.
    const changed = {
      role: membership.role,
      status: membership.status,
      since: membership.since,
      endedAt: membership.endedAt,
    };
    const doc = await this.updateVersioned(
      scope,
      id,
      expectedVersion,
      updateWithEvents<MembershipDocument>({ $set: changed }, events),
    );
    return toStored(doc);
  }

  async list(scope: Scope, query: MembershipQuery): Promise<MembershipPage> {
    const page = await this.page(scope, {
      filter: {
        organizationId: query.organizationId,
        ...(query.status === undefined ? {} : { status: query.status }),
        ...(query.roles === undefined ? {} : { role: { $in: [...query.roles] } }),
      },
      sort: { field: '_id', direction: 'asc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return { items: page.items.map(toStored), nextPageToken: page.nextCursor };
  }

  async organizationsOf(
    scope: Scope,
    participantIds: readonly string[],
  ): Promise<ReadonlyMap<string, readonly string[]>> {
    const found = new Map<string, string[]>();
    if (participantIds.length === 0) return found;
    const docs = await this.model
      .find(
        this.scoped(
          scope,
          { participantId: { $in: [...new Set(participantIds)] }, status: 'active' },
          'organizationsOf',
        ),
        { participantId: 1, organizationId: 1 },
      )
      // The id starts with the organization's: each person's list comes out in one stable order.
      .sort({ _id: 1 })
      .lean<Pick<MembershipDocument, 'participantId' | 'organizationId'>[]>();
    for (const doc of docs) {
      const organizations = found.get(doc.participantId);
      if (organizations === undefined) found.set(doc.participantId, [doc.organizationId]);
      else organizations.push(doc.organizationId);
    }
    return found;
  }
}

/**
 * Whether a participant exists, read from the participants collection by id
 * alone: the membership slice needs no more of a person than that.
 */
export class MongoParticipantDirectory implements ParticipantDirectory {
  constructor(private readonly connection: Connection) {}

  async exists(participantId: string): Promise<boolean> {
    const found = await this.connection
      .collection<{ _id: string }>('participants')
      .findOne({ _id: participantId }, { projection: { _id: 1 } });
    return found !== null;
  }
}
