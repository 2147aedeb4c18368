/**
 * Nominating an organization or a person for a round, with the evidence
 * gathered for them: an organization's current assessment of the year, a
 * person's credits, learning time and completed trainings from the ledger.
 */
import { randomUUID } from 'node:crypto';
import type { Principal } from '@learning/auth';
import { chinaDateOf, domainCall } from '@learning/domain';
import {
  checkNomination,
  checkStanding,
  type AssessmentEvidence,
  type NomineeKind,
} from '../../domain/awards.js';
import { mayNominate } from './access.js';
import type { AwardsDeps } from './deps.js';
import { nomineeNotFound, roundNotFound } from './errors.js';
import type { Evidence, Nomination, Nominee } from './ports.js';

export interface NominateRequest {
  readonly nomineeKind: NomineeKind;
  readonly nomineeId: string;
  readonly statement: string;
}

export type Nominate = (
  principal: Principal,
  roundId: string,
  request: NominateRequest,
) => Promise<Nomination>;

export const nominate =
  ({ store, directory, assessments, personYears, clock }: AwardsDeps): Nominate =>
  async (principal, roundId, request) => {
    const now = clock();
    const round = await store.round(roundId);
    if (round === null) throw roundNotFound();
    const nominee = await directory.find(request.nomineeKind, request.nomineeId);
    // Someone the caller may not nominate reads as unknown, so nomination does not probe registration.
    if (nominee === undefined || !mayNominate(principal, nominee)) throw nomineeNotFound();
    domainCall(() => {
      checkNomination(round, nominee, chinaDateOf(now));
    });
    const evidence = await evidenceOf(nominee, round.year, { assessments, personYears });
    if (round.category === 'exemplary_organization')
      domainCall(() => {
        checkStanding(evidence.assessment ?? undefined);
      });
    const nomination: Nomination = {
      id: randomUUID(),
      roundId,
      nominee,
      statement: request.statement,
      evidence,
      nominatedBy: principal.subject,
      reviews: [],
      recusals: [],
      createdAt: now,
    };
    await store.createNomination(nomination);
    return nomination;
  };

async function evidenceOf(
  nominee: Nominee,
  year: number,
  { assessments, personYears }: Pick<AwardsDeps, 'assessments' | 'personYears'>,
): Promise<Evidence> {
  if (nominee.kind === 'person')
    return { assessment: null, person: await personYears.of(nominee.id, year) };
  const summary = await assessments.current('organization', nominee.id, year);
  const assessment: AssessmentEvidence | null =
    summary === undefined
      ? null
      : {
          assessmentId: summary.assessmentId,
          locked: summary.status === 'locked',
          passed: summary.passed,
          score: summary.score,
          rank: summary.rank,
          rankedOutOf: summary.rankedOutOf,
        };
  return { assessment, person: null };
}
