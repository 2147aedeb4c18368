import { refusalOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import { MAX_SESSIONS } from '../../../src/domain/schedule.js';
import {
  assertMove,
  assertOrganizingOrganization,
  assertPlace,
  assertProgrammeOpen,
  capacityOf,
  classMinutesOf,
  scheduleSessions,
  statusAt,
  targetGroupsOf,
} from '../../../src/domain/training-classes.js';

const NOW = new Date('2031-03-01T00:00:00Z');
const at = (hours: number) => new Date(NOW.getTime() + hours * 3_600_000);
const ids = () => {
  let n = 0;
  return () => `s${++n}`;
};
const codeOf = (run: () => unknown) => (refusalOf(run) as { code?: string }).code;

describe('a class’s sessions', () => {
  it('when sessions are given out of order, then they are sorted by start and new ones get ids', () => {
    const sessions = scheduleSessions(
      [
        { start: at(48), end: at(50), topic: ' 二 ' },
        { start: at(24), end: at(26), topic: '一' },
      ],
      [],
      NOW,
      ids(),
    );
    expect(sessions.map((s) => [s.id, s.topic])).toEqual([
      ['s2', '一'],
      ['s1', '二'],
    ]);
    expect(classMinutesOf(sessions)).toBe(240);
  });

  it('when an existing session is named by id, then it keeps it; an id not the class’s is refused', () => {
    const existing = [{ id: 'keep', start: at(24), end: at(26), topic: '' }];
    const moved = scheduleSessions(
      [{ id: 'keep', start: at(30), end: at(31), topic: '' }],
      existing,
      NOW,
      ids(),
    );
    expect(moved[0]?.id).toBe('keep');
    expect(
      codeOf(() =>
        scheduleSessions(
          [{ id: 'other', start: at(30), end: at(31), topic: '' }],
          existing,
          NOW,
          ids(),
        ),
      ),
    ).toBe('TRAINING_CLASS_SESSION_UNKNOWN');
  });

  it('when sessions overlap, end before they start, start in the past or are too many, then the schedule rules refuse', () => {
    expect(
      codeOf(() =>
        scheduleSessions(
          [
            { start: at(24), end: at(27), topic: '' },
            { start: at(26), end: at(28), topic: '' },
          ],
          [],
          NOW,
          ids(),
        ),
      ),
    ).toBe('SCHEDULE_SESSIONS_OVERLAP');
    expect(
      codeOf(() => scheduleSessions([{ start: at(25), end: at(24), topic: '' }], [], NOW, ids())),
    ).toBe('SCHEDULE_ENDS_BEFORE_START');
    expect(
      codeOf(() => scheduleSessions([{ start: at(-2), end: at(-1), topic: '' }], [], NOW, ids())),
    ).toBe('SCHEDULE_IN_PAST');
    const many = Array.from({ length: MAX_SESSIONS + 1 }, (_, i) => ({
      start: at(24 + i * 2),
      end: at(25 + i * 2),
      topic: '',
    }));
    expect(codeOf(() => scheduleSessions(many, [], NOW, ids()))).toBe('SCHEDULE_TOO_MANY_SESSIONS');
  });
});

describe('a class under its programme', () => {
  const programme = {
    status: 'launched' as const,
    jurisdictionPath: ['330281000000', '330281001000'],
    targetGroups: ['rural_labour', 'farmers'] as const,
    enterpriseId: null,
  };

  it('when the programme is a draft or closed, then no class opens under it', () => {
    expect(
      codeOf(() => {
        assertProgrammeOpen({ status: 'closed' });
      }),
    ).toBe('TRAINING_CLASS_PROGRAMME_NOT_OPEN');
    expect(() => {
      assertProgrammeOpen(programme);
    }).not.toThrow();
  });

  it('when the place is outside the area or is the city, then it is refused', () => {
    expect(
      codeOf(() => {
        assertPlace({ path: ['330281000000', '330281002000'], level: 'township' }, programme);
      }),
    ).toBe('TRAINING_CLASS_OUTSIDE_PROGRAMME_AREA');
    expect(
      codeOf(() => {
        assertPlace(
          { path: ['330281000000'], level: 'city' },
          { jurisdictionPath: ['330281000000'] },
        );
      }),
    ).toBe('TRAINING_CLASS_PLACE_LEVEL_INVALID');
    expect(() => {
      assertPlace(
        { path: ['330281000000', '330281001000', '330281001002'], level: 'village' },
        programme,
      );
    }).not.toThrow();
  });

  it('when a target group is not the programme’s, or none is named, then it is refused', () => {
    expect(codeOf(() => targetGroupsOf(['workers'], programme))).toBe(
      'TRAINING_CLASS_TARGET_GROUP_OUTSIDE_PROGRAMME',
    );
    expect(codeOf(() => targetGroupsOf([], programme))).toBe(
      'TRAINING_CLASS_TARGET_GROUP_OUTSIDE_PROGRAMME',
    );
    expect(targetGroupsOf(['farmers', 'farmers'], programme)).toEqual(['farmers']);
  });

  it('when a family or another enterprise would run it, then it is refused', () => {
    expect(
      codeOf(() => {
        assertOrganizingOrganization({ id: 'f', kind: 'family' }, programme);
      }),
    ).toBe('TRAINING_CLASS_ORGANIZER_KIND_INVALID');
    expect(
      codeOf(() => {
        assertOrganizingOrganization({ id: 'other', kind: 'enterprise' }, { enterpriseId: 'mine' });
      }),
    ).toBe('TRAINING_CLASS_ORGANIZER_NOT_ENTERPRISE');
  });

  it('when the capacity is not a whole number of seats, then it is refused; null is unlimited', () => {
    expect(codeOf(() => capacityOf(0))).toBe('TRAINING_CLASS_CAPACITY_INVALID');
    expect(codeOf(() => capacityOf(1.5))).toBe('TRAINING_CLASS_CAPACITY_INVALID');
    expect(capacityOf(null)).toBeNull();
  });
});

describe('a class’s status over time', () => {
  const sessions = [
    { id: 'a', start: at(24), end: at(26), topic: '' },
    { id: 'b', start: at(48), end: at(50), topic: '' },
  ];

  it('when published, then it is under way from the first start (between sessions too) and completed at the last end', () => {
    expect(statusAt({ status: 'published', sessions }, at(1))).toBe('published');
    expect(statusAt({ status: 'published', sessions }, at(24))).toBe('under_way');
    expect(statusAt({ status: 'published', sessions }, at(30))).toBe('under_way');
    expect(statusAt({ status: 'published', sessions }, at(50))).toBe('completed');
    expect(statusAt({ status: 'cancelled', sessions }, at(60))).toBe('cancelled');
  });

  it('when a move is not allowed by the status, then it is refused', () => {
    expect(
      codeOf(() => {
        assertMove('published', 'publish');
      }),
    ).toBe('TRAINING_CLASS_TRANSITION_NOT_ALLOWED');
    expect(
      codeOf(() => {
        assertMove('cancelled', 'cancel');
      }),
    ).toBe('TRAINING_CLASS_TRANSITION_NOT_ALLOWED');
    expect(
      codeOf(() => {
        assertMove('under_way', 'reschedule');
      }),
    ).toBe('TRAINING_CLASS_TRANSITION_NOT_ALLOWED');
    expect(() => {
      assertMove('under_way', 'cancel');
    }).not.toThrow();
  });
});
