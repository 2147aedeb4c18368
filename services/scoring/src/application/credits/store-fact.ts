/** What every source does once its event is a fact: store it once, then evaluate its holder's year. */
import { chinaYearOf, type ContentCategory } from '@learning/domain';
import { contentCategoryMapping } from '@learning/contracts';
import { PermanentEventError } from '@learning/events';
import type { common } from '@learning/proto';
import type { CreditFact } from '../../domain/facts.js';
import type { ErasedParticipants } from '../consents/consents.js';
import type { EvaluateHolderYear } from './evaluate-holder-year.js';
import type { CreditsMetrics, FactStore, HolderDirectory, HolderPlace } from './ports.js';

/** A consumed event as the sources read it: its id (the fact's `sourceEventId`), time and payload. */
export interface SourceEvent<T> {
  readonly id: string;
  readonly time: string;
  readonly data: T;
}

export interface SourceDeps {
  readonly facts: FactStore;
  readonly directory: HolderDirectory;
  readonly metrics: CreditsMetrics;
  readonly evaluate: EvaluateHolderYear;
  /** Persons whose data was erased here (closed accounts): a late event about them is dropped. */
  readonly erased: ErasedParticipants;
}

/** Records total by the first category a source names (decision 0016). */
export const firstCategory = (
  categories: readonly common.ContentCategory[],
): ContentCategory | null =>
  categories[0] === undefined ? null : (contentCategoryMapping.fromProto(categories[0]) ?? null);

export function required<T>(value: T | undefined | null | '', what: string): T {
  if (value === undefined || value === null || value === '')
    throw new PermanentEventError(`${what} is missing`);
  return value;
}

/**
 * What a source states of its fact. The rest defaults to "not counted in
 * that way" (no category, tier, minutes, units, rank or campaign), not
 * withdrawn, and the city year of `occurredAt`.
 */
export type StatedFact = Pick<
  CreditFact,
  | 'sourceId'
  | 'source'
  | 'holder'
  | 'sourceEventId'
  | 'occurredAt'
  | 'jurisdictionPath'
  | 'organizationIds'
  | 'title'
> &
  Partial<Pick<CreditFact, 'category' | 'tier' | 'minutes' | 'units' | 'rank' | 'campaignId'>>;

export const factOf = (stated: StatedFact): CreditFact => ({
  category: null,
  tier: null,
  minutes: 0,
  units: 0,
  rank: null,
  campaignId: null,
  ...stated,
  year: chinaYearOf(stated.occurredAt),
  withdrawnAt: null,
});

/** Events carry "no campaign" as an empty string. */
export const campaignOf = (campaignId: string | undefined): string | null =>
  campaignId === undefined || campaignId === '' ? null : campaignId;

/**
 * Whether the person closed their account and scoring erased their data: a
 * late event about them (an attendance recorded after the erasure) is
 * dropped, not stored again nor dead-lettered.
 */
export const isErasedPerson = (deps: SourceDeps, participantId: string): Promise<boolean> =>
  deps.erased.isErased(participantId);

export async function personPlace(deps: SourceDeps, participantId: string): Promise<HolderPlace> {
  const place = await deps.directory.person(participantId);
  // Registration published the id, so it cannot be unknown there but by a lost record: replay once restored.
  if (place === null) throw new PermanentEventError('a participant registration does not know');
  return place;
}

export async function organizationPlace(
  deps: SourceDeps,
  organizationId: string,
): Promise<HolderPlace> {
  const place = await deps.directory.organization(organizationId);
  if (place === null) throw new PermanentEventError('an organization registration does not know');
  return place;
}

/**
 * Stores the fact (a replay finds it) and evaluates in any case: after a
 * crash between the two, the redelivery is what completes the ledger.
 */
export async function storeAndEvaluate(deps: SourceDeps, stated: StatedFact): Promise<void> {
  const fact = factOf(stated);
  if ((await deps.facts.record(fact)) === 'stored') deps.metrics.factStored(fact.source);
  await deps.evaluate(fact.holder, fact.year);
}
