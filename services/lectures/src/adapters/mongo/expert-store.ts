/** The expert pool over the shared document shape (experts.ts), and an expert's sessions read from sessions.ts's. */
import { Scope } from '@learning/auth';
import type { Logger } from '@learning/logger';
import { keysetPage, ScopedRepository } from '@learning/mongo';
import type { Model, RootFilterQuery } from 'mongoose';
import { expertAlreadyExists, expertNotFound } from '../../application/experts/errors.js';
import type {
  ExpertChange,
  ExpertQuery,
  ExpertRepository,
  ListedExpert,
  NewExpert,
  Paged,
  SpeakerSession,
  SpeakerSessions,
  StoredExpert,
} from '../../application/experts/ports.js';
import type { ExpertDocument } from './experts.js';
import type { SessionDocument } from './sessions.js';
import { changeVersioned, insertVersioned } from './versioned-writes.js';

const refusals = { notFound: expertNotFound, duplicate: expertAlreadyExists };

const toListed = (doc: ExpertDocument): ListedExpert => ({
  id: doc._id,
  accountSubject: doc.accountSubject,
  participantId: doc.participantId,
  displayName: doc.displayName,
  title: doc.title,
  employer: doc.employer,
  fields: doc.fields,
  specialties: doc.specialties,
  languages: doc.languages,
  availability: doc.availability.map((window) => ({
    startsAt: window.startsAt,
    endsAt: window.endsAt,
  })),
  travelRadius: doc.travelRadius,
  status: doc.status,
  createdBy: doc.createdBy,
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
  version: doc.version,
});

const toExpert = (doc: ExpertDocument): StoredExpert => ({
  ...toListed(doc),
  phoneSealed: doc.phoneEncrypted ?? null,
  emailSealed: doc.emailEncrypted ?? null,
});

/** The contacts are `select: false` in the schema: every read here names them back in. */
const WITH_CONTACTS = '+phoneEncrypted +emailEncrypted';

export class MongoExpertRepository implements ExpertRepository {
  constructor(private readonly model: Model<ExpertDocument>) {}

  async get(id: string): Promise<StoredExpert | null> {
    const doc = await this.model.findOne({ _id: id }).select(WITH_CONTACTS).lean<ExpertDocument>();
    return doc === null ? null : toExpert(doc);
  }

  async byAccount(accountSubject: string): Promise<StoredExpert | null> {
    const doc = await this.model
      .findOne({ accountSubject })
      .select(WITH_CONTACTS)
      .lean<ExpertDocument>();
    return doc === null ? null : toExpert(doc);
  }

  async create(expert: NewExpert): Promise<StoredExpert> {
    const { id, events, phoneSealed, emailSealed, ...fields } = expert;
    const doc = await insertVersioned(
      this.model,
      {
        _id: id,
        ...fields,
        fields: [...fields.fields],
        specialties: [...fields.specialties],
        languages: [...fields.languages],
        availability: fields.availability.map((window) => ({ ...window })),
        phoneEncrypted: phoneSealed,
        emailEncrypted: emailSealed,
      },
      events,
      refusals,
    );
    return toExpert(doc);
  }

  async change(change: ExpertChange): Promise<StoredExpert> {
    const { phoneSealed, emailSealed, ...fields } = change.set;
    const set: Record<string, unknown> = { ...fields, updatedAt: change.updatedAt };
    if (phoneSealed !== undefined) set['phoneEncrypted'] = phoneSealed;
    if (emailSealed !== undefined) set['emailEncrypted'] = emailSealed;
    await changeVersioned(this.model, { ...change, set }, refusals);
    // findOneAndUpdate returns what the schema selects; read again for the contacts.
    const stored = await this.get(change.id);
    if (stored === null) throw expertNotFound();
    return stored;
  }

  async search(query: ExpertQuery): Promise<Paged<ListedExpert>> {
    const filter: RootFilterQuery<ExpertDocument> = {};
    if (query.status !== undefined) filter.status = query.status;
    if (query.field !== undefined) filter.fields = query.field;
    if (query.travelRadius !== undefined) filter.travelRadius = query.travelRadius;
    if (query.availableAt !== undefined)
      filter.availability = {
        $elemMatch: { startsAt: { $lte: query.availableAt }, endsAt: { $gt: query.availableAt } },
      };
    const page = await keysetPage(this.model, {
      filter,
      sort: { field: '_id', direction: 'asc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    // The schema leaves the contacts out of this read (select: false).
    return { items: page.items.map(toListed), nextPageToken: page.nextCursor };
  }
}

/** Sessions are scoped documents; a speaker's calendar spans the whole city. */
const CITY = Scope.cityWide();

export class MongoSpeakerSessions
  extends ScopedRepository<SessionDocument>
  implements SpeakerSessions
{
  constructor(model: Model<SessionDocument>, logger: Logger) {
    super(model, { entity: 'SESSION', logger });
  }

  async ofSpeaker(
    expertId: string,
    request: { readonly pageSize: number; readonly pageToken?: string },
  ): Promise<Paged<SpeakerSession>> {
    const page = await this.page(CITY, {
      filter: { speakerIds: expertId },
      sort: { field: 'startsAt', direction: 'desc' },
      after: request.pageToken ?? null,
      limit: request.pageSize,
    });
    return {
      items: page.items.map((doc) => ({
        id: doc._id,
        forumId: doc.forumId,
        lectureType: doc.lectureType,
        title: doc.title,
        startsAt: doc.startsAt,
        endsAt: doc.endsAt,
        venue: {
          name: doc.venue.name,
          setting: doc.venue.setting,
          townshipCode: doc.venue.townshipCode,
        },
        status: doc.status,
      })),
      nextPageToken: page.nextCursor,
    };
  }
}
