/**
 * What scoring reads of an activity, end to end: registration's GetSeatedEvent
 * (carried onto attendance) and ActivityCompleted name its categories, its
 * campaign and the minutes of learning its sessions held. The app runs on a
 * clock the test moves, so a series of real lengths can be held and completed.
 */
import { activityEvents } from '@learning/contracts';
import { createGrpcClient } from '@learning/grpc';
import { topics } from '@learning/events';
import { activities, common, seating } from '@learning/proto';
import {
  captureLogger,
  describeWithServers,
  uniqueName,
  watchTopics,
  type TopicWatch,
} from '@learning/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { about, CITY, eventOf, HOUR, T1, T1_V1 } from '../support/activities.js';
import { learningMonth } from '../support/campaigns.js';
import { useActivitiesReplica, useActivitiesStack } from '../support/stack.js';

const DAY = 24 * HOUR;
const MINUTE = 60_000;

describeWithServers(['mongo', 'kafka', 'redis'], 'what scoring reads of activities', (servers) => {
  const stack = useActivitiesStack(servers);
  /** "Now" for the app under test; the wall clock when unset. */
  let now: Date | undefined;
  const app = useActivitiesReplica(servers, stack, {
    clock: () => now ?? new Date(),
    environment: { MONGODB_DATABASE: uniqueName('activities-scoring-facts') },
  });
  let watch: TopicWatch;
  let admin: string;
  let service: string;

  beforeAll(async () => {
    watch = await watchTopics(servers.kafka, [topics.activitiesActivities.name]);
    admin = await stack.token({ subject: 'city-admin', roles: ['city_admin'], cityWide: true });
    service = await stack.token({
      subject: 'service:registration',
      roles: ['service'],
      service: 'registration',
      cityWide: true,
    });
  });
  afterAll(async () => {
    await watch.stop();
  });

  async function send(method: string, path: string, body?: unknown): Promise<{ id: string }> {
    const response = await app.send(method, path, admin, body);
    const text = await response.text();
    expect(response.status, text).toBeLessThan(300);
    return JSON.parse(text) as { id: string };
  }

  it('when a campaign’s series of sessions is held, then GetSeatedEvent and ActivityCompleted carry its categories, campaign and every session’s minutes', async () => {
    const campaign = await send(
      'POST',
      '/v1/campaigns',
      learningMonth(new Date().getUTCFullYear() + 1),
    );
    // 90 minutes, a week's gap, then 45 minutes and 30 seconds: 135 whole minutes of learning.
    const base = Date.now() + DAY;
    const first = { start: base, end: base + 90 * MINUTE };
    const second = { start: base + 7 * DAY, end: base + 7 * DAY + 45 * MINUTE + 30_000 };
    const iso = (ms: number) => new Date(ms).toISOString();
    const activity = await send('POST', '/v1/activities', {
      title: '家风家训读书会',
      description: '每周一次',
      kind: 'reading_club',
      organizer: { kind: 'department', department: 'wenming-ban' },
      jurisdictionCode: T1_V1,
      venue: { name: '村文化礼堂' },
      schedule: {
        sessions: [
          { start: iso(second.start), end: iso(second.end) },
          { start: iso(first.start), end: iso(first.end) },
        ],
      },
      capacity: 30,
      targetTiers: ['ordinary_citizen', 'ordinary_cadre'],
      categories: ['ethics_etiquette', 'science_culture_skills'],
      campaignId: campaign.id,
    });
    await send('POST', `/v1/activities/${activity.id}:publish`, {});

    const client = createGrpcClient(seating.SeatedEventSourceServiceClient, {
      address: `127.0.0.1:${app.ports.grpcPort}`,
      logger: captureLogger('client').logger,
      deadlineMs: 5_000,
      idempotentMethods: [],
      tokenProvider: () => service,
    });
    try {
      const { event } = await client.call.getSeatedEvent({ eventId: activity.id });
      expect(event).toMatchObject({
        eventId: activity.id,
        categories: [
          common.ContentCategory.CONTENT_CATEGORY_ETHICS_ETIQUETTE,
          common.ContentCategory.CONTENT_CATEGORY_SCIENCE_CULTURE_SKILLS,
        ],
        campaignId: campaign.id,
        learningMinutes: 135,
      });
    } finally {
      client.close();
    }

    now = new Date(first.start + MINUTE);
    await send('POST', `/v1/activities/${activity.id}:start`, {});
    now = new Date(second.end + MINUTE);
    await send('POST', `/v1/activities/${activity.id}:complete`, {});
    const [message] = await watch.waitFor(
      'completed',
      about(activity.id, activityEvents.ActivityCompleted.type),
    );
    if (message === undefined) throw new Error('no event');
    expect(activityEvents.ActivityCompleted.codec.fromJSON(eventOf(message).data)).toEqual({
      activityId: activity.id,
      completedAt: now,
      organizerKind: activities.OrganizerKind.ORGANIZER_KIND_DEPARTMENT,
      organizerId: 'wenming-ban',
      organizationKind: common.OrganizationKind.ORGANIZATION_KIND_UNSPECIFIED,
      leadDepartment: 'wenming-ban',
      jurisdictionPath: [CITY, T1, T1_V1],
      campaignId: campaign.id,
      attended: 0,
      kind: 'reading_club',
      title: '家风家训读书会',
      categories: [
        common.ContentCategory.CONTENT_CATEGORY_ETHICS_ETIQUETTE,
        common.ContentCategory.CONTENT_CATEGORY_SCIENCE_CULTURE_SKILLS,
      ],
      targetTiers: [common.Tier.TIER_ORDINARY_CITIZEN, common.Tier.TIER_ORDINARY_CADRE],
      startsAt: new Date(first.start),
      endsAt: new Date(second.end),
      learningMinutes: 135,
    });
  });
});
