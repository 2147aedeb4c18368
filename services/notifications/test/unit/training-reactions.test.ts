import { PermanentEventError, type ConsumedEvent } from '@learning/events';
import { activities, registration, scoring } from '@learning/proto';
import { describe, expect, it } from 'vitest';
import {
  cancellationCauseOf,
  creditsAwardOf,
  enrollmentFactsOf,
  trainingClassReschedulingOf,
  trainingCompletionOf,
} from '../../src/adapters/kafka/reactions.js';
import {
  cancelledNotice,
  creditSourceText,
  trainingCompletedNotice,
} from '../../src/domain/reactions.js';

const consumed = <T>(data: T): ConsumedEvent<T> => ({
  id: 'evt-1',
  source: '/learning/activities',
  type: 'activities.training-programme.completed.v1',
  subject: 'k',
  time: '2026-12-07T00:00:00.000Z',
  data,
  topic: 't',
  partition: 0,
  offset: '0',
});

const completed = (overrides: Partial<activities.TrainingCompleted> = {}) =>
  activities.TrainingCompleted.fromPartial({
    completionId: 'c-1',
    participantId: 'p-1',
    classId: 'class-1',
    year: 2026,
    learningMinutes: 2400,
    certificateCode: 'TC-ABCD-EFGH',
    completedAt: new Date('2026-12-06T13:00:00Z'),
    programmeTitle: '十万农村劳动力素质培训工程',
    ...overrides,
  });

describe('training events in the terms of the reactions', () => {
  it('when a programme is completed, then the trainee is told the programme and the certificate code, under the event’s id', () => {
    expect(trainingCompletedNotice(trainingCompletionOf(consumed(completed())))).toEqual({
      noticeId: 'evt-1',
      kind: 'training.completed',
      recipient: 'p-1',
      urgent: false,
      variables: {
        programme: '十万农村劳动力素质培训工程',
        certificateCode: 'TC-ABCD-EFGH',
        completedAt: new Date('2026-12-06T13:00:00Z'),
      },
      occurredAt: new Date('2026-12-06T13:00:00Z'),
      sender: 'service:activities',
    });
  });

  it('when a completion lacks its trainee, title or certificate, then it fails permanently; without its time, the envelope’s stands in', () => {
    for (const lacking of [{ participantId: '' }, { programmeTitle: '' }, { certificateCode: '' }])
      expect(() => trainingCompletionOf(consumed(completed(lacking)))).toThrow(PermanentEventError);
    expect(
      trainingCompletionOf(consumed(completed({ completedAt: undefined }))).completedAt,
    ).toEqual(new Date('2026-12-07T00:00:00.000Z'));
  });

  it('when a class is rescheduled, then the seated event is `training:<class>`, placed by the routing’s deepest code', () => {
    const event = consumed(
      activities.TrainingClassRescheduled.fromPartial({
        classId: 'class-1',
        startsAt: new Date('2026-12-10T11:00:00Z'),
        endsAt: new Date('2026-12-24T13:00:00Z'),
        previousStartsAt: new Date('2026-12-09T11:00:00Z'),
        rescheduledAt: new Date('2026-12-07T02:00:00Z'),
        routing: {
          programmeId: 'prog-1',
          leadDepartment: 'nongye-ju',
          jurisdictionPath: ['330281000000', '330281001000'],
        },
      }),
    );
    expect(trainingClassReschedulingOf(event)).toEqual({
      sourceEventId: 'evt-1',
      eventKey: 'training:class-1',
      title: null,
      placeCode: '330281001000',
      venue: null,
      startsAt: new Date('2026-12-10T11:00:00Z'),
      endsAt: new Date('2026-12-24T13:00:00Z'),
      previousStartsAt: new Date('2026-12-09T11:00:00Z'),
      occurredAt: new Date('2026-12-07T02:00:00Z'),
      sender: 'service:activities',
    });
    expect(() =>
      trainingClassReschedulingOf(
        consumed(activities.TrainingClassRescheduled.fromPartial({ startsAt: new Date() })),
      ),
    ).toThrow(PermanentEventError);
  });

  it('when credits are awarded for a completed training, then the notice names it readably', () => {
    const award = creditsAwardOf(
      consumed(
        scoring.CreditEntry.fromPartial({
          holderKind: scoring.HolderKind.HOLDER_KIND_PERSON,
          holderId: 'p-1',
          amount: '10',
          source: scoring.CreditSource.CREDIT_SOURCE_TRAINING_COMPLETED,
        }),
      ),
    );
    expect(award?.source).toBe('training_completed');
    expect(creditSourceText('training_completed', 'zh-CN')).toBe('完成培训');
    expect(creditSourceText('training_completed', 'en')).toBe('Completing a training programme');
  });

  it('when registration cancels a sign-up because its class was cancelled, then the trainee hears event.cancelled titled from the event summary', () => {
    const event = consumed(
      registration.EnrollmentCancelled.fromPartial({
        enrollmentId: 'enr-1',
        event: { owner: 'training', eventId: 'class-1' },
        participantId: 'p-1',
        reason: registration.CancellationReason.CANCELLATION_REASON_EVENT_CANCELLED,
        cancelledAt: new Date('2026-12-07T01:00:00Z'),
        eventSummary: { title: '电商实用技能培训班', startsAt: new Date('2026-12-20T01:00:00Z') },
        note: '报名人数不足',
      }),
    );
    const facts = enrollmentFactsOf(event, event.data.cancelledAt);
    expect(facts.eventKey).toBe('training:class-1');
    const notice = cancelledNotice(facts, cancellationCauseOf(event.data.reason, event.data.note), {
      language: 'zh-CN',
      now: new Date('2026-12-07T01:00:00Z'),
      cityTimeZone: 'Asia/Shanghai',
    });
    expect(notice).toMatchObject({
      kind: 'event.cancelled',
      recipient: 'p-1',
      variables: { title: '电商实用技能培训班', reason: '报名人数不足' },
    });
  });
});
