import { PermanentEventError, type ConsumedEvent } from '@learning/events';
import { registration, scoring } from '@learning/proto';
import { describe, expect, it } from 'vitest';
import {
  cancellationCauseOf,
  creditsAwardOf,
  enrollmentFactsOf,
} from '../../src/adapters/kafka/reactions.js';

const consumed = <T>(data: T): ConsumedEvent<T> => ({
  id: 'evt-1',
  source: '/learning/registration',
  type: 'registration.enrollment.confirmed.v1',
  subject: 'k',
  time: '2026-12-07T00:00:00.000Z',
  data,
  topic: 't',
  partition: 0,
  offset: '0',
});

describe('translating the events', () => {
  it("when an enrollment event carries registration's summary, then the facts name the event key, the times and the deepest place", () => {
    const event = consumed(
      registration.EnrollmentConfirmed.fromPartial({
        enrollmentId: 'enr-1',
        event: { owner: 'lectures', eventId: 's-1' },
        participantId: 'p-1',
        confirmedAt: new Date('2026-12-07T01:00:00Z'),
        eventSummary: {
          title: '讲座',
          startsAt: new Date('2026-12-10T06:00:00Z'),
          jurisdictionPath: ['330281', '330281001'],
        },
      }),
    );

    expect(enrollmentFactsOf(event, event.data.confirmedAt)).toEqual({
      sourceEventId: 'evt-1',
      enrollmentId: 'enr-1',
      eventKey: 'lectures:s-1',
      participantId: 'p-1',
      summary: {
        title: '讲座',
        startsAt: new Date('2026-12-10T06:00:00Z'),
        endsAt: null,
        venue: null,
        placeCode: '330281001',
      },
      occurredAt: new Date('2026-12-07T01:00:00Z'),
    });
  });

  it('when an event without a summary and without its own time arrives, then the facts have no summary and the envelope time', () => {
    const event = consumed(
      registration.WaitlistPromoted.fromPartial({
        enrollmentId: 'enr-1',
        event: { owner: 'activities', eventId: 'a-1' },
        participantId: 'p-1',
      }),
    );

    expect(enrollmentFactsOf(event, undefined)).toMatchObject({
      summary: null,
      occurredAt: new Date('2026-12-07T00:00:00.000Z'),
    });
  });

  it('when the seated event is missing, then the event fails permanently', () => {
    const event = consumed(
      registration.EnrollmentConfirmed.fromPartial({ enrollmentId: 'e', participantId: 'p' }),
    );

    expect(() => enrollmentFactsOf(event, undefined)).toThrow(PermanentEventError);
  });

  it('when a cancellation reason arrives, then each maps to its cause with the note where it matters', () => {
    const { CancellationReason } = registration;

    expect(cancellationCauseOf(CancellationReason.CANCELLATION_REASON_SELF, 'x')).toEqual({
      by: 'self',
    });
    expect(cancellationCauseOf(CancellationReason.CANCELLATION_REASON_OFFICER, 'dup')).toEqual({
      by: 'officer',
      note: 'dup',
    });
    expect(
      cancellationCauseOf(CancellationReason.CANCELLATION_REASON_EVENT_CANCELLED, 'rain'),
    ).toEqual({ by: 'event_cancelled', note: 'rain' });
    expect(
      cancellationCauseOf(CancellationReason.CANCELLATION_REASON_NO_LONGER_ELIGIBLE, ''),
    ).toEqual({ by: 'no_longer_eligible' });
    expect(cancellationCauseOf(CancellationReason.UNRECOGNIZED, '')).toEqual({
      by: 'unspecified',
    });
  });

  it("when credits go to an organization, then there is no award to tell; a person's names its source", () => {
    const entry = (holderKind: scoring.HolderKind) =>
      consumed(
        scoring.CreditEntry.fromPartial({
          holderKind,
          holderId: 'h-1',
          amount: '2',
          source: scoring.CreditSource.CREDIT_SOURCE_LESSON_COMPLETED,
          occurredAt: new Date('2026-12-06T00:00:00Z'),
        }),
      );

    expect(creditsAwardOf(entry(scoring.HolderKind.HOLDER_KIND_ORGANIZATION))).toBeNull();
    expect(creditsAwardOf(entry(scoring.HolderKind.HOLDER_KIND_PERSON))).toEqual({
      sourceEventId: 'evt-1',
      participantId: 'h-1',
      amount: '2',
      source: 'lesson_completed',
      occurredAt: new Date('2026-12-06T00:00:00Z'),
    });
  });
});
