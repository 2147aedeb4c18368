/** Balances as sums over the ledger (decision 0016): one aggregation over the holder-year index. */
import type { Model } from 'mongoose';
import type { Balances, LedgerTotals } from '../../application/ports.js';
import { holderKey, type HolderKind, type HolderRef } from '../../domain/facts.js';
import { holdersInYear, type LedgerEntryDocument } from './ledger.js';

interface TotalsRow {
  _id: { kind: HolderKind; id: string };
  credits: number;
  minutes: number;
  entries: number;
}

export class MongoBalances implements Balances {
  constructor(private readonly ledger: Model<LedgerEntryDocument>) {}

  async of(
    holders: readonly HolderRef[],
    year: number,
    campaignId?: string,
  ): Promise<ReadonlyMap<string, LedgerTotals>> {
    const totals = new Map<string, LedgerTotals>();
    if (holders.length === 0) return totals;
    const rows = await this.ledger.aggregate<TotalsRow>([
      {
        $match: {
          ...holdersInYear(holders, year),
          ...(campaignId === undefined ? {} : { campaignId }),
        },
      },
      {
        $group: {
          _id: { kind: '$holderKind', id: '$holderId' },
          credits: { $sum: '$amount' },
          minutes: { $sum: '$minutes' },
          entries: { $sum: 1 },
        },
      },
    ]);
    for (const row of rows)
      totals.set(holderKey({ kind: row._id.kind, id: row._id.id }), {
        credits: row.credits,
        minutes: row.minutes,
        entries: row.entries,
      });
    return totals;
  }
}
