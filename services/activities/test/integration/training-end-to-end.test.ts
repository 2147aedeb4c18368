/**
 * A training class from the programme to the certificate with nothing made by
 * hand: the lead department's programme, quota and class through activities'
 * routes, sign-ups through registration (which asks activities for the class
 * and its sessions), per-session check-ins at registration's door, the hours
 * counted from registration's events, the skills test, the completion with
 * its certificate, the public check of its code, the trainee's own view and
 * the quota report.
 */
import { randomUUID } from 'node:crypto';
import { activityEvents } from '@learning/contracts';
import { chinaYearOf } from '@learning/domain';
import { topics } from '@learning/events';
import { describeWithServers, watchTopics, type TopicWatch } from '@learning/testing';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import {
  about,
  CITY,
  eventOf,
  idNumberOf,
  idOf,
  request,
  T1,
  T1_V1,
  T1_V2,
  type Reply,
} from '../support/activities.js';
import { useActivitiesStack } from '../support/stack.js';

const MINUTE = 60_000;
/** Registration's events reach activities through Kafka and the stand-ins: seconds, not instants. */
const SETTLED = { timeout: 30_000, interval: 200 };
const LEAD = 'laodong-shebao-ju';

interface Enrollment {
  id: string;
  status: string;
  qrPayload: string;
}

describeWithServers(['mongo', 'kafka', 'redis'], 'a training class end to end', (servers) => {
  const stack = useActivitiesStack(servers);
  let watch: TopicWatch;
  const tokens = {} as Record<'lead' | 'areaOfficer', string>;
  const trainees: string[] = [];

  const registrationCall = async (
    method: string,
    path: string,
    token: string,
    body?: unknown,
  ): Promise<Reply> => {
    const response = await stack.registration.send(method, path, token, body);
    const text = await response.text();
    return {
      status: response.status,
      body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>,
    };
  };
  const ok = (reply: Reply, status = 200): Reply => {
    expect(reply.status, JSON.stringify(reply.body)).toBe(status);
    return reply;
  };

  beforeAll(async () => {
    watch = await watchTopics(servers.kafka, [topics.activitiesTraining.name]);
    tokens.lead = await stack.token({
      subject: `lead-${randomUUID()}`,
      roles: ['department_officer'],
      department: LEAD,
      cityWide: true,
    });
    tokens.areaOfficer = await stack.token({
      subject: `officer-${randomUUID()}`,
      roles: ['area_officer'],
      jurisdictions: [T1],
    });
    for (const [n, home] of [T1_V1, T1_V2, T1_V1].entries()) {
      const token = await stack.token({
        subject: `trainee-${n}-${randomUUID().slice(0, 8)}`,
        roles: ['participant'],
      });
      ok(
        await registrationCall('POST', '/v1/participants', token, {
          name: `学员${n + 1}`,
          tier: 'ordinary_citizen',
          homeJurisdiction: home,
          idNumber: idNumberOf(900 + n),
          language: 'zh-CN',
          consent: { notifications: true },
        }),
        201,
      );
      trainees.push(token);
    }
  });
  afterAll(async () => {
    await watch.stop();
  });

  it('when a class fills and grows, is attended session by session and tested, then the trainee completes once with a certificate anyone can check, and the township’s quota counts them', async () => {
    const year = chinaYearOf(new Date());
    const programmeId = idOf(
      ok(
        await request(stack, 'POST', '/v1/training/programmes', tokens.lead, {
          title: '十万农村劳动力素质培训工程',
          leadDepartment: LEAD,
          jurisdictionCode: CITY,
          firstYear: year,
          lastYear: year + 1,
          targetGroups: ['rural_labour', 'farmers'],
          categories: ['science_culture_skills'],
          requiredMinutes: 50,
          skillsTest: true,
        }),
        201,
      ),
    );
    ok(
      await request(
        stack,
        'PUT',
        `/v1/training/programmes/${programmeId}/quotas/${year}`,
        tokens.lead,
        {
          quotas: [{ jurisdictionCode: T1, people: 40 }],
        },
      ),
    );
    ok(
      await request(
        stack,
        'POST',
        `/v1/training/programmes/${programmeId}:launch`,
        tokens.lead,
        {},
      ),
    );

    // Two 25-minute sessions starting within the hour: registration's check-in window is open for both.
    const start = Date.now() + 10 * MINUTE;
    const classId = idOf(
      ok(
        await request(stack, 'POST', '/v1/training/classes', tokens.lead, {
          programmeId,
          organizer: { kind: 'department', departmentCode: LEAD },
          jurisdictionCode: T1_V1,
          title: '茶叶种植与加工技术培训班',
          venueName: '村文化礼堂',
          capacity: 2,
          targetGroups: ['farmers'],
          trainers: [{ name: '陈农技' }],
          sessions: [
            {
              start: new Date(start).toISOString(),
              end: new Date(start + 25 * MINUTE).toISOString(),
              topic: '茶园管理',
            },
            {
              start: new Date(start + 30 * MINUTE).toISOString(),
              end: new Date(start + 55 * MINUTE).toISOString(),
              topic: '名优茶加工',
            },
          ],
        }),
        201,
      ),
    );
    ok(await request(stack, 'POST', `/v1/training/classes/${classId}:publish`, tokens.lead, {}));
    const published = ok(
      await request(stack, 'GET', `/v1/training/classes/${classId}`, tokens.lead),
    );
    const sessionIds = (published.body['sessions'] as { id: string }[]).map(
      (session) => session.id,
    );
    expect(sessionIds).toHaveLength(2);

    // Filled: two seats, the third person waits.
    const enrollments: Enrollment[] = [];
    for (const token of trainees) {
      const signUp = ok(
        await registrationCall('POST', '/v1/enrollments', token, {
          owner: 'training',
          eventId: classId,
        }),
        201,
      );
      enrollments.push(signUp.body as unknown as Enrollment);
    }
    expect(enrollments.map((enrollment) => enrollment.status)).toEqual([
      'confirmed',
      'confirmed',
      'waitlisted',
    ]);
    const [first, second, third] = enrollments;
    if (first === undefined || second === undefined || third === undefined)
      throw new Error('three people signed up');

    // Registration's figures bind the organizer; a bigger room seats the one waiting.
    const smaller = await request(
      stack,
      'POST',
      `/v1/training/classes/${classId}:reschedule`,
      tokens.lead,
      {
        capacity: 1,
        reason: '教室调整',
      },
    );
    expect(smaller.status).toBe(409);
    expect(smaller.body['code']).toBe('TRAINING_CLASS_CAPACITY_BELOW_ENROLLMENT');
    ok(
      await request(stack, 'POST', `/v1/training/classes/${classId}:reschedule`, tokens.lead, {
        capacity: 3,
        reason: '换到更大的教室',
      }),
    );
    await vi.waitFor(async () => {
      const mine = ok(await registrationCall('GET', '/v1/me/enrollments', trainees[2] ?? '')).body[
        'items'
      ] as { id: string; status: string }[];
      expect(mine.find((enrollment) => enrollment.id === third.id)?.status).toBe('confirmed');
    }, SETTLED);

    // The first trainee attends both sessions, each scanned twice; the second only the first.
    const scan = (qr: string, sessionId: string | undefined) =>
      registrationCall('POST', '/v1/check-ins', tokens.areaOfficer, { qr, sessionId });
    for (const sessionId of sessionIds) {
      expect(ok(await scan(first.qrPayload, sessionId)).body['outcome']).toBe('checked_in');
      expect(ok(await scan(first.qrPayload, sessionId)).body['outcome']).toBe('already_checked_in');
    }
    ok(await scan(second.qrPayload, sessionIds[0]));

    const [firstTrainee, secondTrainee] = trainees;
    if (firstTrainee === undefined || secondTrainee === undefined) throw new Error('no trainees');
    const mine = async (token: string) =>
      ok(await request(stack, 'GET', '/v1/me/training', token)).body['items'] as {
        programmeId: string;
        minutes: number;
        completedAt: string | null;
        certificateCode: string | null;
      }[];
    await vi.waitFor(async () => {
      expect(
        (await mine(firstTrainee)).find((item) => item.programmeId === programmeId),
      ).toMatchObject({
        minutes: 50,
        completedAt: null,
      });
      expect(
        (await mine(secondTrainee)).find((item) => item.programmeId === programmeId),
      ).toMatchObject({
        minutes: 25,
      });
    }, SETTLED);

    // The hours are met; the passed test completes it.
    const participantId = (
      ok(await registrationCall('GET', '/v1/me/participant', firstTrainee)).body as { id: string }
    ).id;
    ok(
      await request(
        stack,
        'PUT',
        `/v1/training/classes/${classId}/skills-tests/${participantId}`,
        tokens.lead,
        { passed: true, score: 86, testedOn: new Date().toISOString().slice(0, 10) },
      ),
    );
    const code = await vi.waitFor(async () => {
      const item = (await mine(firstTrainee)).find((entry) => entry.programmeId === programmeId);
      expect(item?.completedAt).not.toBeNull();
      expect(item?.certificateCode).toMatch(/^TC\d{2}(-[0-9A-Z]{4}){6}$/);
      return item?.certificateCode ?? '';
    }, SETTLED);

    const verified = ok(
      await request(stack, 'GET', `/v1/public/training/certificates/${code.toLowerCase()}`, null),
    );
    expect(verified.body).toMatchObject({ code, programmeTitle: '十万农村劳动力素质培训工程' });
    expect(JSON.stringify(verified.body)).not.toContain('学员1');

    await vi.waitFor(() => {
      const completions = watch.messages
        .filter((message) => eventOf(message).type === activityEvents.TrainingCompleted.type)
        .map(
          (message) =>
            eventOf(message).data as { participantId: string; routing?: { programmeId: string } },
        )
        .filter((data) => data.routing?.programmeId === programmeId);
      expect(completions).toEqual([expect.objectContaining({ participantId })]);
    }, SETTLED);
    expect(watch.messages.filter(about(classId)).map((message) => eventOf(message).type)).toContain(
      activityEvents.TrainingClassPublished.type,
    );

    // The township's quota counts both trained, one completed; the area officer sees it too.
    for (const token of [tokens.lead, tokens.areaOfficer]) {
      const progress = ok(
        await request(
          stack,
          'GET',
          `/v1/training/programmes/${programmeId}/progress?year=${year}`,
          token,
        ),
      );
      expect(progress.body['townships']).toEqual([
        expect.objectContaining({ jurisdictionCode: T1, quota: 40, trained: 2, completed: 1 }),
      ]);
    }
  });
});
