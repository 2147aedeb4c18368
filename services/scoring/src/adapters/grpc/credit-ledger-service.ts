/** learning.scoring.v1.CreditLedgerService: credit totals for other services (service tokens only). */
import { contentCategoryMapping } from '@learning/contracts';
import type { GrpcServer } from '@learning/grpc';
import { isUuid } from '@learning/http';
import { common, scoring } from '@learning/proto';
import { idInvalid } from '../../application/records/errors.js';
import type { RecordLedger } from '../../application/records/ports.js';
import type { RecordReads } from '../../application/records/read-records.js';
import type { Balances } from '../../application/ports.js';
import { formatCredits, formatHours, type Hundredths } from '../../domain/credits.js';
import { holderKey } from '../../domain/facts.js';
import type { CategoryTotal } from '../../domain/records.js';

const credits = (amount: Hundredths): common.Quantity => ({
  value: formatCredits(amount),
  unit: common.Unit.UNIT_CREDITS,
});
const hours = (minutes: number): common.Quantity => ({
  value: formatHours(minutes),
  unit: common.Unit.UNIT_HOURS,
});

const categoryTotal = (total: CategoryTotal): scoring.CategoryTotal => ({
  category:
    total.category === null
      ? common.ContentCategory.CONTENT_CATEGORY_UNSPECIFIED
      : contentCategoryMapping.toProto(total.category),
  credits: credits(total.credits),
  hours: hours(total.minutes),
});

export interface CreditLedgerDeps {
  readonly reads: RecordReads;
  readonly ledger: RecordLedger;
  readonly balances: Balances;
}

export function registerCreditLedgerService(grpc: GrpcServer, deps: CreditLedgerDeps): void {
  const { reads, ledger, balances } = deps;
  // Zero is "the current year" in the contract; anything else is checked as the REST routes do.
  const yearOf = (year: number): number => reads.yearOf(year === 0 ? undefined : year);

  grpc.addService(scoring.CreditLedgerServiceService, {
    async getPersonCredits(request) {
      if (!isUuid(request.participantId)) throw idInvalid('participant');
      const year = yearOf(request.year);
      const totals = await reads.totalsFor(request.participantId, year);
      return {
        credits: {
          participantId: request.participantId,
          year,
          credits: credits(totals.credits),
          hours: hours(totals.minutes),
          byCategory: totals.byCategory.map(categoryTotal),
          entryCount: totals.entries,
        },
      };
    },

    async getOrganizationCredits(request) {
      if (!isUuid(request.organizationId)) throw idInvalid('organization');
      const year = yearOf(request.year);
      const holder = { kind: 'organization', id: request.organizationId } as const;
      const [own, members] = await Promise.all([
        balances.of([holder], year),
        ledger.memberTotals(request.organizationId, year),
      ]);
      return {
        credits: {
          organizationId: request.organizationId,
          year,
          ownCredits: credits(own.get(holderKey(holder))?.credits ?? 0),
          memberCredits: credits(members.credits),
          memberHours: hours(members.minutes),
          membersCredited: members.persons,
          memberByCategory: members.byCategory.map(categoryTotal),
        },
      };
    },
  });
}
