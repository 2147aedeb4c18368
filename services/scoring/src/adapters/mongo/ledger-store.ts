/**
 * Appending to the ledger: each entry is inserted with its CreditsAwarded or
 * CreditsReversed event in its own outbox, one atomic write (no transactions
 * needed); the id is the (holder, rule, source, revision) key itself, so a
 * second evaluation appending the same correction is refused.
 */
import { contentCategoryMapping, creditEvents, tierMapping } from '@learning/contracts';
import { insertWithEvents, newEvent } from '@learning/events';
import { isDuplicateKey } from '@learning/mongo';
import { common, scoring } from '@learning/proto';
import type { Model } from 'mongoose';
import type { LedgerStore } from '../../application/credits/ports.js';
import { formatCredits } from '../../domain/credits.js';
import { holderKey, type HolderKind, type HolderRef, type SourceKind } from '../../domain/facts.js';
import type { EntryReason, LedgerEntry } from '../../domain/ledger.js';
import type { NewLedgerEntry } from '../../domain/ledger-evaluation.js';
import type { LedgerEntryDocument } from './ledger.js';

const HOLDER_KIND: Readonly<Record<HolderKind, scoring.HolderKind>> = {
  person: scoring.HolderKind.HOLDER_KIND_PERSON,
  organization: scoring.HolderKind.HOLDER_KIND_ORGANIZATION,
};

const CREDIT_SOURCE: Readonly<Record<SourceKind, scoring.CreditSource>> = {
  activity_attended: scoring.CreditSource.CREDIT_SOURCE_ACTIVITY_ATTENDED,
  lecture_attended: scoring.CreditSource.CREDIT_SOURCE_LECTURE_ATTENDED,
  training_attended: scoring.CreditSource.CREDIT_SOURCE_TRAINING_ATTENDED,
  lesson_completed: scoring.CreditSource.CREDIT_SOURCE_LESSON_COMPLETED,
  contest_placed: scoring.CreditSource.CREDIT_SOURCE_CONTEST_PLACED,
  book_donated: scoring.CreditSource.CREDIT_SOURCE_BOOK_DONATED,
  organization_recognized: scoring.CreditSource.CREDIT_SOURCE_ORGANIZATION_RECOGNIZED,
  activity_organized: scoring.CreditSource.CREDIT_SOURCE_ACTIVITY_ORGANIZED,
  training_completed: scoring.CreditSource.CREDIT_SOURCE_TRAINING_COMPLETED,
};

const ENTRY_REASON: Readonly<Record<EntryReason, scoring.EntryReason>> = {
  awarded: scoring.EntryReason.ENTRY_REASON_AWARDED,
  source_withdrawn: scoring.EntryReason.ENTRY_REASON_SOURCE_WITHDRAWN,
  cap_reevaluated: scoring.EntryReason.ENTRY_REASON_CAP_REEVALUATED,
};

/** The entry's message on the credits topic, routing fields included. */
export const creditEntryMessage = (entry: LedgerEntry): scoring.CreditEntry => ({
  entryId: entry.id,
  holderKind: HOLDER_KIND[entry.holder.kind],
  holderId: entry.holder.id,
  ruleId: entry.ruleId,
  ruleVersion: entry.ruleVersion,
  source: CREDIT_SOURCE[entry.source],
  sourceId: entry.sourceId,
  sourceEventId: entry.sourceEventId,
  amount: formatCredits(entry.amount),
  reason: ENTRY_REASON[entry.reason],
  occurredAt: entry.occurredAt,
  year: entry.year,
  category:
    entry.category === null
      ? common.ContentCategory.CONTENT_CATEGORY_UNSPECIFIED
      : contentCategoryMapping.toProto(entry.category),
  tier: entry.tier === null ? common.Tier.TIER_UNSPECIFIED : tierMapping.toProto(entry.tier),
  jurisdictionPath: [...entry.jurisdictionPath],
  organizationIds: [...entry.organizationIds],
  campaignId: entry.campaignId ?? '',
  recordedAt: entry.recordedAt,
});

export const entryOf = (document: LedgerEntryDocument): LedgerEntry => ({
  id: document._id,
  holder: { kind: document.holderKind, id: document.holderId },
  year: document.year,
  ruleId: document.ruleId,
  ruleVersion: document.ruleVersion,
  source: document.source,
  sourceId: document.sourceId,
  sourceEventId: document.sourceEventId,
  revision: document.revision,
  amount: document.amount,
  reason: document.reason,
  occurredAt: document.occurredAt,
  category: document.category,
  tier: document.tier,
  minutes: document.minutes,
  campaignId: document.campaignId,
  jurisdictionPath: [...document.jurisdictionPath],
  organizationIds: [...document.organizationIds],
  title: document.title,
  recordedAt: document.recordedAt,
});

export class MongoLedgerStore implements LedgerStore {
  constructor(
    private readonly ledger: Model<LedgerEntryDocument>,
    private readonly clock: () => Date,
  ) {}

  async entriesOf(holder: HolderRef, year: number): Promise<readonly LedgerEntry[]> {
    const documents = await this.ledger
      .find({ holderKind: holder.kind, holderId: holder.id, year }, { outbox: 0, outboxSince: 0 })
      .lean<LedgerEntryDocument[]>();
    return documents.map(entryOf);
  }

  async append(correction: NewLedgerEntry): Promise<'appended' | 'conflict'> {
    const key = holderKey(correction.holder);
    const entry: LedgerEntry = {
      ...correction,
      id: `${key}|${correction.ruleId}|${correction.sourceId}|${correction.revision}`,
      recordedAt: this.clock(),
    };
    const event = newEvent(
      entry.amount > 0 ? creditEvents.CreditsAwarded : creditEvents.CreditsReversed,
      key,
      creditEntryMessage(entry),
    );
    try {
      await this.ledger.create({
        _id: entry.id,
        holderKind: entry.holder.kind,
        holderId: entry.holder.id,
        year: entry.year,
        ruleId: entry.ruleId,
        ruleVersion: entry.ruleVersion,
        source: entry.source,
        sourceId: entry.sourceId,
        sourceEventId: entry.sourceEventId,
        revision: entry.revision,
        amount: entry.amount,
        reason: entry.reason,
        occurredAt: entry.occurredAt,
        category: entry.category,
        tier: entry.tier,
        minutes: entry.minutes,
        campaignId: entry.campaignId,
        jurisdictionPath: [...entry.jurisdictionPath],
        organizationIds: [...entry.organizationIds],
        title: entry.title,
        recordedAt: entry.recordedAt,
        ...insertWithEvents([event]),
      });
      return 'appended';
    } catch (error) {
      if (isDuplicateKey(error)) return 'conflict';
      throw error;
    }
  }
}
