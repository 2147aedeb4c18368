/**
 * Where holders stand, from the ledger: the boards their entries touched and
 * their balances (decision 0016, point 5). The live updates and the rebuild
 * both place holders through this, so both write the same boards.
 */
import { placementsOf, type HolderStanding, type Placement } from '../../domain/boards.js';
import { holderKey, type HolderRef } from '../../domain/facts.js';
import type { Balances, LedgerFootprints, OrganizationCards } from './ports.js';

export interface StandingsDeps {
  readonly footprints: LedgerFootprints;
  readonly balances: Balances;
  readonly organizations: OrganizationCards;
}

/** Every placement of `holders` in `year`; a holder whose entries were all reversed is placed at 0. */
export function standings(deps: StandingsDeps) {
  const { footprints, balances, organizations } = deps;
  return async (holders: readonly HolderRef[], year: number): Promise<Placement[]> => {
    if (holders.length === 0) return [];
    const byHolder = await footprints.of(holders, year);
    const campaignIds = new Set<string>();
    for (const entries of byHolder.values())
      for (const entry of entries) if (entry.campaignId !== null) campaignIds.add(entry.campaignId);
    const organizationIds = holders.flatMap((holder) =>
      holder.kind === 'organization' ? [holder.id] : [],
    );
    const [yearTotals, campaignTotals, cards] = await Promise.all([
      balances.of(holders, year),
      Promise.all(
        [...campaignIds].map(
          async (campaignId) => [campaignId, await balances.of(holders, year, campaignId)] as const,
        ),
      ),
      organizationIds.length === 0
        ? Promise.resolve(new Map<string, never>())
        : organizations.of(organizationIds),
    ]);
    return holders.flatMap((holder) => {
      const key = holderKey(holder);
      const entries = byHolder.get(key);
      if (entries === undefined) return [];
      const standing: HolderStanding = {
        holder,
        year,
        footprints: entries,
        organizationKind:
          holder.kind === 'organization' ? (cards.get(holder.id)?.kind ?? null) : null,
        yearBalance: yearTotals.get(key)?.credits ?? 0,
        campaignBalances: new Map(
          campaignTotals.map(([campaignId, totals]) => [campaignId, totals.get(key)?.credits ?? 0]),
        ),
      };
      return placementsOf(standing);
    });
  };
}

export type Standings = ReturnType<typeof standings>;
