/**
 * The owner launches a draft: from then on activities may join it.
 * CampaignLaunched (one for the campaign, one per tier's sub-campaign) and
 * the audit record are written with the new status in one update, so the
 * events are published exactly when the launch is stored.
 */
import { assertMayLaunch } from '../../domain/recurrence.js';
import { launchedEventsOf } from './events.js';
import { moveCampaign, type CampaignTransitionDeps } from './status-move.js';

export function launchCampaign(deps: CampaignTransitionDeps) {
  return moveCampaign(deps, {
    action: 'campaign.launch',
    assertMay: (campaign, now) => {
      assertMayLaunch(campaign.status, campaign.endsOn, now);
    },
    set: (subject, now) => ({ status: 'launched', launchedAt: now, launchedBy: subject }),
    events: launchedEventsOf,
  });
}

export type LaunchCampaign = ReturnType<typeof launchCampaign>;
