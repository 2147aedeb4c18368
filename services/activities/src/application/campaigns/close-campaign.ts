/** The owner closes a launched campaign once its last day is over; its figures stay readable. */
import { assertMayClose } from '../../domain/recurrence.js';
import { moveCampaign, type CampaignTransitionDeps } from './status-move.js';

export function closeCampaign(deps: CampaignTransitionDeps) {
  return moveCampaign(deps, {
    action: 'campaign.close',
    assertMay: (campaign, now) => {
      assertMayClose(campaign.status, campaign.endsOn, now);
    },
    set: (subject, now) => ({ status: 'closed', closedAt: now, closedBy: subject }),
  });
}

export type CloseCampaign = ReturnType<typeof closeCampaign>;
