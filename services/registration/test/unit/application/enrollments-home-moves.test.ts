import { describe, expect, it } from 'vitest';
import { cancelEnrollment } from '../../../src/application/enrollments/cancel.js';
import { recheckAfterHomeMove } from '../../../src/application/enrollments/home-moves.js';
import type {
  ParticipantDirectory,
  SeatedEventInfo,
  SeatedEventSource,
} from '../../../src/application/enrollments/ports.js';
import { enrollmentOf, eventInfo, EVENT_KEY, fakeDeps } from './enrollments-fakes.js';

const LATER = new Date('2025-04-20T01:00:00Z');

/** Events by id: `a-1` for township T1 only, `city` for everyone, `started` for T1 and under way. */
const events: Record<string, SeatedEventInfo> = {
  'a-1': eventInfo({
    capacity: 1,
    startsAt: LATER,
    audience: { ...eventInfo().audience, areaRootCodes: ['T1'] },
  }),
  city: eventInfo({ eventId: 'city', startsAt: LATER }),
  started: eventInfo({
    eventId: 'started',
    startsAt: new Date('2025-04-01T23:00:00Z'),
    audience: { ...eventInfo().audience, areaRootCodes: ['T1'] },
  }),
};
const source: SeatedEventSource = {
  get: async (_owner, eventId) => {
    const info = events[eventId];
    if (info === undefined) throw new Error(`no event ${eventId}`);
    return info;
  },
  forget: async () => undefined,
};

/** Moved from T1 to T2. */
const movedHome = (participantId: string): ParticipantDirectory => ({
  findByAccount: async () => null,
  findByAccounts: async () => new Map(),
  findById: async (id) =>
    id === participantId
      ? {
          participantId: id,
          tier: 'ordinary_citizen',
          jurisdictionPath: ['C', 'T2'],
          birthDate: null,
          accountSubject: 's-mover',
        }
      : null,
});

describe('a participant whose home moved', () => {
  function moving() {
    const deps = fakeDeps();
    deps.ledgers.open(EVENT_KEY, 1, 2);
    const mover = 'p-mover';
    deps.enrollments.rows.set(
      'mover-a-1',
      enrollmentOf('mover-a-1', 1, { status: 'confirmed', seat: 1, participantId: mover }),
    );
    deps.enrollments.rows.set('next-a-1', enrollmentOf('next-a-1', 2));
    deps.enrollments.rows.set(
      'mover-city',
      enrollmentOf('mover-city', 1, {
        eventKey: 'activities:city',
        eventId: 'city',
        status: 'confirmed',
        seat: 1,
        participantId: mover,
      }),
    );
    deps.enrollments.rows.set(
      'mover-started',
      enrollmentOf('mover-started', 1, {
        eventKey: 'activities:started',
        eventId: 'started',
        status: 'confirmed',
        seat: 1,
        participantId: mover,
      }),
    );
    const recheck = recheckAfterHomeMove({
      ...deps,
      enrollments: deps.repository,
      participants: movedHome(mover),
      source,
      cancelEnrollment: cancelEnrollment({ ...deps, enrollments: deps.repository }),
    });
    const cancellations = () =>
      deps.enrollments.published.filter((e) => e.type.endsWith('enrollment.cancelled.v1'));
    return { deps, recheck, mover, cancellations };
  }

  it('when it moved out of an event’s area before the event, then that seat is cancelled as no longer eligible and goes to the next in line', async () => {
    const { deps, recheck, cancellations } = moving();

    await expect(recheck('p-mover')).resolves.toBe(1);

    expect(deps.enrollments.rows.get('mover-a-1')).toMatchObject({
      status: 'cancelled',
      cancellationReason: 'no_longer_eligible',
    });
    expect(deps.enrollments.rows.get('next-a-1')?.status).toBe('confirmed');
    expect(cancellations()).toHaveLength(1);
    expect(cancellations()[0]?.data).toMatchObject({
      enrollmentId: 'mover-a-1',
      reason: 'CANCELLATION_REASON_NO_LONGER_ELIGIBLE',
      freedSeat: true,
    });
  });

  it('when the event is for the whole city, or has already started, then the enrollment stays', async () => {
    const { deps, recheck } = moving();

    await recheck('p-mover');

    expect(deps.enrollments.rows.get('mover-city')?.status).toBe('confirmed');
    expect(deps.enrollments.rows.get('mover-started')?.status).toBe('confirmed');
  });

  it('when the same move is handled twice, then the second finds nothing to cancel and publishes nothing', async () => {
    const { recheck, cancellations } = moving();

    await recheck('p-mover');
    await expect(recheck('p-mover')).resolves.toBe(0);

    expect(cancellations()).toHaveLength(1);
  });
});
