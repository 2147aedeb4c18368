/** The credits ledger's counters, on the service's registry (scraped at /metrics). */
import { Counter, type Registry } from 'prom-client';
import type { CreditsMetrics } from '../../application/credits/ports.js';
import type { SourceKind } from '../../domain/facts.js';
import type { EntryReason } from '../../domain/ledger.js';

export function creditsMetrics(registry: Registry): CreditsMetrics {
  const factsStored = new Counter({
    name: 'scoring_facts_stored_total',
    help: 'Credit facts stored the first time their source was reported, by source',
    labelNames: ['source'],
    registers: [registry],
  });
  const entriesAppended = new Counter({
    name: 'scoring_ledger_entries_appended_total',
    help: 'Ledger entries appended, by reason',
    labelNames: ['reason'],
    registers: [registry],
  });
  const retries = new Counter({
    name: 'scoring_evaluation_retries_total',
    help: 'Evaluations started again because another evaluation of the holder appended first',
    registers: [registry],
  });
  return {
    factStored: (source: SourceKind) => {
      factsStored.inc({ source });
    },
    entryAppended: (reason: EntryReason) => {
      entriesAppended.inc({ reason });
    },
    evaluationRetried: () => {
      retries.inc();
    },
  };
}
