import { describe, expect, it } from 'vitest';
import {
  planReminders,
  reminderAction,
  reminderNotice,
  replanned,
} from '../../src/domain/reminders.js';

const startsAt = new Date('2026-12-10T06:00:00Z');
const seat = {
  enrollmentId: 'enr-1',
  eventKey: 'activities:act-1',
  recipient: 'p-1',
  summary: {
    title: '读书会',
    startsAt,
    endsAt: new Date('2026-12-10T08:00:00Z'),
    venue: '东村文化礼堂',
    placeCode: '330281001002',
  },
};

describe('planning reminders', () => {
  it('when the event is days away, then a day-before and an hour-before reminder are planned', () => {
    const reminders = planReminders(seat, new Date('2026-12-07T00:00:00Z'));

    expect(reminders.map((reminder) => [reminder.id, reminder.dueAt.toISOString()])).toEqual([
      ['enr-1:day-before', '2026-12-09T06:00:00.000Z'],
      ['enr-1:hour-before', '2026-12-10T05:00:00.000Z'],
    ]);
    expect(reminders[0]).toMatchObject({
      eventKey: 'activities:act-1',
      recipient: 'p-1',
      slot: 'day-before',
      title: '读书会',
      startsAt,
      endsAt: new Date('2026-12-10T08:00:00Z'),
    });
  });

  it('when the event starts in three hours, then only the hour-before reminder is planned', () => {
    const reminders = planReminders(seat, new Date('2026-12-10T03:00:00Z'));

    expect(reminders.map((reminder) => reminder.slot)).toEqual(['hour-before']);
  });

  it('when both due times have passed, then none is planned', () => {
    expect(planReminders(seat, new Date('2026-12-10T05:30:00Z'))).toEqual([]);
  });

  it('when the start is unknown, then none is planned', () => {
    expect(planReminders({ ...seat, summary: null }, new Date('2026-12-07T00:00:00Z'))).toEqual([]);
  });

  it('when the event moves, then each slot is due its lead before the new start', () => {
    const moved = { startsAt: new Date('2026-12-12T06:00:00Z'), endsAt: null };

    expect(replanned(moved, 'day-before').dueAt.toISOString()).toBe('2026-12-11T06:00:00.000Z');
    expect(replanned(moved, 'hour-before').dueAt.toISOString()).toBe('2026-12-12T05:00:00.000Z');
  });
});

describe('sending reminders', () => {
  it('when a reminder is due before the start, then it is sent', () => {
    expect(reminderAction({ slot: 'day-before', startsAt }, new Date('2026-12-09T06:00:00Z'))).toBe(
      'send',
    );
    expect(
      reminderAction({ slot: 'hour-before', startsAt }, new Date('2026-12-10T05:30:00Z')),
    ).toBe('send');
  });

  it('when the event has started (the service was down past it), then the reminder is skipped', () => {
    expect(
      reminderAction({ slot: 'hour-before', startsAt }, new Date('2026-12-10T06:00:00Z')),
    ).toBe('skip');
  });

  it('when a day-before reminder is caught up within the last hour, then it is skipped for the hour-before one', () => {
    expect(reminderAction({ slot: 'day-before', startsAt }, new Date('2026-12-10T05:10:00Z'))).toBe(
      'skip',
    );
  });

  it('when a reminder is moved, then its notice id changes with its due time; the same due time gives the same id', () => {
    const [dayBefore] = planReminders(seat, new Date('2026-12-07T00:00:00Z'));
    if (dayBefore === undefined) throw new Error('a day-before reminder was expected');
    const first = reminderNotice(dayBefore);
    const again = reminderNotice(dayBefore);
    const moved = reminderNotice({ ...dayBefore, dueAt: new Date('2026-12-11T06:00:00Z') });

    expect(first.noticeId).toBe('reminder:enr-1:day-before:2026-12-09T06:00:00.000Z');
    expect(again.noticeId).toBe(first.noticeId);
    expect(moved.noticeId).not.toBe(first.noticeId);
    expect(first).toMatchObject({
      kind: 'reminder.day-before',
      urgent: false,
      recipient: 'p-1',
      variables: {
        title: '读书会',
        startsAt,
        endsAt: new Date('2026-12-10T08:00:00Z'),
        venue: '东村文化礼堂',
      },
    });
    expect(reminderNotice({ ...dayBefore, slot: 'hour-before' })).toMatchObject({
      kind: 'reminder.hour-before',
      urgent: true,
    });
  });
});
