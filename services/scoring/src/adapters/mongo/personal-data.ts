/**
 * What scoring's collections hold about one person, for their copy of their
 * data and for erasure when they close their account (decision 0022), and
 * the retention sweeps. Each erase acts on state (the person's documents as
 * they stand), so a second run finds nothing left and changes nothing.
 *
 * What stays: ledger entries (the areas' and organizations' sums and the
 * annual evaluation depend on them) and granted awards (places and the
 * funding line's commitments), under a pseudonym, with no name, statement or
 * source reference left.
 */
import { createHmac } from 'node:crypto';
import { failedOnlyOnDuplicates } from '@learning/mongo';
import type { Model } from 'mongoose';
import { ERASED_HOLDER_PREFIX } from '../../domain/ledger.js';
import type {
  AwardDocument,
  AwardRoundDocument,
  CaseDocument,
  NominationDocument,
} from './awards-models.js';
import type { CertificateDocument } from './certificates.js';
import type { FactDocument } from './facts.js';
import type { LedgerEntryDocument } from './ledger.js';

/** An erased awardee's name: public lists show it masked as `*`, like a holder registration no longer knows. */
export const ERASED_NAME = '*';

/** The outbox fields are the service's plumbing, not the person's data. */
const WITHOUT_OUTBOX = { outbox: 0, outboxSince: 0 } as const;

/**
 * The ids an erasure writes in place of the person's: keyed hashes of the
 * request (and of each id replaced), so a run repeated after a crash writes
 * the same ones and finds its own work done, while without the key nothing
 * leads from them back to the request, the person or the ids they replace
 * (de-identified, PIPL art. 73). One person is one pseudonym across kinds, so
 * distinct persons still count right.
 */
export class ErasurePseudonyms {
  private readonly key: Buffer;

  /** `secret`: the service's own secret (its VERIFICATION_KEY), narrowed to this one use. */
  constructor(secret: Uint8Array) {
    this.key = createHmac('sha256', secret).update('scoring erasure pseudonyms').digest();
  }

  private hash(...parts: string[]): string {
    return createHmac('sha256', this.key).update(parts.join('\u0000')).digest('base64url');
  }

  /** The erased person's holder id (ledger) and nominee id (nominations, awards). */
  holder(requestId: string): string {
    return `${ERASED_HOLDER_PREFIX}${this.hash('holder', requestId)}`;
  }

  /** A replacement for one of the person's ids (a ledger entry's, a source's). */
  of(requestId: string, id: string): string {
    return `${ERASED_HOLDER_PREFIX}${this.hash('id', requestId, id)}`;
  }
}

const personNominee = (participantId: string) => ({
  'nominee.kind': 'person',
  'nominee.id': participantId,
});

export interface ScoringModels {
  readonly facts: Model<FactDocument>;
  readonly ledger: Model<LedgerEntryDocument>;
  readonly certificates: Model<CertificateDocument>;
  readonly rounds: Model<AwardRoundDocument>;
  readonly nominations: Model<NominationDocument>;
  readonly awards: Model<AwardDocument>;
  readonly cases: Model<CaseDocument>;
}

export class MongoPersonalData {
  constructor(
    private readonly models: ScoringModels,
    private readonly pseudonyms: ErasurePseudonyms,
  ) {}

  // ---------------------------------------------------------------- credit sources (facts)

  creditSources(participantId: string): Promise<FactDocument[]> {
    return this.models.facts
      .find({ holderKind: 'person', holderId: participantId })
      .sort({ occurredAt: 1 })
      .lean<FactDocument[]>();
  }

  /** Deleted: the ledger keeps what was credited; nothing evaluates an erased person again. */
  async eraseCreditSources(participantId: string): Promise<number> {
    return (await this.models.facts.deleteMany({ holderKind: 'person', holderId: participantId }))
      .deletedCount;
  }

  // ---------------------------------------------------------------- credits ledger

  credits(participantId: string): Promise<LedgerEntryDocument[]> {
    return this.models.ledger
      .find({ holderKind: 'person', holderId: participantId }, WITHOUT_OUTBOX)
      .sort({ occurredAt: 1, revision: 1 })
      .lean<LedgerEntryDocument[]>();
  }

  /** The years the ledger holds: the boards a person may stand on. */
  async ledgerYears(): Promise<number[]> {
    return (await this.models.ledger.distinct('year')).sort((a, b) => a - b);
  }

  /**
   * Pseudonymizes the person's entries: amount, minutes, date, area,
   * organizations, tier, category, rule and title stay for the sums; the
   * holder, the entry's id and its source references (which name the person,
   * as a contest's and every entry id does) are replaced. An id cannot be
   * changed in place, so each entry is written anew and the old one deleted:
   * a run repeated after a crash between the two writes the same new ids
   * (duplicates, ignored) and deletes what is left. Returns the entries kept.
   */
  async pseudonymizeCredits(participantId: string, requestId: string): Promise<number> {
    const entries = await this.models.ledger
      .find({ holderKind: 'person', holderId: participantId })
      .lean<LedgerEntryDocument[]>();
    if (entries.length === 0) return 0;
    const holderId = this.pseudonyms.holder(requestId);
    const replaced = entries.map((entry) => ({
      ...entry,
      _id: this.pseudonyms.of(requestId, entry._id),
      holderId,
      // The same within a source, so its award and reversal still pair.
      sourceId: this.pseudonyms.of(requestId, entry.sourceId),
      sourceEventId: ERASED_HOLDER_PREFIX,
    }));
    try {
      await this.models.ledger.insertMany(replaced, { ordered: false });
    } catch (error) {
      if (!failedOnlyOnDuplicates(error)) throw error;
    }
    await this.models.ledger.deleteMany({ _id: { $in: entries.map((entry) => entry._id) } });
    return entries.length;
  }

  // ---------------------------------------------------------------- certificates

  certificatesOf(participantId: string): Promise<CertificateDocument[]> {
    return this.models.certificates
      .find({ participantId })
      .sort({ issuedAt: 1 })
      .lean<CertificateDocument[]>();
  }

  /** Deleted: their codes answer VERIFICATION_CODE_UNKNOWN from then on. */
  async eraseCertificates(participantId: string): Promise<number> {
    return (await this.models.certificates.deleteMany({ participantId })).deletedCount;
  }

  async sweepCertificates(cutoff: Date): Promise<number> {
    return (await this.models.certificates.deleteMany({ issuedAt: { $lt: cutoff } })).deletedCount;
  }

  // ---------------------------------------------------------------- nominations

  /** The person's nominations, with the experts' scores and comments but not who the experts or nominators are. */
  async nominationsOf(participantId: string): Promise<unknown[]> {
    const documents = await this.models.nominations
      .find(personNominee(participantId), { nominatedBy: 0, recusals: 0 })
      .sort({ createdAt: 1 })
      .lean<Omit<NominationDocument, 'nominatedBy' | 'recusals'>[]>();
    return documents.map(({ reviews, ...nomination }) => ({
      ...nomination,
      reviews: reviews.map(({ score, comment, reviewedAt }) => ({ score, comment, reviewedAt })),
    }));
  }

  /** Nominations in rounds not yet published: what the person's erasure would withdraw. */
  async pendingNominationsOf(
    participantId: string,
  ): Promise<{ title: string; year: number; nominationsClose: string }[]> {
    const roundIds = await this.models.nominations.distinct(
      'roundId',
      personNominee(participantId),
    );
    if (roundIds.length === 0) return [];
    return this.models.rounds
      .find(
        { _id: { $in: roundIds }, status: 'open' },
        { _id: 0, title: 1, year: 1, nominationsClose: 1 },
      )
      .sort({ nominationsClose: 1 })
      .lean<{ title: string; year: number; nominationsClose: string }[]>();
  }

  /**
   * Deletes the person's nominations that led to no award; an awarded one
   * stays as the award's basis, pseudonymized: no name, statement, comments
   * or organizations, the scores and evidence figures kept.
   */
  async eraseNominations(
    participantId: string,
    requestId: string,
  ): Promise<{ deleted: number; kept: number }> {
    const ids = await this.models.nominations.distinct('_id', personNominee(participantId));
    if (ids.length === 0) return { deleted: 0, kept: 0 };
    const awarded = new Set(
      await this.models.awards.distinct('nominationId', { nominationId: { $in: ids } }),
    );
    const deleted = (
      await this.models.nominations.deleteMany({
        ...personNominee(participantId),
        _id: { $nin: [...awarded] },
      })
    ).deletedCount;
    const keptNominations = await this.models.nominations
      .find({ ...personNominee(participantId), _id: { $in: [...awarded] } }, { reviews: 1 })
      .lean<Pick<NominationDocument, '_id' | 'reviews'>[]>();
    if (keptNominations.length > 0)
      await this.models.nominations.bulkWrite(
        keptNominations.map(({ _id, reviews }) => ({
          updateOne: {
            filter: { _id, ...personNominee(participantId) },
            update: {
              $set: {
                'nominee.id': this.pseudonyms.holder(requestId),
                'nominee.name': ERASED_NAME,
                'nominee.organizationIds': [],
                statement: '',
                // The experts' comments are about the person; their scores are the award's basis.
                reviews: reviews.map((review) => ({ ...review, comment: '' })),
              },
            },
          },
        })),
        { ordered: false },
      );
    return { deleted, kept: keptNominations.length };
  }

  /** Nominations of persons that led to no award, in rounds published before the cut-off. */
  async sweepNominations(cutoff: Date): Promise<number> {
    const roundIds = await this.models.rounds.distinct('_id', {
      status: 'published',
      publishedAt: { $lt: cutoff },
    });
    if (roundIds.length === 0) return 0;
    const awarded = await this.models.awards.distinct('nominationId', {
      roundId: { $in: roundIds },
    });
    return (
      await this.models.nominations.deleteMany({
        roundId: { $in: roundIds },
        'nominee.kind': 'person',
        _id: { $nin: awarded },
      })
    ).deletedCount;
  }

  // ---------------------------------------------------------------- awards

  awardsOf(participantId: string): Promise<unknown[]> {
    return this.models.awards
      .find(personNominee(participantId), { ...WITHOUT_OUTBOX, grantedBy: 0 })
      .sort({ grantedAt: 1 })
      .lean();
  }

  /** Granted awards stay (places, the funding line's commitments), under a random id and no name. */
  async pseudonymizeAwards(participantId: string, requestId: string): Promise<number> {
    const updated = await this.models.awards.updateMany(personNominee(participantId), {
      $set: {
        'nominee.id': this.pseudonyms.holder(requestId),
        'nominee.name': ERASED_NAME,
        'nominee.organizationIds': [],
      },
    });
    return updated.modifiedCount;
  }

  // ---------------------------------------------------------------- exemplary cases

  casesOf(participantId: string): Promise<unknown[]> {
    return this.models.cases
      .find(personNominee(participantId), { ...WITHOUT_OUTBOX, createdBy: 0 })
      .sort({ createdAt: 1 })
      .lean();
  }

  /** Deleted, story, images and consent with them: a story about nobody tells nothing. */
  async eraseCases(participantId: string): Promise<number> {
    return (await this.models.cases.deleteMany(personNominee(participantId))).deletedCount;
  }
}
