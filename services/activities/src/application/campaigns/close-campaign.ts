/** The owner closes a launched campaign once its last day is over; its figures stay readable. */
import { domainCall } from '@learning/domain';
import { actorOf } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { assertMayClose } from '../../domain/recurrence.js';
import { findManaged } from './access.js';
import type { StoredCampaign } from './campaign-repository.js';

import { auditViewOf } from './events.js';
import {
  assertVersion,
  type CampaignTransitionDeps,
  type CampaignTransitionRequest,
} from './launch-campaign.js';

export function closeCampaign(deps: CampaignTransitionDeps) {
  return async (
    principal: Principal,
    id: string,
    request: CampaignTransitionRequest,
  ): Promise<StoredCampaign> => {
    const campaign = await findManaged(deps.campaigns, principal, id);
    assertVersion(campaign, request.version);
    const now = deps.clock();
    domainCall(() => {
      assertMayClose(campaign.status, campaign.endsOn, now);
    });
    const after: StoredCampaign = {
      ...campaign,
      status: 'closed',
      closedAt: now,
      closedBy: principal.subject,
    };
    return deps.campaigns.change({
      id,
      expectedVersion: campaign.version,
      updatedAt: now,
      set: { status: 'closed', closedAt: now, closedBy: principal.subject },
      events: [
        deps.audit.entry({
          actor: actorOf(principal),
          action: 'campaign.close',
          entityType: 'campaign',
          entityId: id,
          jurisdictionPath: campaign.jurisdictionPath,
          before: auditViewOf(campaign),
          after: auditViewOf(after),
        }),
      ],
    });
  };
}

export type CloseCampaign = ReturnType<typeof closeCampaign>;
