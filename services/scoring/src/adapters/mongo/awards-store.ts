/** The awards slice's store over its collections (awards-models.ts). */
import { AppError } from '@learning/errors';
import { insertWithEvents, updateWithEvents, type OutboxEntry } from '@learning/events';
import { isDuplicateKey, keysetPage } from '@learning/mongo';
import type { Model, RootFilterQuery } from 'mongoose';
import {
  nominationExists,
  nominationNotFound,
  reviewRecused,
} from '../../application/awards/errors.js';
import type {
  Award,
  AwardRound,
  AwardsStore,
  Nomination,
  Nominee,
  Page,
  PageAsked,
  PublicAwardQuery,
  Recusal,
  Review,
  RoundQuery,
} from '../../application/awards/ports.js';
import type {
  AwardDocument,
  AwardRoundDocument,
  NominationDocument,
  NomineeDocument,
} from './awards-models.js';

const nomineeDocument = (nominee: Nominee): NomineeDocument => ({
  ...nominee,
  jurisdictionPath: [...nominee.jurisdictionPath],
  organizationIds: [...nominee.organizationIds],
});

const roundOf = ({
  _id,
  outbox: _outbox,
  outboxSince: _since,
  ...fields
}: AwardRoundDocument): AwardRound => ({
  id: _id,
  ...fields,
});

const nominationOf = ({ _id, ...fields }: NominationDocument): Nomination => ({
  id: _id,
  ...fields,
});

/** An award as the use cases read it (the cases slice reads awards too). */
export const awardOf = ({
  _id,
  outbox: _outbox,
  outboxSince: _since,
  ...fields
}: AwardDocument): Award => ({
  id: _id,
  ...fields,
});

export class MongoAwardsStore implements AwardsStore {
  constructor(
    private readonly roundsModel: Model<AwardRoundDocument>,
    private readonly nominationsModel: Model<NominationDocument>,
    private readonly awards: Model<AwardDocument>,
  ) {}

  async createRound(round: AwardRound, events: readonly OutboxEntry[]): Promise<void> {
    const { id, ...fields } = round;
    await this.roundsModel.create({ _id: id, ...fields, ...insertWithEvents(events) });
  }

  async round(id: string): Promise<AwardRound | null> {
    const document = await this.roundsModel.findById(id).lean<AwardRoundDocument>();
    return document === null ? null : roundOf(document);
  }

  async rounds(query: RoundQuery): Promise<Page<AwardRound>> {
    const filter: RootFilterQuery<AwardRoundDocument> = {};
    if (query.year !== undefined) filter.year = query.year;
    if (query.category !== undefined) filter.category = query.category;
    const found = await keysetPage(this.roundsModel, {
      filter,
      sort: { field: 'createdAt', direction: 'desc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return { items: found.items.map(roundOf), nextPageToken: found.nextCursor };
  }

  async createNomination(nomination: Nomination): Promise<void> {
    const { id, nominee, reviews, recusals, ...fields } = nomination;
    try {
      await this.nominationsModel.create({
        _id: id,
        ...fields,
        nominee: nomineeDocument(nominee),
        reviews: [...reviews],
        recusals: [...recusals],
      });
    } catch (error) {
      if (isDuplicateKey(error)) throw nominationExists();
      throw error;
    }
  }

  async nomination(id: string): Promise<Nomination | null> {
    const document = await this.nominationsModel.findById(id).lean<NominationDocument>();
    return document === null ? null : nominationOf(document);
  }

  async nominations(roundId: string, page: PageAsked): Promise<Page<Nomination>> {
    const found = await keysetPage(this.nominationsModel, {
      filter: { roundId },
      sort: { field: 'createdAt', direction: 'asc' },
      after: page.pageToken ?? null,
      limit: page.pageSize,
    });
    return { items: found.items.map(nominationOf), nextPageToken: found.nextCursor };
  }

  async saveReview(nominationId: string, review: Review): Promise<Nomination> {
    // Never beside a recusal the expert declared meanwhile.
    const notRecused = { 'recusals.expertId': { $ne: review.expertId } };
    // Replace the expert's review where there is one, else add it; the second
    // filter keeps a concurrent first review from adding a second element.
    const replaced = await this.nominationsModel
      .findOneAndUpdate(
        { _id: nominationId, 'reviews.expertId': review.expertId, ...notRecused },
        { $set: { 'reviews.$': review } },
        { new: true, runValidators: true },
      )
      .lean<NominationDocument>();
    if (replaced !== null) return nominationOf(replaced);
    const added = await this.nominationsModel
      .findOneAndUpdate(
        { _id: nominationId, 'reviews.expertId': { $ne: review.expertId }, ...notRecused },
        { $push: { reviews: review } },
        { new: true, runValidators: true },
      )
      .lean<NominationDocument>();
    if (added !== null) return nominationOf(added);
    const current = await this.nomination(nominationId);
    if (current === null) throw nominationNotFound();
    if (current.recusals.some((recusal) => recusal.expertId === review.expertId))
      throw reviewRecused();
    // Another request added this expert's review in between: replace it.
    return this.saveReview(nominationId, review);
  }

  async recuse(nominationId: string, recusal: Recusal): Promise<Nomination> {
    // The recusal once, and the expert's score goes with it, in one update.
    await this.nominationsModel.updateOne(
      { _id: nominationId, 'recusals.expertId': { $ne: recusal.expertId } },
      { $push: { recusals: recusal }, $pull: { reviews: { expertId: recusal.expertId } } },
      { runValidators: true },
    );
    const current = await this.nomination(nominationId);
    if (current === null) throw nominationNotFound();
    return current;
  }

  async awardsOf(roundId: string): Promise<readonly Award[]> {
    const documents = await this.awards
      .find({ roundId })
      .sort({ place: 1 })
      .lean<AwardDocument[]>();
    return documents.map(awardOf);
  }

  async grant(award: Award, events: readonly OutboxEntry[]): Promise<void> {
    const { id, nominee, ...fields } = award;
    try {
      await this.awards.create({
        _id: id,
        ...fields,
        nominee: nomineeDocument(nominee),
        ...insertWithEvents(events),
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      // Granted already (a retried or doubled approval): nothing more to write.
      if ((await this.awards.exists({ nominationId: award.nominationId })) !== null) return;
      throw new AppError(
        'aborted',
        'VERSION_CONFLICT',
        'Another approval of this round was written meanwhile; reload the round and try again.',
      );
    }
  }

  async publish(roundId: string, at: Date, events: readonly OutboxEntry[]): Promise<boolean> {
    const updated = await this.roundsModel.updateOne(
      { _id: roundId, status: 'open' },
      updateWithEvents<AwardRoundDocument>(
        { $set: { status: 'published', publishedAt: at } },
        events,
      ),
    );
    // Two writes, no transaction: a publication retried after a failure between
    // them finds the round published and still publishes what it left behind.
    const round = await this.roundsModel
      .findById(roundId, { publishedAt: 1 })
      .lean<AwardRoundDocument>();
    await this.awards.updateMany(
      { roundId, publishedAt: null },
      { $set: { publishedAt: round?.publishedAt ?? at } },
    );
    return updated.modifiedCount === 1;
  }

  async publicAwards(query: PublicAwardQuery): Promise<Page<Award>> {
    const filter: RootFilterQuery<AwardDocument> = { publishedAt: { $ne: null } };
    if (query.year !== undefined) filter.year = query.year;
    if (query.category !== undefined) filter.category = query.category;
    if (query.jurisdictionCode !== undefined)
      filter['nominee.jurisdictionPath'] = query.jurisdictionCode;
    const found = await keysetPage(this.awards, {
      filter,
      sort: { field: 'grantedAt', direction: 'desc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return { items: found.items.map(awardOf), nextPageToken: found.nextCursor };
  }
}
