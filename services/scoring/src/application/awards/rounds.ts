/** The office opens an award round for a year and category, and anyone working on it reads it. */
import { randomUUID } from 'node:crypto';
import type { Principal } from '@learning/auth';
import {
  chinaDateOf,
  domainCall,
  type AwardCategory,
  type CalendarDate,
  type OrganizationKind,
} from '@learning/domain';
import { checkRoundTerms, parseYuan } from '../../domain/awards.js';
import { roundAudit } from './audit.js';
import type { AwardsDeps } from './deps.js';
import { fundingLineNotFound, roundNotFound } from './errors.js';
import type { AwardRound, AwardsStore, Page, RoundQuery } from './ports.js';

export interface CreateRoundRequest {
  readonly year: number;
  readonly category: AwardCategory;
  readonly organizationKind: OrganizationKind | null;
  readonly title: string;
  readonly nominationsClose: CalendarDate;
  readonly places: number;
  readonly materialAwardYuan: string;
  readonly fundingLineId: string | null;
}

export type CreateRound = (
  principal: Principal,
  request: CreateRoundRequest,
) => Promise<AwardRound>;

export const createRound =
  ({ store, fundingLines, audit, clock }: AwardsDeps): CreateRound =>
  async (principal, request) => {
    const now = clock();
    const { materialAwardYuan, ...fields } = request;
    const terms = { ...fields, materialAwardFen: domainCall(() => parseYuan(materialAwardYuan)) };
    domainCall(() => {
      checkRoundTerms(terms, chinaDateOf(now));
    });
    if (terms.fundingLineId !== null) {
      const line = await fundingLines.get(terms.fundingLineId);
      // The year's awards are paid from that year's allocation.
      if (line?.year !== terms.year) throw fundingLineNotFound();
    }
    const round: AwardRound = {
      id: randomUUID(),
      ...terms,
      status: 'open',
      createdBy: principal.subject,
      createdAt: now,
      publishedAt: null,
    };
    await store.createRound(round, [
      roundAudit(audit, principal, 'award_round.create', null, round),
    ]);
    return round;
  };

export type GetRound = (id: string) => Promise<AwardRound>;

export const getRound =
  (store: AwardsStore): GetRound =>
  async (id) => {
    const round = await store.round(id);
    if (round === null) throw roundNotFound();
    return round;
  };

export type ListRounds = (query: RoundQuery) => Promise<Page<AwardRound>>;

/** Every round, newest first: the console's list, where the office and the experts find what to work on. */
export const listRounds =
  (store: AwardsStore): ListRounds =>
  (query) =>
    store.rounds(query);
