/**
 * The ledgers (src/domain/ledger.ts): one collection for persons and
 * organizations, append-only. The unique (holder, rule, source, revision)
 * index is what makes awarding idempotent and concurrent evaluations of one
 * holder safe: a second worker appending the same correction is refused.
 */
import { CONTENT_CATEGORIES, TIERS, type ContentCategory, type Tier } from '@learning/domain';
import { outboxPlugin, type WithOutbox } from '@learning/events';
import { Schema, type Connection, type FilterQuery, type Model } from 'mongoose';
import {
  HOLDER_KINDS,
  SOURCE_KINDS,
  type HolderKind,
  type HolderRef,
  type SourceKind,
} from '../../domain/facts.js';
import type { EntryReason } from '../../domain/ledger.js';

/** Each entry carries its own CreditsAwarded / CreditsReversed event until the relay publishes it. */
export interface LedgerEntryDocument extends WithOutbox {
  _id: string;
  holderKind: HolderKind;
  holderId: string;
  year: number;
  ruleId: string;
  ruleVersion: number;
  source: SourceKind;
  sourceId: string;
  sourceEventId: string;
  revision: number;
  /** Hundredths of a credit, signed. */
  amount: number;
  reason: EntryReason;
  occurredAt: Date;
  category: ContentCategory | null;
  tier: Tier | null;
  minutes: number;
  campaignId: string | null;
  jurisdictionPath: string[];
  organizationIds: string[];
  title: string;
  recordedAt: Date;
}

const ledgerEntrySchema = new Schema<LedgerEntryDocument>(
  {
    _id: { type: String, required: true },
    holderKind: { type: String, required: true, enum: HOLDER_KINDS },
    holderId: { type: String, required: true },
    year: { type: Number, required: true },
    ruleId: { type: String, required: true },
    ruleVersion: { type: Number, required: true },
    source: { type: String, required: true, enum: SOURCE_KINDS },
    sourceId: { type: String, required: true },
    sourceEventId: { type: String, required: true },
    revision: { type: Number, required: true },
    amount: { type: Number, required: true },
    reason: {
      type: String,
      required: true,
      enum: ['awarded', 'source_withdrawn', 'cap_reevaluated'],
    },
    occurredAt: { type: Date, required: true },
    category: { type: String, default: null, enum: [...CONTENT_CATEGORIES, null] },
    tier: { type: String, default: null, enum: [...TIERS, null] },
    minutes: { type: Number, required: true },
    campaignId: { type: String, default: null },
    jurisdictionPath: { type: [String], required: true },
    organizationIds: { type: [String], required: true },
    title: { type: String, required: true },
    recordedAt: { type: Date, required: true },
  },
  { collection: 'ledger', versionKey: false, strict: 'throw' },
);
ledgerEntrySchema.plugin(outboxPlugin);
ledgerEntrySchema.index(
  { holderKind: 1, holderId: 1, ruleId: 1, sourceId: 1, revision: 1 },
  { unique: true },
);
// A holder's year: evaluation, balances and the learning record, in event-time order.
ledgerEntrySchema.index({ holderKind: 1, holderId: 1, year: 1, occurredAt: 1 });
// An organization's members' credits for a year, as they were members at the time.
ledgerEntrySchema.index({ organizationIds: 1, year: 1 });
// Rebuilding the leaderboards: a year's entries, in order.
ledgerEntrySchema.index({ year: 1, _id: 1 });

export const ledgerEntryModel = (connection: Connection): Model<LedgerEntryDocument> =>
  connection.model<LedgerEntryDocument>('LedgerEntry', ledgerEntrySchema);

/**
 * The entries of some holders in a year, as one filter the holder-year index
 * serves: one `$in` per holder kind rather than a clause per holder. At
 * least one holder (callers answer an empty list without asking).
 */
export function holdersInYear(
  holders: readonly HolderRef[],
  year: number,
): FilterQuery<LedgerEntryDocument> {
  const idsByKind = new Map<HolderKind, string[]>();
  for (const holder of holders)
    idsByKind.set(holder.kind, [...(idsByKind.get(holder.kind) ?? []), holder.id]);
  const clauses = [...idsByKind].map(([holderKind, ids]) => ({
    holderKind,
    holderId: { $in: [...new Set(ids)] },
    year,
  }));
  const [only] = clauses;
  return clauses.length === 1 && only !== undefined ? only : { $or: clauses };
}
