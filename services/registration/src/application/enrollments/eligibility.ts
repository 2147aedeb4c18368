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
  const { organizationIds, ...audience } = info.audience;
  const eligibility = checkEligibility(candidate, {
    ...audience,
    eventDate: chinaDateOf(info.startsAt),
  });
  // Most events are open to an area: only a members-only one costs a read.
  if (organizationIds.length === 0) return eligibility;
  const found = await memberships.organizationsOf(MEMBERSHIP_SCOPE, [candidate.participantId]);
  return withMembership(
    eligibility,
    membershipRefusal(found.get(candidate.participantId) ?? [], organizationIds),
  );
}
