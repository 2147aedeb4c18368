/**
 * Evaluation of one holder's year (decision 0016): facts in event-time order,
 * each under the base rule that matches it, cut by the rule's daily and yearly
 * caps, plus campaign bonuses; then the entries that bring the ledger from
 * what it holds to what it should hold. Pure: the same facts and rules always
 * give the same ledger, whatever order the facts arrived in.
 */
import { chinaDateOf, type CalendarDate } from '@learning/domain';
import type { Hundredths } from './credits.js';
import type { CreditFact } from './facts.js';
import type { EntryReason, LedgerEntry } from './ledger.js';
import type { CreditBasis, CreditRule, RuleVersion } from './rules.js';

/** What a fact should hold under one rule. */
export interface DesiredAllotment {
  readonly fact: CreditFact;
  readonly rule: CreditRule;
  readonly version: RuleVersion;
  readonly amount: Hundredths;
}

/** An entry to append; the caller gives it an id and the time it is recorded. */
export type NewLedgerEntry = Omit<LedgerEntry, 'id' | 'recordedAt'>;

/** The version of `rule` in effect on a city date, if any. */
export function versionOn(rule: CreditRule, date: CalendarDate): RuleVersion | null {
  return (
    rule.versions.find(
      (version) =>
        version.effectiveFrom <= date &&
        (version.effectiveTo === null || date <= version.effectiveTo),
    ) ?? null
  );
}

/** Source, category and tier: the parts of a rule that say which facts it speaks of. */
export function ruleMatches(rule: CreditRule, fact: CreditFact): boolean {
  if (rule.source !== fact.source) return false;
  if (
    rule.categories.length > 0 &&
    (fact.category === null || !rule.categories.includes(fact.category))
  )
    return false;
  // Organizations have no tier, so only a rule naming no tier reaches them.
  if (rule.tiers.length > 0 && (fact.tier === null || !rule.tiers.includes(fact.tier)))
    return false;
  return true;
}

/** n / d rounded half up, for n ≥ 0 and d > 0 (integers, so no float drift at the half). */
const divideHalfUp = (n: number, d: number): number => Math.floor((2 * n + d) / (2 * d));

/** What the basis gives a fact before caps. */
export function amountFor(basis: CreditBasis, fact: CreditFact): Hundredths {
  switch (basis.kind) {
    case 'per_occurrence':
      return basis.credits;
    case 'per_hour':
      // Pro rata by the minute: 90 minutes at 1 credit an hour is 1.5.
      return divideHalfUp(basis.credits * fact.minutes, 60);
    case 'per_unit':
      return basis.credits * fact.units;
    case 'by_rank': {
      const { rank } = fact;
      if (rank === null || rank < 1) return 0;
      return basis.bands.find((band) => rank <= band.upToRank)?.credits ?? 0;
    }
  }
}

/** Facts in the order caps apply: event time, then source id so that ties are decided the same way everywhere. */
export function inEventOrder(facts: readonly CreditFact[]): CreditFact[] {
  return [...facts].sort(
    (a, b) =>
      a.occurredAt.getTime() - b.occurredAt.getTime() ||
      (a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : 0),
  );
}

const byId = (a: CreditRule, b: CreditRule): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The desired allotment of every (fact, rule) pair a rule matches, for one
 * holder's facts of one city year. Caps are the rule's: a day's cap counts
 * every fact of the rule that day, whichever version credited it, against the
 * cap of the version in effect for the fact at hand.
 */
export function evaluateFacts(
  facts: readonly CreditFact[],
  rules: readonly CreditRule[],
): DesiredAllotment[] {
  const base = rules.filter((rule) => rule.kind === 'base').sort(byId);
  const bonuses = rules.filter((rule) => rule.kind === 'bonus').sort(byId);
  const usedByDay = new Map<string, Hundredths>();
  const usedByYear = new Map<string, Hundredths>();
  const desired: DesiredAllotment[] = [];

  for (const fact of inEventOrder(facts)) {
    const date = chinaDateOf(fact.occurredAt);
    // Overlapping base rules are refused when written; should two match anyway, the lowest id wins.
    let match: { rule: CreditRule; version: RuleVersion } | null = null;
    for (const rule of base) {
      const version = ruleMatches(rule, fact) ? versionOn(rule, date) : null;
      if (version !== null) {
        match = { rule, version };
        break;
      }
    }
    if (match === null) continue;

    const { rule, version } = match;
    let amount = 0;
    if (fact.withdrawnAt === null) {
      const dayKey = `${rule.id}|${date}`;
      const usedToday = usedByDay.get(dayKey) ?? 0;
      const usedThisYear = usedByYear.get(rule.id) ?? 0;
      amount = amountFor(version.basis, fact);
      if (version.dailyCap !== null) amount = Math.min(amount, version.dailyCap - usedToday);
      if (version.yearlyCap !== null) amount = Math.min(amount, version.yearlyCap - usedThisYear);
      amount = Math.max(0, amount);
      usedByDay.set(dayKey, usedToday + amount);
      usedByYear.set(rule.id, usedThisYear + amount);
    }
    desired.push({ fact, rule, version, amount });

    for (const bonus of bonuses) {
      if (bonus.campaignId === null || bonus.campaignId !== fact.campaignId) continue;
      const bonusVersion = ruleMatches(bonus, fact) ? versionOn(bonus, date) : null;
      if (bonusVersion === null) continue;
      desired.push({
        fact,
        rule: bonus,
        version: bonusVersion,
        // Bonuses are not capped: the campaign office sets them to encourage exactly this.
        amount: divideHalfUp(amount * (bonusVersion.bonusPercent ?? 0), 100),
      });
    }
  }
  return desired;
}

interface PairState {
  amount: Hundredths;
  minutes: number;
  entries: number;
  last: LedgerEntry;
}

const pairKey = (ruleId: string, sourceId: string): string => `${ruleId}|${sourceId}`;

type EntryTemplate = Omit<NewLedgerEntry, 'revision' | 'amount' | 'reason' | 'minutes'>;

/**
 * The entries to append so that every pair's sum equals its desired amount.
 * A pair the ledger holds but evaluation no longer allots is brought to 0.
 * Minutes go on the base rule's pairs only (a bonus is not more learning):
 * the fact's minutes on the entry that makes a pair positive, their negation
 * on the one that brings it back to 0, so minute sums stay honest.
 */
export function correctionsFor(
  desired: readonly DesiredAllotment[],
  currentEntries: readonly LedgerEntry[],
): NewLedgerEntry[] {
  const current = new Map<string, PairState>();
  for (const entry of [...currentEntries].sort((a, b) => a.revision - b.revision)) {
    const key = pairKey(entry.ruleId, entry.sourceId);
    const state = current.get(key);
    if (state === undefined)
      current.set(key, { amount: entry.amount, minutes: entry.minutes, entries: 1, last: entry });
    else {
      state.amount += entry.amount;
      state.minutes += entry.minutes;
      state.entries += 1;
      state.last = entry;
    }
  }

  const corrections: NewLedgerEntry[] = [];
  const seen = new Set<string>();
  const append = (
    key: string,
    template: EntryTemplate,
    target: Hundredths,
    withdrawn: boolean,
    factMinutes: number,
  ): void => {
    const state = current.get(key);
    const held = state?.amount ?? 0;
    if (target === held) return;
    const heldMinutes = state?.minutes ?? 0;
    const entries = state?.entries ?? 0;
    const minutes = target > 0 && heldMinutes === 0 ? factMinutes : target === 0 ? -heldMinutes : 0;
    const reason: EntryReason =
      entries === 0 ? 'awarded' : withdrawn ? 'source_withdrawn' : 'cap_reevaluated';
    corrections.push({
      ...template,
      revision: entries + 1,
      amount: target - held,
      reason,
      minutes,
    });
  };

  for (const { fact, rule, version, amount } of desired) {
    const key = pairKey(rule.id, fact.sourceId);
    seen.add(key);
    append(
      key,
      {
        holder: fact.holder,
        year: fact.year,
        ruleId: rule.id,
        ruleVersion: version.version,
        source: fact.source,
        sourceId: fact.sourceId,
        sourceEventId: fact.sourceEventId,
        occurredAt: fact.occurredAt,
        category: fact.category,
        tier: fact.tier,
        campaignId: fact.campaignId,
        jurisdictionPath: fact.jurisdictionPath,
        organizationIds: fact.organizationIds,
        title: fact.title,
      },
      amount,
      fact.withdrawnAt !== null,
      rule.kind === 'base' ? fact.minutes : 0,
    );
  }

  const withdrawnSources = new Set(
    desired.filter(({ fact }) => fact.withdrawnAt !== null).map(({ fact }) => fact.sourceId),
  );
  for (const [key, state] of current) {
    if (seen.has(key)) continue;
    const { last } = state;
    const template: EntryTemplate = {
      holder: last.holder,
      year: last.year,
      ruleId: last.ruleId,
      ruleVersion: last.ruleVersion,
      source: last.source,
      sourceId: last.sourceId,
      sourceEventId: last.sourceEventId,
      occurredAt: last.occurredAt,
      category: last.category,
      tier: last.tier,
      campaignId: last.campaignId,
      jurisdictionPath: last.jurisdictionPath,
      organizationIds: last.organizationIds,
      title: last.title,
    };
    append(key, template, 0, withdrawnSources.has(state.last.sourceId), 0);
  }
  return corrections;
}
