/**
 * learning.activities.v1.VenueDirectoryService and CampaignDirectoryService:
 * the venue catalogue (decision 0015) and public campaigns, for the services
 * that hold events at these venues or count them toward these campaigns
 * (lectures). Drafts are NOT_FOUND, as their owners alone may see them.
 */
import { contentCategoryMapping, tierMapping } from '@learning/contracts';
import type { GrpcServer } from '@learning/grpc';
import { isUuid } from '@learning/http';
import { activities } from '@learning/proto';
import { activityErrors, VENUE_IDS_INVALID } from '../../application/activities/errors.js';
import type { VenueCatalogue } from '../../application/activities/venues.js';
import { campaignNotFound } from '../../application/campaigns/errors.js';
import type { CampaignDirectory, CampaignSummary } from '../../application/ports.js';

/** One batch: a session list page names at most this many venues. */
export const MAX_VENUE_IDS = 100;

const STATUSES: Readonly<Record<'launched' | 'closed', activities.CampaignStatus>> = {
  launched: activities.CampaignStatus.CAMPAIGN_STATUS_LAUNCHED,
  closed: activities.CampaignStatus.CAMPAIGN_STATUS_CLOSED,
};

const campaignOf = (
  campaign: CampaignSummary & { status: 'launched' | 'closed' },
): activities.Campaign => ({
  campaignId: campaign.id,
  title: campaign.title,
  status: STATUSES[campaign.status],
  ownerDepartment: campaign.ownerDepartment,
  scopePath: [...campaign.scopePath],
  startsOn: campaign.startsOn,
  endsOn: campaign.endsOn,
  targetTiers: campaign.targetTiers.map((tier) => tierMapping.toProto(tier)),
  categories: campaign.categories.map((category) => contentCategoryMapping.toProto(category)),
});

export function registerDirectoryServices(
  grpc: GrpcServer,
  deps: { venues: Pick<VenueCatalogue, 'findMany'>; campaigns: CampaignDirectory },
): void {
  grpc.addService(activities.VenueDirectoryServiceService, {
    async getVenues(request) {
      const ids = [...new Set(request.venueIds)];
      if (ids.length === 0 || ids.length > MAX_VENUE_IDS)
        throw activityErrors.error(
          VENUE_IDS_INVALID,
          `Ask for 1 to ${MAX_VENUE_IDS} venue ids at a time.`,
        );
      // An id that cannot be a venue's is simply not found, like any unknown one.
      const found = await deps.venues.findMany(ids.filter(isUuid));
      return {
        venues: found.map((venue) => ({
          venueId: venue.id,
          name: venue.name,
          address: venue.address ?? '',
          jurisdictionPath: [...venue.jurisdictionPath],
        })),
      };
    },
  });

  grpc.addService(activities.CampaignDirectoryServiceService, {
    async getCampaign(request) {
      const campaign = isUuid(request.campaignId)
        ? await deps.campaigns.find(request.campaignId)
        : null;
      if (campaign === null || campaign.status === 'draft') throw campaignNotFound();
      return { campaign: campaignOf({ ...campaign, status: campaign.status }) };
    },
  });
}
