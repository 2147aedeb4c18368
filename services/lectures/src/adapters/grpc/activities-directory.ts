/**
 * Activities' answers over gRPC (decision 0015): venues of its catalogue,
 * kept in memory for a minute (they change rarely, and every session list
 * and check reads them), and campaigns, never cached (launching or closing
 * one applies at once to what may join it).
 */
import { contentCategoryMapping, tierMapping } from '@learning/contracts';
import type { ContentCategory, Tier } from '@learning/domain';
import { AppError } from '@learning/errors';
import { createGrpcClient, type GrpcClient } from '@learning/grpc';
import type { Logger } from '@learning/logger';
import { activities } from '@learning/proto';
import { LRUCache } from 'lru-cache';
import type {
  CampaignSummary,
  Campaigns,
  CatalogueVenue,
  Venues,
} from '../../application/ports.js';

const DEADLINE_MS = 2_000;
/** The most ids one GetVenues takes. */
const BATCH = 100;
/** Venues held in memory at most; a city has a few thousand. */
const CACHE_MAX = 10_000;

export interface ActivitiesDirectoryOptions {
  /** `host:port` */
  readonly address: string;
  readonly logger: Logger;
  /** How long a venue's answer is reused. */
  readonly venueTtlMs: number;
  readonly tokenProvider?: () => Promise<string> | string;
  /** The cache's clock, for tests. */
  readonly now?: () => number;
}

/** What the venue cache asks: GetVenues (the gRPC client's, or a test's). */
export interface VenueLookup {
  readonly call: Pick<
    GrpcClient<typeof activities.VenueDirectoryServiceService>['call'],
    'getVenues'
  >;
}
type CampaignClient = GrpcClient<typeof activities.CampaignDirectoryServiceService>;

/** Venues by id, each answer reused for `ttlMs`; an unknown id is asked again next time. */
export class CachedVenues implements Venues {
  private readonly cache: LRUCache<string, CatalogueVenue>;

  constructor(
    private readonly client: VenueLookup,
    ttlMs: number,
    now?: () => number,
  ) {
    this.cache = new LRUCache<string, CatalogueVenue>({
      max: CACHE_MAX,
      ttl: ttlMs,
      ttlResolution: 0,
      ...(now === undefined ? {} : { perf: { now } }),
    });
  }

  async find(ids: readonly string[]): Promise<ReadonlyMap<string, CatalogueVenue>> {
    const found = new Map<string, CatalogueVenue>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const cached = this.cache.get(id);
      if (cached === undefined) missing.push(id);
      else found.set(id, cached);
    }
    for (let start = 0; start < missing.length; start += BATCH) {
      const response = await this.client.call.getVenues({
        venueIds: missing.slice(start, start + BATCH),
      });
      for (const message of response.venues) {
        const venue: CatalogueVenue = {
          id: message.venueId,
          name: message.name,
          address: message.address === '' ? null : message.address,
          jurisdictionPath: [...message.jurisdictionPath],
        };
        this.cache.set(venue.id, venue);
        found.set(venue.id, venue);
      }
    }
    return found;
  }
}

const STATUSES: Partial<Record<activities.CampaignStatus, CampaignSummary['status']>> = {
  [activities.CampaignStatus.CAMPAIGN_STATUS_LAUNCHED]: 'launched',
  [activities.CampaignStatus.CAMPAIGN_STATUS_CLOSED]: 'closed',
};

const known = <T>(values: readonly (T | undefined)[]): T[] =>
  values.filter((value): value is T => value !== undefined);

class GrpcCampaigns implements Campaigns {
  constructor(private readonly client: CampaignClient) {}

  async find(id: string): Promise<CampaignSummary | null> {
    let message: activities.Campaign | undefined;
    try {
      ({ campaign: message } = await this.client.call.getCampaign({ campaignId: id }));
    } catch (error) {
      if (error instanceof AppError && error.kind === 'not_found') return null;
      throw error;
    }
    const status = message === undefined ? undefined : STATUSES[message.status];
    if (message === undefined || status === undefined)
      throw new AppError(
        'internal',
        'UPSTREAM_FAILED',
        'Activities described a campaign incompletely.',
      );
    return {
      id: message.campaignId,
      title: message.title,
      status,
      ownerDepartment: message.ownerDepartment,
      scopePath: [...message.scopePath],
      startsOn: message.startsOn,
      endsOn: message.endsOn,
      targetTiers: known<Tier>(message.targetTiers.map((tier) => tierMapping.fromProto(tier))),
      categories: known<ContentCategory>(
        message.categories.map((category) => contentCategoryMapping.fromProto(category)),
      ),
    };
  }
}

export interface ActivitiesDirectory {
  readonly venues: Venues;
  readonly campaigns: Campaigns;
  close(): void;
}

/** Both of activities' directory services, on one address, deadline and token. */
export function connectActivitiesDirectory(
  options: ActivitiesDirectoryOptions,
): ActivitiesDirectory {
  const common = {
    address: options.address,
    logger: options.logger,
    deadlineMs: DEADLINE_MS,
    ...(options.tokenProvider === undefined ? {} : { tokenProvider: options.tokenProvider }),
  };
  const venueClient = createGrpcClient(activities.VenueDirectoryServiceClient, {
    ...common,
    idempotentMethods: ['getVenues'],
  });
  const campaignClient = createGrpcClient(activities.CampaignDirectoryServiceClient, {
    ...common,
    idempotentMethods: ['getCampaign'],
  });
  return {
    venues: new CachedVenues(venueClient, options.venueTtlMs, options.now),
    campaigns: new GrpcCampaigns(campaignClient),
    close() {
      venueClient.close();
      campaignClient.close();
    },
  };
}
