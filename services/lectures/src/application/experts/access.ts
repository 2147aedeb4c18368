/**
 * Who reaches an expert's full record: the campaign office (city admins)
 * any, an expert their own (token subject = the record's account subject);
 * an expert asking for another's is refused with 403 EXPERT_NOT_OWN.
 */
import type { Principal } from '@learning/auth';
import { EXPERT_NOT_OWN, expertErrors, expertNotFound } from './errors.js';
import type { ExpertRepository, StoredExpert } from './ports.js';

export const isExpertOffice = (principal: Principal): boolean =>
  principal.roles.includes('city_admin');

export async function findReachable(
  experts: ExpertRepository,
  principal: Principal,
  id: string,
): Promise<StoredExpert> {
  const expert = await experts.get(id);
  if (expert === null) throw expertNotFound();
  if (!isExpertOffice(principal) && expert.accountSubject !== principal.subject)
    throw expertErrors.error(
      EXPERT_NOT_OWN,
      'An expert reads their own profile and sessions only (GET /v1/experts/me).',
    );
  return expert;
}

/** The caller's own record; EXPERT_NOT_FOUND when they are not in the pool. */
export async function findOwn(
  experts: ExpertRepository,
  principal: Principal,
): Promise<StoredExpert> {
  const expert = await experts.byAccount(principal.subject);
  if (expert === null) throw expertNotFound();
  return expert;
}
