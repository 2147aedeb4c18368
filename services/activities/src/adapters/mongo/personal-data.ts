/**
 * What activities holds about a person, read for their copy, erased or
 * pseudonymized when they close their account, and swept once past its
 * retention period (decision 0022; the kinds are declared in
 * modules/personal-data.ts). Every erase acts on state (what still names the
 * person), so a second run finds nothing left and changes nothing.
 */
import { createHmac } from 'node:crypto';
import { mongo, type Connection, type Model } from 'mongoose';
import { contestModel, entryModel, type EntryDocument } from './contests.js';
import { placeModel } from './network-places.js';
import { trainingCertificateModel } from './training-records.js';
import { traineeModel, type TraineeDocument } from './training-models.js';

/** The GridFS bucket of contest entries' files (modules/contests.ts). */
export const CONTEST_FILES_BUCKET = 'contestAttachments';

/** What a pseudonymized reference starts with: never a participant id or an account subject. */
export const PSEUDONYM_PREFIX = 'erased-';

/** Trainee records moved to their pseudonyms per round trip. */
const TRAINEE_BATCH = 500;

/** What a published result's entrant becomes once the entry is gone. */
const ERASED_ENTRANT = 'erased';

/** The city's year (UTC+8) a date falls in. */
const cityYearOf = (at: Date): number => new Date(at.getTime() + 8 * 3_600_000).getUTCFullYear();

export class ActivitiesPersonalData {
  private readonly contests;
  private readonly entries: Model<EntryDocument>;
  private readonly places;
  private readonly trainees: Model<TraineeDocument>;
  private readonly certificates;

  /**
   * `pseudonymKey` keys the pseudonyms: the same person becomes the same
   * pseudonym in every document (a judge's assignments still match their
   * scorecards; a rerun moves nothing twice), and nobody without the key can
   * tell whose it was.
   */
  constructor(
    private readonly connection: Connection,
    private readonly pseudonymKey: Buffer,
  ) {
    this.contests = contestModel(connection);
    this.entries = entryModel(connection);
    this.places = placeModel(connection);
    this.trainees = traineeModel(connection);
    this.certificates = trainingCertificateModel(connection);
  }

  pseudonymOf(reference: string): string {
    return `${PSEUDONYM_PREFIX}${createHmac('sha256', this.pseudonymKey).update(reference).digest('hex').slice(0, 32)}`;
  }

  private files() {
    const db = this.connection.db;
    if (db === undefined) throw new Error('the Mongo connection is not open');
    return {
      files: db.collection<mongo.GridFSFile>(`${CONTEST_FILES_BUCKET}.files`),
      bucket: new mongo.GridFSBucket(db, { bucketName: CONTEST_FILES_BUCKET }),
    };
  }

  /**
   * Rewrites every document of `collection` that `filter` finds, each at the
   * version read (a concurrent change is not overwritten: the document is
   * found again and rewritten from the new version), until none is left;
   * answers what `rewrite` counted. A rewritten document must no longer match
   * `filter`.
   */
  private async rewriteAll(
    collection: string,
    filter: mongo.Filter<mongo.Document>,
    rewrite: (doc: mongo.Document) => { readonly set: mongo.Document; readonly count: number },
  ): Promise<number> {
    const db = this.connection.db;
    if (db === undefined) throw new Error('the Mongo connection is not open');
    const documents = db.collection(collection);
    let counted = 0;
    for (;;) {
      const found = await documents.find(filter, { projection: { outbox: 0 } }).toArray();
      if (found.length === 0) return counted;
      for (const doc of found) {
        const { set, count } = rewrite(doc);
        const { modifiedCount } = await documents.updateOne(
          { _id: doc._id, version: doc['version'] as number },
          { $set: set, $inc: { version: 1 } },
        );
        if (modifiedCount === 1) counted += count;
      }
    }
  }

  // Contest entries: the letter, its file's reference, the birth date and school, the judges' cards.

  async contestEntriesOf(subject: string): Promise<unknown[]> {
    const entries = await this.entries
      .find({ participantId: subject }, { outbox: 0, jurisdictionPath: 0 })
      .sort({ submittedAt: 1 })
      .lean<EntryDocument[]>();
    const titles = await this.contestTitles(entries.map((entry) => entry.contestId));
    return entries.map(({ _id, participantId: _subject, version: _version, ...entry }) => ({
      entryId: _id,
      contestTitle: titles.get(entry.contestId) ?? null,
      ...entry,
    }));
  }

  private async contestTitles(ids: readonly string[]): Promise<Map<string, string>> {
    const contests = await this.contests
      .find({ _id: { $in: [...new Set(ids)] } }, { title: 1 })
      .lean<{ _id: string; title: string }[]>();
    return new Map(contests.map((contest) => [contest._id, contest.title]));
  }

  /** Contests still open in which the person has an entry: erasing would withdraw it unjudged. */
  async openContestsEnteredBy(subject: string): Promise<{ id: string; title: string }[]> {
    const contestIds = await this.entries.distinct('contestId', { participantId: subject });
    return this.openContests({ _id: { $in: contestIds } });
  }

  /** Contests still open on whose panel the person judges. */
  async openContestsJudgedBy(subject: string): Promise<{ id: string; title: string }[]> {
    return this.openContests({ 'judges.judgeId': subject });
  }

  private async openContests(filter: Record<string, unknown>) {
    const contests = await this.contests
      .find({ ...filter, status: 'open' }, { title: 1 })
      .lean<{ _id: string; title: string }[]>();
    return contests.map((contest) => ({ id: contest._id, title: contest.title }));
  }

  /**
   * Deletes the person's entries; a published result keeps
   * its rank and average (the other entrants' ranks rest on them), without the entrant.
   */
  async eraseContestEntries(subject: string): Promise<{ erased: number; keptResults: number }> {
    const entries = await this.entries
      .find({ participantId: subject }, { _id: 1 })
      .lean<Pick<EntryDocument, '_id'>[]>();
    const erased = await this.removeEntries(entries);
    const keptResults = await this.pseudonymizeResults({ participantId: subject });
    return { erased, keptResults };
  }

  /** Entries submitted before `cutoff`; their results kept without the entrant. */
  async sweepContestEntries(cutoff: Date): Promise<number> {
    const entries = await this.entries
      .find({ submittedAt: { $lt: cutoff } }, { _id: 1 })
      .lean<Pick<EntryDocument, '_id'>[]>();
    const removed = await this.removeEntries(entries);
    await this.pseudonymizeResults({ entryIds: entries.map((entry) => entry._id) });
    return removed;
  }

  /**
   * The entries only: their files are the person's uploads (`contest-files`),
   * erased with the person's, or swept as unused once the entry is gone.
   */
  private async removeEntries(entries: readonly Pick<EntryDocument, '_id'>[]): Promise<number> {
    if (entries.length === 0) return 0;
    const { deletedCount } = await this.entries.deleteMany({
      _id: { $in: entries.map((entry) => entry._id) },
    });
    return deletedCount;
  }

  private pseudonymizeResults(
    rows: { readonly participantId: string } | { readonly entryIds: readonly string[] },
  ): Promise<number> {
    // A row already pseudonymized is never matched again, so the rewriting ends.
    const named = (row: { entryId: string; participantId: string }) =>
      'participantId' in rows
        ? row.participantId === rows.participantId
        : rows.entryIds.includes(row.entryId) && row.participantId !== ERASED_ENTRANT;
    const match =
      'participantId' in rows
        ? { participantId: rows.participantId }
        : { entryId: { $in: [...rows.entryIds] }, participantId: { $ne: ERASED_ENTRANT } };
    return this.rewriteAll('contests', { results: { $elemMatch: match } }, (contest) => {
      const results = contest['results'] as { entryId: string; participantId: string }[];
      return {
        set: {
          results: results.map((row) =>
            named(row) ? { ...row, participantId: ERASED_ENTRANT } : row,
          ),
        },
        count: results.filter(named).length,
      };
    });
  }

  // Contest files: every file the person uploaded, used in an entry or not.

  async contestFilesOf(subject: string): Promise<unknown[]> {
    const files = await this.files()
      .files.find({ 'metadata.ownerId': subject })
      .sort({ uploadDate: 1 })
      .toArray();
    return files.map((file) => {
      const metadata: Record<string, unknown> = file.metadata ?? {};
      return {
        fileRef: file._id.toHexString(),
        fileName: file.filename,
        contentType: metadata['contentType'] ?? null,
        sizeBytes: file.length,
        sha256: metadata['sha256'] ?? null,
        contestId: metadata['contestId'] ?? null,
        uploadedAt: file.uploadDate,
      };
    });
  }

  async eraseContestFiles(subject: string): Promise<number> {
    const files = await this.files()
      .files.find({ 'metadata.ownerId': subject }, { projection: { _id: 1 } })
      .toArray();
    for (const file of files) await this.deleteFile(file._id.toHexString());
    return files.length;
  }

  /** Uploads never used in an entry, older than `cutoff`; an entry's file lives as long as its entry. */
  async sweepUnusedUploads(cutoff: Date): Promise<number> {
    const old = await this.files()
      .files.find({ uploadDate: { $lt: cutoff } }, { projection: { _id: 1 } })
      .toArray();
    const refs = old.map((file) => file._id.toHexString());
    const used = new Set(
      (
        await this.entries
          .find({ 'attachment.fileRef': { $in: refs } }, { 'attachment.fileRef': 1 })
          .lean<Pick<EntryDocument, 'attachment'>[]>()
      ).map((entry) => entry.attachment?.fileRef),
    );
    const unused = refs.filter((ref) => !used.has(ref));
    for (const ref of unused) await this.deleteFile(ref);
    return unused.length;
  }

  private async deleteFile(fileRef: string): Promise<void> {
    try {
      await this.files().bucket.delete(new mongo.ObjectId(fileRef));
    } catch (error) {
      // Deleted already (a rerun): nothing left to do.
      if (!(error instanceof mongo.MongoRuntimeError) || !/File not found/i.test(error.message))
        throw error;
    }
  }

  // Contest judging: the panels a person sits on and the scorecards they gave.

  async contestJudgingOf(subject: string): Promise<unknown[]> {
    const contests = await this.contests
      .find({ 'judges.judgeId': subject }, { title: 1, status: 1, judges: 1 })
      .lean<
        {
          _id: string;
          title: string;
          status: string;
          judges: { judgeId: string; organizations: string[] }[];
        }[]
      >();
    const cards = await this.entries
      .find({ 'scorecards.judgeId': subject }, { contestId: 1, scorecards: 1 })
      .lean<Pick<EntryDocument, '_id' | 'contestId' | 'scorecards'>[]>();
    return contests.map((contest) => ({
      contestId: contest._id,
      contestTitle: contest.title,
      contestStatus: contest.status,
      organizations: contest.judges.find((judge) => judge.judgeId === subject)?.organizations ?? [],
      scorecards: cards
        .filter((entry) => entry.contestId === contest._id)
        .flatMap((entry) =>
          entry.scorecards
            .filter((card) => card.judgeId === subject)
            .map(({ points, weightedTotal, scoredAt }) => ({
              entryId: entry._id,
              points,
              weightedTotal,
              scoredAt,
            })),
        ),
    }));
  }

  /**
   * The judge becomes their pseudonym on every panel, assignment and
   * scorecard: the results rest on the cards, and the assignment rules (one
   * card per judge and entry) still hold.
   */
  async pseudonymizeJudge(subject: string): Promise<number> {
    const pseudonym = this.pseudonymOf(`judge:${subject}`);
    const panels = await this.rewriteAll('contests', { 'judges.judgeId': subject }, (contest) => ({
      set: {
        judges: (contest['judges'] as { judgeId: string }[]).map((judge) =>
          judge.judgeId === subject ? { ...judge, judgeId: pseudonym } : judge,
        ),
      },
      count: 1,
    }));
    const cards = await this.rewriteAll(
      'contestEntries',
      { $or: [{ judges: subject }, { 'scorecards.judgeId': subject }] },
      (entry) => ({
        set: {
          judges: (entry['judges'] as string[]).map((judge) =>
            judge === subject ? pseudonym : judge,
          ),
          scorecards: (entry['scorecards'] as { judgeId: string }[]).map((card) =>
            card.judgeId === subject ? { ...card, judgeId: pseudonym } : card,
          ),
        },
        count: 1,
      }),
    );
    return panels + cards;
  }

  // Library keeper: the farmhouse libraries a person keeps.

  async keptLibrariesOf(participantId: string): Promise<unknown[]> {
    const places = await this.places
      .find(
        { 'keeper.participantId': participantId },
        { kind: 1, name: 1, jurisdictionPath: 1, openingHours: 1 },
      )
      .lean<
        {
          _id: string;
          kind: string;
          name: string;
          jurisdictionPath: string[];
          openingHours: string;
        }[]
      >();
    return places.map((place) => ({
      placeId: place._id,
      kind: place.kind,
      name: place.name,
      jurisdictionCode: place.jurisdictionPath.at(-1) ?? null,
      openingHours: place.openingHours,
    }));
  }

  /**
   * The person stops being named as keeper; the donations they received stay
   * (the library's holdings count them) with the receiver pseudonymized.
   */
  async eraseKeeper(participantId: string, subject: string | null): Promise<number> {
    const { modifiedCount } = await this.places.collection.updateMany(
      { 'keeper.participantId': participantId },
      { $set: { keeper: null }, $inc: { version: 1 } },
    );
    if (subject !== null) {
      const pseudonym = this.pseudonymOf(`keeper:${subject}`);
      await this.rewriteAll('network_places', { 'donations.receivedBy': subject }, (place) => ({
        set: {
          donations: (place['donations'] as { receivedBy: string | null }[]).map((donation) =>
            donation.receivedBy === subject ? { ...donation, receivedBy: pseudonym } : donation,
          ),
        },
        count: 1,
      }));
    }
    return modifiedCount;
  }

  // Training records: a person's minutes, tests and completions per programme and year.

  async trainingRecordsOf(participantId: string): Promise<unknown[]> {
    const records = await this.trainees
      .find({ participantId }, { outbox: 0, outboxSince: 0 })
      .sort({ year: 1, programmeId: 1 })
      .lean<TraineeDocument[]>();
    return records.map(({ _id, participantId: _participant, version: _version, ...record }) => ({
      recordId: _id,
      ...record,
    }));
  }

  /**
   * The records move to a pseudonym: the programme's trained and completed
   * counts per township, group and month stay as reported; the attendances
   * (registration's enrollment ids) and the certificate code go.
   */
  async pseudonymizeTrainingRecords(
    filter: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<number> {
    let moved = 0;
    const named = {
      $and: [filter, { participantId: { $not: new RegExp(`^${PSEUDONYM_PREFIX}`) } }],
    };
    while (signal?.aborted !== true) {
      const records = await this.trainees
        .find(named)
        .limit(TRAINEE_BATCH)
        .lean<TraineeDocument[]>();
      if (records.length === 0) break;
      for (const record of records) {
        const pseudonym = this.pseudonymOf(`trainee:${record.participantId}`);
        const copy = `${record.programmeId}:${pseudonym}:${record.year}`;
        // Replaced, not inserted: a rerun after a crash, or a record changed since it was read,
        // leaves the latest copy. Unpublished events travel with it, so none is lost.
        await this.trainees.collection.replaceOne(
          { _id: copy } as never,
          {
            ...record,
            _id: copy,
            participantId: pseudonym,
            attendanceIds: [],
            certificateCode: null,
          },
          { upsert: true },
        );
        // Only the version copied: a check-in counted meanwhile is copied again next round.
        const { deletedCount } = await this.trainees.deleteOne({
          _id: record._id,
          version: record.version,
        });
        moved += deletedCount;
      }
    }
    return moved;
  }

  /** Records of years that ended before `cutoff` (the city's calendar). */
  sweepTrainingRecords(cutoff: Date, signal: AbortSignal): Promise<number> {
    return this.pseudonymizeTrainingRecords({ year: { $lt: cityYearOf(cutoff) } }, signal);
  }

  // Training certificates: the code, programme, class and masked name of each completion.

  async certificatesOf(participantId: string): Promise<unknown[]> {
    const certificates = await this.certificates
      .find({ participantId })
      .sort({ completedAt: 1 })
      .lean<{ _id: string; participantId: string }[]>();
    return certificates.map(({ _id, participantId: _participant, ...certificate }) => ({
      code: _id,
      ...certificate,
    }));
  }

  async eraseCertificates(participantId: string): Promise<number> {
    return (await this.certificates.deleteMany({ participantId })).deletedCount;
  }

  async sweepCertificates(cutoff: Date): Promise<number> {
    return (await this.certificates.deleteMany({ completedAt: { $lt: cutoff } })).deletedCount;
  }
}
