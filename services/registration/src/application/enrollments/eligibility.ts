/**
 * Who may sign up for an event as its owner describes it: the audience's tier,
 * area and age rules and, for a members-only event, active membership of one
 * of its organizations. Every refusal at once.
 */
import { Scope } from '@learning/auth';
import {
  checkEligibility,
  membershipRefusal,
  withMembership,
  type Candidate,
  type Eligibility,
} from '../../domain/enrollment.js';
import { chinaDateOf } from '../../domain/participants.js';
import type { CurrentMemberships } from '../memberships/membership-repository.js';
import type { SeatedEventInfo } from './ports.js';

/** A person's own memberships, read for a members-only event wherever its organizations are. */
const MEMBERSHIP_SCOPE = Scope.system('a sign-up for a members-only event');

export async function eligibilityFor(
  memberships: CurrentMemberships,
  info: SeatedEventInfo,
  candidate: Candidate & { readonly participantId: string },
): Promise<Eligibility> {
  const [eligibility] = await eligibilitiesFor(memberships, info, [candidate]);
  if (eligibility === undefined) throw new Error('one candidate was judged, none answered');
  return eligibility;
}

/** Each candidate's eligibility, in the order given; a members-only event costs one read for all. */
export async function eligibilitiesFor(
  memberships: CurrentMemberships,
  info: SeatedEventInfo,
  candidates: readonly (Candidate & { readonly participantId: string })[],
): Promise<Eligibility[]> {
  const { organizationIds, ...audience } = info.audience;
  const rules = { ...audience, eventDate: chinaDateOf(info.startsAt) };
  const judge = (candidate: Candidate): Eligibility => checkEligibility(candidate, rules);
  // Most events are open to an area: only a members-only one costs a read.
  if (organizationIds.length === 0 || candidates.length === 0) return candidates.map(judge);
  const found = await memberships.organizationsOf(
    MEMBERSHIP_SCOPE,
    candidates.map((candidate) => candidate.participantId),
  );
  return candidates.map((candidate) =>
    withMembership(
      judge(candidate),
      membershipRefusal(found.get(candidate.participantId) ?? [], organizationIds),
    ),
  );
}
