/**
 * Where holders stand, from the ledger: the boards their entries touched and
 * their balances, read together (decision 0016, point 5). The live updates and the rebuild
 * both place holders through this, so both write the same boards.
 */
import { placementsOf, type HolderStanding, type Placement } from '../../domain/boards.js';
import { holderKey, type HolderRef } from '../../domain/facts.js';
import type { LedgerFootprints, OrganizationCards } from './ports.js';

export interface StandingsDeps {
  readonly footprints: LedgerFootprints;
  readonly organizations: OrganizationCards;
}

/** Every placement of `holders` in `year`; a holder whose entries were all reversed is placed at 0. */
export function standings(deps: StandingsDeps) {
  const { footprints, organizations } = deps;
  return async (holders: readonly HolderRef[], year: number): Promise<Placement[]> => {
    if (holders.length === 0) return [];
    const organizationIds = holders.flatMap((holder) =>
      holder.kind === 'organization' ? [holder.id] : [],
    );
    const [byHolder, cards] = await Promise.all([
      footprints.of(holders, year),
      organizationIds.length === 0
        ? Promise.resolve(new Map<string, never>())
        : organizations.of(organizationIds),
    ]);
    return holders.flatMap((holder) => {
      const ledger = byHolder.get(holderKey(holder));
      if (ledger === undefined) return [];
      const standing: HolderStanding = {
        holder,
        year,
        footprints: ledger.footprints,
        organizationKind:
          holder.kind === 'organization' ? (cards.get(holder.id)?.kind ?? null) : null,
        yearBalance: ledger.yearBalance,
        campaignBalances: ledger.campaignBalances,
      };
      return placementsOf(standing);
    });
  };
}

export type Standings = ReturnType<typeof standings>;
