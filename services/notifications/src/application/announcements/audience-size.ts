/** How many people an announcement would reach now: the figure the office sees before sending. */
import type { Principal } from '@learning/auth';
import type { Audience, AudienceCriteria, Jurisdictions } from '@learning/registration-client';
import { checkAudienceScope } from './scope.js';

export type AudienceSize = (principal: Principal, criteria: AudienceCriteria) => Promise<number>;

export const audienceSize =
  (deps: { readonly jurisdictions: Jurisdictions; readonly audience: Audience }): AudienceSize =>
  async (principal, criteria) => {
    await checkAudienceScope(deps.jurisdictions, principal, criteria);
    return deps.audience.count(criteria);
  };
