import { describe, expect, it } from 'vitest';
import {
  campaignElapsedPercent,
  cityDay,
  formatDateTime,
  formatRange,
  rangeOfDays,
} from '../../src/format.js';

describe('the city calendar in the portal', () => {
  it("when a filter gives days, then the services get [the first day's start, the day after the last) in China time", () => {
    expect(rangeOfDays('2026-04-01', '2026-04-30')).toEqual({
      from: '2026-03-31T16:00:00.000Z',
      to: '2026-04-30T16:00:00.000Z',
    });
    expect(rangeOfDays(undefined, undefined)).toEqual({});
  });

  it("when it is late evening in UTC, then the city's day is already the next one", () => {
    expect(cityDay(new Date('2026-04-01T17:00:00Z'))).toBe('2026-04-02');
  });

  it('when a time is shown, then it is the city clock whatever the phone is set to', () => {
    expect(formatDateTime('2026-04-01T06:00:00Z', 'en')).toContain('14:00');
  });

  it('when a campaign runs through April, then its elapsed share follows the days, 0 before and 100 after', () => {
    expect(campaignElapsedPercent('2026-04-01', '2026-04-30', '2026-03-31')).toBe(0);
    expect(campaignElapsedPercent('2026-04-01', '2026-04-30', '2026-04-15')).toBe(48);
    expect(campaignElapsedPercent('2026-04-01', '2026-04-30', '2026-05-01')).toBe(100);
  });

  it('when a session starts and ends on one city day, then the end shows as its time alone; across days, in full', () => {
    expect(formatRange('2026-04-01T06:00:00Z', '2026-04-01T08:00:00Z', 'en')).toMatch(
      /14:00–16:00$/,
    );
    // 23:00 to 01:00 in the city: two days, though one UTC day.
    const overnight = formatRange('2026-04-01T15:00:00Z', '2026-04-01T17:00:00Z', 'en');
    expect(overnight).toContain(' – ');
    expect(overnight).toMatch(/Apr 2.*01:00$/);
  });
});
