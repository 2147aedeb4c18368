/**
 * Enrollments in MongoDB. A confirmed enrollment holds `seatToken`
 * (`<eventKey>#<n>`) under a unique sparse index, absent while waitlisted or
 * cancelled: storage itself refuses a second holder of a seat. Every change is
 * one conditional single-document write carrying its events.
 */
import type { OutboxEntry, WithOutbox } from '@learning/events';
import { insertWithEvents, outboxPlugin, updateWithEvents } from '@learning/events';
import type { Logger } from '@learning/logger';
import { Scope } from '@learning/auth';
import type { Page } from '@learning/domain';
import {
  DUPLICATE_KEY,
  driverCollection,
  failedOnlyOnDuplicates,
  ScopedRepository,
  scopedFields,
  type ScopedDocument,
  isDuplicateKey,
  writeErrorsOf,
} from '@learning/mongo';
import {
  Schema,
  type Connection,
  type Model,
  type RootFilterQuery,
  type UpdateQuery,
} from 'mongoose';
import type { CurrentMemberships } from '../../application/memberships/membership-repository.js';
import type {
  AttendeeDirectory,
  AttendeeFacts,
  CancellationReason,
  EligibilityFacts,
  EnrollmentChange,
  EnrollmentCounts,
  EnrollmentPageQuery,
  EnrollmentRecord,
  EnrollmentRepository,
  Expectation,
  InsertConflict,
  NewEnrollment,
  ParticipantDirectory,
} from '../../application/enrollments/ports.js';
import {
  SEATED_EVENT_OWNERS,
  seatTokenOf,
  type EnrollmentStatus,
  type SeatedEventOwner,
} from '../../domain/enrollment.js';
import type { CalendarDate, Tier } from '../../domain/participants.js';

export interface EnrollmentDocument extends ScopedDocument, WithOutbox {
  _id: string;
  eventKey: string;
  owner: SeatedEventOwner;
  eventId: string;
  participantId: string;
  accountSubject: string;
  status: EnrollmentStatus;
  sequence: number;
  seat: number | null;
  seatToken?: string;
  checkInCode: string;
  organizerOrganizationId: string | null;
  confirmedAt: Date | null;
  checkedInAt: Date | null;
  /** Absent until the first check-in at a session. */
  sessionCheckIns?: { sessionId: string; at: Date }[];
  attendedAt: Date | null;
  attendanceBasis: 'check_in' | 'officer' | null;
  /** Absent on documents written before withdrawals existed: read as null. */
  attendanceWithdrawnAt?: Date | null;
  cancelledAt: Date | null;
  cancellationReason: CancellationReason | null;
  rescheduled: { startsAt: Date; endsAt: Date; at: Date } | null;
  seatToRefill?: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const COLLECTION = 'enrollments';

const enrollmentSchema = new Schema<EnrollmentDocument>(
  {
    _id: { type: String, required: true },
    eventKey: { type: String, required: true },
    owner: { type: String, required: true, enum: SEATED_EVENT_OWNERS },
    eventId: { type: String, required: true },
    participantId: { type: String, required: true },
    accountSubject: { type: String, required: true },
    status: { type: String, required: true, enum: ['confirmed', 'waitlisted', 'cancelled'] },
    sequence: { type: Number, required: true },
    seat: { type: Number, default: null },
    seatToken: { type: String },
    checkInCode: { type: String, required: true },
    jurisdictionPath: scopedFields.jurisdictionPath,
    organizerOrganizationId: { type: String, default: null },
    confirmedAt: { type: Date, default: null },
    checkedInAt: { type: Date, default: null },
    sessionCheckIns: {
      type: [new Schema({ sessionId: String, at: Date }, { _id: false })],
      default: undefined,
    },
    attendedAt: { type: Date, default: null },
    attendanceBasis: { type: String, default: null },
    attendanceWithdrawnAt: { type: Date, default: null },
    cancelledAt: { type: Date, default: null },
    cancellationReason: { type: String, default: null },
    rescheduled: {
      type: new Schema({ startsAt: Date, endsAt: Date, at: Date }, { _id: false }),
      default: null,
    },
    seatToRefill: { type: Boolean },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    version: scopedFields.version,
  },
  { collection: COLLECTION, versionKey: false, strict: 'throw' },
);
enrollmentSchema.plugin(outboxPlugin);
// Two enrollments can never hold one seat, whatever the interleaving of writers.
enrollmentSchema.index({ seatToken: 1 }, { unique: true, sparse: true });
enrollmentSchema.index({ eventKey: 1, checkInCode: 1 }, { unique: true });
// The waitlist in arrival order, positions, counts, rosters.
enrollmentSchema.index({ eventKey: 1, status: 1, sequence: 1 });
enrollmentSchema.index({ eventKey: 1, sequence: 1, _id: 1 });
enrollmentSchema.index({ participantId: 1, createdAt: 1, _id: 1 });
enrollmentSchema.index({ seatToRefill: 1 }, { sparse: true });

export function enrollmentModel(connection: Connection): Model<EnrollmentDocument> {
  return connection.model<EnrollmentDocument>('Enrollment', enrollmentSchema);
}

/** A sign-up's document as the driver inserts it; tests check it against the schema. */
export function newEnrollmentDocument(
  enrollment: NewEnrollment,
  events: readonly OutboxEntry[],
): EnrollmentDocument {
  const { id, jurisdictionPath, ...fields } = enrollment;
  return {
    _id: id,
    ...fields,
    jurisdictionPath: [...jurisdictionPath],
    ...(enrollment.seat === null
      ? {}
      : { seatToken: seatTokenOf(enrollment.eventKey, enrollment.seat) }),
    version: 1,
    ...insertWithEvents(events),
  };
}

const toRecord = (doc: EnrollmentDocument): EnrollmentRecord => ({
  id: doc._id,
  eventKey: doc.eventKey,
  owner: doc.owner,
  eventId: doc.eventId,
  participantId: doc.participantId,
  accountSubject: doc.accountSubject,
  status: doc.status,
  sequence: doc.sequence,
  seat: doc.seat,
  checkInCode: doc.checkInCode,
  jurisdictionPath: doc.jurisdictionPath,
  organizerOrganizationId: doc.organizerOrganizationId,
  confirmedAt: doc.confirmedAt,
  checkedInAt: doc.checkedInAt,
  sessionCheckIns: doc.sessionCheckIns ?? [],
  attendedAt: doc.attendedAt,
  attendanceBasis: doc.attendanceBasis,
  attendanceWithdrawnAt: doc.attendanceWithdrawnAt ?? null,
  cancelledAt: doc.cancelledAt,
  cancellationReason: doc.cancellationReason,
  rescheduled: doc.rescheduled,
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
  version: doc.version,
});

const conflictOfPattern = (pattern: unknown): InsertConflict => {
  const fields = typeof pattern === 'object' && pattern !== null ? pattern : {};
  if ('seatToken' in fields) return 'seat';
  if ('checkInCode' in fields) return 'code';
  return 'enrollment';
};

/** Which unique index a duplicate key hit; undefined when it is not a duplicate. */
function duplicateOf(error: unknown): InsertConflict | undefined {
  if (!isDuplicateKey(error)) return undefined;
  return conflictOfPattern((error as { keyPattern?: unknown }).keyPattern);
}

const ACTIVE: EnrollmentStatus[] = ['confirmed', 'waitlisted'];

/** A participant's own enrollments are theirs wherever the events are held. */
const OWN_ENROLLMENTS = Scope.system('a participant reading their own enrollments');
/** Attendance is recorded for people from anywhere in the city. */
const attendanceScope = Scope.system('attendance snapshot');

export class MongoEnrollmentRepository
  extends ScopedRepository<EnrollmentDocument>
  implements EnrollmentRepository
{
  constructor(model: Model<EnrollmentDocument>, logger: Logger) {
    super(model, { entity: 'ENROLLMENT', logger });
  }

  async get(scope: Scope, id: string): Promise<EnrollmentRecord | null> {
    const doc = await this.findOne(scope, { _id: id });
    return doc === null ? null : toRecord(doc);
  }

  async getByCode(scope: Scope, eventKey: string, code: string): Promise<EnrollmentRecord | null> {
    const doc = await this.findOne(scope, { eventKey, checkInCode: code });
    return doc === null ? null : toRecord(doc);
  }

  async getMany(scope: Scope, ids: readonly string[]): Promise<EnrollmentRecord[]> {
    if (ids.length === 0) return [];
    const docs = await this.model
      .find(this.scoped(scope, { _id: { $in: [...ids] } }, 'getMany'))
      .lean<EnrollmentDocument[]>();
    return docs.map(toRecord);
  }

  async addMany(
    items: readonly {
      readonly enrollment: NewEnrollment;
      readonly events: readonly OutboxEntry[];
    }[],
  ): Promise<(EnrollmentRecord | InsertConflict)[]> {
    if (items.length === 0) return [];
    const docs = items.map(({ enrollment, events }) => newEnrollmentDocument(enrollment, events));
    const outcomes: (EnrollmentRecord | InsertConflict)[] = docs.map(toRecord);
    try {
      // Unordered: a document refused by a unique index does not stop the others of the batch.
      await driverCollection(this.model).insertMany(docs, { ordered: false });
    } catch (error) {
      if (!failedOnlyOnDuplicates(error)) throw error;
      for (const writeError of writeErrorsOf(error))
        if (writeError.code === DUPLICATE_KEY)
          outcomes[writeError.index] = conflictOfPattern(
            (writeError.err as { keyPattern?: unknown }).keyPattern,
          );
    }
    return outcomes;
  }

  async add(
    enrollment: NewEnrollment,
    events: readonly OutboxEntry[],
  ): Promise<EnrollmentRecord | InsertConflict> {
    const doc = newEnrollmentDocument(enrollment, events);
    try {
      // The hottest write of a sign-up storm: the typed record goes straight to the driver,
      // without a mongoose document to build, cast, validate and copy.
      await driverCollection(this.model).insertOne(doc);
      return toRecord(doc);
    } catch (error) {
      const conflict = duplicateOf(error);
      if (conflict === undefined) throw error;
      return conflict;
    }
  }

  async change(
    id: string,
    expected: Expectation,
    change: EnrollmentChange,
    events: readonly OutboxEntry[],
    marks?: { readonly seatToRefill: true },
  ): Promise<EnrollmentRecord | null | 'seat'> {
    const filter: RootFilterQuery<EnrollmentDocument> = {
      _id: id,
      status: expected.status,
      ...(expected.notCheckedIn === true ? { checkedInAt: null } : {}),
      ...(expected.notAttended === true ? { attendedAt: null } : {}),
      ...(expected.checkedInAt === undefined ? {} : { checkedInAt: expected.checkedInAt }),
      ...(expected.attendedAt === undefined ? {} : { attendedAt: expected.attendedAt }),
      // Once per session: a second scan for it, however concurrent, finds nothing to change.
      ...(expected.sessionNotCheckedIn === undefined
        ? {}
        : { 'sessionCheckIns.sessionId': { $ne: expected.sessionNotCheckedIn } }),
    };
    const { addSessionCheckIn, ...fields } = change;
    const $set: Record<string, unknown> = { ...fields, ...marks };
    const $unset: Record<string, 1> = {};
    if (change.seat !== undefined) {
      if (change.seat === null) $unset['seatToken'] = 1;
      else {
        const current = await this.model
          .findById(id, { eventKey: 1 })
          .lean<Pick<EnrollmentDocument, 'eventKey'>>();
        if (current === null) return null;
        $set['seatToken'] = seatTokenOf(current.eventKey, change.seat);
      }
    }
    const update: UpdateQuery<EnrollmentDocument> = {
      $set,
      $inc: { version: 1 },
      ...(Object.keys($unset).length > 0 ? { $unset } : {}),
      ...(addSessionCheckIn === undefined
        ? {}
        : { $push: { sessionCheckIns: { ...addSessionCheckIn } } }),
    };
    try {
      const doc = await this.model
        .findOneAndUpdate(filter, updateWithEvents(update, events), { new: true })
        .lean<EnrollmentDocument>();
      return doc === null ? null : toRecord(doc);
    } catch (error) {
      if (duplicateOf(error) === 'seat') return 'seat';
      throw error;
    }
  }

  async firstWaitlisted(eventKey: string): Promise<EnrollmentRecord | null> {
    const doc = await this.model
      .findOne({ eventKey, status: 'waitlisted' })
      .sort({ sequence: 1 })
      .lean<EnrollmentDocument>();
    return doc === null ? null : toRecord(doc);
  }

  async waitlistedBefore(eventKey: string, sequence: number): Promise<number> {
    return this.model.countDocuments({
      eventKey,
      status: 'waitlisted',
      sequence: { $lt: sequence },
    });
  }

  async heldSeats(eventKey: string): Promise<{ confirmed: number; seats: Set<number> }> {
    const docs = await this.model
      .find({ eventKey, status: 'confirmed' }, { seat: 1 })
      .lean<Pick<EnrollmentDocument, 'seat'>[]>();
    const seats = new Set<number>();
    for (const doc of docs) if (doc.seat !== null) seats.add(doc.seat);
    return { confirmed: docs.length, seats };
  }

  async moveSeat(eventKey: string, from: number, to: number): Promise<boolean> {
    try {
      // A renumbering, not a change anyone sees: no event, no version.
      const result = await this.model.updateOne(
        { eventKey, status: 'confirmed', seat: from },
        { $set: { seat: to, seatToken: seatTokenOf(eventKey, to) } },
      );
      return result.modifiedCount === 1;
    } catch (error) {
      if (duplicateOf(error) === 'seat') return false;
      throw error;
    }
  }

  storedBefore(eventKey: string, sequence: number): Promise<number> {
    return this.model.countDocuments({ eventKey, sequence: { $lt: sequence } });
  }

  async storedSequences(eventKey: string): Promise<number[]> {
    const docs = await this.model
      .find({ eventKey }, { sequence: 1 })
      .lean<Pick<EnrollmentDocument, 'sequence'>[]>();
    return docs.map((doc) => doc.sequence);
  }

  async counts(eventKey: string): Promise<EnrollmentCounts> {
    const [confirmed, waitlisted, checkedIn, attended] = await Promise.all([
      this.model.countDocuments({ eventKey, status: 'confirmed' }),
      this.model.countDocuments({ eventKey, status: 'waitlisted' }),
      this.model.countDocuments({ eventKey, status: 'confirmed', checkedInAt: { $ne: null } }),
      this.model.countDocuments({ eventKey, status: 'confirmed', attendedAt: { $ne: null } }),
    ]);
    return { confirmed, waitlisted, checkedIn, attended };
  }

  private async idOrdered(
    filter: RootFilterQuery<EnrollmentDocument>,
    afterId: string | null,
    limit: number,
  ): Promise<EnrollmentRecord[]> {
    const docs = await this.model
      .find(afterId === null ? filter : { $and: [filter, { _id: { $gt: afterId } }] })
      .sort({ _id: 1 })
      .limit(limit)
      .lean<EnrollmentDocument[]>();
    return docs.map(toRecord);
  }

  activeOf(eventKey: string, afterId: string | null, limit: number): Promise<EnrollmentRecord[]> {
    return this.idOrdered({ eventKey, status: { $in: ACTIVE }, checkedInAt: null }, afterId, limit);
  }

  checkedInNotAttended(
    eventKey: string,
    afterId: string | null,
    limit: number,
  ): Promise<EnrollmentRecord[]> {
    return this.idOrdered(
      {
        eventKey,
        status: 'confirmed',
        checkedInAt: { $ne: null },
        attendedAt: null,
        // Matches documents without the field too.
        attendanceWithdrawnAt: null,
      },
      afterId,
      limit,
    );
  }

  async openOfParticipant(participantId: string, limit: number): Promise<EnrollmentRecord[]> {
    const docs = await this.model
      .find({ participantId, status: { $in: ACTIVE }, checkedInAt: null })
      .sort({ createdAt: 1 })
      .limit(limit)
      .lean<EnrollmentDocument[]>();
    return docs.map(toRecord);
  }

  checkedInOf(
    eventKey: string,
    afterId: string | null,
    limit: number,
  ): Promise<EnrollmentRecord[]> {
    return this.idOrdered(
      { eventKey, status: 'confirmed', checkedInAt: { $ne: null } },
      afterId,
      limit,
    );
  }

  async flagRescheduled(eventKey: string, startsAt: Date, endsAt: Date, at: Date): Promise<number> {
    const result = await this.model.updateMany(
      { eventKey, status: { $in: ACTIVE } },
      { $set: { rescheduled: { startsAt, endsAt, at }, updatedAt: at }, $inc: { version: 1 } },
    );
    return result.modifiedCount;
  }

  async eventsWithSeatsToRefill(limit: number): Promise<string[]> {
    const docs = await this.model
      .find({ seatToRefill: { $exists: true } }, { eventKey: 1 })
      .limit(limit)
      .lean<Pick<EnrollmentDocument, 'eventKey'>[]>();
    return [...new Set(docs.map((doc) => doc.eventKey))];
  }

  async clearSeatsToRefill(eventKey: string): Promise<void> {
    await this.model.updateMany(
      { seatToRefill: { $exists: true }, eventKey },
      { $unset: { seatToRefill: 1 } },
    );
  }

  async pageOfParticipant(
    participantId: string,
    query: EnrollmentPageQuery,
  ): Promise<Page<EnrollmentRecord>> {
    const page = await this.page(OWN_ENROLLMENTS, {
      filter: { participantId },
      sort: { field: 'createdAt', direction: 'asc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return { items: page.items.map(toRecord), nextCursor: page.nextCursor };
  }

  async pageOfEvent(
    scope: Scope,
    eventKey: string,
    query: EnrollmentPageQuery,
  ): Promise<Page<EnrollmentRecord>> {
    const page = await this.page(scope, {
      filter: { eventKey },
      sort: { field: 'sequence', direction: 'asc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return { items: page.items.map(toRecord), nextCursor: page.nextCursor };
  }
}

interface ParticipantFacts {
  _id: string;
  accountSubject?: string;
  tier: Tier;
  jurisdictionPath: string[];
  birthDate: CalendarDate | null;
}

const FACTS = { _id: 1, accountSubject: 1, tier: 1, jurisdictionPath: 1, birthDate: 1 } as const;

const factsOf = (doc: ParticipantFacts): EligibilityFacts => ({
  participantId: doc._id,
  tier: doc.tier,
  jurisdictionPath: doc.jurisdictionPath,
  birthDate: doc.birthDate,
});

/**
 * Reads the eligibility facts from the participants collection, which the
 * participants slice owns: only the fields eligibility needs, never personal data.
 */
export class MongoParticipantDirectory implements ParticipantDirectory {
  constructor(private readonly connection: Connection) {}

  private get participants() {
    return this.connection.collection<ParticipantFacts>('participants');
  }

  async findByAccount(accountSubject: string): Promise<EligibilityFacts | null> {
    const doc = await this.participants.findOne({ accountSubject }, { projection: FACTS });
    return doc === null ? null : factsOf(doc);
  }

  async findByAccounts(
    accountSubjects: readonly string[],
  ): Promise<ReadonlyMap<string, EligibilityFacts>> {
    const found = new Map<string, EligibilityFacts>();
    if (accountSubjects.length === 0) return found;
    const docs = await this.participants
      .find({ accountSubject: { $in: [...accountSubjects] } }, { projection: FACTS })
      .toArray();
    for (const doc of docs)
      if (doc.accountSubject !== undefined) found.set(doc.accountSubject, factsOf(doc));
    return found;
  }

  async findById(participantId: string) {
    const doc = await this.participants.findOne({ _id: participantId }, { projection: FACTS });
    return doc === null ? null : { ...factsOf(doc), accountSubject: doc.accountSubject ?? null };
  }
}

/**
 * The attendee snapshot an attendance event carries: the participant's tier
 * and home from the participants collection, their organizations from the
 * memberships; two reads for a whole batch.
 */
export class MongoAttendeeDirectory implements AttendeeDirectory {
  constructor(
    private readonly connection: Connection,
    private readonly memberships: CurrentMemberships,
  ) {}

  async attendees(participantIds: readonly string[]): Promise<ReadonlyMap<string, AttendeeFacts>> {
    const found = new Map<string, AttendeeFacts>();
    const wanted = [...new Set(participantIds)];
    if (wanted.length === 0) return found;
    const [docs, organizations] = await Promise.all([
      this.connection
        .collection<ParticipantFacts>('participants')
        .find({ _id: { $in: wanted } }, { projection: FACTS })
        .toArray(),
      this.memberships.organizationsOf(attendanceScope, wanted),
    ]);
    for (const doc of docs)
      found.set(doc._id, {
        tier: doc.tier,
        jurisdictionPath: doc.jurisdictionPath,
        organizationIds: organizations.get(doc._id) ?? [],
      });
    return found;
  }
}
