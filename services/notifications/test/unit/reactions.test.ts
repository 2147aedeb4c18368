import { describe, expect, it } from 'vitest';
import {
  cancelledNotice,
  confirmedNotice,
  coverageGapNotices,
  creditsAwardedNotice,
  organizationDecidedNotices,
  promotedNotice,
  rescheduledNotices,
  startsToday,
  waitlistedNotice,
  type EnrollmentFacts,
} from '../../src/domain/reactions.js';

const SHANGHAI = 'Asia/Shanghai';

const facts = (overrides: Partial<EnrollmentFacts> = {}): EnrollmentFacts => ({
  sourceEventId: 'evt-1',
  enrollmentId: 'enr-1',
  eventKey: 'activities:act-1',
  participantId: 'p-1',
  summary: {
    title: '读书会',
    startsAt: new Date('2026-12-10T06:00:00Z'),
    endsAt: new Date('2026-12-10T08:00:00Z'),
    venue: '东村文化礼堂',
    placeCode: '330281001002',
  },
  occurredAt: new Date('2026-12-07T01:00:00Z'),
  ...overrides,
});

const cityContext = (now: string, language: 'zh-CN' | 'en' = 'zh-CN') => ({
  language,
  now: new Date(now),
  cityTimeZone: SHANGHAI,
});

describe('enrollment notices', () => {
  it('when a seat is confirmed, then the participant gets enrollment.confirmed under the event id with the event described', () => {
    expect(confirmedNotice(facts())).toEqual({
      noticeId: 'evt-1',
      kind: 'enrollment.confirmed',
      recipient: 'p-1',
      urgent: false,
      variables: {
        title: '读书会',
        startsAt: new Date('2026-12-10T06:00:00Z'),
        endsAt: new Date('2026-12-10T08:00:00Z'),
        venue: '东村文化礼堂',
      },
      occurredAt: new Date('2026-12-07T01:00:00Z'),
      sender: 'service:registration',
    });
  });

  it('when registration did not describe the event, then the notice carries no event variables rather than empty ones', () => {
    expect(promotedNotice(facts({ summary: null })).variables).toEqual({});
    expect(promotedNotice(facts({ summary: null })).kind).toBe('enrollment.promoted');
  });

  it('when the waitlist position is known, then it is a variable; when not, it is absent', () => {
    expect(waitlistedNotice(facts(), 3).variables).toMatchObject({ position: 3 });
    expect(waitlistedNotice(facts(), null).variables).not.toHaveProperty('position');
    expect(waitlistedNotice(facts(), null).kind).toBe('enrollment.waitlisted');
  });

  it('when the participant cancelled, then enrollment.cancelled says so in their language', () => {
    const zh = cancelledNotice(facts(), { by: 'self' }, cityContext('2026-12-07T01:00:00Z'));
    const en = cancelledNotice(facts(), { by: 'self' }, cityContext('2026-12-07T01:00:00Z', 'en'));

    expect(zh.kind).toBe('enrollment.cancelled');
    expect(zh.variables.reason).toBe('您已取消报名');
    expect(en.variables.reason).toBe('You cancelled your sign-up');
  });

  it("when an officer cancelled with a note, then the reason carries the officer's words", () => {
    const notice = cancelledNotice(
      facts(),
      { by: 'officer', note: ' 重复报名 ' },
      cityContext('2026-12-07T01:00:00Z'),
    );

    expect(notice.variables.reason).toBe('工作人员取消了您的报名：重复报名');
    expect(
      cancelledNotice(
        facts(),
        { by: 'officer', note: '' },
        cityContext('2026-12-07T01:00:00Z', 'en'),
      ).variables.reason,
    ).toBe('An officer cancelled your sign-up');
  });

  it('when the person is no longer eligible, then the reason says their home left the area', () => {
    const notice = cancelledNotice(
      facts(),
      { by: 'no_longer_eligible' },
      cityContext('2026-12-07T01:00:00Z', 'en'),
    );

    expect(notice.kind).toBe('enrollment.cancelled');
    expect(notice.variables.reason).toMatch(/no longer within the area/);
    expect(notice.urgent).toBe(false);
  });

  it("when the owner cancelled the event on another day, then event.cancelled carries the owner's reason, not urgent", () => {
    const notice = cancelledNotice(
      facts(),
      { by: 'event_cancelled', note: '场馆维修' },
      cityContext('2026-12-07T01:00:00Z'),
    );

    expect(notice.kind).toBe('event.cancelled');
    expect(notice.variables.reason).toBe('场馆维修');
    expect(notice.urgent).toBe(false);
  });

  it('when the owner gave no reason, then a standard one is shown', () => {
    const notice = cancelledNotice(
      facts(),
      { by: 'event_cancelled', note: '' },
      cityContext('2026-12-07T01:00:00Z'),
    );

    expect(notice.variables.reason).toBe('主办方取消了活动');
  });
});

describe('urgency of a cancellation on the day (city time, Asia/Shanghai)', () => {
  // 2026-12-10 in Shanghai runs from 2026-12-09T16:00Z to 2026-12-10T16:00Z.
  const startingAt = (startsAt: string) =>
    facts({
      summary: {
        title: 'x',
        startsAt: new Date(startsAt),
        endsAt: null,
        venue: null,
        placeCode: null,
      },
    });

  it('when it is cancelled at 23:59 UTC, already 07:59 the next day in the city, and the event starts at 00:30 that city day, then it is urgent', () => {
    const notice = cancelledNotice(
      startingAt('2026-12-10T16:30:00Z'),
      { by: 'event_cancelled', note: '' },
      cityContext('2026-12-10T23:59:00Z'),
    );

    expect(notice.urgent).toBe(true);
  });

  it('when it is 23:59 on the 9th in UTC but already the 10th in the city, then an event on the 10th (city) counts as today', () => {
    expect(
      startsToday(new Date('2026-12-10T06:00:00Z'), new Date('2026-12-09T23:59:00Z'), SHANGHAI),
    ).toBe(true);
  });

  it('when it is 23:59 on the 10th in the city and the event starts at 00:30 city time on the 11th, then it is not today, though both are the 10th in UTC', () => {
    // 15:59Z on the 10th is 23:59 on the 10th in the city; an event at 16:30Z is 00:30 on the 11th.
    expect(
      startsToday(new Date('2026-12-10T16:30:00Z'), new Date('2026-12-10T15:59:00Z'), SHANGHAI),
    ).toBe(false);
  });

  it('when the start is unknown, then it is not urgent', () => {
    expect(startsToday(null, new Date('2026-12-10T06:00:00Z'), SHANGHAI)).toBe(false);
  });
});

describe('other reactions', () => {
  it('when an event moved, then each enrolled person gets event.rescheduled with the new and previous start', () => {
    const notices = rescheduledNotices(
      {
        sourceEventId: 'evt-9',
        eventKey: 'lectures:s-1',
        title: '讲座',
        placeCode: '330281001',
        venue: '东镇',
        startsAt: new Date('2026-12-12T06:00:00Z'),
        endsAt: null,
        previousStartsAt: new Date('2026-12-10T06:00:00Z'),
        occurredAt: new Date('2026-12-07T02:00:00Z'),
        sender: 'service:lectures',
      },
      ['p-1', 'p-2'],
    );

    expect(notices.map((notice) => [notice.recipient, notice.noticeId, notice.kind])).toEqual([
      ['p-1', 'evt-9', 'event.rescheduled'],
      ['p-2', 'evt-9', 'event.rescheduled'],
    ]);
    expect(notices[0]?.variables).toEqual({
      title: '讲座',
      startsAt: new Date('2026-12-12T06:00:00Z'),
      venue: '东镇',
      previousStartsAt: new Date('2026-12-10T06:00:00Z'),
    });
  });

  it('when credits are awarded, then the amount, a readable source and the time are given', () => {
    const notice = creditsAwardedNotice(
      {
        sourceEventId: 'evt-c',
        participantId: 'p-1',
        amount: '2.5',
        source: 'lecture_attended',
        occurredAt: new Date('2026-12-06T06:00:00Z'),
      },
      'en',
    );

    expect(notice).toMatchObject({
      noticeId: 'evt-c',
      kind: 'credits.awarded',
      recipient: 'p-1',
      variables: {
        amount: '2.5',
        source: 'Attending a lecture',
        occurredAt: new Date('2026-12-06T06:00:00Z'),
      },
      sender: 'service:scoring',
    });
  });

  it('when an organization is rejected, then each admin gets the reason (or a standard one) in their language', () => {
    const admins = [
      { participantId: 'a-1', language: 'zh-CN' as const },
      { participantId: 'a-2', language: 'en' as const },
    ];
    const context = {
      sourceEventId: 'evt-o',
      organizationName: '书香社区',
      admins,
      occurredAt: new Date('2026-12-07T00:00:00Z'),
    };

    const rejected = organizationDecidedNotices({ outcome: 'rejected', reason: '' }, context);
    const recognized = organizationDecidedNotices({ outcome: 'recognized' }, context);

    expect(rejected.map((notice) => notice.variables.reason)).toEqual([
      '未说明原因',
      'No reason was given',
    ]);
    expect(rejected.every((notice) => notice.kind === 'organization.rejected')).toBe(true);
    expect(recognized.map((notice) => [notice.recipient, notice.kind, notice.variables])).toEqual([
      ['a-1', 'organization.recognized', { organization: '书香社区' }],
      ['a-2', 'organization.recognized', { organization: '书香社区' }],
    ]);
  });

  it('when a coverage gap is found, then each area officer gets coverage.gap as officer:<subject> with their duty contact, in their language', () => {
    const contact = { language: 'en', phone: '13800000000', email: null, wechatOpenId: null };
    const notices = coverageGapNotices(
      { kind: 'no_lecture', months: 3 },
      {
        sourceEventId: 'evt-g',
        areaName: '东镇',
        officers: [{ subject: 'sub-1', contact }],
        detectedAt: new Date('2026-12-07T00:00:00Z'),
        sender: 'service:lectures',
      },
    );

    expect(notices).toEqual([
      {
        noticeId: 'evt-g',
        kind: 'coverage.gap',
        recipient: 'officer:sub-1',
        contact,
        urgent: false,
        variables: {
          area: '东镇',
          gap: 'No lecture held in the last 3 months',
          detectedAt: new Date('2026-12-07T00:00:00Z'),
        },
        occurredAt: new Date('2026-12-07T00:00:00Z'),
        sender: 'service:lectures',
      },
    ]);
  });
});
