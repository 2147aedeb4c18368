import { describe, expect, it } from 'vitest';
import {
  decideChannel,
  defaultPreferences,
  isTimeZone,
  quietHoursEnd,
  type Preferences,
} from '../../../src/domain/preferences.js';

const shanghai = defaultPreferences('Asia/Shanghai');
const night: Preferences = { ...shanghai, quietHours: { start: '22:00', end: '07:00' } };
const sms = { channel: 'sms', category: 'enrollments', urgent: false } as const;

describe('decideChannel', () => {
  it('when the person opted out of the category on the channel, then it is suppressed even if urgent', () => {
    const optedOut: Preferences = {
      ...shanghai,
      optOuts: [{ category: 'reminders', channel: 'sms' }],
    };
    expect(
      decideChannel(
        optedOut,
        { channel: 'sms', category: 'reminders', urgent: true },
        'reachable',
        new Date(),
      ),
    ).toEqual({ action: 'suppress', reason: 'opted_out' });
    expect(
      decideChannel(
        optedOut,
        { channel: 'email', category: 'reminders', urgent: true },
        'reachable',
        new Date(),
      ),
    ).toEqual({ action: 'send' });
  });

  it('when the inbox is asked inside quiet hours with a digest on, then it is sent: it is silent', () => {
    const both: Preferences = { ...night, digest: 'daily' };
    const at = new Date('2026-12-07T15:00:00Z'); // 23:00 in Shanghai
    expect(decideChannel(both, { ...sms, channel: 'inbox' }, 'no_consent', at)).toEqual({
      action: 'send',
    });
  });

  it('when an external channel cannot reach the person, then it is suppressed with that reason', () => {
    for (const reason of ['no_consent', 'no_contact', 'channel_disabled'] as const)
      expect(decideChannel(shanghai, sms, reason, new Date())).toEqual({
        action: 'suppress',
        reason,
      });
  });

  it('when a notice arrives at 23:00 local with quiet hours 22:00-07:00, then it is held until 07:00 the next morning', () => {
    const at = new Date('2026-12-07T15:00:00Z'); // 23:00 on the 7th in Shanghai
    expect(decideChannel(night, sms, 'reachable', at)).toEqual({
      action: 'hold',
      until: new Date('2026-12-07T23:00:00Z'), // 07:00 on the 8th
    });
  });

  it('when a notice arrives at 03:00 local, after midnight, then it is held until 07:00 the same morning', () => {
    const at = new Date('2026-12-07T19:00:00Z'); // 03:00 on the 8th in Shanghai
    expect(decideChannel(night, sms, 'reachable', at)).toEqual({
      action: 'hold',
      until: new Date('2026-12-07T23:00:00Z'),
    });
  });

  it('when a notice arrives at 07:00 or 21:59 local, then it is sent: the window is [start, end)', () => {
    expect(decideChannel(night, sms, 'reachable', new Date('2026-12-07T23:00:00Z'))).toEqual({
      action: 'send',
    });
    expect(decideChannel(night, sms, 'reachable', new Date('2026-12-07T13:59:00Z'))).toEqual({
      action: 'send',
    });
  });

  it('when the person lives in another time zone, then their quiet hours are judged on their clock', () => {
    const berlin: Preferences = { ...night, timeZone: 'Europe/Berlin' };
    const at = new Date('2026-12-07T15:00:00Z'); // 16:00 in Berlin, 23:00 in Shanghai
    expect(decideChannel(berlin, sms, 'reachable', at)).toEqual({ action: 'send' });
    const late = new Date('2026-12-07T22:30:00Z'); // 23:30 in Berlin (UTC+1)
    expect(decideChannel(berlin, sms, 'reachable', late)).toEqual({
      action: 'hold',
      until: new Date('2026-12-08T06:00:00Z'), // 07:00 in Berlin
    });
  });

  it('when quiet hours span the night DST starts, then they end at 07:00 local summer time', () => {
    const berlin: Preferences = { ...night, timeZone: 'Europe/Berlin' };
    const at = new Date('2026-03-28T22:30:00Z'); // 23:30 CET on 28 March; clocks go forward on the 29th
    expect(decideChannel(berlin, sms, 'reachable', at)).toEqual({
      action: 'hold',
      until: new Date('2026-03-29T05:00:00Z'), // 07:00 CEST
    });
  });

  it('when quiet hours end inside the spring-forward gap, then they end when the clock resumes', () => {
    const end = quietHoursEnd(
      { start: '01:00', end: '02:30' },
      'Europe/Berlin',
      new Date('2026-03-29T00:30:00Z'), // 01:30 CET
    );
    expect(end).toEqual(new Date('2026-03-29T01:30:00Z')); // 03:30 CEST: 02:30 does not exist
  });

  it('when a notice is urgent inside quiet hours with a digest on, then it is sent now', () => {
    const both: Preferences = { ...night, digest: 'daily' };
    expect(
      decideChannel(both, { ...sms, urgent: true }, 'reachable', new Date('2026-12-07T15:00:00Z')),
    ).toEqual({ action: 'send' });
  });

  it('when a digest is on, then a non-urgent external notice goes into it, and a digest itself is never digested', () => {
    const weekly: Preferences = { ...night, digest: 'weekly' };
    const noon = new Date('2026-12-07T04:00:00Z');
    expect(decideChannel(weekly, sms, 'reachable', noon)).toEqual({ action: 'digest' });
    expect(
      decideChannel(
        weekly,
        { channel: 'sms', category: null, urgent: false },
        'reachable',
        new Date('2026-12-07T15:00:00Z'),
      ),
    ).toEqual({ action: 'hold', until: new Date('2026-12-07T23:00:00Z') });
  });

  it('when quiet hours start when they end, then there are none', () => {
    expect(quietHoursEnd({ start: '08:00', end: '08:00' }, 'Asia/Shanghai', new Date())).toBeNull();
  });

  it('when a time zone is checked, then IANA names pass and others fail', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});
