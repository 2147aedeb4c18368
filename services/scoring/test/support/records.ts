/** Ledger entries and record exports for the records tests, built as the ledger would hold them. */
import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import type { LedgerEntryDocument } from '../../src/adapters/mongo/ledger.js';
import { recordEntryOf } from '../../src/adapters/mongo/record-ledger.js';
import type { RecordExport } from '../../src/application/records/export-record.js';
import { totalsOf, type RecordEntry } from '../../src/domain/records.js';

/** A person's ledger entry: 2 credits for 90 minutes of a political-theory lecture, unless told otherwise. */
export function ledgerEntry(
  participantId: string,
  fields: Partial<LedgerEntryDocument> = {},
): LedgerEntryDocument {
  const occurredAt = fields.occurredAt ?? new Date('2026-04-10T02:00:00Z');
  return {
    _id: randomUUID(),
    holderKind: 'person',
    holderId: participantId,
    year: 2026,
    ruleId: 'lecture-base',
    ruleVersion: 1,
    source: 'lecture_attended',
    sourceId: `attendance:${randomUUID()}`,
    sourceEventId: randomUUID(),
    revision: 1,
    amount: 200,
    reason: 'awarded',
    occurredAt,
    category: 'political_theory',
    tier: 'ordinary_citizen',
    minutes: 90,
    campaignId: null,
    jurisdictionPath: [],
    organizationIds: [],
    title: '玉海大讲坛：宋韵文化',
    recordedAt: occurredAt,
    outbox: [],
    ...fields,
  };
}

export async function insertEntries(
  model: Model<LedgerEntryDocument>,
  entries: readonly LedgerEntryDocument[],
): Promise<void> {
  await model.insertMany(entries);
}

/** A record export as the use case makes it, from record entries. */
export function recordExport(
  entries: readonly RecordEntry[],
  fields: Partial<Pick<RecordExport, 'name' | 'year'>> = {},
): RecordExport {
  const totals = totalsOf(entries);
  return {
    name: fields.name ?? '张晓明',
    year: fields.year ?? 2026,
    entries,
    totals,
    certificate: {
      code: 'LS26-0000-1111-2222-3333-4444-5555',
      participantId: randomUUID(),
      year: fields.year ?? 2026,
      totals,
      maskedName: '张*明',
      format: 'pdf',
      issuedAt: new Date('2026-12-01T04:00:00Z'),
    },
  };
}

/** A record entry (what the ledger adapter reads) from the same defaults. */
export function recordEntry(fields: Partial<RecordEntry> = {}): RecordEntry {
  return { ...recordEntryOf(ledgerEntry('someone')), ...fields };
}
