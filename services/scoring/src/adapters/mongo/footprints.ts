/**
 * The ledger as the boards read it: which boards holders' entries touched
 * (over the holder-year index) and, for a rebuild, every holder of a year
 * (a cursor over the year index, each holder once).
 */
import type { Model } from 'mongoose';
import type { LedgerFootprints } from '../../application/leaderboards/ports.js';
import type { EntryFootprint } from '../../domain/boards.js';
import { holderKey, type HolderRef } from '../../domain/facts.js';
import { holdersInYear, type LedgerEntryDocument } from './ledger.js';

type FootprintRow = Pick<
  LedgerEntryDocument,
  'holderKind' | 'holderId' | 'jurisdictionPath' | 'organizationIds' | 'tier' | 'campaignId'
>;

const HOLDER_FIELDS = { _id: 0, holderKind: 1, holderId: 1 } as const;

export class MongoLedgerFootprints implements LedgerFootprints {
  constructor(private readonly ledger: Model<LedgerEntryDocument>) {}

  async of(
    holders: readonly HolderRef[],
    year: number,
  ): Promise<ReadonlyMap<string, readonly EntryFootprint[]>> {
    const byHolder = new Map<string, Map<string, EntryFootprint>>();
    if (holders.length === 0) return new Map();
    const rows = await this.ledger
      .find(holdersInYear(holders, year), {
        ...HOLDER_FIELDS,
        jurisdictionPath: 1,
        organizationIds: 1,
        tier: 1,
        campaignId: 1,
      })
      .lean<FootprintRow[]>();
    for (const row of rows) {
      const footprint: EntryFootprint = {
        jurisdictionPath: row.jurisdictionPath,
        organizationIds: row.organizationIds,
        tier: row.tier,
        campaignId: row.campaignId,
      };
      const key = holderKey({ kind: row.holderKind, id: row.holderId });
      const distinct = byHolder.get(key) ?? new Map<string, EntryFootprint>();
      // Most of a holder's entries share one footprint: keep each once.
      distinct.set(JSON.stringify(footprint), footprint);
      byHolder.set(key, distinct);
    }
    return new Map([...byHolder].map(([key, distinct]) => [key, [...distinct.values()]]));
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
      const holder: HolderRef = { kind: row.holderKind, id: row.holderId };
      holders.set(holderKey(holder), holder);
    }
    return [...holders.values()];
  }
}
