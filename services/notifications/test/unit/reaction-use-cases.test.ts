import { PermanentEventError } from '@learning/events';
import { describe, expect, it } from 'vitest';
import type {
  AreaOfficers,
  EnrolledPeople,
  OrganizationAdmins,
  PlaceNames,
  RecipientLanguages,
  ReminderStore,
} from '../../src/application/reactions/ports.js';
import { coverageGapDetected } from '../../src/application/reactions/coverage-gap.js';
import {
  enrollmentCancelled,
  enrollmentConfirmed,
} from '../../src/application/reactions/enrollments.js';
import { eventRescheduled } from '../../src/application/reactions/event-rescheduled.js';
import { organizationDecided } from '../../src/application/reactions/organization-decided.js';
import { sendDueReminders } from '../../src/application/reminders/send-due-reminders.js';
import type { Dispatcher } from '../../src/application/ports.js';
import type { NoticeRequest } from '../../src/domain/notices.js';
import type { Language } from '../../src/domain/preferences.js';
import type { EnrollmentFacts } from '../../src/domain/reactions.js';
import type { Reminder, ReminderSlot, ReminderStatus } from '../../src/domain/reminders.js';

class RecordingDispatcher implements Dispatcher {
  readonly calls: NoticeRequest[][] = [];
  dispatch(requests: readonly NoticeRequest[]): Promise<void> {
    this.calls.push([...requests]);
    return Promise.resolve();
  }
  get notices(): NoticeRequest[] {
    return this.calls.flat();
  }
}

interface Stored extends Reminder {
  status: ReminderStatus;
  claimedAt: Date | null;
}

/** The store's contract in memory: what the Mongo adapter does with single-document updates. */
class InMemoryReminders implements ReminderStore {
  readonly stored = new Map<string, Stored>();

  plan(reminders: readonly Reminder[]): Promise<void> {
    for (const reminder of reminders)
      if (!this.stored.has(reminder.id))
        this.stored.set(reminder.id, { ...reminder, status: 'planned', claimedAt: null });
    return Promise.resolve();
  }
  dropEnrollment(enrollmentId: string): Promise<void> {
    for (const [id, reminder] of this.stored)
      if (
        reminder.enrollmentId === enrollmentId &&
        ['planned', 'sending'].includes(reminder.status)
      )
        this.stored.set(id, { ...reminder, status: 'dropped' });
    return Promise.resolve();
  }
  replan(
    eventKey: string,
    slot: ReminderSlot,
    moved: { dueAt: Date; startsAt: Date; endsAt: Date | null },
  ): Promise<void> {
    for (const [id, reminder] of this.stored) {
      if (reminder.eventKey !== eventKey || reminder.slot !== slot || reminder.status === 'dropped')
        continue;
      const later = moved.dueAt > reminder.dueAt;
      this.stored.set(id, {
        ...reminder,
        ...moved,
        ...(later ? { status: 'planned' as const, claimedAt: null } : {}),
      });
    }
    return Promise.resolve();
  }
  titleOf(eventKey: string): Promise<string | null> {
    const found = [...this.stored.values()].find(
      (reminder) => reminder.eventKey === eventKey && reminder.title !== null,
    );
    return Promise.resolve(found?.title ?? null);
  }
  claimDue(now: Date, staleBefore: Date): Promise<Reminder | null> {
    const due = [...this.stored.values()]
      .filter(
        (reminder) =>
          reminder.dueAt <= now &&
          (reminder.status === 'planned' ||
            (reminder.status === 'sending' &&
              reminder.claimedAt !== null &&
              reminder.claimedAt < staleBefore)),
      )
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())[0];
    if (due === undefined) return Promise.resolve(null);
    this.stored.set(due.id, { ...due, status: 'sending', claimedAt: now });
    return Promise.resolve(due);
  }
  finish(claimed: Reminder, status: 'sent' | 'skipped'): Promise<void> {
    const reminder = this.stored.get(claimed.id);
    if (reminder?.status === 'sending' && reminder.dueAt.getTime() === claimed.dueAt.getTime())
      this.stored.set(claimed.id, { ...reminder, status, claimedAt: null });
    return Promise.resolve();
  }
  statusOf(id: string): ReminderStatus | undefined {
    return this.stored.get(id)?.status;
  }
}

const places: PlaceNames = { nameOf: (code) => Promise.resolve(`place ${code}`) };

const languages = (of: Record<string, Language> = {}): RecipientLanguages => ({
  of: (recipients) =>
    Promise.resolve(new Map(recipients.map((id) => [id, of[id] ?? 'zh-CN'] as const))),
});

const startsAt = new Date('2026-12-10T06:00:00Z');
const facts = (overrides: Partial<EnrollmentFacts> = {}): EnrollmentFacts => ({
  sourceEventId: 'evt-1',
  enrollmentId: 'enr-1',
  eventKey: 'activities:act-1',
  participantId: 'p-1',
  summary: { title: '读书会', startsAt, endsAt: null, venue: null, placeCode: '330281001002' },
  occurredAt: new Date('2026-12-07T00:00:00Z'),
  ...overrides,
});

const clockAt = (iso: string) => {
  let now = new Date(iso);
  return {
    clock: () => now,
    set: (next: string) => {
      now = new Date(next);
    },
  };
};

describe('reacting to enrollments', () => {
  it('when a seat is confirmed, then the person is told and both reminders are planned', async () => {
    const dispatcher = new RecordingDispatcher();
    const reminders = new InMemoryReminders();
    const time = clockAt('2026-12-07T00:00:00Z');
    const deps = {
      dispatcher,
      reminders,
      languages: languages(),
      places,
      ...time,
      cityTimeZone: 'Asia/Shanghai',
    };

    await enrollmentConfirmed(deps)(facts());

    expect(dispatcher.notices.map((notice) => [notice.kind, notice.variables.venue])).toEqual([
      ['enrollment.confirmed', 'place 330281001002'],
    ]);
    expect([...reminders.stored.keys()]).toEqual(['enr-1:day-before', 'enr-1:hour-before']);
    expect(reminders.stored.get('enr-1:hour-before')?.venue).toBe('place 330281001002');
  });

  it('when the enrollment is cancelled, then its reminders are dropped and never sent', async () => {
    const dispatcher = new RecordingDispatcher();
    const reminders = new InMemoryReminders();
    const time = clockAt('2026-12-07T00:00:00Z');
    const deps = {
      dispatcher,
      reminders,
      languages: languages({ 'p-1': 'en' }),
      places,
      ...time,
      cityTimeZone: 'Asia/Shanghai',
    };
    await enrollmentConfirmed(deps)(facts());

    await enrollmentCancelled(deps)(facts({ sourceEventId: 'evt-2' }), { by: 'self' });
    time.set('2026-12-10T05:30:00Z');
    const sent = await sendDueReminders({
      dispatcher,
      reminders,
      clock: time.clock,
      leaseMs: 60_000,
    })(new AbortController().signal);

    expect(sent).toBe(0);
    expect(reminders.statusOf('enr-1:day-before')).toBe('dropped');
    expect(dispatcher.notices.map((notice) => [notice.kind, notice.variables.reason])).toEqual([
      ['enrollment.confirmed', undefined],
      ['enrollment.cancelled', 'You cancelled your sign-up'],
    ]);
  });
});

describe('reacting to a reschedule', () => {
  it('when the event moves later, then everyone enrolled is told page by page and a reminder already sent is planned again under a new notice id', async () => {
    const dispatcher = new RecordingDispatcher();
    const reminders = new InMemoryReminders();
    const time = clockAt('2026-12-07T00:00:00Z');
    const deps = {
      dispatcher,
      reminders,
      languages: languages(),
      places,
      ...time,
      cityTimeZone: 'Asia/Shanghai',
    };
    await enrollmentConfirmed(deps)(facts());
    time.set('2026-12-09T06:00:00Z');
    const send = sendDueReminders({ dispatcher, reminders, clock: time.clock, leaseMs: 60_000 });
    await send(new AbortController().signal);
    const enrolled: EnrolledPeople = {
      async *of() {
        yield ['p-1', 'p-2'];
        yield ['p-3'];
      },
    };

    await eventRescheduled({ dispatcher, reminders, enrolled, places })({
      sourceEventId: 'evt-r',
      eventKey: 'activities:act-1',
      title: null,
      placeCode: '330281001002',
      venue: null,
      startsAt: new Date('2026-12-12T06:00:00Z'),
      endsAt: null,
      previousStartsAt: startsAt,
      occurredAt: new Date('2026-12-09T07:00:00Z'),
      sender: 'service:activities',
    });
    time.set('2026-12-11T06:00:00Z');
    await send(new AbortController().signal);

    const rescheduled = dispatcher.calls.filter((call) => call[0]?.kind === 'event.rescheduled');
    expect(rescheduled.map((call) => call.map((notice) => notice.recipient))).toEqual([
      ['p-1', 'p-2'],
      ['p-3'],
    ]);
    expect(rescheduled[0]?.[0]?.variables).toMatchObject({
      title: '读书会',
      venue: 'place 330281001002',
    });
    const dayBefore = dispatcher.notices.filter((notice) => notice.kind === 'reminder.day-before');
    expect(dayBefore.map((notice) => notice.noticeId)).toEqual([
      'reminder:enr-1:day-before:2026-12-09T06:00:00.000Z',
      'reminder:enr-1:day-before:2026-12-11T06:00:00.000Z',
    ]);
    expect(dayBefore[1]?.variables.startsAt).toEqual(new Date('2026-12-12T06:00:00Z'));
  });
});

describe('a reschedule naming its venue', () => {
  it('when the event carries the venue’s name, then the notice says it and no place is looked up', async () => {
    const dispatcher = new RecordingDispatcher();
    const asked: string[] = [];
    const enrolled: EnrolledPeople = {
      async *of() {
        yield ['p-1'];
      },
    };

    await eventRescheduled({
      dispatcher,
      reminders: new InMemoryReminders(),
      enrolled,
      places: { nameOf: (code) => (asked.push(code), Promise.resolve(`place ${code}`)) },
    })({
      sourceEventId: 'evt-v',
      eventKey: 'lectures:s-1',
      title: '讲座',
      placeCode: '330281001002',
      venue: '城东礼堂',
      startsAt: new Date('2026-12-12T06:00:00Z'),
      endsAt: null,
      previousStartsAt: null,
      occurredAt: new Date('2026-12-09T07:00:00Z'),
      sender: 'service:lectures',
    });

    expect(dispatcher.notices.map((notice) => notice.variables.venue)).toEqual(['城东礼堂']);
    expect(asked).toEqual([]);
  });
});

describe('sending due reminders', () => {
  it('when a worker died holding a claim, then after the lease the reminder is sent under the same notice id', async () => {
    const dispatcher = new RecordingDispatcher();
    const reminders = new InMemoryReminders();
    const time = clockAt('2026-12-07T00:00:00Z');
    await enrollmentConfirmed({
      dispatcher,
      reminders,
      languages: languages(),
      places,
      ...time,
      cityTimeZone: 'Asia/Shanghai',
    })(facts());
    time.set('2026-12-09T06:00:00Z');
    const died = await reminders.claimDue(time.clock(), new Date(0));
    const send = sendDueReminders({ dispatcher, reminders, clock: time.clock, leaseMs: 60_000 });

    const withinLease = await send(new AbortController().signal);
    time.set('2026-12-09T06:02:00Z');
    const afterLease = await send(new AbortController().signal);

    expect(withinLease).toBe(0);
    expect(afterLease).toBe(1);
    expect(died?.id).toBe('enr-1:day-before');
    expect(
      dispatcher.notices.filter((notice) => notice.kind === 'reminder.day-before'),
    ).toHaveLength(1);
    expect(reminders.statusOf('enr-1:day-before')).toBe('sent');
  });

  it('when the service was down past the start, then the reminders are skipped, not sent late', async () => {
    const dispatcher = new RecordingDispatcher();
    const reminders = new InMemoryReminders();
    const time = clockAt('2026-12-07T00:00:00Z');
    await enrollmentConfirmed({
      dispatcher,
      reminders,
      languages: languages(),
      places,
      ...time,
      cityTimeZone: 'Asia/Shanghai',
    })(facts());
    time.set('2026-12-10T07:00:00Z');

    await sendDueReminders({ dispatcher, reminders, clock: time.clock, leaseMs: 60_000 })(
      new AbortController().signal,
    );

    expect(dispatcher.notices.map((notice) => notice.kind)).toEqual(['enrollment.confirmed']);
    expect(reminders.statusOf('enr-1:hour-before')).toBe('skipped');
  });
});

describe('organization and coverage reactions', () => {
  it('when registration does not know the organization, then the event fails permanently', async () => {
    const admins: OrganizationAdmins = { of: () => Promise.resolve(null) };

    await expect(
      organizationDecided({
        dispatcher: new RecordingDispatcher(),
        admins,
        languages: languages(),
      })(
        { outcome: 'recognized' },
        { sourceEventId: 'e', organizationId: 'o-1', occurredAt: new Date() },
      ),
    ).rejects.toBeInstanceOf(PermanentEventError);
  });

  it('when a gap is found, then the officers covering the deepest place of the path are asked and told', async () => {
    const asked: string[] = [];
    const officers: AreaOfficers = {
      covering: (code) => {
        asked.push(code);
        return Promise.resolve([
          {
            subject: 's-1',
            contact: { language: 'zh-CN', phone: null, email: null, wechatOpenId: null },
          },
        ]);
      },
    };
    const dispatcher = new RecordingDispatcher();

    await coverageGapDetected({ dispatcher, officers, places })(
      { kind: 'village_without_library' },
      {
        sourceEventId: 'g-1',
        jurisdictionPath: ['330281', '330281001', '330281001002'],
        detectedAt: new Date('2026-12-07T00:00:00Z'),
        sender: 'service:activities',
      },
    );

    expect(asked).toEqual(['330281001002']);
    expect(dispatcher.notices).toMatchObject([
      {
        recipient: 'officer:s-1',
        kind: 'coverage.gap',
        variables: { area: 'place 330281001002', gap: '尚无农家书屋' },
      },
    ]);
  });
});
