/**
 * Lecture sessions counted toward a campaign: the lectures service's session
 * events, produced to Kafka as lectures publishes them, reach activities'
 * consumer (group activities.lecture-sessions), and the campaign's progress
 * route counts them, whatever order and however often they arrive.
 */
import { lectureEvents } from '@learning/contracts';
import {
  newEvent,
  toCloudEvent,
  toKafkaMessage,
  topics,
  type EventDefinition,
} from '@learning/events';
import { lectures } from '@learning/proto';
import { describeWithServers, eventually } from '@learning/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITY, T1, T1_V1, T2, T2_V1 } from '../support/activities.js';
import { learningMonth } from '../support/campaigns.js';
import { useActivitiesStack } from '../support/stack.js';

const T3 = '330281003000';
const NEXT_YEAR = new Date().getUTCFullYear() + 1;
const HOUR = 3_600_000;

interface ProgressBody {
  lectureSessions: number;
  lectureAttendance: number;
  participantsReached: number;
  townships: {
    jurisdictionCode: string;
    lectureSessions: number;
    lectureAttendance: number;
    participantsReached: number;
  }[];
  goals: { metric: string; target: number; achieved: number; met: boolean }[];
}

describeWithServers(
  ['mongo', 'kafka', 'redis'],
  'activities: lecture sessions in campaign progress',
  (servers) => {
    const stack = useActivitiesStack(servers);
    let producer: Producer;
    let officer: string;
    let areaOfficer: string;

    beforeAll(async () => {
      producer = new Kafka({
        brokers: servers.kafka.brokers,
        logLevel: logLevel.NOTHING,
      }).producer();
      await producer.connect();
      officer = await stack.token({
        subject: 'xuanchuan-officer',
        roles: ['department_officer'],
        department: 'xuanchuan-bu',
        cityWide: true,
      });
      areaOfficer = await stack.token({
        subject: 't2-officer',
        roles: ['area_officer'],
        jurisdictions: [T2],
      });
    });
    afterAll(async () => {
      await producer.disconnect();
    });

    async function launchedCampaign(goals: { metric: string; target: number }[]): Promise<string> {
      const created = await stack.activities.send('POST', '/v1/campaigns', officer, {
        ...learningMonth(NEXT_YEAR),
        rule: null,
        goals,
      });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      expect(
        (await stack.activities.send('POST', `/v1/campaigns/${id}:launch`, officer, {})).status,
      ).toBe(200);
      return id;
    }

    const progressOf = async (campaignId: string, token = officer): Promise<ProgressBody> => {
      const response = await stack.activities.send(
        'GET',
        `/v1/campaigns/${campaignId}/progress`,
        token,
      );
      expect(response.status).toBe(200);
      return (await response.json()) as ProgressBody;
    };

    const summary = (
      sessionId: string,
      campaignId: string,
      path: string[],
      startsAt: Date,
    ): lectures.SessionSummary =>
      lectures.SessionSummary.fromPartial({
        sessionId,
        forumId: 'forum-renwen',
        leadDepartment: 'xuanchuan-bu',
        lectureType: 'history_culture',
        title: '玉海大讲坛 · 地方文化',
        startsAt,
        endsAt: new Date(startsAt.getTime() + 2 * HOUR),
        jurisdictionPath: path,
        townshipCode: path[1] ?? '',
        venueSetting: lectures.VenueSetting.VENUE_SETTING_COUNTRYSIDE,
        venueId: `venue-${sessionId}`,
        campaignId,
      });

    /**
     * Produces lectures' events as its relay does, all under one key so that
     * they share a partition and are consumed in the order given (the stale
     * ones included). Returns the CloudEvent ids, to send one again.
     */
    async function produce(
      events: {
        definition: EventDefinition<unknown>;
        sessionId: string;
        data: unknown;
        id?: string;
      }[],
    ): Promise<string[]> {
      const cloudEvents = events.map(({ definition, sessionId, data, id }) => {
        const event = toCloudEvent(newEvent(definition, sessionId, data), '/learning/lectures');
        return id === undefined ? event : { ...event, id };
      });
      await producer.send({
        topic: topics.lecturesSessions.name,
        messages: cloudEvents.map((event) => ({ ...toKafkaMessage(event), key: 'one-partition' })),
      });
      return cloudEvents.map((event) => event.id);
    }
    const scheduled = (session: lectures.SessionSummary, scheduledAt: Date) => ({
      definition: lectureEvents.SessionScheduled as EventDefinition<unknown>,
      sessionId: session.sessionId,
      data: lectures.SessionScheduled.fromPartial({ session, scheduledAt }),
    });
    const rescheduled = (session: lectures.SessionSummary, rescheduledAt: Date) => ({
      definition: lectureEvents.SessionRescheduled as EventDefinition<unknown>,
      sessionId: session.sessionId,
      data: lectures.SessionRescheduled.fromPartial({
        sessionId: session.sessionId,
        startsAt: session.startsAt,
        endsAt: session.endsAt,
        reason: '场地调整',
        rescheduledAt,
        jurisdictionPath: session.jurisdictionPath,
        session,
      }),
    });
    const cancelled = (session: lectures.SessionSummary, cancelledAt: Date) => ({
      definition: lectureEvents.SessionCancelled as EventDefinition<unknown>,
      sessionId: session.sessionId,
      data: lectures.SessionCancelled.fromPartial({
        sessionId: session.sessionId,
        reason: '讲师因故无法到场',
        cancelledAt,
        forum: session.forumId,
        jurisdictionPath: session.jurisdictionPath,
        session,
      }),
    });
    const held = (session: lectures.SessionSummary, attendanceCount: number, heldAt: Date) => ({
      definition: lectureEvents.SessionHeld as EventDefinition<unknown>,
      sessionId: session.sessionId,
      data: lectures.SessionHeld.fromPartial({ session, attendanceCount, heldAt }),
    });

    /** Waits until the marker campaign counts its one session: everything produced before it was consumed. */
    async function consumedUpTo(markerCampaign: string, sessions: number): Promise<void> {
      await eventually(`${sessions} lecture session(s) of the marker campaign`, async () =>
        (await progressOf(markerCampaign)).lectureSessions === sessions ? true : undefined,
      );
    }

    describe('the learning month’s progress', () => {
      it('when sessions are scheduled, moved, cancelled and held, some out of order and some twice, then progress counts each live session once per township, with the attendance of the held ones', async () => {
        const month = await launchedCampaign([
          { metric: 'lecture_sessions', target: 3 },
          { metric: 'participants_reached', target: 50 },
        ]);
        const marker = await launchedCampaign([{ metric: 'lecture_sessions', target: 1 }]);
        const start = new Date(Date.now() + 48 * HOUR);
        const t = (minutes: number) => new Date(Date.now() - HOUR + minutes * 60_000);
        const inT1 = summary('s-t1', month, [CITY, T1, T1_V1], start);
        // First placed in T3, then moved to a village of T2.
        const firstInT3 = summary('s-t2', month, [CITY, T3], start);
        const inT2 = summary('s-t2', month, [CITY, T2, T2_V1], new Date(start.getTime() + HOUR));
        const heldInT2 = summary('s-t2-held', month, [CITY, T2], start);
        const cancelledInT3 = summary('s-t3-cancelled', month, [CITY, T3], start);
        const cancelledFirst = summary('s-t1-cancelled-first', month, [CITY, T1], start);
        const otherCampaign = summary('s-other', marker, [CITY, T3], start);

        const heldIds = await produce([
          scheduled(inT1, t(0)),
          scheduled(firstInT3, t(0)),
          // The move to T2 wins; an older reschedule (still in T3) delivered after it changes nothing.
          rescheduled(inT2, t(5)),
          rescheduled(firstInT3, t(2)),
          scheduled(heldInT2, t(0)),
          held(heldInT2, 40, t(30)),
          scheduled(cancelledInT3, t(0)),
          cancelled(cancelledInT3, t(10)),
          // A reschedule made before the cancellation, delivered after it: the session stays cancelled.
          rescheduled(cancelledInT3, t(5)),
          // The cancellation arrives before the scheduling it undoes.
          cancelled(cancelledFirst, t(10)),
          scheduled(cancelledFirst, t(0)),
        ]);
        // The held event again: once redelivered under the same id, once republished under a new one.
        const heldEvent = held(heldInT2, 40, t(30));
        await produce([{ ...heldEvent, id: heldIds[5] ?? '' }, heldEvent]);
        await produce([scheduled(otherCampaign, t(0))]);
        await consumedUpTo(marker, 1);

        const progress = await progressOf(month);
        expect({
          total: [
            progress.lectureSessions,
            progress.lectureAttendance,
            progress.participantsReached,
          ],
          townships: Object.fromEntries(
            progress.townships.map((township) => [
              township.jurisdictionCode,
              [township.lectureSessions, township.lectureAttendance],
            ]),
          ),
          goals: Object.fromEntries(
            progress.goals.map((goal) => [goal.metric, [goal.achieved, goal.met]]),
          ),
        }).toEqual({
          total: [3, 40, 40],
          townships: { [T1]: [1, 0], [T2]: [2, 40], [T3]: [0, 0] },
          goals: { lecture_sessions: [3, true], participants_reached: [40, false] },
        });

        // An area officer counts the sessions of their township only.
        const t2Only = await progressOf(month, areaOfficer);
        expect([t2Only.lectureSessions, t2Only.lectureAttendance]).toEqual([2, 40]);
      });

      it('when a session is cancelled after it was counted, then it is no longer counted, and no reschedule delivered after it brings it back, stale or stamped later', async () => {
        const month = await launchedCampaign([{ metric: 'lecture_sessions', target: 1 }]);
        const marker = await launchedCampaign([{ metric: 'lecture_sessions', target: 1 }]);
        const session = summary(
          's-late-cancel',
          month,
          [CITY, T1],
          new Date(Date.now() + 72 * HOUR),
        );
        const t = (minutes: number) => new Date(Date.now() - HOUR + minutes * 60_000);
        await produce([scheduled(session, t(0))]);
        await eventually('the session counted', async () =>
          (await progressOf(month)).lectureSessions === 1 ? true : undefined,
        );
        expect((await progressOf(month)).goals).toEqual([
          { metric: 'lecture_sessions', target: 1, achieved: 1, met: true },
        ]);

        await produce([
          cancelled(session, t(20)),
          rescheduled(session, t(10)),
          // Stamped after the cancellation (a lectures replica whose clock runs ahead): no revival either.
          rescheduled(session, t(25)),
          scheduled(
            summary('s-marker', marker, [CITY, T2], new Date(Date.now() + 72 * HOUR)),
            t(0),
          ),
        ]);
        await consumedUpTo(marker, 1);
        expect((await progressOf(month)).goals).toEqual([
          { metric: 'lecture_sessions', target: 1, achieved: 0, met: false },
        ]);
      });

      it('when a campaign is created with an unknown goal metric, then it is a 400 and lecture_sessions is among those allowed', async () => {
        const response = await stack.activities.send('POST', '/v1/campaigns', officer, {
          ...learningMonth(NEXT_YEAR),
          rule: null,
          goals: [{ metric: 'lectures_per_township', target: 1 }],
        });
        expect(response.status).toBe(400);
        const body = (await response.json()) as { code: string; message: string };
        expect(body.code).toBe('VALIDATION_FAILED');
        const docs = (await (await stack.activities.send('GET', '/docs/json', null)).json()) as {
          components?: unknown;
        };
        expect(JSON.stringify(docs)).toContain('lecture_sessions');
      });
    });
  },
);
