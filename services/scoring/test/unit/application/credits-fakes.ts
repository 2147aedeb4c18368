/** In-memory stand-ins for the credits slice's ports. */
import type {
  AttendanceFact,
  CreditsMetrics,
  FactStore,
  HolderDirectory,
  HolderPlace,
  LedgerStore,
  Withdrawal,
} from '../../../src/application/credits/ports.js';
import type { SourceDeps } from '../../../src/application/credits/store-fact.js';
import type { CreditFact, HolderRef } from '../../../src/domain/facts.js';
import type { LedgerEntry } from '../../../src/domain/ledger.js';
import type { NewLedgerEntry } from '../../../src/domain/ledger-evaluation.js';

export class RecordingFacts implements FactStore {
  readonly recorded: CreditFact[] = [];
  readonly attendances: AttendanceFact[] = [];
  readonly withdrawals: Withdrawal[] = [];
  /** What `withdraw` answers: the fact when it had been reported. */
  withdrawn: CreditFact | null = null;

  async record(fact: CreditFact) {
    const known = this.recorded.some((each) => each.sourceId === fact.sourceId);
    this.recorded.push(fact);
    return known ? ('known' as const) : ('stored' as const);
  }
  async recordAttendance(attendance: AttendanceFact) {
    this.attendances.push(attendance);
    return { outcome: 'stored' as const, fact: attendance.fact };
  }
  async withdraw(withdrawal: Withdrawal) {
    this.withdrawals.push(withdrawal);
    return this.withdrawn;
  }
  async ofHolderYear(holder: HolderRef, year: number) {
    return this.recorded.filter(
      (fact) =>
        fact.holder.kind === holder.kind && fact.holder.id === holder.id && fact.year === year,
    );
  }
}

export class FakeDirectory implements HolderDirectory {
  readonly people = new Map<string, HolderPlace>();
  readonly organizations = new Map<string, HolderPlace>();
  async person(id: string) {
    return this.people.get(id) ?? null;
  }
  async organization(id: string) {
    return this.organizations.get(id) ?? null;
  }
}

export class CountingMetrics implements CreditsMetrics {
  readonly stored: string[] = [];
  readonly appended: string[] = [];
  retries = 0;
  factStored(source: string) {
    this.stored.push(source);
  }
  entryAppended(reason: string) {
    this.appended.push(reason);
  }
  evaluationRetried() {
    this.retries += 1;
  }
}

/** A ledger whose next `conflicts` appends are refused, as when another evaluation appended first. */
export class MemoryLedger implements LedgerStore {
  readonly entries: LedgerEntry[] = [];
  conflicts = 0;
  async entriesOf(holder: HolderRef, year: number) {
    return this.entries.filter(
      (entry) =>
        entry.holder.id === holder.id && entry.holder.kind === holder.kind && entry.year === year,
    );
  }
  async append(entry: NewLedgerEntry) {
    if (this.conflicts > 0) {
      this.conflicts -= 1;
      return 'conflict' as const;
    }
    const id = `${entry.holder.id}|${entry.ruleId}|${entry.sourceId}|${entry.revision}`;
    if (this.entries.some((each) => each.id === id)) return 'conflict' as const;
    this.entries.push({ ...entry, id, recordedAt: new Date() });
    return 'appended' as const;
  }
}

export function sourceDeps(): SourceDeps & {
  facts: RecordingFacts;
  directory: FakeDirectory;
  metrics: CountingMetrics;
  evaluated: { holder: HolderRef; year: number }[];
  /** Participants the test marks erased. */
  erasedIds: Set<string>;
} {
  const evaluated: { holder: HolderRef; year: number }[] = [];
  const erasedIds = new Set<string>();
  return {
    facts: new RecordingFacts(),
    erasedIds,
    erased: { isErased: async (participantId) => erasedIds.has(participantId) },
    directory: new FakeDirectory(),
    metrics: new CountingMetrics(),
    evaluated,
    evaluate: async (holder, year) => {
      evaluated.push({ holder, year });
      return 0;
    },
  };
}
