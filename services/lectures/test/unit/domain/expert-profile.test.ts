import { refusalOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import {
  availabilityCovers,
  availableAt,
  MAX_AVAILABILITY_WINDOWS,
  normalizeAvailability,
  normalizeEmail,
  normalizeLanguages,
  normalizePhone,
} from '../../../src/domain/expert-profile.js';

const at = (iso: string): Date => new Date(iso);
const window = (start: string, end: string) => ({ startsAt: at(start), endsAt: at(end) });

describe('availability windows', () => {
  it('when windows are given out of order, then they are stored sorted by start', () => {
    const sorted = normalizeAvailability([
      window('2026-05-03T01:00:00Z', '2026-05-03T09:00:00Z'),
      window('2026-05-01T01:00:00Z', '2026-05-01T09:00:00Z'),
      window('2026-05-02T01:00:00Z', '2026-05-02T09:00:00Z'),
    ]);

    expect(sorted.map((item) => item.startsAt.toISOString())).toEqual([
      '2026-05-01T01:00:00.000Z',
      '2026-05-02T01:00:00.000Z',
      '2026-05-03T01:00:00.000Z',
    ]);
  });

  it('when one window starts as the previous ends, then both are kept', () => {
    const windows = [
      window('2026-05-01T01:00:00Z', '2026-05-01T05:00:00Z'),
      window('2026-05-01T05:00:00Z', '2026-05-01T09:00:00Z'),
    ];

    expect(normalizeAvailability(windows)).toHaveLength(2);
  });

  it('when two windows overlap, even given apart in the list, then it is EXPERT_AVAILABILITY_OVERLAP', () => {
    const error = refusalOf(() =>
      normalizeAvailability([
        window('2026-05-01T01:00:00Z', '2026-05-01T05:00:00Z'),
        window('2026-06-01T01:00:00Z', '2026-06-01T05:00:00Z'),
        window('2026-05-01T04:59:00Z', '2026-05-01T09:00:00Z'),
      ]),
    );

    expect(error.code).toBe('EXPERT_AVAILABILITY_OVERLAP');
    expect(error.kind).toBe('invalid_argument');
  });

  it.each([
    ['ends before it starts', window('2026-05-01T05:00:00Z', '2026-05-01T01:00:00Z')],
    ['is empty', window('2026-05-01T05:00:00Z', '2026-05-01T05:00:00Z')],
    ['has an invalid date', { startsAt: new Date('nonsense'), endsAt: at('2026-05-01T05:00:00Z') }],
  ])('when a window %s, then it is EXPERT_AVAILABILITY_WINDOW_INVALID', (_, bad) => {
    expect(refusalOf(() => normalizeAvailability([bad])).code).toBe(
      'EXPERT_AVAILABILITY_WINDOW_INVALID',
    );
  });

  it('when there are more windows than the bound, then it is EXPERT_AVAILABILITY_TOO_MANY; at the bound, they are kept', () => {
    const many = (count: number) =>
      Array.from({ length: count }, (_, day) => ({
        startsAt: new Date(Date.UTC(2026, 0, 1 + day, 1)),
        endsAt: new Date(Date.UTC(2026, 0, 1 + day, 9)),
      }));

    expect(normalizeAvailability(many(MAX_AVAILABILITY_WINDOWS))).toHaveLength(
      MAX_AVAILABILITY_WINDOWS,
    );
    expect(refusalOf(() => normalizeAvailability(many(MAX_AVAILABILITY_WINDOWS + 1))).code).toBe(
      'EXPERT_AVAILABILITY_TOO_MANY',
    );
  });

  it('when an instant or a span is asked, then a window holds it only from its start to before its end', () => {
    const windows = [window('2026-05-01T01:00:00Z', '2026-05-01T05:00:00Z')];

    expect(availableAt(windows, at('2026-05-01T01:00:00Z'))).toBe(true);
    expect(availableAt(windows, at('2026-05-01T05:00:00Z'))).toBe(false);
    expect(
      availabilityCovers(windows, at('2026-05-01T02:00:00Z'), at('2026-05-01T05:00:00Z')),
    ).toBe(true);
    expect(
      availabilityCovers(windows, at('2026-05-01T02:00:00Z'), at('2026-05-01T05:01:00Z')),
    ).toBe(false);
  });
});

describe('languages', () => {
  it('when tags are given in any casing, then they are stored canonical', () => {
    expect(normalizeLanguages(['zh-cn', 'EN', 'zh-hant-tw', 'yue'])).toEqual([
      'zh-CN',
      'en',
      'zh-Hant-TW',
      'yue',
    ]);
  });

  it.each(['c', 'zh_CN', '', 'en-', 'x-private', '12', `zh-${'a'.repeat(40)}`])(
    'when the tag is %j, then it is EXPERT_LANGUAGE_INVALID',
    (tag) => {
      expect(refusalOf(() => normalizeLanguages([tag])).code).toBe('EXPERT_LANGUAGE_INVALID');
    },
  );

  it('when one language is given twice in two casings, then it is EXPERT_LANGUAGE_DUPLICATE', () => {
    expect(refusalOf(() => normalizeLanguages(['zh-CN', 'zh-cn'])).code).toBe(
      'EXPERT_LANGUAGE_DUPLICATE',
    );
  });
});

describe('contacts', () => {
  it('when a phone is typed with +86, spaces or hyphens, then its 11 digits are kept', () => {
    expect(normalizePhone('+86 139-1234-5678')).toBe('13912345678');
    expect(normalizePhone('  ')).toBeNull();
    expect(normalizePhone(null)).toBeNull();
  });

  it.each(['12912345678', '1391234567', '139123456789', '021-12345678'])(
    'when the phone is %s, then it is PHONE_FORMAT and the message does not repeat it',
    (phone) => {
      const error = refusalOf(() => normalizePhone(phone));

      expect(error.code).toBe('PHONE_FORMAT');
      expect(error.message).not.toContain(phone);
    },
  );

  it('when an e-mail is given, then it is trimmed with its domain lower-cased', () => {
    expect(normalizeEmail(' Zhang.San@Example.CN ')).toBe('Zhang.San@example.cn');
    expect(normalizeEmail('')).toBeNull();
  });

  it.each([
    'plainaddress',
    '@example.cn',
    'zhang@',
    'zhang@localhost',
    'zhang@@example.cn',
    'zhang..san@example.cn',
    'zhang@-example.cn',
    'zhang@example.c0m',
    'zhang san@example.cn',
    `${'a'.repeat(65)}@example.cn`,
  ])(
    'when the e-mail is %j, then it is EMAIL_FORMAT and the message does not repeat it',
    (email) => {
      const error = refusalOf(() => normalizeEmail(email));

      expect(error.code).toBe('EMAIL_FORMAT');
      expect(error.message).not.toContain(email);
    },
  );
});
