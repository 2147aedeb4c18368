/**
 * Brings a holder's ledger for a city year to what its facts and the rules
 * say (decision 0016): read facts, then entries, evaluate, append the
 * differences. Facts are read before entries, so of two evaluations racing
 * for one holder the later reader sees both facts; a refused append means
 * another evaluation got there first, and this one starts again from fresh
 * reads.
 */
import type { CreditFact, HolderRef, SourceKind } from '../../domain/facts.js';
import type { CreditRule } from '../../domain/rules.js';
import { correctionsFor, evaluateFacts } from '../../domain/ledger-evaluation.js';
import type { CreditsMetrics, FactStore, LedgerStore, RuleBook } from './ports.js';

/** Concurrent evaluations of one holder are rare and short; past this, redelivery tries again later. */
export const EVALUATION_ATTEMPTS = 5;

export class EvaluationContendedError extends Error {
  override readonly name = 'EvaluationContendedError';
  constructor() {
    super(
      `another evaluation of the holder kept appending first (${EVALUATION_ATTEMPTS} attempts)`,
    );
  }
}

export interface EvaluateDeps {
  readonly facts: FactStore;
  readonly ledger: LedgerStore;
  readonly rules: RuleBook;
  readonly metrics: CreditsMetrics;
}

async function rulesOf(
  rules: RuleBook,
  facts: readonly CreditFact[],
  year: number,
): Promise<CreditRule[]> {
  const sources = [...new Set<SourceKind>(facts.map((fact) => fact.source))];
  const bySource = await Promise.all(sources.map((source) => rules.rulesFor(source, year)));
  return bySource.flat();
}

export const evaluateHolderYear =
  (deps: EvaluateDeps) =>
  async (holder: HolderRef, year: number): Promise<number> => {
    for (let attempt = 1; attempt <= EVALUATION_ATTEMPTS; attempt += 1) {
      const facts = await deps.facts.ofHolderYear(holder, year);
      const entries = await deps.ledger.entriesOf(holder, year);
      const rules = await rulesOf(deps.rules, facts, year);
      const corrections = correctionsFor(evaluateFacts(facts, rules), entries);
      let appended = 0;
      let contended = false;
      for (const correction of corrections) {
        if ((await deps.ledger.append(correction)) === 'conflict') {
          contended = true;
          break;
        }
        deps.metrics.entryAppended(correction.reason);
        appended += 1;
      }
      if (!contended) return appended;
      deps.metrics.evaluationRetried();
    }
    throw new EvaluationContendedError();
  };

export type EvaluateHolderYear = ReturnType<typeof evaluateHolderYear>;
