/** The ledger as records read it: a person's entries in event-time order and sums per category. */
import type { ContentCategory, Page } from '@learning/domain';
import { keysetPage } from '@learning/mongo';
import type { Model } from 'mongoose';
import type { HolderRef } from '../../domain/facts.js';
import { inCategoryOrder, type CategoryTotal, type RecordEntry } from '../../domain/records.js';
import type { MemberTotals, RecordLedger } from '../../application/records/ports.js';
import type { LedgerEntryDocument } from './ledger.js';

/** A ledger entry as a learning record shows it. */
export const recordEntryOf = (document: LedgerEntryDocument): RecordEntry => ({
  id: document._id,
  occurredAt: document.occurredAt,
  title: document.title,
  source: document.source,
  ruleId: document.ruleId,
  ruleVersion: document.ruleVersion,
  amount: document.amount,
  reason: document.reason,
  category: document.category,
  minutes: document.minutes,
});

interface CategoryRow {
  _id: ContentCategory | null;
  credits: number;
  minutes: number;
}

const byCategoryStage = {
  $group: {
    _id: '$category',
    credits: { $sum: '$amount' },
    minutes: { $sum: '$minutes' },
  },
};

const categoryTotalsOf = (rows: readonly CategoryRow[]): CategoryTotal[] =>
  inCategoryOrder(
    rows.map((row) => ({ category: row._id ?? null, credits: row.credits, minutes: row.minutes })),
  );

export class MongoRecordLedger implements RecordLedger {
  constructor(private readonly ledger: Model<LedgerEntryDocument>) {}

  private readonly personYear = (participantId: string, year: number) => ({
    holderKind: 'person' as const,
    holderId: participantId,
    year,
  });

  async entriesPage(
    participantId: string,
    year: number,
    page: { readonly pageSize: number; readonly pageToken?: string },
  ): Promise<Page<RecordEntry>> {
    const found = await keysetPage(this.ledger, {
      filter: this.personYear(participantId, year),
      sort: { field: 'occurredAt', direction: 'asc' },
      after: page.pageToken ?? null,
      limit: page.pageSize,
    });
    return { items: found.items.map(recordEntryOf), nextCursor: found.nextCursor };
  }

  async allEntries(participantId: string, year: number): Promise<RecordEntry[]> {
    const documents = await this.ledger
      .find(this.personYear(participantId, year))
      .sort({ occurredAt: 1, _id: 1 })
      .lean<LedgerEntryDocument[]>();
    return documents.map(recordEntryOf);
  }

  async categoryTotals(holder: HolderRef, year: number): Promise<CategoryTotal[]> {
    const rows = await this.ledger.aggregate<CategoryRow>([
      { $match: { holderKind: holder.kind, holderId: holder.id, year } },
      byCategoryStage,
    ]);
    return categoryTotalsOf(rows);
  }

  async memberTotals(organizationId: string, year: number): Promise<MemberTotals> {
    // The organization's own entries carry its id too: only persons' count as members'.
    const match = { $match: { organizationIds: organizationId, year, holderKind: 'person' } };
    const [rows, persons] = await Promise.all([
      this.ledger.aggregate<CategoryRow>([match, byCategoryStage]),
      this.ledger.aggregate<{ _id: string }>([match, { $group: { _id: '$holderId' } }]),
    ]);
    const byCategory = categoryTotalsOf(rows);
    return {
      credits: byCategory.reduce((sum, total) => sum + total.credits, 0),
      minutes: byCategory.reduce((sum, total) => sum + total.minutes, 0),
      persons: persons.length,
      byCategory,
    };
  }
}
