/**
 * The end-to-end journey (issue 17) over the five services run as separate
 * processes on real ports, against the harness's servers and the channel
 * sinks, with data of its own (a city of its own code, not the demo city):
 * a citizen registers; a village library paired with an enterprise reaches
 * 200 books; the office launches the April learning month; activities are
 * published to the citizen's township (inbox notices; a department's webhook
 * gets the events it subscribed to, signed); the citizen is wait-listed on a
 * full activity, promoted when the neighbour cancels, checks in; a lecture is
 * rescheduled and the reminders move; scoring and notifications are killed
 * with SIGKILL and the broker cut while attendance is recorded, then all
 * come back; the credits come once (and one notice of them), the leaderboard
 * shows the citizen, the record exports and its code verifies. At the end the counts show nothing lost or doubled, and the
 * timeline is printed.
 *
 * Two things differ from the issue's words, because the product decided so:
 * what's-on notices go to the inbox and WeChat only (notifications'
 * EVENT_FANOUT_CHANNELS: SMS and email are kept for what concerns a person
 * directly), so the email checked at the SMTP sink is the sign-up's
 * confirmation; and the office's credit rules take effect from the next city
 * day at the earliest, so the rule is made through the API and then moved back
 * a day in scoring's database, as if made yesterday.
 */
import { randomInt } from 'node:crypto';
import { createLocalIssuer, type LocalIssuer, type PrincipalInput } from '@learning/auth';
import { activityEvents } from '@learning/contracts';
import { fromKafkaMessage, type CloudEvent } from '@learning/events';
import {
  brokerSwitch,
  describeWithServers,
  eventually,
  residentIdNumber,
  watchTopics,
  type TopicWatch,
} from '@learning/testing';
import mongoose, { type Connection } from 'mongoose';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LOG_DIRECTORY, startPlatform, type Platform } from './support/platform.js';
import {
  cityAfternoon,
  cityDateOf,
  freshCity,
  type Enrollment,
  cityYearOf,
  eventuallyFound,
  expectCall,
  startTimeline,
} from './support/journey-kit.js';

const HOUR_MS = 3_600_000;
/** The services' start on a busy machine: each may take up to platform.ts's two minutes. */
const STARTUP_TIMEOUT_MS = 150_000;
/** From publishing the reading club to its start: the sign-ups happen in between. */
const READING_CLUB_LEAD_MS = 40_000;
const READING_CLUB_LENGTH_MS = 15_000;
/** Once the sign-ups are in, the club is moved to start this soon and last this long. */
const BROUGHT_FORWARD_LEAD_MS = 4_000;
const BROUGHT_FORWARD_LENGTH_MS = 4_000;
const WEBHOOK_PATH = '/webhooks/wenming-ban';
const ACTIVITY_EVENT_TYPES = [
  activityEvents.ActivityPublished.type,
  activityEvents.ActivityRescheduled.type,
  activityEvents.ActivityCancelled.type,
];

interface InboxItem {
  readonly kind: string;
  readonly title: string;
  readonly body: string;
}

describeWithServers(['mongo', 'kafka', 'redis'], 'the end-to-end journey', (servers) => {
  const { prefix: cityPrefix, city, township, village, run } = freshCity();
  const timeline = startTimeline();
  let issuer: LocalIssuer;
  let platform: Platform;
  let watch: TopicWatch;
  let notificationsDb: Connection;
  let scoringDb: Connection;
  /** What beforeAll started, stopped in reverse order: as much as it got to start. */
  const started: (() => Promise<unknown>)[] = [];

  const token = (principal: PrincipalInput): Promise<string> =>
    issuer.sign(principal, { expiresIn: '1h' });
  const url = (name: Parameters<Platform['url']>[0]): string => platform.url(name);

  beforeAll(async () => {
    issuer = await createLocalIssuer({ issuer: 'journey', audience: 'learning-society' });
    platform = await timeline.step('start the five services', () =>
      startPlatform({ servers, issuer, cityCode: city }),
    );
    started.push(() => platform.stop());
    watch = await watchTopics(servers.kafka, [activityEvents.LibraryStandardReached.topic.name]);
    started.push(() => watch.stop());
    notificationsDb = await mongoose
      .createConnection(servers.mongo.uri, { dbName: platform.database('notifications') })
      .asPromise();
    started.push(() => notificationsDb.close());
    scoringDb = await mongoose
      .createConnection(servers.mongo.uri, { dbName: platform.database('scoring') })
      .asPromise();
    started.push(() => scoringDb.close());
  }, STARTUP_TIMEOUT_MS);

  afterAll(async () => {
    for (const stop of started.reverse()) await stop();
    process.stdout.write(
      `\nthe journey's timeline (each service's output: ${LOG_DIRECTORY})\n${timeline.print()}\n`,
    );
  });

  it('when a citizen goes through the programme while a service and the broker fail, then every step lands once', async () => {
    const { step } = timeline;
    const admin = await token({ subject: 'journey-admin', roles: ['city_admin'] });
    const officer = await token({
      subject: 'journey-officer',
      roles: ['area_officer'],
      jurisdictions: [township],
    });

    // ── registration: the city, its people ──────────────────────────────────
    await step('import the city', () =>
      expectCall(200, url('registration'), 'POST', '/v1/jurisdictions:import', admin, {
        items: [
          { code: city, name: `旅程市${run}`, level: 'city', parentCode: null },
          { code: township, name: '旅程镇', level: 'township', parentCode: city },
          { code: village, name: '旅程村', level: 'village', parentCode: township },
        ],
      }),
    );
    const people = {
      citizen: {
        subject: `citizen-${run}`,
        name: '林晓燕',
        email: `citizen-${run}@journey.example`,
      },
      neighbour: {
        subject: `neighbour-${run}`,
        name: '周大海',
        email: `neighbour-${run}@journey.example`,
      },
      keeper: { subject: `keeper-${run}`, name: '陈书香', email: `keeper-${run}@journey.example` },
      expert: { subject: `expert-${run}`, name: '王明理', email: `expert-${run}@journey.example` },
    };
    const tokens = {
      citizen: await token({ subject: people.citizen.subject, roles: ['participant'] }),
      neighbour: await token({ subject: people.neighbour.subject, roles: ['participant'] }),
      keeper: await token({ subject: people.keeper.subject, roles: ['participant'] }),
      expert: await token({ subject: people.expert.subject, roles: ['participant'] }),
    };
    const ids: Record<keyof typeof people, string> = {
      citizen: '',
      neighbour: '',
      keeper: '',
      expert: '',
    };
    await step('the citizen and three others register', async () => {
      let sequence = randomInt(100, 900);
      for (const who of Object.keys(people) as (keyof typeof people)[]) {
        const person = people[who];
        const registered = await expectCall(
          201,
          url('registration'),
          'POST',
          '/v1/participants',
          tokens[who],
          {
            name: person.name,
            tier: 'ordinary_citizen',
            homeJurisdiction: village,
            idNumber: residentIdNumber('19880614', (sequence += 1), cityPrefix),
            email: person.email,
            language: 'zh-CN',
            consent: { notifications: true, email: true },
          },
        );
        ids[who] = String(registered['id']);
      }
    });

    // ── activities: the library reaches 200 books ───────────────────────────
    const enterprise = await step('an enterprise registers', async () => {
      const created = await expectCall(
        201,
        url('registration'),
        'POST',
        '/v1/organizations',
        admin,
        {
          kind: 'enterprise',
          name: `旅程电器有限公司${run}`,
          jurisdictionCode: township,
        },
      );
      return String(created['id']);
    });
    const { libraryId, pairingId } = await step(
      'the village library is paired with it',
      async () => {
        const library = await expectCall(
          201,
          url('activities'),
          'POST',
          '/v1/network/places',
          admin,
          {
            kind: 'farmhouse_library',
            name: '旅程村农家书屋',
            jurisdictionCode: village,
            keeper: { participantId: ids.keeper, subject: people.keeper.subject },
            holdings: { science_culture_skills: 150 },
          },
        );
        const pairing = await expectCall(
          201,
          url('activities'),
          'POST',
          '/v1/network/pairings',
          admin,
          {
            enterpriseId: enterprise,
            libraryId: library['id'],
          },
        );
        return { libraryId: String(library['id']), pairingId: String(pairing['id']) };
      },
    );
    const enterpriseAdmin = await token({
      subject: `hr-${run}`,
      roles: ['org_admin'],
      organizations: [enterprise],
    });
    const reachedEvents = (): CloudEvent[] =>
      watch.messages
        .map(({ message }) => fromKafkaMessage(message))
        .filter(
          (event) =>
            event.type === activityEvents.LibraryStandardReached.type &&
            event.subject === libraryId,
        );
    await step('the enterprise donates until the library holds 200 books', async () => {
      for (const books of [30, 30]) {
        const donation = await expectCall(
          201,
          url('activities'),
          'POST',
          `/v1/network/pairings/${pairingId}/donations`,
          enterpriseAdmin,
          {
            donatedOn: cityDateOf(new Date()),
            count: books,
            byCategory: { science_culture_skills: books },
          },
        );
        await expectCall(
          200,
          url('activities'),
          'POST',
          `/v1/network/pairings/${pairingId}/donations/${String(donation['id'])}:receive`,
          tokens.keeper,
        );
      }
      const place = await expectCall(
        200,
        url('activities'),
        'GET',
        `/v1/network/places/${libraryId}`,
        admin,
      );
      expect(place).toMatchObject({ totalBooks: 210, meetsStandard: true });
    });
    await step('LibraryStandardReached is published', () =>
      eventually(
        'LibraryStandardReached',
        () => (reachedEvents().length > 0 ? true : undefined),
        30_000,
      ),
    );

    // ── the office's April learning month ───────────────────────────────────
    const now = new Date();
    const aprilYear = cityYearOf(now) + (Number(cityDateOf(now).slice(5, 7)) > 4 ? 1 : 0);
    await step('the office launches the April learning month', async () => {
      const campaign = await expectCall(201, url('activities'), 'POST', '/v1/campaigns', admin, {
        title: `${aprilYear} 全民学习月 ${run}`,
        description: '旅程市的全民学习月',
        ownerDepartment: 'xuanchuan-bu',
        rule: { kind: 'fixed_window', startMonth: 4, startDay: 1, endMonth: 4, endDay: 30 },
        startsOn: `${aprilYear}-04-01`,
        endsOn: `${aprilYear}-04-30`,
        targetTiers: ['ordinary_citizen'],
        categories: ['science_culture_skills'],
        jurisdictionCode: city,
        goals: [{ metric: 'participants_reached', target: 100 }],
      });
      const launched = await expectCall(
        200,
        url('activities'),
        'POST',
        `/v1/campaigns/${String(campaign['id'])}:launch`,
        admin,
        {},
      );
      expect(launched['status']).toBe('launched');
    });

    // ── what the department and scoring need before anything happens ────────
    const secret = await step("文明办 subscribes a webhook to its activities' events", async () => {
      const created = await expectCall(
        201,
        url('notifications'),
        'POST',
        '/v1/webhook-subscriptions',
        admin,
        {
          ownerDepartment: 'wenming-ban',
          url: `${platform.sinks.receiver.url}${WEBHOOK_PATH}`,
          eventTypes: ACTIVITY_EVENT_TYPES,
          filters: { leadDepartments: ['wenming-ban'], jurisdictionCodes: [city] },
        },
      );
      return String(created['secret']);
    });
    await step('the office set the credit rule for attending activities yesterday', async () => {
      const rule = await expectCall(201, url('scoring'), 'POST', '/v1/credit-rules', admin, {
        name: '学习活动参与',
        source: 'activity_attended',
        basis: { kind: 'per_occurrence', credits: '2' },
      });
      // The office's rules take effect from the next city day, never earlier (scoring's rule):
      // a journey that runs in minutes moves the rule's first day back to today, as if set yesterday.
      const today = cityDateOf(new Date());
      const moved = await scoringDb
        .collection<{ _id: string }>('rules')
        .updateOne(
          { _id: String(rule['id']) },
          { $set: { 'versions.0.effectiveFrom': today, firstYear: cityYearOf(new Date()) } },
        );
      expect(moved.modifiedCount).toBe(1);
    });

    // ── activities published to the township ────────────────────────────────
    // The reading club is held within the journey: sign-up closes at its start and attendance is
    // confirmed after its end, so it starts once the sign-ups are done and ends soon after.
    const startsAt = new Date(Date.now() + READING_CLUB_LEAD_MS);
    let endsAt = new Date(startsAt.getTime() + READING_CLUB_LENGTH_MS);
    const fairStartsAt = cityAfternoon(new Date(), 3);
    const activityBody = (title: string, capacity: number, start: Date, end: Date) => ({
      title,
      description: '旅程市的学习活动',
      kind: 'reading_club',
      organizer: { kind: 'department', department: 'wenming-ban' },
      jurisdictionCode: township,
      venue: { name: '旅程镇文化站' },
      schedule: {
        sessions: [
          {
            start: start.toISOString(),
            end: end.toISOString(),
          },
        ],
      },
      capacity,
      targetTiers: ['ordinary_citizen'],
      categories: ['science_culture_skills'],
    });
    const titles = { reading: `读书会 ${run}`, fair: `便民书市 ${run}` };
    const [readingId, fairId] = await step(
      'two activities are published to the township',
      async () => {
        const published: string[] = [];
        for (const [title, capacity, start, end] of [
          [titles.reading, 1, startsAt, endsAt],
          [titles.fair, 50, fairStartsAt, new Date(fairStartsAt.getTime() + 2 * HOUR_MS)],
        ] as const) {
          const draft = await expectCall(
            201,
            url('activities'),
            'POST',
            '/v1/activities',
            admin,
            activityBody(title, capacity, start, end),
          );
          await expectCall(
            200,
            url('activities'),
            'POST',
            `/v1/activities/${String(draft['id'])}:publish`,
            admin,
            {},
          );
          published.push(String(draft['id']));
        }
        return published;
      },
    );
    const inboxOf = async (who: keyof typeof people): Promise<InboxItem[]> => {
      const inbox = await expectCall(
        200,
        url('notifications'),
        'GET',
        '/v1/me/inbox?pageSize=100',
        tokens[who],
      );
      return inbox['items'] as InboxItem[];
    };
    await step("the notices reach the citizen's inbox", () =>
      eventually(
        'both notices in the inbox',
        async () => {
          const items = await inboxOf('citizen');
          const notices = items.filter((item) => item.kind === 'activity.published');
          return [titles.reading, titles.fair].every((title) =>
            notices.some((item) => `${item.title}${item.body}`.includes(title)),
          )
            ? true
            : undefined;
        },
        45_000,
      ),
    );

    // ── sign-up, waitlist, promotion ───────────────────────────────────────
    const signUp = (who: keyof typeof people, eventId: string, owner = 'activities') =>
      expectCall(201, url('registration'), 'POST', '/v1/enrollments', tokens[who], {
        owner,
        eventId,
      }) as Promise<Record<string, unknown> & Enrollment>;
    const neighbourSeat = await step('the neighbour takes the only seat', () =>
      signUp('neighbour', readingId ?? ''),
    );
    expect(neighbourSeat.status).toBe('confirmed');
    const citizenSeat = await step('the citizen signs up and is wait-listed', () =>
      signUp('citizen', readingId ?? ''),
    );
    expect(citizenSeat.status).toBe('waitlisted');
    await step('the neighbour cancels', () =>
      expectCall(
        200,
        url('registration'),
        'DELETE',
        `/v1/enrollments/${neighbourSeat.id}`,
        tokens.neighbour,
      ),
    );
    await step('the citizen is promoted', () =>
      eventuallyFound(
        'the promotion',
        url('registration'),
        '/v1/me/enrollments',
        tokens.citizen,
        (body) =>
          (body['items'] as Enrollment[]).find(
            (enrollment) => enrollment.id === citizenSeat.id && enrollment.status === 'confirmed',
          ),
      ),
    );
    const mailsTo = (address: string) =>
      platform.sinks.smtp.messages.filter((mail) => mail.to.includes(address));
    await step('the confirmation reaches the citizen by email at the SMTP sink', () =>
      eventually(
        'an email to the citizen',
        () =>
          mailsTo(people.citizen.email).some((mail) => mail.text.includes(titles.reading))
            ? true
            : undefined,
        45_000,
      ),
    );

    // ── check-in; scoring killed and the broker cut while attendance is recorded ──
    await step('the citizen checks in', async () => {
      const checked = await expectCall(200, url('registration'), 'POST', '/v1/check-ins', officer, {
        qr: citizenSeat.qrPayload,
      });
      expect(checked['outcome']).toBe('checked_in');
    });
    // ── a lecture is rescheduled and the reminders move ─────────────────────
    const sessionStarts = cityAfternoon(new Date(), 5);
    const { sessionId, sessionVersion } = await step('a lecture session is scheduled', async () => {
      const series = await expectCall(201, url('lectures'), 'POST', '/v1/series', admin, {
        name: `玉海大讲坛 ${run}`,
        description: '旅程市的城市讲坛',
        ownerDepartment: 'xuanchuan-bu',
      });
      const forum = await expectCall(
        201,
        url('lectures'),
        'POST',
        `/v1/series/${String(series['id'])}/forums`,
        admin,
        {
          name: '人文讲坛',
          description: '历史文化与人文素养',
          managerSubjects: [`manager-${run}`],
          targetTiers: ['ordinary_citizen'],
          categories: ['ethics_etiquette'],
          leadDepartment: 'xuanchuan-bu',
        },
      );
      const expert = await expectCall(201, url('lectures'), 'POST', '/v1/experts', admin, {
        accountSubject: people.expert.subject,
        displayName: people.expert.name,
        title: '教授',
        employer: '旅程大学',
        fields: ['ethics_etiquette'],
        specialties: ['宋韵文化'],
        languages: ['zh-CN'],
        travelRadius: 'countryside',
        phone: '13700009999',
        availability: [
          {
            startsAt: new Date().toISOString(),
            endsAt: cityAfternoon(new Date(), 30).toISOString(),
          },
        ],
      });
      const venue = await expectCall(201, url('activities'), 'POST', '/v1/venues', admin, {
        name: '旅程镇市民讲堂',
        address: '旅程路 1 号',
        jurisdictionCode: township,
      });
      const session = await expectCall(201, url('lectures'), 'POST', '/v1/sessions', admin, {
        forumId: forum['id'],
        venueId: venue['id'],
        speakerIds: [expert['id']],
        lectureType: 'history_culture',
        title: `宋韵文化 ${run}`,
        description: '从两宋文化看今天的城市精神',
        capacity: 100,
        targetTiers: ['ordinary_citizen'],
        categories: ['ethics_etiquette'],
        startsAt: sessionStarts.toISOString(),
        endsAt: new Date(sessionStarts.getTime() + 2 * HOUR_MS).toISOString(),
        signUpWindow: {
          opensAt: new Date().toISOString(),
          closesAt: new Date(sessionStarts.getTime() - HOUR_MS).toISOString(),
        },
      });
      return { sessionId: String(session['id']), sessionVersion: Number(session['version']) };
    });
    const lectureSeat = await step('the citizen signs up for the lecture', () =>
      signUp('citizen', sessionId, 'lectures'),
    );
    expect(lectureSeat.status).toBe('confirmed');
    const reminders = notificationsDb.collection<{ enrollmentId: string; dueAt: Date }>(
      'reminders',
    );
    const remindersBefore = (start: Date) => [
      start.getTime() - 24 * HOUR_MS,
      start.getTime() - HOUR_MS,
    ];
    const dueTimes = async (): Promise<number[]> =>
      (await reminders.find({ enrollmentId: lectureSeat.id }).toArray())
        .map((reminder) => reminder.dueAt.getTime())
        .sort((a, b) => a - b);
    await step('its two reminders are planned', () =>
      eventually(
        'the reminders',
        async () => {
          const due = await dueTimes();
          return JSON.stringify(due) === JSON.stringify(remindersBefore(sessionStarts))
            ? due
            : undefined;
        },
        30_000,
      ),
    );
    const movedTo = cityAfternoon(new Date(), 6);
    await step('the lecture is rescheduled a day later', () =>
      expectCall(200, url('lectures'), 'POST', `/v1/sessions/${sessionId}:reschedule`, admin, {
        startsAt: movedTo.toISOString(),
        endsAt: new Date(movedTo.getTime() + 2 * HOUR_MS).toISOString(),
        reason: '专家行程调整',
        version: sessionVersion,
      }),
    );
    await step('the reminders move with it', () =>
      eventually(
        'the moved reminders',
        async () => {
          const due = await dueTimes();
          return JSON.stringify(due) === JSON.stringify(remindersBefore(movedTo)) ? due : undefined;
        },
        30_000,
      ),
    );

    await step('the citizen is told of the new time', () =>
      eventually(
        'the rescheduling notice',
        async () =>
          (await inboxOf('citizen')).find(
            (item) =>
              item.kind === 'event.rescheduled' &&
              `${item.title}${item.body}`.includes(`宋韵文化 ${run}`),
          ),
        30_000,
      ),
    );
    // Everyone who will has signed up: the organizer brings the club forward, so the journey need
    // not wait out the lead it gave the sign-ups (and the department hears of the move).
    await step('the reading club is brought forward', async () => {
      const current = await expectCall(
        200,
        url('activities'),
        'GET',
        `/v1/activities/${readingId ?? ''}`,
        admin,
      );
      const start = new Date(Date.now() + BROUGHT_FORWARD_LEAD_MS);
      endsAt = new Date(start.getTime() + BROUGHT_FORWARD_LENGTH_MS);
      await expectCall(
        200,
        url('activities'),
        'POST',
        `/v1/activities/${readingId ?? ''}:reschedule`,
        admin,
        {
          version: current['version'],
          schedule: { sessions: [{ start: start.toISOString(), end: endsAt.toISOString() }] },
          reason: '场地提前开放',
        },
      );
    });
    await step(
      'the reading club ends',
      () =>
        new Promise((resolve) =>
          setTimeout(resolve, Math.max(0, endsAt.getTime() - Date.now() + 1_000)),
        ),
    );

    const broker = brokerSwitch(servers.kafka);
    // The two that consume what attendance sets off: credits, and the notice of them.
    const failing = ['scoring', 'notifications'] as const;
    await step('scoring and notifications are killed (SIGKILL)', () =>
      Promise.all(failing.map((name) => platform.kill(name))),
    );
    if (broker !== undefined) await step('the broker connection is cut', () => broker.down());
    await step('attendance is recorded from the check-in', async () => {
      const recorded = await expectCall(
        200,
        url('registration'),
        'POST',
        `/v1/events/activities/${readingId ?? ''}/attendance`,
        officer,
        { by: 'check_in' },
      );
      expect(recorded).toMatchObject({ recorded: 1, alreadyRecorded: 0 });
    });
    if (broker !== undefined) {
      // Long enough for every producer and consumer to notice and retry.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      await step('the broker connection is restored', () => broker.up());
    } else {
      process.stdout.write(
        'the broker is not the local stand-in: no switch to cut it, that part is left out\n',
      );
    }
    await step('scoring and notifications are started again', () =>
      Promise.all(failing.map((name) => platform.start(name))),
    );

    // ── credits, leaderboard, record ────────────────────────────────────────
    const year = cityYearOf(startsAt);
    await step('the credits are awarded', () =>
      eventuallyFound(
        'the credits',
        url('scoring'),
        `/v1/me/record?year=${year}`,
        tokens.citizen,
        (body) => ((body['items'] as unknown[]).length > 0 ? body : undefined),
        60_000,
      ),
    );
    await step('the citizen is told of the credits', () =>
      eventually(
        'the credits notice',
        async () => (await inboxOf('citizen')).find((item) => item.kind === 'credits.awarded'),
        30_000,
      ),
    );
    await step('the leaderboard shows the citizen', () =>
      eventuallyFound(
        'the citizen on the board',
        url('scoring'),
        `/v1/public/leaderboards/persons-by-area/${township}?year=${year}`,
        null,
        (body) =>
          (body['items'] as { name: string; credits: string }[]).find(
            (item) => item.name === '林*燕' && item.credits === '2',
          ),
        // As long as the credits may take: the restarted scoring's groups rejoin one by one.
        60_000,
      ),
    );
    await step('the learning record exports and its code verifies', async () => {
      const exported = await fetch(`${url('scoring')}/v1/me/record.csv?year=${year}`, {
        headers: { authorization: `Bearer ${tokens.citizen}` },
      });
      expect(exported.status).toBe(200);
      expect(await exported.text()).toContain(titles.reading);
      const code = exported.headers.get('verification-code') ?? '';
      const verified = await expectCall(
        200,
        url('scoring'),
        'GET',
        `/v1/public/verifications/${code}`,
        null,
      );
      expect(verified).toMatchObject({
        genuine: true,
        code,
        year,
        credits: '2',
        entryCount: 1,
        status: 'current',
      });
    });

    // ── the fair is cancelled: the department hears of it too ───────────────
    await step('the book fair is cancelled', () =>
      expectCall(
        200,
        url('activities'),
        'POST',
        `/v1/activities/${fairId ?? ''}:cancel`,
        admin,
        {},
      ),
    );

    // ── the counts: nothing lost, nothing doubled ───────────────────────────
    const deliveries = await step('the webhook has the four activity events', () =>
      eventually(
        'four webhook deliveries',
        () => {
          const received = platform.sinks.receiver.requests.filter(
            (request) => request.path === WEBHOOK_PATH,
          );
          const distinct = new Set(received.map((request) => request.headers['webhook-id']));
          return distinct.size >= 4 ? received : undefined;
        },
        45_000,
      ),
    );
    await step('the counts are checked after a quiet moment', async () => {
      // Anything doubled would arrive within this wait: redeliveries follow within a second or two.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const verifier = new Webhook(secret);
      const events = deliveries.map((request) => {
        const headers = Object.fromEntries(
          ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => [
            name,
            String(request.headers[name]),
          ]),
        );
        return verifier.verify(request.body.toString('utf8'), headers) as {
          id: string;
          type: string;
          subject?: string;
        };
      });
      const received = platform.sinks.receiver.requests.filter(
        (request) => request.path === WEBHOOK_PATH,
      );
      expect(received, 'one delivery per event id').toHaveLength(4);
      expect(events.map((event) => event.type).sort()).toEqual(
        [
          activityEvents.ActivityCancelled.type,
          activityEvents.ActivityPublished.type,
          activityEvents.ActivityPublished.type,
          activityEvents.ActivityRescheduled.type,
        ].sort(),
      );

      const record = await expectCall(
        200,
        url('scoring'),
        'GET',
        `/v1/me/record?year=${year}`,
        tokens.citizen,
      );
      expect(record['items'], 'credits once').toHaveLength(1);

      for (const who of ['citizen', 'neighbour'] as const) {
        const notices = (await inboxOf(who)).filter((item) => item.kind === 'activity.published');
        for (const title of [titles.reading, titles.fair])
          expect(
            notices.filter((item) => `${item.title}${item.body}`.includes(title)),
            `one notice of ${title} for the ${who}`,
          ).toHaveLength(1);
      }
      const creditNotices = (await inboxOf('citizen')).filter(
        (item) => item.kind === 'credits.awarded',
      );
      expect(creditNotices, 'one credits notice').toHaveLength(1);
      expect(reachedEvents(), 'the standard reached once').toHaveLength(1);
    });
  });
});
