/**
 * The ledger as the boards read it: which boards holders' entries touched
 * and their balances (one aggregation over the holder-year index) and, for
 * a rebuild, every holder of a year (a cursor over the year index, each
 * holder once).
 */
import type { Model } from 'mongoose';
import type { HolderLedger, LedgerFootprints } from '../../application/leaderboards/ports.js';
import type { EntryFootprint } from '../../domain/boards.js';
import type { Hundredths } from '../../domain/credits.js';
import { holderKey, type HolderRef } from '../../domain/facts.js';
import { isErasedHolder } from '../../domain/ledger.js';
import { holdersInYear, type LedgerEntryDocument } from './ledger.js';

type FootprintRow = Pick<
  LedgerEntryDocument,
  'holderKind' | 'holderId' | 'jurisdictionPath' | 'organizationIds' | 'tier' | 'campaignId'
>;

interface FootprintSumRow {
  _id: FootprintRow;
  credits: Hundredths;
}

interface MutableHolderLedger {
  footprints: EntryFootprint[];
  yearBalance: Hundredths;
  campaignBalances: Map<string, Hundredths>;
}

const HOLDER_FIELDS = { _id: 0, holderKind: 1, holderId: 1 } as const;

export class MongoLedgerFootprints implements LedgerFootprints {
  constructor(private readonly ledger: Model<LedgerEntryDocument>) {}

  async of(
    holders: readonly HolderRef[],
    year: number,
  ): Promise<ReadonlyMap<string, HolderLedger>> {
    if (holders.length === 0) return new Map();
    // One read per batch: the sums per holder and distinct footprint give
    // both the footprints and every balance the boards need.
    const rows = await this.ledger.aggregate<FootprintSumRow>([
      { $match: holdersInYear(holders, year) },
      {
        $group: {
          _id: {
            holderKind: '$holderKind',
            holderId: '$holderId',
            jurisdictionPath: '$jurisdictionPath',
            organizationIds: '$organizationIds',
            tier: '$tier',
            campaignId: '$campaignId',
          },
          credits: { $sum: '$amount' },
        },
      },
    ]);
    const byHolder = new Map<string, MutableHolderLedger>();
    for (const { _id: row, credits } of rows) {
      const key = holderKey({ kind: row.holderKind, id: row.holderId });
      const ledger = byHolder.get(key) ?? {
        footprints: [],
        yearBalance: 0,
        campaignBalances: new Map<string, Hundredths>(),
      };
      const campaignId = row.campaignId ?? null;
      ledger.footprints.push({
        jurisdictionPath: row.jurisdictionPath,
        organizationIds: row.organizationIds,
        tier: row.tier ?? null,
        campaignId,
      });
      ledger.yearBalance += credits;
      if (campaignId !== null)
        ledger.campaignBalances.set(
          campaignId,
          (ledger.campaignBalances.get(campaignId) ?? 0) + credits,
        );
      byHolder.set(key, ledger);
    }
    return byHolder;
  }

  async *holdersOf(year: number, batchSize: number): AsyncIterable<HolderRef[]> {
    const seen = new Set<string>();
    let batch: HolderRef[] = [];
    const cursor = this.ledger
      .find({ year }, HOLDER_FIELDS)
      .sort({ year: 1, _id: 1 })
      .lean<FootprintRow>()
      .cursor({ batchSize: 1_000 });
    for await (const row of cursor) {
      // Entries an erased person left behind rank nobody.
      if (isErasedHolder(row.holderId)) continue;
      const holder: HolderRef = { kind: row.holderKind, id: row.holderId };
      const key = holderKey(holder);
      if (seen.has(key)) continue;
      seen.add(key);
      batch.push(holder);
      if (batch.length === batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  async recordedSince(year: number, since: Date): Promise<HolderRef[]> {
    const rows = await this.ledger
      .find({ year, recordedAt: { $gte: since } }, HOLDER_FIELDS)
      .lean<FootprintRow[]>();
    const holders = new Map<string, HolderRef>();
    for (const row of rows) {
      if (isErasedHolder(row.holderId)) continue;
      const holder: HolderRef = { kind: row.holderKind, id: row.holderId };
      holders.set(holderKey(holder), holder);
    }
    return [...holders.values()];
  }
}
