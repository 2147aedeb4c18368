import { randomUUID } from 'node:crypto';
import { activityEvents, enrollmentEvents } from '@learning/contracts';
import {
  createGrpcClient,
  type GeneratedClientConstructor,
  type ServiceDefinitionLike,
} from '@learning/grpc';
import { newEvent, toCloudEvent, toKafkaMessage, topics } from '@learning/events';
import { activities, seating, common, registration } from '@learning/proto';
import {
  captureLogger,
  describeWithServers,
  eventually,
  watchTopics,
  type TopicWatch,
} from '@learning/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  about,
  adminTokenOf,
  decideOnOrganization,
  draftBody,
  eventOf,
  HOUR,
  idOf,
  peopleOf,
  registerOrganization,
  request,
  sessionIn,
  T1,
  T1_V1,
  T1_V2,
  T2,
  T2_V1,
  type Reply,
} from '../support/activities.js';
import { useActivitiesStack } from '../support/stack.js';

const PUBLISHED = activityEvents.ActivityPublished.type;
const RESCHEDULED = activityEvents.ActivityRescheduled.type;
const CANCELLED = activityEvents.ActivityCancelled.type;
const STARTED = activityEvents.ActivityStarted.type;
const COMPLETED = activityEvents.ActivityCompleted.type;

describeWithServers(['mongo', 'kafka', 'redis'], 'activities', (servers) => {
  const stack = useActivitiesStack(servers);
  let people: Awaited<ReturnType<typeof peopleOf>>;
  let watch: TopicWatch;
  let producer: Producer;

  beforeAll(async () => {
    people = await peopleOf(stack);
    watch = await watchTopics(servers.kafka, [topics.activitiesActivities.name]);
    producer = new Kafka({ brokers: servers.kafka.brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
  });
  afterAll(async () => {
    await producer.disconnect();
    await watch.stop();
  });

  const create = (token: string, body: Record<string, unknown>) =>
    request(stack, 'POST', '/v1/activities', token, body);
  const act = (token: string, id: string, action: string, body: Record<string, unknown> = {}) =>
    request(stack, 'POST', `/v1/activities/${id}:${action}`, token, body);
  const get = (token: string | null, id: string) =>
    request(stack, 'GET', `/v1/activities/${id}`, token);
  /** A published activity of orgA, drafted and published by its admin unless `by` says otherwise. */
  async function published(
    overrides: Record<string, unknown> = {},
    by: { token: string; organization: string } = {
      token: people.adminA,
      organization: people.orgA,
    },
  ): Promise<string> {
    const id = idOf(await create(by.token, draftBody(by.organization, overrides)));
    const reply = await act(by.token, id, 'publish');
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return id;
  }
  const codeOf = (reply: Reply) => reply.body['code'];

  describe('drafting', () => {
    it('when an org admin drafts an activity for their organization, then it is stored as a draft with its place and nothing is published', async () => {
      const reply = await create(people.adminA, draftBody(people.orgA));
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({
        status: 'draft',
        title: '社区读书会',
        jurisdictionCode: T1_V1,
        jurisdictionPath: ['330281000000', T1, T1_V1],
        organizer: {
          kind: 'organization',
          id: people.orgA,
          organizationKind: 'community',
          leadDepartment: 'wenming-ban',
        },
        capacity: 20,
        version: 1,
        venue: { name: '村文化礼堂', address: '一号路' },
      });
      expect((reply.body['venue'] as { id: string }).id).toMatch(/^[0-9a-f-]{36}$/);
      const fetched = await get(people.adminA, idOf(reply));
      expect(fetched.body).toMatchObject({ id: idOf(reply), status: 'draft' });
    });

    it('when the input breaks a rule, then 400 with the rule’s code and nothing is stored', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [
          {
            schedule: {
              sessions: [
                {
                  start: new Date(Date.now() + 2 * HOUR).toISOString(),
                  end: new Date(Date.now() + HOUR).toISOString(),
                },
              ],
            },
          },
          'SCHEDULE_ENDS_BEFORE_START',
        ],
        [{ schedule: sessionIn(-2 * HOUR, HOUR) }, 'SCHEDULE_IN_PAST'],
        [{ jurisdictionCode: '330281999999' }, 'JURISDICTION_UNKNOWN'],
        [{ unexpected: true }, 'VALIDATION_FAILED'],
        [{ title: { $ne: null } }, 'FORBIDDEN_KEY'],
        [{ capacity: 0 }, 'VALIDATION_FAILED'],
        [{ ageBand: { min: 12, max: 6 } }, 'ACTIVITY_AGE_BAND_INVALID'],
        [
          {
            signUpWindow: {
              opensAt: new Date(Date.now() + 30 * HOUR).toISOString(),
              closesAt: new Date(Date.now() + 40 * HOUR).toISOString(),
            },
          },
          'ACTIVITY_SIGN_UP_WINDOW_INVALID',
        ],
        [{ campaignId: randomUUID() }, 'ACTIVITY_CAMPAIGN_UNKNOWN'],
        // Kind and lead department are registration's to say, not the request's.
        [
          {
            organizer: {
              kind: 'organization',
              organizationId: people.orgA,
              organizationKind: 'family',
              leadDepartment: 'fulian',
            },
          },
          'VALIDATION_FAILED',
        ],
      ];
      const draftsOfA = async () =>
        (
          (await request(stack, 'GET', '/v1/activities?status=draft&pageSize=200', people.adminA))
            .body['items'] as unknown[]
        ).length;
      const draftsBefore = await draftsOfA();
      for (const [overrides, code] of cases) {
        const reply = await create(people.adminA, draftBody(people.orgA, overrides));
        expect(reply.status, JSON.stringify(overrides)).toBe(400);
        expect(codeOf(reply), JSON.stringify(overrides)).toBe(code);
      }
      const dollar = await stack.activities.send(
        'POST',
        '/v1/activities',
        people.adminA,
        JSON.stringify({ ...draftBody(people.orgA), $where: '1' }),
      );
      expect(dollar.status).toBe(400);
      expect(((await dollar.json()) as { code: string }).code).toBe('FORBIDDEN_KEY');
      expect(await draftsOfA()).toBe(draftsBefore);
    });

    it('when an organization registered as a family organization publishes, then the activity and its event carry registration’s kind and lead department', async () => {
      const family = await registerOrganization(stack, 'family');
      const admin = await adminTokenOf(stack, family);
      const draft = await create(admin, draftBody(family));
      expect(draft.status, JSON.stringify(draft.body)).toBe(201);
      expect(draft.body['organizer']).toEqual({
        kind: 'organization',
        id: family,
        organizationKind: 'family',
        leadDepartment: 'fulian',
      });
      const id = idOf(draft);
      expect((await act(admin, id, 'publish')).status).toBe(200);
      const [message] = await watch.waitFor('family published', about(id, PUBLISHED));
      if (message === undefined) throw new Error('no event');
      expect(activityEvents.ActivityPublished.codec.fromJSON(eventOf(message).data)).toMatchObject({
        organizerId: family,
        organizationKind: common.OrganizationKind.ORGANIZATION_KIND_FAMILY,
        leadDepartment: 'fulian',
      });
    });

    it('when the organization is not registered, then 400 ACTIVITY_ORGANIZER_UNKNOWN; when registration suspended it, then 409 ACTIVITY_ORGANIZER_NOT_ACTIVE', async () => {
      const unknown = await create(people.cityAdmin, draftBody(randomUUID()));
      expect(unknown.status).toBe(400);
      expect(codeOf(unknown)).toBe('ACTIVITY_ORGANIZER_UNKNOWN');
      const organization = await registerOrganization(stack);
      const admin = await adminTokenOf(stack, organization);
      // An applicant may already organize.
      expect((await create(admin, draftBody(organization))).status).toBe(201);
      await decideOnOrganization(stack, organization, ['start_review', 'recognize', 'suspend']);
      for (const token of [admin, people.cityAdmin]) {
        const refused = await create(token, draftBody(organization));
        expect(refused.status).toBe(409);
        expect(codeOf(refused)).toBe('ACTIVITY_ORGANIZER_NOT_ACTIVE');
      }
    });

    it('when the organizing department is not one registration lists, then 400 DEPARTMENT_UNKNOWN and nothing is stored; a listed one is taken', async () => {
      const unknown = await create(
        people.cityAdmin,
        draftBody(people.orgA, {
          organizer: { kind: 'department', department: 'zzz-no-such-dept' },
        }),
      );
      expect(unknown.status).toBe(400);
      expect(unknown.body).toMatchObject({
        code: 'DEPARTMENT_UNKNOWN',
        details: [{ field: '/organizer/department' }],
      });
      expect(String(unknown.body['message'])).toContain('zzz-no-such-dept');
      // A department officer whose token names a department registration does not know fares no better.
      const stray = await stack.token({
        subject: 'stray-officer',
        roles: ['department_officer'],
        department: 'zzz-no-such-dept',
        cityWide: true,
      });
      const byStray = await create(
        stray,
        draftBody(people.orgA, {
          organizer: { kind: 'department', department: 'zzz-no-such-dept' },
        }),
      );
      expect(codeOf(byStray)).toBe('DEPARTMENT_UNKNOWN');
      const listed = await request(stack, 'GET', '/v1/activities?pageSize=100', people.cityAdmin);
      expect(JSON.stringify(listed.body)).not.toContain('zzz-no-such-dept');

      const known = await create(
        people.cityAdmin,
        draftBody(people.orgA, { organizer: { kind: 'department', department: 'jiaoyu-ju' } }),
      );
      expect(known.status).toBe(201);
      expect(known.body['organizer']).toMatchObject({ kind: 'department', id: 'jiaoyu-ju' });
      // The organizer is fixed once drafted: an edit cannot swap in an unknown department.
      const swapped = await request(
        stack,
        'PATCH',
        `/v1/activities/${idOf(known)}`,
        people.cityAdmin,
        {
          version: known.body['version'],
          organizer: { kind: 'department', department: 'zzz-no-such-dept' },
        },
      );
      expect(swapped.status).toBe(400);
      expect((await get(people.cityAdmin, idOf(known))).body['organizer']).toMatchObject({
        id: 'jiaoyu-ju',
      });
    });

    it('when someone drafts for an organization or department not theirs, or outside their area, then 403 ACTIVITY_FORBIDDEN', async () => {
      expect(codeOf(await create(people.adminB, draftBody(people.orgA)))).toBe(
        'ACTIVITY_FORBIDDEN',
      );
      expect(
        codeOf(await create(people.officerT2, draftBody(people.orgA, { jurisdictionCode: T1_V1 }))),
      ).toBe('ACTIVITY_FORBIDDEN');
      expect(
        codeOf(
          await create(
            people.departmentOfficer,
            draftBody(people.orgA, { organizer: { kind: 'department', department: 'jiaoyu-ju' } }),
          ),
        ),
      ).toBe('ACTIVITY_FORBIDDEN');
      const own = await create(
        people.departmentOfficer,
        draftBody(people.orgA, { organizer: { kind: 'department', department: 'wenming-ban' } }),
      );
      expect(own.status).toBe(201);
      expect(own.body['organizer']).toMatchObject({ kind: 'department', id: 'wenming-ban' });
      const participant = await create(people.participant, draftBody(people.orgA));
      expect(participant.status).toBe(403);
    });

    it('when a draft is edited, then its fields change with its version; a stale version or an empty change is refused', async () => {
      const id = idOf(await create(people.adminA, draftBody(people.orgA)));
      const edited = await request(stack, 'PATCH', `/v1/activities/${id}`, people.adminA, {
        version: 1,
        title: '干部夜学',
        capacity: 'unlimited',
        venue: null,
      });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({
        title: '干部夜学',
        capacity: 'unlimited',
        venue: null,
        version: 2,
      });
      const stale = await request(stack, 'PATCH', `/v1/activities/${id}`, people.adminA, {
        version: 1,
        title: 'x',
      });
      expect(stale.status).toBe(409);
      expect(codeOf(stale)).toBe('VERSION_CONFLICT');
      const empty = await request(stack, 'PATCH', `/v1/activities/${id}`, people.adminA, {
        version: 2,
      });
      expect(codeOf(empty)).toBe('ACTIVITY_CHANGE_EMPTY');
      // Without a venue it cannot be published.
      const publish = await act(people.adminA, id, 'publish');
      expect(publish.status).toBe(409);
      expect(codeOf(publish)).toBe('ACTIVITY_VENUE_REQUIRED');
    });

    it('when venues are catalogued, then organizers find them and draft with them; an unknown venue id is 400 ACTIVITY_VENUE_UNKNOWN', async () => {
      const added = await request(stack, 'POST', '/v1/venues', people.officerT1, {
        name: '农家书屋',
        address: '村委会二楼',
        jurisdictionCode: T1_V1,
      });
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({ name: '农家书屋', jurisdictionCode: T1_V1 });
      const outside = await request(stack, 'POST', '/v1/venues', people.officerT2, {
        name: '礼堂',
        jurisdictionCode: T1_V1,
      });
      expect(outside.status).toBe(403);
      expect(codeOf(outside)).toBe('OUT_OF_SCOPE');
      const unknownPlace = await request(stack, 'POST', '/v1/venues', people.cityAdmin, {
        name: '礼堂',
        jurisdictionCode: '330281999999',
      });
      expect(codeOf(unknownPlace)).toBe('JURISDICTION_UNKNOWN');
      expect(
        (
          await request(stack, 'POST', '/v1/venues', people.adminA, {
            name: 'x',
            jurisdictionCode: T1_V1,
          })
        ).status,
      ).toBe(403);

      const found = await request(stack, 'GET', `/v1/venues?jurisdictionCode=${T1}`, people.adminA);
      expect((found.body['items'] as { id: string }[]).map((v) => v.id)).toContain(idOf(added));
      const inT2 = await request(stack, 'GET', `/v1/venues?jurisdictionCode=${T2}`, people.adminA);
      expect((inT2.body['items'] as { id: string }[]).map((v) => v.id)).not.toContain(idOf(added));

      const drafted = await create(
        people.adminA,
        draftBody(people.orgA, { venue: { venueId: idOf(added) } }),
      );
      expect(drafted.status).toBe(201);
      expect(drafted.body['venue']).toEqual({
        id: idOf(added),
        name: '农家书屋',
        address: '村委会二楼',
      });
      const unknown = await create(
        people.adminA,
        draftBody(people.orgA, { venue: { venueId: randomUUID() } }),
      );
      expect(unknown.status).toBe(400);
      expect(codeOf(unknown)).toBe('ACTIVITY_VENUE_UNKNOWN');
    });

    it('when a mutation comes without an Idempotency-Key, then 400', async () => {
      const response = await stack.activities.send(
        'POST',
        '/v1/activities',
        people.adminA,
        draftBody(people.orgA),
        {
          headers: { 'idempotency-key': '' },
        },
      );
      expect(response.status).toBe(400);
    });
  });

  describe('scope', () => {
    it('when an org admin of another organization or an officer of another area reads it, then 404; its area officer and the lead department see it', async () => {
      const id = idOf(await create(people.adminA, draftBody(people.orgA)));
      expect((await get(people.adminB, id)).status).toBe(404);
      expect(codeOf(await get(people.officerT2, id))).toBe('ACTIVITY_NOT_FOUND');
      expect((await act(people.adminB, id, 'publish')).status).toBe(404);
      expect((await act(people.officerT2, id, 'cancel')).status).toBe(404);
      expect((await get(people.officerT1, id)).status).toBe(200);
      expect((await get(people.departmentOfficer, id)).status).toBe(200);
      expect((await get(people.cityAdmin, id)).status).toBe(200);
      // The lead department may read, but only the organizer, the area or the city may act.
      expect(codeOf(await act(people.departmentOfficer, id, 'publish'))).toBe('ACTIVITY_FORBIDDEN');
    });

    it('when officers and organizers list, then each sees only their reach, page by page', async () => {
      const t2 = idOf(
        await create(
          people.cityAdmin,
          draftBody(people.orgB, { jurisdictionCode: T2_V1, title: 'T2 活动' }),
        ),
      );
      const mine = idOf(
        await create(people.adminA, draftBody(people.orgA, { jurisdictionCode: T1_V2 })),
      );
      const collect = async (token: string, query = '') => {
        const ids: string[] = [];
        let pageToken: string | null = null;
        do {
          const suffix: string =
            pageToken === null ? '' : `&pageToken=${encodeURIComponent(pageToken)}`;
          const reply = await request(
            stack,
            'GET',
            `/v1/activities?pageSize=2${query}${suffix}`,
            token,
          );
          expect(reply.status).toBe(200);
          ids.push(...(reply.body['items'] as { id: string }[]).map((a) => a.id));
          pageToken = reply.body['nextPageToken'] as string | null;
        } while (pageToken !== null);
        return ids;
      };
      const officerT2 = await collect(people.officerT2);
      expect(officerT2).toContain(t2);
      expect(officerT2).not.toContain(mine);
      const adminA = await collect(people.adminA);
      expect(adminA).toContain(mine);
      expect(adminA).not.toContain(t2);
      expect(new Set(adminA).size).toBe(adminA.length);
      const inV2 = await collect(people.cityAdmin, `&jurisdictionCode=${T1_V2}`);
      expect(inV2).toEqual([mine]);
    });
  });

  describe('life cycle and events', () => {
    it('when a draft is published, then it is public and ActivityPublished carries the organizer and routing, once', async () => {
      const id = await published({ title: '书香传递 图书漂流' });
      const [message] = await watch.waitFor('published', about(id, PUBLISHED));
      if (message === undefined) throw new Error('no event');
      const data = activityEvents.ActivityPublished.codec.fromJSON(eventOf(message).data);
      expect(data).toMatchObject({
        activityId: id,
        title: '书香传递 图书漂流',
        kind: 'reading_club',
        capacity: 20,
        organizerKind: activities.OrganizerKind.ORGANIZER_KIND_ORGANIZATION,
        organizerId: people.orgA,
        organizationKind: common.OrganizationKind.ORGANIZATION_KIND_COMMUNITY,
        leadDepartment: 'wenming-ban',
        jurisdictionPath: ['330281000000', T1, T1_V1],
        campaignId: '',
        targetTiers: [common.Tier.TIER_ORDINARY_CITIZEN],
      });
      // Publishing again is refused and publishes nothing more.
      expect(codeOf(await act(people.adminA, id, 'publish'))).toBe(
        'ACTIVITY_TRANSITION_NOT_ALLOWED',
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(watch.messages.filter(about(id, PUBLISHED))).toHaveLength(1);
    });

    it('when a published activity is rescheduled, then ActivityRescheduled carries the new and previous dates and the reason', async () => {
      const id = await published();
      const next = sessionIn(48 * HOUR, 50 * HOUR);
      const reply = await act(people.adminA, id, 'reschedule', {
        schedule: next,
        reason: '场地维修',
      });
      expect(reply.status).toBe(200);
      expect(reply.body['startsAt']).toBe(next.sessions[0]?.start);
      const [message] = await watch.waitFor('rescheduled', about(id, RESCHEDULED));
      if (message === undefined) throw new Error('no event');
      const data = activityEvents.ActivityRescheduled.codec.fromJSON(eventOf(message).data);
      expect(data.startsAt?.toISOString()).toBe(next.sessions[0]?.start);
      expect(data.reason).toBe('场地维修');
      expect(data.leadDepartment).toBe('wenming-ban');
      expect(data.previousStartsAt).toBeDefined();
      const same = await act(people.adminA, id, 'reschedule', { schedule: next });
      expect(codeOf(same)).toBe('ACTIVITY_SCHEDULE_UNCHANGED');
      const past = await act(people.adminA, id, 'reschedule', { schedule: sessionIn(-HOUR, HOUR) });
      expect(codeOf(past)).toBe('SCHEDULE_IN_PAST');
    });

    it('when the capacity changes, then it is announced to registration as a reschedule with the new capacity; 0 is refused', async () => {
      const id = await published();
      const reply = await act(people.adminA, id, 'change-capacity', { capacity: 5 });
      expect(reply.status).toBe(200);
      expect(reply.body['capacity']).toBe(5);
      const [message] = await watch.waitFor('capacity', about(id, RESCHEDULED));
      if (message === undefined) throw new Error('no event');
      expect(
        activityEvents.ActivityRescheduled.codec.fromJSON(eventOf(message).data),
      ).toMatchObject({
        capacity: 5,
        capacityUnlimited: false,
      });
      expect((await act(people.adminA, id, 'change-capacity', { capacity: 0 })).status).toBe(400);
    });

    it('when nobody signed up, then cancelling needs no reason and ActivityCancelled says nobody was signed up; cancelling again is refused', async () => {
      const id = await published();
      const reply = await act(people.officerT1, id, 'cancel', {});
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({
        status: 'cancelled',
        cancellation: { reason: null, cancelledBy: 'officer-t1' },
      });
      const [message] = await watch.waitFor('cancelled', about(id, CANCELLED));
      if (message === undefined) throw new Error('no event');
      expect(activityEvents.ActivityCancelled.codec.fromJSON(eventOf(message).data)).toMatchObject({
        activityId: id,
        signedUp: 0,
        reason: '',
      });
      expect(codeOf(await act(people.adminA, id, 'cancel', { reason: 'again' }))).toBe(
        'ACTIVITY_TRANSITION_NOT_ALLOWED',
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(watch.messages.filter(about(id, CANCELLED))).toHaveLength(1);
    });

    it('when a draft is cancelled, then nothing is published', async () => {
      const id = idOf(await create(people.adminA, draftBody(people.orgA)));
      expect((await act(people.adminA, id, 'cancel')).body['status']).toBe('cancelled');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(watch.messages.filter(about(id))).toHaveLength(0);
    });

    it('when the organizer starts and completes it, then only at its times, with the attendance registration recorded, each event once', async () => {
      const id = await published({ schedule: sessionIn(1_500, 3_000) });
      expect(codeOf(await act(people.adminA, id, 'start'))).toBe('ACTIVITY_NOT_STARTED');
      await new Promise((resolve) => setTimeout(resolve, 1_600));
      const started = await act(people.adminA, id, 'start');
      expect(started.body['status']).toBe('under_way');
      expect(codeOf(await act(people.adminA, id, 'complete'))).toBe('ACTIVITY_NOT_ENDED');

      // Registration's attendance: one enrollment twice (two event ids), another once, and another owner's.
      const enrollment = randomUUID();
      const attendance = (eventId: string, enrollmentId: string, owner = 'activities') =>
        toKafkaMessage(
          toCloudEvent(
            newEvent(enrollmentEvents.AttendanceRecorded, `${owner}:${eventId}`, {
              enrollmentId,
              event: { owner, eventId },
              participantId: randomUUID(),
              basis: registration.AttendanceBasis.ATTENDANCE_BASIS_CHECK_IN,
              attendedAt: new Date(),
              accountSubject: `account-${enrollmentId}`,
            }),
            '/learning/registration',
          ),
        );
      await producer.send({
        topic: topics.registrationEnrollments.name,
        messages: [
          attendance(id, enrollment),
          attendance(id, enrollment),
          attendance(id, randomUUID()),
          attendance(id, randomUUID(), 'lectures'),
        ],
      });
      await eventually('attendance counted', async () =>
        (await get(people.adminA, id)).body['attended'] === 2 ? true : undefined,
      );

      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const completed = await act(people.adminA, id, 'complete');
      expect(completed.body['status']).toBe('completed');
      const [message] = await watch.waitFor('completed', about(id, COMPLETED));
      if (message === undefined) throw new Error('no event');
      expect(activityEvents.ActivityCompleted.codec.fromJSON(eventOf(message).data)).toMatchObject({
        activityId: id,
        attended: 2,
      });
      await watch.waitFor('started', about(id, STARTED));
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(watch.messages.filter(about(id, STARTED))).toHaveLength(1);
      expect(watch.messages.filter(about(id, COMPLETED))).toHaveLength(1);
      expect((await get(people.adminA, id)).body['attended']).toBe(2);
    });

    it('when publishing without a target tier, then 409 ACTIVITY_AUDIENCE_REQUIRED', async () => {
      const id = idOf(await create(people.adminA, draftBody(people.orgA, { targetTiers: [] })));
      expect(codeOf(await act(people.adminA, id, 'publish'))).toBe('ACTIVITY_AUDIENCE_REQUIRED');
    });
  });

  describe('the public listing', () => {
    let cityWide: string;
    let nightSchool: string;
    let bookRelay: string;
    let fair: string;
    let draft: string;

    beforeAll(async () => {
      // Far in the future so other tests' activities sort before these.
      const base = 3000 * HOUR;
      nightSchool = await published({
        title: '干部夜学第一讲',
        description: '围绕理论学习的读书会',
        kind: 'cadre_night_school',
        targetTiers: ['ordinary_cadre'],
        categories: ['political_theory'],
        schedule: sessionIn(base + HOUR, base + 2 * HOUR),
      });
      bookRelay = await published({
        title: '书香传递',
        description: '把读过的书送到农家书屋',
        kind: 'book_relay',
        jurisdictionCode: T1_V2,
        schedule: sessionIn(base + 3 * HOUR, base + 4 * HOUR),
      });
      const cityAdminForB = { token: people.cityAdmin, organization: people.orgB };
      fair = await published(
        {
          title: '便民书市',
          description: '新书特价',
          kind: 'book_fair',
          jurisdictionCode: T2_V1,
          schedule: sessionIn(base + 5 * HOUR, base + 6 * HOUR),
        },
        cityAdminForB,
      );
      cityWide = await published(
        {
          title: '全民学习月开幕',
          jurisdictionCode: '330281000000',
          schedule: sessionIn(base + 7 * HOUR, base + 8 * HOUR),
        },
        cityAdminForB,
      );
      draft = idOf(
        await create(
          people.adminA,
          draftBody(people.orgA, {
            title: '读书明理（草稿）',
            schedule: sessionIn(base + 2 * HOUR, base + 3 * HOUR),
          }),
        ),
      );
    });

    const list = async (query: string): Promise<string[]> => {
      const reply = await request(stack, 'GET', `/v1/public/activities?${query}`, null);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      return (reply.body['items'] as { id: string }[]).map((item) => item.id);
    };
    const from = `from=${encodeURIComponent(new Date(Date.now() + 2999 * HOUR).toISOString())}`;

    it('when anyone lists without a token, then published activities in the range come earliest first, drafts never', async () => {
      expect(await list(from)).toEqual([nightSchool, bookRelay, fair, cityWide]);
    });

    it('when near a place, for a tier or a category, then only those', async () => {
      expect(await list(`${from}&jurisdictionCode=${T1}`)).toEqual([nightSchool, bookRelay]);
      expect(await list(`${from}&jurisdictionCode=${T2}`)).toEqual([fair]);
      expect(await list(`${from}&tier=ordinary_cadre`)).toEqual([nightSchool]);
      expect(await list(`${from}&category=political_theory`)).toEqual([nightSchool]);
      expect(await list(`${from}&kind=book_fair`)).toEqual([fair]);
      const to = `to=${encodeURIComponent(new Date(Date.now() + 3002 * HOUR).toISOString())}`;
      expect(await list(`${from}&${to}`)).toEqual([nightSchool]);
    });

    it('when searched in Chinese, then 读书, 书香传递 and 夜学 find their activities and 围棋 finds none', async () => {
      // The city-wide one says 读书分享 in its description.
      expect(await list(`${from}&q=${encodeURIComponent('读书')}`)).toEqual([
        nightSchool,
        cityWide,
      ]);
      expect(await list(`${from}&q=${encodeURIComponent('书香传递')}`)).toEqual([bookRelay]);
      expect(await list(`${from}&q=${encodeURIComponent('夜学')}`)).toEqual([nightSchool]);
      expect(await list(`${from}&q=${encodeURIComponent('书市')}`)).toEqual([fair]);
      expect(await list(`${from}&q=${encodeURIComponent('书')}`)).toEqual([
        nightSchool,
        bookRelay,
        fair,
        cityWide,
      ]);
      expect(await list(`${from}&q=${encodeURIComponent('围棋')}`)).toEqual([]);
      const empty = await request(
        stack,
        'GET',
        `/v1/public/activities?q=${encodeURIComponent('！？')}`,
        null,
      );
      expect(empty.status).toBe(400);
      expect(codeOf(empty)).toBe('ACTIVITY_SEARCH_EMPTY');
    });

    it('when paged, then every activity comes once in order, and a forged cursor is refused', async () => {
      const ids: string[] = [];
      let pageToken: string | null = null;
      do {
        const suffix: string =
          pageToken === null ? '' : `&pageToken=${encodeURIComponent(pageToken)}`;
        const reply = await request(
          stack,
          'GET',
          `/v1/public/activities?${from}&pageSize=1${suffix}`,
          null,
        );
        ids.push(...(reply.body['items'] as { id: string }[]).map((item) => item.id));
        pageToken = reply.body['nextPageToken'] as string | null;
      } while (pageToken !== null);
      expect(ids).toEqual([nightSchool, bookRelay, fair, cityWide]);
      const forged = await request(stack, 'GET', `/v1/public/activities?pageToken=abc.def`, null);
      expect(codeOf(forged)).toBe('CURSOR_INVALID');
      const reversed = await request(
        stack,
        'GET',
        `/v1/public/activities?from=${encodeURIComponent(at(10 * HOUR))}&to=${encodeURIComponent(at(HOUR))}`,
        null,
      );
      expect(codeOf(reversed)).toBe('ACTIVITY_RANGE_INVALID');
    });

    it('when one published activity is fetched publicly, then it comes; a draft is 404', async () => {
      const one = await request(stack, 'GET', `/v1/public/activities/${bookRelay}`, null);
      expect(one.body).toMatchObject({
        id: bookRelay,
        status: 'published',
        cancellationReason: null,
      });
      expect(one.body['createdBy']).toBeUndefined();
      expect((await request(stack, 'GET', `/v1/public/activities/${draft}`, null)).status).toBe(
        404,
      );
    });

    describe('through the shared page cache', () => {
      interface Page {
        status: number;
        cache: string | null;
        cacheControl: string | null;
        text: string;
      }
      const fetchPage = async (path: string): Promise<Page> => {
        const response = await stack.activities.send('GET', path, null);
        return {
          status: response.status,
          cache: response.headers.get('x-cache'),
          cacheControl: response.headers.get('cache-control'),
          text: await response.text(),
        };
      };
      const idsIn = (page: Page): string[] =>
        (JSON.parse(page.text) as { items: { id: string }[] }).items.map((item) => item.id);

      it('when the same listing or activity is asked again, in any parameter order, then it is a hit equal to the first answer', async () => {
        const first = await fetchPage(
          `/v1/public/activities?${from}&pageSize=7&tier=ordinary_cadre`,
        );
        expect(first).toMatchObject({ status: 200, cache: 'miss' });
        expect(first.cacheControl).toMatch(/^public, max-age=[1-5]$/);
        expect(idsIn(first)).toEqual([nightSchool]);
        const again = await fetchPage(
          `/v1/public/activities?tier=ordinary_cadre&pageSize=7&${from}`,
        );
        expect(again).toMatchObject({ status: 200, cache: 'hit', text: first.text });
        const one = await fetchPage(`/v1/public/activities/${fair}`);
        expect(one.cache).toBe('miss');
        const oneAgain = await fetchPage(`/v1/public/activities/${fair}`);
        expect(oneAgain).toMatchObject({ cache: 'hit', text: one.text });
        // Only what the public may see is cached, exactly as the route's schema has it.
        const listed = (JSON.parse(again.text) as { items: Record<string, unknown>[] }).items[0];
        expect(listed).not.toHaveProperty('createdBy');
        expect(listed).not.toHaveProperty('version');
        expect(Object.keys(JSON.parse(oneAgain.text) as object).sort()).toEqual(
          Object.keys(listed ?? {}).sort(),
        );
      });

      it('when a listed activity is cancelled, then the next listing is a miss without it and its own page says so; the cached pages equal fresh ones', async () => {
        const id = await published({
          title: '临时讲座',
          schedule: sessionIn(3010 * HOUR, 3011 * HOUR),
        });
        const listing = `/v1/public/activities?${from}&pageSize=9`;
        expect(idsIn(await fetchPage(listing))).toContain(id);
        expect((await fetchPage(listing)).cache).toBe('hit');
        await fetchPage(`/v1/public/activities/${id}`);
        expect((await fetchPage(`/v1/public/activities/${id}`)).cache).toBe('hit');

        expect((await act(people.adminA, id, 'cancel', { reason: '讲师因故缺席' })).status).toBe(
          200,
        );
        const after = await fetchPage(listing);
        expect(after.cache).toBe('miss');
        expect(idsIn(after)).not.toContain(id);
        expect(idsIn(after)).toEqual([nightSchool, bookRelay, fair, cityWide]);
        expect(await fetchPage(listing)).toMatchObject({ cache: 'hit', text: after.text });
        const own = await fetchPage(`/v1/public/activities/${id}`);
        expect(own.cache).toBe('miss');
        expect(JSON.parse(own.text)).toMatchObject({
          id,
          status: 'cancelled',
          cancellationReason: '讲师因故缺席',
        });
        expect(await fetchPage(`/v1/public/activities/${id}`)).toMatchObject({
          cache: 'hit',
          text: own.text,
        });
      });

      it('when a listing is refused, then the refusal is not cached', async () => {
        const path = `/v1/public/activities?q=${encodeURIComponent('？')}&pageSize=3`;
        for (const attempt of [1, 2]) {
          const refused = await fetchPage(path);
          expect(refused.status, String(attempt)).toBe(400);
          expect(refused.cache).toBeNull();
        }
      });
    });

    describe('over gRPC', () => {
      /** A client of the activities app's gRPC server, presenting `token` (a service's by default). */
      const clientOf = <S extends ServiceDefinitionLike>(
        service: GeneratedClientConstructor<S>,
        token = people.service,
      ) =>
        createGrpcClient(service, {
          address: `127.0.0.1:${stack.activities.ports.grpcPort}`,
          logger: captureLogger('client').logger,
          deadlineMs: 5_000,
          idempotentMethods: [],
          tokenProvider: () => token,
        });

      it('when GetSeatedEvent is asked, then a published activity comes with its capacity, window and audience; drafts and unknown ids are NOT_FOUND', async () => {
        const client = clientOf(seating.SeatedEventSourceServiceClient);
        try {
          const { event } = await client.call.getSeatedEvent({ eventId: bookRelay });
          expect(event).toMatchObject({
            eventId: bookRelay,
            capacity: 20,
            status: seating.SeatedEventStatus.SEATED_EVENT_STATUS_PUBLISHED,
            jurisdictionPath: ['330281000000', T1, T1_V2],
            organizerOrganizationId: people.orgA,
            audience: { targetTiers: [common.Tier.TIER_ORDINARY_CITIZEN], areaRootCodes: [T1_V2] },
            categories: [common.ContentCategory.CONTENT_CATEGORY_ETHICS_ETIQUETTE],
            campaignId: '',
            learningMinutes: 60,
          });
          expect(event?.signUpClosesAt?.getTime()).toBe(event?.startsAt?.getTime());
          await expect(client.call.getSeatedEvent({ eventId: draft })).rejects.toMatchObject({
            kind: 'not_found',
          });
          await expect(client.call.getSeatedEvent({ eventId: randomUUID() })).rejects.toMatchObject(
            { kind: 'not_found' },
          );
          await expect(client.call.getSeatedEvent({ eventId: 'x' })).rejects.toMatchObject({
            kind: 'invalid_argument',
          });
        } finally {
          client.close();
        }
      });

      it('when GetActivity and ListActivitiesOn are asked, then they answer with routing and pages', async () => {
        const client = clientOf(activities.ActivityServiceClient);
        try {
          const { activity } = await client.call.getActivity({ activityId: nightSchool });
          expect(activity).toMatchObject({
            activityId: nightSchool,
            kind: 'cadre_night_school',
            organizerId: people.orgA,
            leadDepartment: 'wenming-ban',
            categories: [common.ContentCategory.CONTENT_CATEGORY_POLITICAL_THEORY],
          });
          const ids: string[] = [];
          let pageToken = '';
          // A page token belongs to its query: the same range on every page.
          const range = {
            from: new Date(Date.now() + 2999 * HOUR),
            to: new Date(Date.now() + 4000 * HOUR),
          };
          do {
            const response = await client.call.listActivitiesOn({
              jurisdictionCode: T1,
              ...range,
              page: { pageSize: 1, pageToken },
            });
            ids.push(...response.activities.map((a) => a.activityId));
            pageToken = response.page?.nextPageToken ?? '';
          } while (pageToken !== '');
          expect(ids).toEqual([nightSchool, bookRelay]);
          await expect(
            client.call.listActivitiesOn({
              jurisdictionCode: '330281999999',
              from: new Date(),
              to: new Date(Date.now() + HOUR),
              page: undefined,
            }),
          ).rejects.toMatchObject({ kind: 'invalid_argument', code: 'JURISDICTION_UNKNOWN' });
        } finally {
          client.close();
        }
      });

      it('when called without a service token, then it is refused', async () => {
        const client = clientOf(activities.ActivityServiceClient, people.participant);
        try {
          await expect(client.call.getActivity({ activityId: nightSchool })).rejects.toMatchObject({
            kind: 'permission_denied',
          });
        } finally {
          client.close();
        }
      });
    });
  });
});

const at = (ms: number) => new Date(Date.now() + ms).toISOString();
