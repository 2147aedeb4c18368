import { randomUUID } from 'node:crypto';
import { createGrpcClient, type GrpcClient } from '@learning/grpc';
import { activities, common } from '@learning/proto';
import { captureLogger, describeWithServers } from '@learning/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CITY, T1, T1_V1, T2 } from '../support/activities.js';
import { learningMonth } from '../support/campaigns.js';
import { useActivitiesStack } from '../support/stack.js';

/** Next year: far enough ahead that launching never meets an ended campaign. */
const NEXT_YEAR = new Date().getUTCFullYear() + 1;

describeWithServers(['mongo', 'kafka', 'redis'], 'activities directory services', (servers) => {
  const stack = useActivitiesStack(servers);
  let admin: string;
  let venueClient: GrpcClient<typeof activities.VenueDirectoryServiceService>;
  let campaignClient: GrpcClient<typeof activities.CampaignDirectoryServiceService>;

  beforeAll(async () => {
    admin = await stack.token({ subject: 'city-admin', roles: ['city_admin'], cityWide: true });
    const service = await stack.token({
      subject: 'service:lectures',
      roles: ['service'],
      service: 'lectures',
      cityWide: true,
    });
    const options = {
      address: `127.0.0.1:${stack.activities.ports.grpcPort}`,
      logger: captureLogger('directory-client').logger,
      tokenProvider: () => service,
    };
    venueClient = createGrpcClient(activities.VenueDirectoryServiceClient, {
      ...options,
      idempotentMethods: ['getVenues'],
    });
    campaignClient = createGrpcClient(activities.CampaignDirectoryServiceClient, {
      ...options,
      idempotentMethods: ['getCampaign'],
    });
  });

  afterAll(() => {
    venueClient.close();
    campaignClient.close();
  });

  async function addVenue(body: Record<string, unknown>): Promise<{ id: string }> {
    const response = await stack.activities.send('POST', '/v1/venues', admin, body);
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string };
  }

  async function createCampaign(year: number, launch: boolean): Promise<string> {
    const created = await stack.activities.send(
      'POST',
      '/v1/campaigns',
      admin,
      learningMonth(year),
    );
    expect(created.status, await created.clone().text()).toBe(201);
    const { id } = (await created.json()) as { id: string };
    if (launch) {
      const launched = await stack.activities.send('POST', `/v1/campaigns/${id}:launch`, admin, {});
      expect(launched.status, await launched.clone().text()).toBe(200);
    }
    return id;
  }

  it('when venues are asked for in a batch, then the known ones come back with their place and unknown ids are absent', async () => {
    const hall = await addVenue({
      name: '第一街道文化礼堂',
      address: '人民路1号',
      jurisdictionCode: T1_V1,
    });
    const square = await addVenue({ name: '第二街道广场', jurisdictionCode: T2 });

    const response = await venueClient.call.getVenues({
      venueIds: [hall.id, square.id, randomUUID(), 'not-an-id', hall.id],
    });

    const byId = new Map(response.venues.map((venue) => [venue.venueId, venue]));
    expect(response.venues).toHaveLength(2);
    expect(byId.get(hall.id)).toEqual({
      venueId: hall.id,
      name: '第一街道文化礼堂',
      address: '人民路1号',
      jurisdictionPath: [CITY, T1, T1_V1],
    });
    expect(byId.get(square.id)).toEqual({
      venueId: square.id,
      name: '第二街道广场',
      address: '',
      jurisdictionPath: [CITY, T2],
    });
  });

  it('when no ids or more than 100 are asked for, then the answer is INVALID_ARGUMENT VENUE_IDS_INVALID', async () => {
    for (const venueIds of [[], Array.from({ length: 101 }, () => randomUUID())]) {
      await expect(venueClient.call.getVenues({ venueIds })).rejects.toMatchObject({
        kind: 'invalid_argument',
        code: 'VENUE_IDS_INVALID',
      });
    }
  });

  it('when a launched campaign is asked for, then its title, status, owner, scope, dates, tiers and categories come back', async () => {
    const id = await createCampaign(NEXT_YEAR, true);

    const { campaign } = await campaignClient.call.getCampaign({ campaignId: id });

    expect(campaign).toEqual({
      campaignId: id,
      title: `${NEXT_YEAR} 全民学习月`,
      status: activities.CampaignStatus.CAMPAIGN_STATUS_LAUNCHED,
      ownerDepartment: 'xuanchuan-bu',
      scopePath: [CITY],
      startsOn: `${NEXT_YEAR}-04-01`,
      endsOn: `${NEXT_YEAR}-04-30`,
      targetTiers: [common.Tier.TIER_ORDINARY_CITIZEN, common.Tier.TIER_ORDINARY_CADRE],
      categories: [
        common.ContentCategory.CONTENT_CATEGORY_SCIENCE_CULTURE_SKILLS,
        common.ContentCategory.CONTENT_CATEGORY_ETHICS_ETIQUETTE,
      ],
    });
  });

  it('when a draft, an unknown or a malformed campaign id is asked for, then the answer is NOT_FOUND', async () => {
    const draft = await createCampaign(NEXT_YEAR + 1, false);

    for (const campaignId of [draft, randomUUID(), 'nope']) {
      await expect(campaignClient.call.getCampaign({ campaignId })).rejects.toMatchObject({
        kind: 'not_found',
        code: 'CAMPAIGN_NOT_FOUND',
      });
    }
  });
});
