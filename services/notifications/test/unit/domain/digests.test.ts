import { describe, expect, it } from 'vitest';
import {
  DIGEST_MAX_LINES,
  digestIdOf,
  digestPeriodOf,
  mergeDigest,
} from '../../../src/domain/digests.js';

describe('digest periods', () => {
  it('when daily, then the period is the local calendar day and ends at local midnight', () => {
    const period = digestPeriodOf('daily', 'Asia/Shanghai', new Date('2026-12-07T17:30:00Z')); // 01:30 on the 8th
    expect(period).toEqual({
      firstDay: '2026-12-08',
      label: '2026-12-08',
      start: new Date('2026-12-07T16:00:00Z'),
      end: new Date('2026-12-08T16:00:00Z'),
    });
  });

  it('when weekly, then the period runs Monday to Sunday in the person’s zone', () => {
    const period = digestPeriodOf('weekly', 'Europe/Berlin', new Date('2026-12-10T12:00:00Z')); // a Thursday
    expect(period.label).toBe('2026-12-07/2026-12-13');
    expect(period.start).toEqual(new Date('2026-12-06T23:00:00Z'));
    expect(period.end).toEqual(new Date('2026-12-13T23:00:00Z'));
  });

  it('when a day has a DST change, then the daily period is 23 hours and still ends at local midnight', () => {
    const period = digestPeriodOf('daily', 'Europe/Berlin', new Date('2026-03-29T10:00:00Z'));
    expect(period.end.getTime() - period.start.getTime()).toBe(23 * 3_600_000);
    expect(period.end).toEqual(new Date('2026-03-29T22:00:00Z'));
  });

  it('when two notices arrive in the same second, then they belong to one digest id', () => {
    const at = new Date('2026-12-07T04:00:00.100Z');
    const same = new Date('2026-12-07T04:00:00.900Z');
    expect(digestIdOf('p1', digestPeriodOf('daily', 'Asia/Shanghai', at))).toBe(
      digestIdOf('p1', digestPeriodOf('daily', 'Asia/Shanghai', same)),
    );
    expect(digestIdOf('p1', digestPeriodOf('daily', 'Asia/Shanghai', at))).toBe(
      'digest:p1:2026-12-07',
    );
  });
});

describe('mergeDigest', () => {
  it('when notices are merged, then they are counted and listed in the order they happened', () => {
    expect(
      mergeDigest(
        [
          { title: 'Later', occurredAt: new Date('2026-12-07T05:00:00Z') },
          { title: 'Earlier', occurredAt: new Date('2026-12-07T01:00:00Z') },
        ],
        '2026-12-07',
      ),
    ).toEqual({ count: 2, items: '- Earlier\n- Later', period: '2026-12-07' });
  });

  it('when more notices than lines are merged, then the rest is counted', () => {
    const items = Array.from({ length: DIGEST_MAX_LINES + 3 }, (_, index) => ({
      title: `n${String(index).padStart(2, '0')}`,
      occurredAt: new Date(Date.UTC(2026, 11, 7, 0, index)),
    }));
    const merged = mergeDigest(items, '2026-12-07');
    expect(merged.count).toBe(DIGEST_MAX_LINES + 3);
    expect(merged.items.split('\n')).toHaveLength(DIGEST_MAX_LINES + 1);
    expect(merged.items.endsWith('\n+3')).toBe(true);
  });
});
