/**
 * Activities and contests may join a campaign: it must exist, be open and
 * cover the place where they are held. Each answers with its own codes.
 */
import { AppError } from '@learning/errors';
import { isWithin } from '@learning/domain';
import {
  ACTIVITY_CAMPAIGN_CLOSED,
  ACTIVITY_CAMPAIGN_UNKNOWN,
  ACTIVITY_OUTSIDE_CAMPAIGN_SCOPE,
} from './activities/errors.js';
import {
  CONTEST_CAMPAIGN_CLOSED,
  CONTEST_CAMPAIGN_UNKNOWN,
  CONTEST_OUTSIDE_CAMPAIGN_SCOPE,
} from './contests/errors.js';
import { invalidAt } from './errors.js';
import type { CampaignDirectory } from './ports.js';

const MEMBERS = {
  activity: {
    unknown: ACTIVITY_CAMPAIGN_UNKNOWN,
    closed: ACTIVITY_CAMPAIGN_CLOSED,
    outside: ACTIVITY_OUTSIDE_CAMPAIGN_SCOPE,
    closedMessage: 'That campaign is closed; activities can no longer join it.',
    outsideMessage: "The activity is held outside the campaign's area.",
  },
  contest: {
    unknown: CONTEST_CAMPAIGN_UNKNOWN,
    closed: CONTEST_CAMPAIGN_CLOSED,
    outside: CONTEST_OUTSIDE_CAMPAIGN_SCOPE,
    closedMessage: 'That campaign is closed; contests can no longer join it.',
    outsideMessage: "The contest is run outside the campaign's area.",
  },
} as const;

export async function checkCampaignMembership(
  campaigns: CampaignDirectory,
  member: keyof typeof MEMBERS,
  campaignId: string | null,
  jurisdictionPath: readonly string[],
): Promise<void> {
  if (campaignId === null) return;
  const codes = MEMBERS[member];
  const campaign = await campaigns.find(campaignId);
  if (campaign === null)
    throw invalidAt(codes.unknown, 'There is no campaign with that id.', '/campaignId');
  if (campaign.status === 'closed')
    throw new AppError('failed_precondition', codes.closed, codes.closedMessage);
  const root = campaign.scopePath.at(-1);
  if (root !== undefined && !isWithin(jurisdictionPath, [root]))
    throw invalidAt(codes.outside, codes.outsideMessage, '/campaignId');
}
