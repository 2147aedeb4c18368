import { refusalOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import {
  assertCampaignFits,
  assertForumActive,
  assertNoSpeakerClash,
  assertNoVenueClash,
  assertSpeakersInPool,
  assertTravelRadius,
  assertWithinAvailability,
  checkSession,
  DEFAULT_SCHEDULING_RULES as RULES,
  learningMinutesOf,
  calendarAround,
  maxTravelMinutes,
  settingOf,
  townshipCodeOf,
  travelMinutes,
  validateCapacity,
  validateSignUpWindow,
  validateTimes,
  type CalendarEntry,
  type CampaignFacts,
  type SessionPlan,
  type SpeakerFacts,
  type VenuePlace,
} from '../../../src/domain/scheduling.js';

const NOW = new Date('2027-04-01T00:00:00Z');
const at = (iso: string): Date => new Date(`2027-04-${iso}Z`);
const span = (start: string, end: string) => ({ startsAt: at(start), endsAt: at(end) });

const CITY = '330281000000';
const STREET_A = '330281001000';
const STREET_B = '330281002000';
const TOWNSHIP = '330281101000';

const hall: VenuePlace = { id: 'hall', setting: 'city', townshipCode: STREET_A };
const library: VenuePlace = { id: 'library', setting: 'city', townshipCode: STREET_A };
const theatre: VenuePlace = { id: 'theatre', setting: 'city', townshipCode: STREET_B };
const villageHall: VenuePlace = { id: 'village', setting: 'countryside', townshipCode: TOWNSHIP };
const townHall: VenuePlace = { id: 'town', setting: 'countryside', townshipCode: TOWNSHIP };

const speaker = (overrides: Partial<SpeakerFacts> = {}): SpeakerFacts => ({
  id: 'wang',
  displayName: '王教授',
  status: 'active',
  travelRadius: 'countryside',
  availability: [{ startsAt: at('10T00:00:00'), endsAt: at('20T00:00:00') }],
  ...overrides,
});

const entry = (overrides: Partial<CalendarEntry> = {}): CalendarEntry => ({
  id: 'other-session',
  title: '宋韵文化',
  speakerIds: ['wang'],
  venue: hall,
  ...span('12T08:00:00', '12T10:00:00'),
  ...overrides,
});

describe('the times of a session', () => {
  it('when it ends after it starts, in the future, within the bounds, then it is accepted', () => {
    expect(() => {
      validateTimes(span('12T08:00:00', '12T10:00:00'), NOW, RULES);
    }).not.toThrow();
  });

  it('when it ends before or when it starts, then SESSION_TIMES_INVALID', () => {
    for (const [start, end] of [
      ['12T10:00:00', '12T08:00:00'],
      ['12T10:00:00', '12T10:00:00'],
    ] as const)
      expect(
        refusalOf(() => {
          validateTimes(span(start, end), NOW, RULES);
        }).code,
      ).toBe('SESSION_TIMES_INVALID');
    expect(
      refusalOf(() => {
        validateTimes({ startsAt: new Date('x'), endsAt: at('12T08:00:00') }, NOW, RULES);
      }).code,
    ).toBe('SESSION_TIMES_INVALID');
  });

  it('when it starts before now, then SESSION_IN_PAST', () => {
    expect(
      refusalOf(() => {
        validateTimes(span('12T08:00:00', '12T10:00:00'), at('12T08:00:01'), RULES);
      }).code,
    ).toBe('SESSION_IN_PAST');
  });

  it('when it is shorter than the least or longer than the most, then SESSION_LENGTH_INVALID; the bounds themselves pass', () => {
    expect(
      refusalOf(() => {
        validateTimes(span('12T08:00:00', '12T08:14:00'), NOW, RULES);
      }).code,
    ).toBe('SESSION_LENGTH_INVALID');
    expect(
      refusalOf(() => {
        validateTimes(span('12T08:00:00', '12T16:01:00'), NOW, RULES);
      }).code,
    ).toBe('SESSION_LENGTH_INVALID');
    expect(() => {
      validateTimes(span('12T08:00:00', '12T08:15:00'), NOW, RULES);
      validateTimes(span('12T08:00:00', '12T16:00:00'), NOW, RULES);
    }).not.toThrow();
  });
});

describe('the learning minutes of a session', () => {
  it('when a session is held, then it credits its length in minutes', () => {
    expect(learningMinutesOf(span('12T08:00:00', '12T09:30:00'))).toBe(90);
  });

  it('when the length ends in a part-minute, then only the whole minutes count', () => {
    expect(learningMinutesOf(span('12T08:00:00', '12T08:45:59'))).toBe(45);
  });
});

describe('the sign-up window', () => {
  const startsAt = at('12T08:00:00');

  it('when it opens before it closes and closes by the start, then it is accepted', () => {
    expect(() => {
      validateSignUpWindow({ opensAt: at('05T00:00:00'), closesAt: startsAt }, startsAt);
    }).not.toThrow();
  });

  it('when it opens at or after it closes, or closes after the start, then SESSION_SIGN_UP_WINDOW_INVALID', () => {
    for (const window of [
      { opensAt: at('06T00:00:00'), closesAt: at('06T00:00:00') },
      { opensAt: at('07T00:00:00'), closesAt: at('06T00:00:00') },
      { opensAt: at('05T00:00:00'), closesAt: at('12T08:00:01') },
    ])
      expect(
        refusalOf(() => {
          validateSignUpWindow(window, startsAt);
        }).code,
      ).toBe('SESSION_SIGN_UP_WINDOW_INVALID');
  });
});

describe('the capacity', () => {
  it('when it is a positive whole number or unlimited, then it is accepted', () => {
    expect(() => {
      validateCapacity(1);
      validateCapacity(null);
    }).not.toThrow();
  });

  it('when it is zero, negative or fractional, then SESSION_CAPACITY_INVALID', () => {
    for (const capacity of [0, -3, 2.5])
      expect(
        refusalOf(() => {
          validateCapacity(capacity);
        }).code,
      ).toBe('SESSION_CAPACITY_INVALID');
  });
});

describe('travel time between venues', () => {
  it('when the venue is the same, then no gap is needed', () => {
    expect(travelMinutes(hall, hall, RULES)).toBe(0);
    expect(travelMinutes(villageHall, villageHall, RULES)).toBe(0);
  });

  it('when both are in one street or one township, then the same-township gap', () => {
    expect(travelMinutes(hall, library, RULES)).toBe(RULES.sameTownshipMinutes);
    expect(travelMinutes(villageHall, townHall, RULES)).toBe(RULES.sameTownshipMinutes);
  });

  it('when both are in the city in different streets, then the city gap', () => {
    expect(travelMinutes(hall, theatre, RULES)).toBe(RULES.cityMinutes);
  });

  it('when either is in the countryside, then the countryside gap, both ways', () => {
    expect(travelMinutes(hall, villageHall, RULES)).toBe(RULES.countrysideMinutes);
    expect(travelMinutes(villageHall, hall, RULES)).toBe(RULES.countrysideMinutes);
  });

  it('when the rules are overridden, then the overriding minutes apply', () => {
    const rules = { ...RULES, sameTownshipMinutes: 5, cityMinutes: 7, countrysideMinutes: 200 };
    expect(travelMinutes(hall, library, rules)).toBe(5);
    expect(travelMinutes(hall, theatre, rules)).toBe(7);
    expect(travelMinutes(theatre, villageHall, rules)).toBe(200);
    expect(maxTravelMinutes(rules)).toBe(200);
  });

  it('when the calendar around a plan is read, then it reaches back the longest session and the longest travel, and forward the longest travel', () => {
    const rules = { ...RULES, maxMinutes: 480, countrysideMinutes: 120 };
    const plan = {
      startsAt: new Date('2027-04-10T06:00:00Z'),
      endsAt: new Date('2027-04-10T08:00:00Z'),
    };

    expect(calendarAround(plan, rules)).toEqual({
      from: new Date('2027-04-09T20:00:00Z'),
      to: new Date('2027-04-10T10:00:00Z'),
    });
  });
});

describe('a speaker in two places', () => {
  const wang = speaker();
  const check = (start: string, end: string, venue: VenuePlace, calendar: CalendarEntry[]) => {
    assertNoSpeakerClash(span(start, end), venue, [wang], calendar, RULES);
  };

  it('when the sessions overlap at the same venue, then SESSION_SPEAKER_CLASH naming the speaker and the session', () => {
    const refusal = refusalOf(() => {
      check('12T09:00:00', '12T11:00:00', hall, [entry()]);
    });
    expect(refusal.code).toBe('SESSION_SPEAKER_CLASH');
    expect(refusal.message).toContain('王教授');
    expect(refusal.message).toContain('other-session');
  });

  it('when one ends as the other starts at the same venue, then it is accepted', () => {
    expect(() => {
      check('12T10:00:00', '12T11:00:00', hall, [entry()]);
      check('12T06:00:00', '12T08:00:00', hall, [entry()]);
    }).not.toThrow();
  });

  it('when the gap is shorter than the travel from the city to the countryside, then refused; long enough, accepted', () => {
    const refusal = refusalOf(() => {
      check('12T11:59:00', '12T13:00:00', villageHall, [entry()]);
    });
    expect(refusal.code).toBe('SESSION_SPEAKER_CLASH');
    expect(refusal.message).toContain(`${RULES.countrysideMinutes} minutes`);
    expect(() => {
      check('12T12:00:00', '12T13:00:00', villageHall, [entry()]);
    }).not.toThrow();
  });

  it('when the new session comes before the other with too little time to travel, then refused too', () => {
    expect(
      refusalOf(() => {
        check('12T06:00:00', '12T07:30:00', theatre, [entry()]);
      }).code,
    ).toBe('SESSION_SPEAKER_CLASH');
    expect(() => {
      check('12T06:00:00', '12T07:00:00', theatre, [entry()]);
    }).not.toThrow();
  });

  it('when the other session is another speaker’s, then it is no clash', () => {
    expect(() => {
      check('12T09:00:00', '12T11:00:00', theatre, [entry({ speakerIds: ['li'] })]);
    }).not.toThrow();
  });
});

describe('a venue hosting two sessions', () => {
  it('when another session at the venue overlaps, then SESSION_VENUE_CLASH naming it', () => {
    const refusal = refusalOf(() => {
      assertNoVenueClash(span('12T09:30:00', '12T11:00:00'), hall, [entry({ speakerIds: ['li'] })]);
    });
    expect(refusal.code).toBe('SESSION_VENUE_CLASH');
    expect(refusal.message).toContain('other-session');
  });

  it('when sessions touch, or the overlapping one is elsewhere, then it is accepted', () => {
    expect(() => {
      assertNoVenueClash(span('12T10:00:00', '12T11:00:00'), hall, [entry()]);
      assertNoVenueClash(span('12T09:00:00', '12T11:00:00'), library, [entry()]);
    }).not.toThrow();
  });
});

describe('availability', () => {
  it('when the session lies inside a window, the window’s ends included, then it is accepted', () => {
    expect(() => {
      assertWithinAvailability(span('10T00:00:00', '20T00:00:00'), [speaker()]);
    }).not.toThrow();
  });

  it('when it spills out of every window, or straddles two, then SESSION_SPEAKER_UNAVAILABLE naming the speaker', () => {
    const split = speaker({
      availability: [
        { startsAt: at('10T08:00:00'), endsAt: at('10T10:00:00') },
        { startsAt: at('10T10:00:00'), endsAt: at('10T12:00:00') },
      ],
    });
    for (const [who, start, end] of [
      [speaker(), '09T23:00:00', '10T01:00:00'],
      [split, '10T09:00:00', '10T11:00:00'],
      [speaker({ availability: [] }), '12T08:00:00', '12T09:00:00'],
    ] as const) {
      const refusal = refusalOf(() => {
        assertWithinAvailability(span(start, end), [who]);
      });
      expect(refusal.code).toBe('SESSION_SPEAKER_UNAVAILABLE');
      expect(refusal.message).toContain('王教授');
    }
  });
});

describe('travel radius', () => {
  it('when a city-only expert is sent to the countryside, then SESSION_SPEAKER_OUT_OF_RADIUS', () => {
    const refusal = refusalOf(() => {
      assertTravelRadius(villageHall, [
        speaker(),
        speaker({ id: 'li', displayName: '李研究员', travelRadius: 'city' }),
      ]);
    });
    expect(refusal.code).toBe('SESSION_SPEAKER_OUT_OF_RADIUS');
    expect(refusal.message).toContain('李研究员');
  });

  it('when a city-only expert lectures in the city, or a travelling one in the countryside, then it is accepted', () => {
    expect(() => {
      assertTravelRadius(hall, [speaker({ travelRadius: 'city' })]);
      assertTravelRadius(villageHall, [speaker()]);
    }).not.toThrow();
  });
});

describe('the pool', () => {
  it('when a speaker is not in the pool, then SESSION_SPEAKER_NOT_IN_POOL', () => {
    expect(refusalOf(() => assertSpeakersInPool(['ghost'], new Map())).code).toBe(
      'SESSION_SPEAKER_NOT_IN_POOL',
    );
  });

  it('when a speaker has retired, then SESSION_SPEAKER_NOT_ACTIVE', () => {
    const retired = speaker({ status: 'retired' });
    expect(refusalOf(() => assertSpeakersInPool(['wang'], new Map([['wang', retired]]))).code).toBe(
      'SESSION_SPEAKER_NOT_ACTIVE',
    );
  });

  it('when every speaker is active in the pool, then their facts come back in the order asked', () => {
    const li = speaker({ id: 'li' });
    expect(
      assertSpeakersInPool(
        ['li', 'wang'],
        new Map([
          ['wang', speaker()],
          ['li', li],
        ]),
      ).map((s) => s.id),
    ).toEqual(['li', 'wang']);
  });
});

describe('the forum', () => {
  it('when there is none, then SESSION_FORUM_UNKNOWN; retired, SESSION_FORUM_NOT_ACTIVE', () => {
    expect(refusalOf(() => assertForumActive('f', null)).code).toBe('SESSION_FORUM_UNKNOWN');
    expect(
      refusalOf(() => assertForumActive('f', { id: 'f', name: '人文讲坛', status: 'retired' }))
        .code,
    ).toBe('SESSION_FORUM_NOT_ACTIVE');
  });

  it('when it is active, then it is accepted', () => {
    expect(assertForumActive('f', { id: 'f', name: '人文讲坛', status: 'active' }).id).toBe('f');
  });
});

describe('the campaign', () => {
  const month: CampaignFacts = {
    id: 'month',
    title: '全民学习月',
    status: 'launched',
    scopePath: [CITY],
    startsOn: '2027-04-01',
    endsOn: '2027-04-30',
  };
  const path = [CITY, STREET_A];

  it('when launched, on its dates (China time) and covering the venue, then it is accepted', () => {
    expect(() => {
      // 16:00 UTC on 31 March is midnight of 1 April in China.
      assertCampaignFits(
        month,
        { startsAt: new Date('2027-03-31T16:00:00Z'), endsAt: new Date('2027-03-31T18:00:00Z') },
        path,
      );
    }).not.toThrow();
  });

  it('when closed, then SESSION_CAMPAIGN_NOT_LAUNCHED', () => {
    expect(
      refusalOf(() => {
        assertCampaignFits(
          { ...month, status: 'closed' },
          span('12T08:00:00', '12T09:00:00'),
          path,
        );
      }).code,
    ).toBe('SESSION_CAMPAIGN_NOT_LAUNCHED');
  });

  it('when the session falls outside its dates, then SESSION_OUTSIDE_CAMPAIGN_DATES', () => {
    for (const times of [
      { startsAt: new Date('2027-03-31T15:00:00Z'), endsAt: new Date('2027-03-31T17:00:00Z') },
      { startsAt: new Date('2027-04-30T15:00:00Z'), endsAt: new Date('2027-04-30T17:00:00Z') },
    ])
      expect(
        refusalOf(() => {
          assertCampaignFits(month, times, path);
        }).code,
      ).toBe('SESSION_OUTSIDE_CAMPAIGN_DATES');
  });

  it('when the venue is outside its area, then SESSION_OUTSIDE_CAMPAIGN_SCOPE', () => {
    expect(
      refusalOf(() => {
        assertCampaignFits(
          { ...month, scopePath: [CITY, STREET_B] },
          span('12T08:00:00', '12T09:00:00'),
          path,
        );
      }).code,
    ).toBe('SESSION_OUTSIDE_CAMPAIGN_SCOPE');
  });
});

describe('the venue’s place', () => {
  it('when under the city, then its township-rank code is the second of its path', () => {
    expect(townshipCodeOf([CITY, STREET_A, '330281001001'])).toBe(STREET_A);
    expect(refusalOf(() => townshipCodeOf([CITY])).code).toBe('SESSION_VENUE_NOT_IN_TOWNSHIP');
  });

  it('when the township-rank node is a street, then city; a township, then countryside', () => {
    expect(settingOf('street')).toBe('city');
    expect(settingOf('township')).toBe('countryside');
    expect(refusalOf(() => settingOf('village')).code).toBe('SESSION_VENUE_NOT_IN_TOWNSHIP');
  });
});

describe('the whole check', () => {
  const plan: SessionPlan = {
    ...span('12T08:00:00', '12T10:00:00'),
    venue: villageHall,
    venuePath: [CITY, TOWNSHIP],
    capacity: 80,
    signUpWindow: { opensAt: NOW, closesAt: at('12T08:00:00') },
  };
  const facts = {
    now: NOW,
    forumId: 'f',
    forum: { id: 'f', name: '人文讲坛', status: 'active' as const },
    speakerIds: ['wang'],
    speakers: new Map([['wang', speaker()]]),
    calendar: [],
  };

  it('when every rule holds, then it passes', () => {
    expect(() => {
      checkSession(plan, facts, RULES);
    }).not.toThrow();
  });

  it('when a rule fails, then its refusal comes out', () => {
    expect(
      refusalOf(() => {
        checkSession(
          plan,
          { ...facts, calendar: [entry({ venue: hall, ...span('12T10:30:00', '12T11:00:00') })] },
          RULES,
        );
      }).code,
    ).toBe('SESSION_SPEAKER_CLASH');
    expect(
      refusalOf(() => {
        checkSession(
          plan,
          { ...facts, speakers: new Map([['wang', speaker({ travelRadius: 'city' })]]) },
          RULES,
        );
      }).code,
    ).toBe('SESSION_SPEAKER_OUT_OF_RADIUS');
    expect(
      refusalOf(() => {
        checkSession({ ...plan, capacity: 0 }, facts, RULES);
      }).code,
    ).toBe('SESSION_CAPACITY_INVALID');
  });
});
