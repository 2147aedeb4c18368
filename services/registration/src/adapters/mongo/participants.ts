/**
 * Participants in MongoDB (collection `participants`, model `Participant`).
 * Phone and ID number are stored as a blind index (for uniqueness and exact
 * lookup), a ciphertext and a masked form; the value itself never is. Other
 * slices read this collection by the field names below: they are a contract.
 */
import { AppError } from '@learning/errors';
import {
  insertWithEvents,
  outboxPlugin,
  updateWithEvents,
  type OutboxEntry,
  type WithOutbox,
} from '@learning/events';
import type { Logger } from '@learning/logger';
import type { Page } from '@learning/domain';
import type { Scope } from '@learning/auth';
import {
  ScopedRepository,
  scopedFields,
  scopeFilter,
  type ScopedDocument,
  isDuplicateKey,
} from '@learning/mongo';
import { Schema, type Connection, type Model, type RootFilterQuery, type mongo } from 'mongoose';
import type {
  AudienceFilter,
  AudienceMember,
  AudienceSource,
} from '../../application/participants/audience-source.js';
import type {
  ClaimTarget,
  ClaimWrite,
  NewParticipant,
  ParticipantChange,
  ParticipantClaimStore,
  ParticipantRecord,
  ParticipantRepository,
  ParticipantSearch,
  ProtectedValue,
} from '../../application/participants/participant-repository.js';
import {
  CONTACT_CHANNELS,
  LANGUAGES,
  NAME_MAX_LENGTH,
  NO_CHANNEL_CONSENTS,
  PARTICIPANT_SOURCES,
  TIERS,
  type CalendarDate,
  type ChannelConsents,
  type ContactChannel,
  type Language,
  type ParticipantSource,
  type PendingClaimCode,
  type Tier,
} from '../../domain/participants.js';
import { CONSENT_PURPOSES, type ConsentPurpose } from '../../domain/privacy.js';

export interface ProtectedField {
  /** `vault.blindIndex(purpose, normalized value)`. */
  hash: string;
  /** `vault.encrypt(normalized value)`. */
  sealed: string;
  masked: string;
}

export interface ParticipantDocument extends ScopedDocument, WithOutbox {
  /** A UUID v4. */
  _id: string;
  /** The token subject of the person's own account; absent (not null) when none. */
  accountSubject?: string;
  name: string;
  tier: Tier;
  birthDate: CalendarDate | null;
  idNumber: ProtectedField;
  phone: ProtectedField | null;
  /** Absent on records written before e-mail and WeChat contacts existed: none. */
  email?: ProtectedField | null;
  wechatOpenId?: ProtectedField | null;
  language: Language;
  /**
   * `channels` is absent on records written before consent per channel: their
   * single consent covered SMS alone, and is read so.
   */
  consent: {
    notifications: boolean;
    updatedAt: Date;
    channels?: Record<ContactChannel, ChannelConsentField>;
  };
  /** The employer's name, free text. */
  employer: string | null;
  source: ParticipantSource;
  createdAt: Date;
  updatedAt: Date;
  /** The claim code a record without an account waits with; absent when none is pending. */
  claimCode?: PendingClaimField;
  /**
   * Each purpose's consent with the text version agreed to (`GET/PUT /v1/me/consents`);
   * absent for purposes never answered there. Channels are kept in `consent` as well.
   */
  consentRecords?: Partial<Record<ConsentPurpose, ConsentRecordField>>;
}

export interface ConsentRecordField {
  given: boolean;
  changedAt: Date;
  textVersion: string;
}

export interface ChannelConsentField {
  given: boolean;
  changedAt: Date | null;
}

export interface PendingClaimField {
  /** `vault.blindIndex('participant-claim-code', '<participant id>:<code>')`; never the code. */
  hash: string;
  expiresAt: Date;
}

const protectedFieldSchema = new Schema<ProtectedField>(
  {
    hash: { type: String, required: true },
    sealed: { type: String, required: true },
    masked: { type: String, required: true },
  },
  { _id: false, strict: 'throw' },
);

const channelConsentSchema = new Schema<ChannelConsentField>(
  {
    given: { type: Boolean, required: true },
    changedAt: { type: Date, default: null },
  },
  { _id: false, strict: 'throw' },
);

const pendingClaimSchema = new Schema<PendingClaimField>(
  {
    hash: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { _id: false, strict: 'throw' },
);

const consentRecordSchema = new Schema<ConsentRecordField>(
  {
    given: { type: Boolean, required: true },
    changedAt: { type: Date, required: true },
    textVersion: { type: String, required: true },
  },
  { _id: false, strict: 'throw' },
);

const participantSchema = new Schema<ParticipantDocument>(
  {
    _id: { type: String, required: true },
    accountSubject: { type: String },
    name: { type: String, required: true, minlength: 1, maxlength: NAME_MAX_LENGTH },
    tier: { type: String, required: true, enum: TIERS },
    // The compound index below leads with the path, which serves the scope filter.
    jurisdictionPath: { ...scopedFields.jurisdictionPath, index: false },
    birthDate: { type: String, default: null },
    idNumber: { type: protectedFieldSchema, required: true },
    phone: { type: protectedFieldSchema, default: null },
    email: { type: protectedFieldSchema, default: null },
    wechatOpenId: { type: protectedFieldSchema, default: null },
    language: { type: String, required: true, enum: LANGUAGES },
    consent: {
      notifications: { type: Boolean, required: true },
      updatedAt: { type: Date, required: true },
      channels: {
        type: new Schema(
          {
            sms: { type: channelConsentSchema, required: true },
            email: { type: channelConsentSchema, required: true },
            wechat: { type: channelConsentSchema, required: true },
          },
          { _id: false, strict: 'throw' },
        ),
      },
    },
    employer: { type: String, default: null },
    source: { type: String, required: true, enum: PARTICIPANT_SOURCES },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    claimCode: { type: pendingClaimSchema },
    consentRecords: {
      type: new Schema(
        Object.fromEntries(CONSENT_PURPOSES.map((purpose) => [purpose, consentRecordSchema])),
        { _id: false, strict: 'throw' },
      ),
    },
    version: scopedFields.version,
  },
  { collection: 'participants', versionKey: false, strict: 'throw' },
);
participantSchema.plugin(outboxPlugin);
// One person once, and one record per account.
participantSchema.index({ 'idNumber.hash': 1 }, { unique: true });
participantSchema.index({ accountSubject: 1 }, { unique: true, sparse: true });
participantSchema.index({ 'phone.hash': 1 });
// Scope and audience filters (subtree, tier), in id order for keyset pages.
participantSchema.index({ jurisdictionPath: 1, tier: 1, _id: 1 });
// The retention sweep of lapsed claim codes.
participantSchema.index({ 'claimCode.expiresAt': 1 }, { sparse: true });

export function participantModel(connection: Connection): Model<ParticipantDocument> {
  return connection.model<ParticipantDocument>('Participant', participantSchema);
}

const PARTICIPANT_ALREADY_EXISTS = 'PARTICIPANT_ALREADY_EXISTS';

const protectedOf = (field: ProtectedField): ProtectedValue => ({
  hash: field.hash,
  sealed: field.sealed,
  masked: field.masked,
});

function channelConsentsOf(consent: ParticipantDocument['consent']): ChannelConsents {
  const { channels } = consent;
  if (channels === undefined)
    return {
      ...NO_CHANNEL_CONSENTS,
      sms: { given: consent.notifications, changedAt: consent.updatedAt },
    };
  return Object.fromEntries(
    CONTACT_CHANNELS.map((channel) => [
      channel,
      { given: channels[channel].given, changedAt: channels[channel].changedAt ?? null },
    ]),
  ) as Record<ContactChannel, ChannelConsentField>;
}

export const toParticipantRecord = (doc: ParticipantDocument): ParticipantRecord => ({
  id: doc._id,
  accountSubject: doc.accountSubject ?? null,
  name: doc.name,
  tier: doc.tier,
  jurisdictionPath: doc.jurisdictionPath,
  birthDate: doc.birthDate,
  idNumber: protectedOf(doc.idNumber),
  phone: doc.phone === null ? null : protectedOf(doc.phone),
  email: doc.email === undefined || doc.email === null ? null : protectedOf(doc.email),
  wechatOpenId:
    doc.wechatOpenId === undefined || doc.wechatOpenId === null
      ? null
      : protectedOf(doc.wechatOpenId),
  language: doc.language,
  consent: {
    notifications: doc.consent.notifications,
    updatedAt: doc.consent.updatedAt,
    channels: channelConsentsOf(doc.consent),
  },
  employer: doc.employer,
  source: doc.source,
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
  version: doc.version,
});

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class MongoParticipantRepository
  extends ScopedRepository<ParticipantDocument>
  implements ParticipantRepository, ParticipantClaimStore
{
  constructor(model: Model<ParticipantDocument>, logger: Logger) {
    super(model, { entity: 'PARTICIPANT', logger });
  }

  async byId(scope: Scope, id: string): Promise<ParticipantRecord | null> {
    const doc = await this.findById(scope, id);
    return doc === null ? null : toParticipantRecord(doc);
  }

  async byIdNumberHash(scope: Scope, hash: string): Promise<ParticipantRecord | null> {
    const doc = await this.findOne(scope, { 'idNumber.hash': hash });
    return doc === null ? null : toParticipantRecord(doc);
  }

  async byAccount(scope: Scope, accountSubject: string): Promise<ParticipantRecord | null> {
    const doc = await this.findOne(scope, { accountSubject });
    return doc === null ? null : toParticipantRecord(doc);
  }

  async byIds(scope: Scope, ids: readonly string[]): Promise<ParticipantRecord[]> {
    if (ids.length === 0) return [];
    const docs = await this.model
      .find(this.scoped(scope, { _id: { $in: [...ids] } }, 'byIds'))
      .lean<ParticipantDocument[]>();
    return docs.map(toParticipantRecord);
  }

  async create(
    scope: Scope,
    participant: NewParticipant,
    events: readonly OutboxEntry[],
  ): Promise<ParticipantRecord | 'duplicate'> {
    const { id, accountSubject, jurisdictionPath, ...fields } = participant;
    try {
      const stored = await this.insert(scope, {
        _id: id,
        // Absent rather than null: the sparse unique index skips only missing fields.
        ...(accountSubject === null ? {} : { accountSubject }),
        ...fields,
        jurisdictionPath: [...jurisdictionPath],
        ...insertWithEvents(events),
      });
      return toParticipantRecord(stored);
    } catch (error) {
      if (error instanceof AppError && error.code === PARTICIPANT_ALREADY_EXISTS)
        return 'duplicate';
      throw error;
    }
  }

  async change(
    scope: Scope,
    id: string,
    expectedVersion: number,
    change: ParticipantChange,
    events: readonly OutboxEntry[],
  ): Promise<ParticipantRecord> {
    const { jurisdictionPath, ...fields } = change;
    const set = {
      ...fields,
      ...(jurisdictionPath === undefined ? {} : { jurisdictionPath: [...jurisdictionPath] }),
    };
    const updated = await this.updateVersioned(
      scope,
      id,
      expectedVersion,
      updateWithEvents<ParticipantDocument>({ $set: set }, events),
    );
    return toParticipantRecord(updated);
  }

  async recordAccess(scope: Scope, id: string, events: readonly OutboxEntry[]): Promise<boolean> {
    const result = await this.model.updateOne(
      this.scoped(scope, { _id: id }, 'recordAccess'),
      updateWithEvents<ParticipantDocument>({}, events),
    );
    return result.matchedCount === 1;
  }

  async claimTargetByIdNumberHash(scope: Scope, hash: string): Promise<ClaimTarget | null> {
    const doc = await this.findOne(scope, { 'idNumber.hash': hash });
    if (doc === null) return null;
    const pending: PendingClaimCode | null =
      doc.claimCode === undefined
        ? null
        : { hash: doc.claimCode.hash, expiresAt: doc.claimCode.expiresAt };
    return { record: toParticipantRecord(doc), claimCode: pending };
  }

  async issueClaimCode(
    scope: Scope,
    id: string,
    claimCode: PendingClaimCode,
    events: readonly OutboxEntry[],
  ): Promise<'issued' | 'claimed' | 'not_found'> {
    const result = await this.model.updateOne(
      this.scoped(scope, { _id: id, accountSubject: { $exists: false } }, 'issueClaimCode'),
      updateWithEvents<ParticipantDocument>(
        { $set: { claimCode: { hash: claimCode.hash, expiresAt: claimCode.expiresAt } } },
        events,
      ),
      { runValidators: true },
    );
    if (result.matchedCount === 1) return 'issued';
    const exists = await this.model.exists(this.scoped(scope, { _id: id }, 'issueClaimCode'));
    return exists === null ? 'not_found' : 'claimed';
  }

  async claim(
    scope: Scope,
    id: string,
    write: ClaimWrite,
    events: readonly OutboxEntry[],
  ): Promise<ParticipantRecord | null> {
    // Every condition of the claim is in the filter: of two concurrent claims, one matches.
    const filter = {
      _id: id,
      version: write.expectedVersion,
      accountSubject: { $exists: false },
      'claimCode.hash': write.codeHash,
      'claimCode.expiresAt': { $gt: write.now },
    };
    try {
      const updated = await this.model
        .findOneAndUpdate(
          this.scoped(scope, filter, 'claim'),
          updateWithEvents<ParticipantDocument>(
            {
              $set: { accountSubject: write.accountSubject, updatedAt: write.now },
              // Spent: the code cannot be used again.
              $unset: { claimCode: 1 },
              $inc: { version: 1 },
            },
            events,
          ),
          { new: true, runValidators: true },
        )
        .lean<ParticipantDocument>();
      return updated === null ? null : toParticipantRecord(updated);
    } catch (error) {
      if (isDuplicateKey(error))
        throw new AppError(
          'conflict',
          PARTICIPANT_ALREADY_EXISTS,
          'A participant with the same account already exists.',
        );
      throw error;
    }
  }

  async search(scope: Scope, query: ParticipantSearch): Promise<Page<ParticipantRecord>> {
    // Built field by field from validated values: nothing from a request becomes an operator.
    const filter: RootFilterQuery<ParticipantDocument> = {
      ...(query.tier === undefined ? {} : { tier: query.tier }),
      ...(query.jurisdictionCode === undefined ? {} : { jurisdictionPath: query.jurisdictionCode }),
      ...(query.namePrefix === undefined
        ? {}
        : { name: { $regex: `^${escapeRegex(query.namePrefix)}` } }),
      ...(query.phoneHash === undefined ? {} : { 'phone.hash': query.phoneHash }),
      ...(query.idNumberHash === undefined ? {} : { 'idNumber.hash': query.idNumberHash }),
    };
    const page = await this.page(scope, {
      filter,
      sort: { field: '_id', direction: 'asc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return { items: page.items.map(toParticipantRecord), nextCursor: page.nextCursor };
  }
}

type AudienceProjection = Pick<
  ParticipantDocument,
  '_id' | 'tier' | 'jurisdictionPath' | 'language' | 'consent'
>;

const AUDIENCE_PROJECTION = {
  _id: 1,
  tier: 1,
  jurisdictionPath: 1,
  language: 1,
  'consent.notifications': 1,
} as const;

const memberOf = (doc: AudienceProjection): AudienceMember => ({
  id: doc._id,
  tier: doc.tier,
  jurisdictionPath: doc.jurisdictionPath,
  language: doc.language,
  notificationsConsent: doc.consent.notifications,
});

/** Raw field names of the collections other slices own; these are the contract read here. */
interface MembershipFields {
  participantId: string;
  organizationKind: string;
  status: string;
}
interface EnrollmentFields {
  eventKey: string;
  participantId: string;
  status: string;
}

/**
 * Resolves audiences with database cursors: participants directly when only
 * their own fields are filtered on; otherwise the distinct participant ids of
 * the confirmed enrollments or active memberships, in batches, each batch
 * looked up by id with the remaining criteria. At most one batch and one page
 * are held at a time; the cursor is read only as fast as pages are taken.
 */
/** Ids looked up per count query when the criteria go through enrollments or memberships. */
const COUNT_BATCH = 1000;

export class MongoAudienceSource implements AudienceSource {
  constructor(
    private readonly connection: Connection,
    private readonly scope: Scope,
  ) {}

  private collection<T extends mongo.Document>(name: string): mongo.Collection<T> {
    const db = this.connection.db;
    if (db === undefined) throw new Error('The MongoDB connection is not open.');
    return db.collection<T>(name);
  }

  private participantFilter(filter: AudienceFilter): Record<string, unknown> {
    const conditions: Record<string, unknown>[] = [scopeFilter(this.scope)];
    if (filter.tiers.length > 0) conditions.push({ tier: { $in: [...filter.tiers] } });
    if (filter.jurisdictionRoots.length > 0)
      conditions.push({ jurisdictionPath: { $in: [...filter.jurisdictionRoots] } });
    if (filter.afterId !== undefined) conditions.push({ _id: { $gt: filter.afterId } });
    return { $and: conditions };
  }

  async *pages(
    filter: AudienceFilter,
    pageSize: number,
    signal: AbortSignal,
  ): AsyncGenerator<AudienceMember[]> {
    const participantFilter = this.participantFilter(filter);
    if (filter.eventKey === undefined && filter.organizationKinds.length === 0) {
      yield* this.readParticipants(participantFilter, pageSize, signal);
      return;
    }
    let page: AudienceMember[] = [];
    for await (const ids of this.candidateIds(filter, pageSize, signal)) {
      // Candidates come in ascending id batches; sorting each batch keeps the whole in order.
      const found = await this.collection<AudienceProjection>('participants')
        .find(
          { $and: [{ _id: { $in: ids } }, participantFilter] },
          { projection: AUDIENCE_PROJECTION, sort: { _id: 1 } },
        )
        .toArray();
      for (const doc of found) {
        page.push(memberOf(doc));
        if (page.length === pageSize) {
          yield page;
          page = [];
        }
      }
    }
    if (page.length > 0) yield page;
  }

  async count(filter: AudienceFilter, signal: AbortSignal): Promise<number> {
    const participantFilter = this.participantFilter(filter);
    const participants = this.collection<AudienceProjection>('participants');
    if (filter.eventKey === undefined && filter.organizationKinds.length === 0)
      return participants.countDocuments(participantFilter);
    let total = 0;
    for await (const ids of this.candidateIds(filter, COUNT_BATCH, signal))
      total += await participants.countDocuments({
        $and: [{ _id: { $in: ids } }, participantFilter],
      });
    return total;
  }

  private async *readParticipants(
    filter: Record<string, unknown>,
    pageSize: number,
    signal: AbortSignal,
  ): AsyncGenerator<AudienceMember[]> {
    const cursor = this.collection<AudienceProjection>('participants').find(filter, {
      projection: AUDIENCE_PROJECTION,
      sort: { _id: 1 },
      batchSize: pageSize,
    });
    try {
      let page: AudienceMember[] = [];
      for await (const doc of cursor) {
        if (signal.aborted) return;
        page.push(memberOf(doc));
        if (page.length === pageSize) {
          yield page;
          page = [];
        }
      }
      if (page.length > 0 && !signal.aborted) yield page;
    } finally {
      await cursor.close();
    }
  }

  /**
   * Distinct ids of the participants the event or organization criteria
   * admit, in batches. Enrollments drive when an event is named (an event's
   * roster is small next to a kind's membership); membership kinds are then
   * checked per batch.
   */
  private async *candidateIds(
    filter: AudienceFilter,
    batchSize: number,
    signal: AbortSignal,
  ): AsyncGenerator<string[]> {
    const kinds = [...filter.organizationKinds];
    const activeOfKinds = { organizationKind: { $in: kinds }, status: 'active' };
    const afterId =
      filter.afterId === undefined ? [] : [{ $match: { _id: { $gt: filter.afterId } } }];
    const cursor =
      filter.eventKey === undefined
        ? this.collection<MembershipFields>('memberships').aggregate<{ _id: string }>(
            [
              { $match: activeOfKinds },
              { $group: { _id: '$participantId' } },
              ...afterId,
              { $sort: { _id: 1 } },
            ],
            { allowDiskUse: true, batchSize },
          )
        : this.collection<EnrollmentFields>('enrollments').aggregate<{ _id: string }>(
            [
              { $match: { eventKey: filter.eventKey, status: 'confirmed' } },
              { $group: { _id: '$participantId' } },
              ...afterId,
              { $sort: { _id: 1 } },
            ],
            { allowDiskUse: true, batchSize },
          );
    const alsoMember = filter.eventKey !== undefined && kinds.length > 0;
    try {
      let batch: string[] = [];
      for await (const { _id } of cursor) {
        if (signal.aborted) return;
        batch.push(_id);
        if (batch.length === batchSize) {
          yield alsoMember ? await this.members(batch, activeOfKinds) : batch;
          batch = [];
        }
      }
      if (batch.length > 0 && !signal.aborted)
        yield alsoMember ? await this.members(batch, activeOfKinds) : batch;
    } finally {
      await cursor.close();
    }
  }

  private async members(ids: string[], activeOfKinds: Record<string, unknown>): Promise<string[]> {
    const found = await this.collection<MembershipFields>('memberships').distinct('participantId', {
      participantId: { $in: ids },
      ...activeOfKinds,
    });
    return found.filter((id): id is string => typeof id === 'string');
  }
}
