import { PermanentEventError } from '@learning/events';
import { activities, common, lectures, registration } from '@learning/proto';
import { rejectionOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import { recordOrganizedActivity } from '../../../src/application/credits/activity-organized.js';
import {
  recordAttendance,
  withdrawAttendance,
  withdrawInvalidatedCheckIn,
} from '../../../src/application/credits/attendance.js';
import { recordBookDonation } from '../../../src/application/credits/book-donated.js';
import { recordContestResults } from '../../../src/application/credits/contest-placed.js';
import { recordLessonCompleted } from '../../../src/application/credits/lesson-completed.js';
import { recordRecognition } from '../../../src/application/credits/organization-recognized.js';
import {
  recordTrainingCompleted,
  recordTrainingSessionAttended,
} from '../../../src/application/credits/training.js';
import { sourceDeps } from './credits-fakes.js';

const CITY = '330281000000';
const HOME = [CITY, '330281001000'];
const TIME = '2026-04-01T00:00:00.000Z';
const cityTime = (local: string): Date => new Date(`${local}:00+08:00`);
const event = <T>(data: T, id = 'event-1') => ({ id, time: TIME, data });

const attendance = (overrides: Partial<registration.AttendanceRecorded> = {}) =>
  registration.AttendanceRecorded.fromPartial({
    enrollmentId: 'e1',
    event: { owner: 'lectures', eventId: 'session-1' },
    participantId: 'p1',
    attendedAt: cityTime('2026-04-01T11:30'),
    accountSubject: 'account-p1',
    attendee: {
      tier: common.Tier.TIER_ORDINARY_CADRE,
      jurisdictionPath: HOME,
      organizationIds: ['org-1'],
    },
    attendedEvent: {
      title: '玉海大讲坛',
      categories: [
        common.ContentCategory.CONTENT_CATEGORY_ETHICS_ETIQUETTE,
        common.ContentCategory.CONTENT_CATEGORY_POLITICAL_THEORY,
      ],
      campaignId: 'april',
      startsAt: cityTime('2026-04-01T09:00'),
      endsAt: cityTime('2026-04-01T11:00'),
      learningMinutes: 100,
    },
    ...overrides,
  });

describe('attendance recorded', () => {
  it('when the event carries the attendee and the attended event, then the fact is theirs, dated at the start', async () => {
    const deps = sourceDeps();
    await recordAttendance(deps)(event(attendance()));
    expect(deps.facts.attendances).toEqual([
      {
        attendedAt: cityTime('2026-04-01T11:30'),
        fact: {
          sourceId: 'attendance:e1',
          source: 'lecture_attended',
          holder: { kind: 'person', id: 'p1' },
          sourceEventId: 'event-1',
          occurredAt: cityTime('2026-04-01T09:00'),
          year: 2026,
          category: 'ethics_etiquette',
          tier: 'ordinary_cadre',
          minutes: 100,
          units: 0,
          rank: null,
          campaignId: 'april',
          jurisdictionPath: HOME,
          organizationIds: ['org-1'],
          title: '玉海大讲坛',
          withdrawnAt: null,
        },
      },
    ]);
    expect(deps.evaluated).toEqual([{ holder: { kind: 'person', id: 'p1' }, year: 2026 }]);
    expect(deps.metrics.stored).toEqual(['lecture_attended']);
  });

  it('when each owner records attendance, then it becomes its own source kind', async () => {
    const deps = sourceDeps();
    for (const owner of ['activities', 'lectures'])
      await recordAttendance(deps)(event(attendance({ event: { owner, eventId: 'x' } })));
    expect(deps.facts.attendances.map(({ fact }) => fact.source)).toEqual([
      'activity_attended',
      'lecture_attended',
    ]);
  });

  // Decision 0018: a class's span would count the weeks between its sessions; the sessions credit it.
  it('when a training class’s attendance is recorded or withdrawn, then nothing is stored, withdrawn or dead-lettered', async () => {
    const deps = sourceDeps();
    const training = { owner: 'training', eventId: 'class-1' };
    await recordAttendance(deps)(event(attendance({ event: training })));
    await withdrawAttendance(deps)(
      event(
        registration.AttendanceWithdrawn.fromPartial({
          enrollmentId: 'e1',
          event: training,
          participantId: 'p1',
          withdrawnAt: cityTime('2026-04-02T09:00'),
        }),
      ),
    );
    await withdrawInvalidatedCheckIn(deps)(
      event(
        registration.CheckInInvalidated.fromPartial({
          enrollmentId: 'e1',
          event: training,
          participantId: 'p1',
          attendanceWithdrawn: true,
          invalidatedAt: cityTime('2026-04-03T10:00'),
        }),
      ),
    );
    expect(deps.facts.attendances).toEqual([]);
    expect(deps.facts.withdrawals).toEqual([]);
    expect(deps.evaluated).toEqual([]);
  });

  it('when the person’s data was erased here, then a late attendance, withdrawal, lesson, training or contest place about them is dropped, not dead-lettered', async () => {
    const deps = sourceDeps();
    deps.erasedIds.add('p1');
    deps.directory.people.set('p2', {
      tier: 'ordinary_citizen',
      jurisdictionPath: HOME,
      organizationIds: [],
    });
    await recordAttendance(deps)(event(attendance()));
    await withdrawAttendance(deps)(
      event(
        registration.AttendanceWithdrawn.fromPartial({
          enrollmentId: 'e1',
          event: { owner: 'lectures', eventId: 'session-1' },
          participantId: 'p1',
          withdrawnAt: cityTime('2026-04-02T09:00'),
        }),
      ),
    );
    await recordLessonCompleted(deps)(
      event(
        lectures.LessonCompleted.fromPartial({
          completionId: 'c1',
          participantId: 'p1',
          completedAt: cityTime('2026-04-03T09:00'),
          creditedSeconds: 600,
        }),
      ),
    );
    await recordTrainingSessionAttended(deps)(
      event(
        activities.TrainingSessionAttended.fromPartial({
          attendanceId: 'a1',
          participantId: 'p1',
          startsAt: cityTime('2026-04-04T19:00'),
          learningMinutes: 90,
        }),
      ),
    );
    await recordTrainingCompleted(deps)(
      event(
        activities.TrainingCompleted.fromPartial({
          completionId: 't1',
          participantId: 'p1',
          completedAt: cityTime('2026-04-05T19:00'),
        }),
      ),
    );
    await recordContestResults(deps)(
      event(
        activities.ContestResultsPublished.fromPartial({
          contestId: 'c1',
          rankings: [
            { participantId: 'p1', rank: 1 },
            { participantId: 'p2', rank: 2 },
          ],
          publishedAt: cityTime('2026-04-10T10:00'),
        }),
      ),
    );
    expect(deps.facts.attendances).toEqual([]);
    expect(deps.facts.withdrawals).toEqual([]);
    // The contest's other placed participant is still credited.
    expect(deps.facts.recorded.map((fact) => fact.holder.id)).toEqual(['p2']);
    expect(deps.evaluated.map(({ holder }) => holder.id)).toEqual(['p2']);
  });

  it('when the event has no start or no learning minutes, then the recording time and the event’s length stand in', async () => {
    const deps = sourceDeps();
    await recordAttendance(deps)(
      event(
        attendance({
          attendedEvent: {
            title: '',
            categories: [],
            campaignId: '',
            startsAt: undefined,
            endsAt: undefined,
            learningMinutes: 0,
            jurisdictionPath: [],
            organizerOrganizationId: '',
          },
        }),
      ),
    );
    await recordAttendance(deps)(
      event(
        attendance({
          attendedEvent: {
            title: '讲座',
            categories: [],
            campaignId: '',
            startsAt: cityTime('2026-04-01T09:00'),
            endsAt: cityTime('2026-04-01T10:45'),
            learningMinutes: 0,
            jurisdictionPath: [],
            organizerOrganizationId: '',
          },
        }),
      ),
    );
    const [first, second] = deps.facts.attendances.map(({ fact }) => fact);
    expect(first).toMatchObject({
      occurredAt: cityTime('2026-04-01T11:30'),
      minutes: 0,
      category: null,
      campaignId: null,
      title: 'session-1',
    });
    expect(second).toMatchObject({ minutes: 105 });
  });

  it('when the event predates `attendee`, then the person’s place is read from registration’s directory', async () => {
    const deps = sourceDeps();
    deps.directory.people.set('p1', {
      tier: 'ordinary_citizen',
      jurisdictionPath: [CITY],
      organizationIds: [],
    });
    await recordAttendance(deps)(event(attendance({ attendee: undefined })));
    expect(deps.facts.attendances[0]?.fact).toMatchObject({
      tier: 'ordinary_citizen',
      jurisdictionPath: [CITY],
      organizationIds: [],
    });
  });

  it('when registration does not know the person, or the event lacks its enrollment, time or a known owner, then it is dead-lettered', async () => {
    const deps = sourceDeps();
    const refusals = await Promise.all(
      [
        attendance({ attendee: undefined }),
        attendance({ enrollmentId: '' }),
        attendance({ participantId: '' }),
        attendance({ attendedAt: undefined }),
        attendance({ event: { owner: 'library', eventId: 'x' } }),
        attendance({ event: undefined }),
      ].map((data) => rejectionOf(recordAttendance(deps)(event(data)))),
    );
    for (const refusal of refusals) expect(refusal).toBeInstanceOf(PermanentEventError);
    expect(deps.facts.attendances).toEqual([]);
  });
});

describe('attendance withdrawn', () => {
  const withdrawal = registration.AttendanceWithdrawn.fromPartial({
    enrollmentId: 'e1',
    event: { owner: 'activities', eventId: 'a1' },
    participantId: 'p1',
    attendedAt: cityTime('2026-04-01T11:30'),
    withdrawnAt: cityTime('2026-04-02T09:00'),
  });

  it('when a withdrawal arrives, then the attendance is withdrawn with its times, and its holder evaluated if it was reported', async () => {
    const deps = sourceDeps();
    await withdrawAttendance(deps)(event(withdrawal, 'w1'));
    expect(deps.facts.withdrawals).toEqual([
      {
        sourceId: 'attendance:e1',
        source: 'activity_attended',
        holder: { kind: 'person', id: 'p1' },
        sourceEventId: 'w1',
        attendedAt: cityTime('2026-04-01T11:30'),
        withdrawnAt: cityTime('2026-04-02T09:00'),
      },
    ]);
    // A stub holds nothing: no evaluation until the attendance arrives.
    expect(deps.evaluated).toEqual([]);

    deps.facts.withdrawn = { holder: { kind: 'person', id: 'p1' }, year: 2026 } as never;
    await withdrawAttendance(deps)(event(withdrawal, 'w1'));
    expect(deps.evaluated).toEqual([{ holder: { kind: 'person', id: 'p1' }, year: 2026 }]);
  });

  it('when a check-in is invalidated, then only one that withdrew the attendance withdraws it, at the invalidation time', async () => {
    const deps = sourceDeps();
    const invalidated = (attendanceWithdrawn: boolean) =>
      registration.CheckInInvalidated.fromPartial({
        enrollmentId: 'e1',
        event: { owner: 'lectures', eventId: 's1' },
        participantId: 'p1',
        attendanceWithdrawn,
        invalidatedAt: cityTime('2026-04-03T10:00'),
      });
    await withdrawInvalidatedCheckIn(deps)(event(invalidated(false)));
    expect(deps.facts.withdrawals).toEqual([]);
    await withdrawInvalidatedCheckIn(deps)(event(invalidated(true)));
    expect(deps.facts.withdrawals).toEqual([
      expect.objectContaining({
        sourceId: 'attendance:e1',
        source: 'lecture_attended',
        attendedAt: null,
        withdrawnAt: cityTime('2026-04-03T10:00'),
      }),
    ]);
  });

  it('when a withdrawal lacks its enrollment, then it is dead-lettered', async () => {
    const deps = sourceDeps();
    const refusal = await rejectionOf(
      withdrawAttendance(deps)(event({ ...withdrawal, enrollmentId: '' })),
    );
    expect(refusal).toBeInstanceOf(PermanentEventError);
  });
});

describe('the other sources', () => {
  const person = {
    tier: 'ordinary_citizen' as const,
    jurisdictionPath: HOME,
    organizationIds: ['org-1'],
  };
  const enterprise = { tier: null, jurisdictionPath: HOME, organizationIds: ['ent-1'] };

  it('when a lesson is completed, then whole credited minutes count and the person comes from the directory', async () => {
    const deps = sourceDeps();
    deps.directory.people.set('p1', person);
    await recordLessonCompleted(deps)(
      event(
        lectures.LessonCompleted.fromPartial({
          completionId: 'l1:p1',
          lessonId: 'l1',
          lessonTitle: '宋韵文化',
          participantId: 'p1',
          categories: [common.ContentCategory.CONTENT_CATEGORY_SCIENCE_CULTURE_SKILLS],
          creditedSeconds: 1799,
          completedAt: cityTime('2026-04-05T20:00'),
        }),
      ),
    );
    expect(deps.facts.recorded).toEqual([
      expect.objectContaining({
        sourceId: 'lesson:l1:p1',
        source: 'lesson_completed',
        holder: { kind: 'person', id: 'p1' },
        minutes: 29,
        category: 'science_culture_skills',
        tier: 'ordinary_citizen',
        jurisdictionPath: HOME,
        title: '宋韵文化',
      }),
    ]);
  });

  it('when contest results are published, then one fact per ranked participant, with the rank', async () => {
    const deps = sourceDeps();
    deps.directory.people.set('p1', person);
    deps.directory.people.set('p2', person);
    await recordContestResults(deps)(
      event(
        activities.ContestResultsPublished.fromPartial({
          contestId: 'c1',
          title: '读书征文',
          rankings: [
            { entryId: 'x', participantId: 'p1', rank: 1, scoreMillis: '9000' },
            { entryId: 'y', participantId: 'p2', rank: 2, scoreMillis: '8000' },
          ],
          publishedAt: cityTime('2026-04-10T10:00'),
          campaignId: 'april',
        }),
      ),
    );
    expect(
      deps.facts.recorded.map((fact) => [fact.sourceId, fact.holder.id, fact.rank, fact.units]),
    ).toEqual([
      ['contest:c1:p1', 'p1', 1, 0],
      ['contest:c1:p2', 'p2', 2, 0],
    ]);
    expect(deps.evaluated.map(({ holder }) => holder.id)).toEqual(['p1', 'p2']);
  });

  it('when a ranking has no rank from 1, then the results are dead-lettered before anything is stored', async () => {
    const deps = sourceDeps();
    deps.directory.people.set('p1', person);
    const refusal = await rejectionOf(
      recordContestResults(deps)(
        event(
          activities.ContestResultsPublished.fromPartial({
            contestId: 'c1',
            rankings: [
              { participantId: 'p1', rank: 1 },
              { participantId: 'p2', rank: 0 },
            ],
            publishedAt: new Date(TIME),
          }),
        ),
      ),
    );
    expect(refusal).toBeInstanceOf(PermanentEventError);
    expect(deps.facts.recorded).toEqual([]);
  });

  it('when an enterprise donates books, then it holds the fact, by the book, at the city midnight of the day', async () => {
    const deps = sourceDeps();
    deps.directory.organizations.set('ent-1', enterprise);
    const donation = activities.BookDonationRecorded.fromPartial({
      donationId: 'd1',
      enterpriseId: 'ent-1',
      bookCount: 120,
      donatedOn: '2026-01-01',
    });
    await recordBookDonation(deps)(event(donation));
    expect(deps.facts.recorded).toEqual([
      expect.objectContaining({
        sourceId: 'donation:d1',
        source: 'book_donated',
        holder: { kind: 'organization', id: 'ent-1' },
        units: 120,
        occurredAt: new Date('2025-12-31T16:00:00.000Z'),
        year: 2026,
        tier: null,
        organizationIds: ['ent-1'],
      }),
    ]);
    for (const bad of [{ donatedOn: '2026-02-30' }, { bookCount: 0 }, { enterpriseId: 'unknown' }])
      expect(
        await rejectionOf(recordBookDonation(deps)(event({ ...donation, ...bad }))),
      ).toBeInstanceOf(PermanentEventError);
  });

  it('when an organization is recognized, then once, and never for a reinstatement', async () => {
    const deps = sourceDeps();
    const decided = (fromStatus: registration.OrganizationStatus, reinstatement: boolean) =>
      registration.OrganizationDecided.fromPartial({
        organizationId: 'o1',
        routing: { jurisdictionPath: HOME },
        fromStatus,
        toStatus: registration.OrganizationStatus.ORGANIZATION_STATUS_RECOGNIZED,
        decidedAt: cityTime('2026-05-01T10:00'),
        reinstatement,
      });
    await recordRecognition(deps)(
      event(decided(registration.OrganizationStatus.ORGANIZATION_STATUS_UNDER_REVIEW, false)),
    );
    await recordRecognition(deps)(
      event(decided(registration.OrganizationStatus.ORGANIZATION_STATUS_SUSPENDED, true)),
    );
    // An older event without the flag: coming out of suspension says the same.
    await recordRecognition(deps)(
      event(decided(registration.OrganizationStatus.ORGANIZATION_STATUS_SUSPENDED, false)),
    );
    expect(deps.facts.recorded).toEqual([
      expect.objectContaining({
        sourceId: 'recognition:o1',
        holder: { kind: 'organization', id: 'o1' },
        jurisdictionPath: HOME,
        organizationIds: ['o1'],
      }),
    ]);
  });

  it('when an activity completes, then only an organization organizer is credited, by its learning minutes', async () => {
    const deps = sourceDeps();
    deps.directory.organizations.set('o1', { ...enterprise, organizationIds: ['o1'] });
    const completed = (organizerKind: activities.OrganizerKind) =>
      activities.ActivityCompleted.fromPartial({
        activityId: 'a1',
        completedAt: cityTime('2026-04-20T18:00'),
        organizerKind,
        organizerId: 'o1',
        title: '读书会',
        startsAt: cityTime('2026-04-20T09:00'),
        learningMinutes: 180,
      });
    await recordOrganizedActivity(deps)(
      event(completed(activities.OrganizerKind.ORGANIZER_KIND_DEPARTMENT)),
    );
    await recordOrganizedActivity(deps)(
      event(completed(activities.OrganizerKind.ORGANIZER_KIND_ORGANIZATION)),
    );
    expect(deps.facts.recorded).toEqual([
      expect.objectContaining({
        sourceId: 'organized:a1',
        source: 'activity_organized',
        holder: { kind: 'organization', id: 'o1' },
        occurredAt: cityTime('2026-04-20T09:00'),
        minutes: 180,
      }),
    ]);
  });

  it('when a fact is reported again, then it is not counted as stored twice but the holder is evaluated again', async () => {
    const deps = sourceDeps();
    deps.directory.people.set('p1', person);
    const lesson = lectures.LessonCompleted.fromPartial({
      completionId: 'l1:p1',
      participantId: 'p1',
      lessonTitle: 'x',
      completedAt: new Date(TIME),
    });
    await recordLessonCompleted(deps)(event(lesson));
    await recordLessonCompleted(deps)(event(lesson));
    expect(deps.metrics.stored).toEqual(['lesson_completed']);
    expect(deps.evaluated).toHaveLength(2);
  });
});

describe('training', () => {
  const trainee = {
    tier: 'ordinary_citizen' as const,
    jurisdictionPath: HOME,
    organizationIds: ['org-1'],
  };
  const session = (overrides: Partial<activities.TrainingSessionAttended> = {}) =>
    activities.TrainingSessionAttended.fromPartial({
      attendanceId: 'en1:s2',
      classId: 'class-1',
      sessionId: 's2',
      enrollmentId: 'en1',
      participantId: 'p1',
      startsAt: cityTime('2026-04-08T19:00'),
      endsAt: cityTime('2026-04-08T21:00'),
      learningMinutes: 120,
      checkedInAt: cityTime('2026-04-08T18:55'),
      classTitle: '农村实用技术培训班',
      categories: [
        common.ContentCategory.CONTENT_CATEGORY_SCIENCE_CULTURE_SKILLS,
        common.ContentCategory.CONTENT_CATEGORY_MARKET_ECONOMY_LAW,
      ],
      traineeJurisdictionPath: [CITY, '330281002000'],
      programmeMinutes: 360,
      ...overrides,
    });
  const completion = (overrides: Partial<activities.TrainingCompleted> = {}) =>
    activities.TrainingCompleted.fromPartial({
      completionId: 'c1',
      participantId: 'p1',
      classId: 'class-1',
      year: 2026,
      learningMinutes: 2400,
      certificateCode: 'TC-XXXX',
      completedAt: cityTime('2026-05-20T21:00'),
      programmeTitle: '十万农村劳动力素质培训工程',
      ...overrides,
    });

  it('when a session is attended, then the trainee holds its minutes, dated at the session’s start, placed by the directory', async () => {
    const deps = sourceDeps();
    deps.directory.people.set('p1', trainee);
    await recordTrainingSessionAttended(deps)(event(session(), 'ev-s'));
    expect(deps.facts.recorded).toEqual([
      {
        sourceId: 'training-session:en1:s2',
        source: 'training_attended',
        holder: { kind: 'person', id: 'p1' },
        sourceEventId: 'ev-s',
        occurredAt: cityTime('2026-04-08T19:00'),
        year: 2026,
        category: 'science_culture_skills',
        tier: 'ordinary_citizen',
        minutes: 120,
        units: 0,
        rank: null,
        campaignId: null,
        jurisdictionPath: HOME,
        organizationIds: ['org-1'],
        title: '农村实用技术培训班',
        withdrawnAt: null,
      },
    ]);
    expect(deps.evaluated).toEqual([{ holder: { kind: 'person', id: 'p1' }, year: 2026 }]);
    expect(deps.metrics.stored).toEqual(['training_attended']);
  });

  it('when the same session is reported again, then it is stored once and the holder evaluated again', async () => {
    const deps = sourceDeps();
    deps.directory.people.set('p1', trainee);
    await recordTrainingSessionAttended(deps)(event(session(), 'ev-1'));
    await recordTrainingSessionAttended(deps)(event(session(), 'ev-2'));
    expect(deps.metrics.stored).toEqual(['training_attended']);
    expect(deps.evaluated).toHaveLength(2);
  });

  it('when a programme is completed, then one occurrence of no minutes, titled by the programme', async () => {
    const deps = sourceDeps();
    deps.directory.people.set('p1', trainee);
    await recordTrainingCompleted(deps)(event(completion(), 'ev-c'));
    expect(deps.facts.recorded).toEqual([
      expect.objectContaining({
        sourceId: 'training-completion:c1',
        source: 'training_completed',
        holder: { kind: 'person', id: 'p1' },
        sourceEventId: 'ev-c',
        occurredAt: cityTime('2026-05-20T21:00'),
        year: 2026,
        category: null,
        tier: 'ordinary_citizen',
        minutes: 0,
        units: 1,
        jurisdictionPath: HOME,
        title: '十万农村劳动力素质培训工程',
      }),
    ]);
    expect(deps.metrics.stored).toEqual(['training_completed']);
  });

  it('when a training event lacks its ids or times, or names a person registration does not know, then it is dead-lettered', async () => {
    const deps = sourceDeps();
    deps.directory.people.set('p1', trainee);
    const refusals = await Promise.all([
      rejectionOf(recordTrainingSessionAttended(deps)(event(session({ attendanceId: '' })))),
      rejectionOf(recordTrainingSessionAttended(deps)(event(session({ participantId: '' })))),
      rejectionOf(recordTrainingSessionAttended(deps)(event(session({ startsAt: undefined })))),
      rejectionOf(recordTrainingSessionAttended(deps)(event(session({ participantId: 'p9' })))),
      rejectionOf(recordTrainingCompleted(deps)(event(completion({ completionId: '' })))),
      rejectionOf(recordTrainingCompleted(deps)(event(completion({ completedAt: undefined })))),
      rejectionOf(recordTrainingCompleted(deps)(event(completion({ participantId: 'p9' })))),
    ]);
    for (const refusal of refusals) expect(refusal).toBeInstanceOf(PermanentEventError);
    expect(deps.facts.recorded).toEqual([]);
  });
});
