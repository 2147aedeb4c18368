import { describe, expect, it } from 'vitest';
import { isLocalStandIn, printBenchSummary } from '../../src/index.js';

const written = (print: (out: { write: (text: string) => boolean }) => void): string => {
  let text = '';
  print({
    write: (chunk: string) => {
      text += chunk;
      return true;
    },
  });
  return text;
};

describe('printBenchSummary', () => {
  it('when given figures, then it writes one line of JSON, the bench name first, numbers as numbers', () => {
    const text = written((out) => {
      printBenchSummary(
        'registration.sign-ups',
        {
          signUps: 10000,
          signUpsPerSecond: 195.3,
          inOrder: true,
          httpStatuses: { '201': 10000 },
          boundByStandIn: ['signUpsPerSecond'],
        },
        out,
      );
    });

    expect(text.endsWith('\n')).toBe(true);
    expect(text.trimEnd().split('\n')).toHaveLength(1);
    expect(Object.keys(JSON.parse(text) as object)[0]).toBe('bench');
    expect(JSON.parse(text)).toEqual({
      bench: 'registration.sign-ups',
      signUps: 10000,
      signUpsPerSecond: 195.3,
      inOrder: true,
      httpStatuses: { '201': 10000 },
      boundByStandIn: ['signUpsPerSecond'],
    });
  });

  it('when a figure holds text with line breaks, then the summary is still a single line', () => {
    const text = written((out) => {
      printBenchSummary('events', { note: 'first\nsecond' }, out);
    });

    expect(text.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(text)).toEqual({ bench: 'events', note: 'first\nsecond' });
  });
});

describe('isLocalStandIn', () => {
  it('when the origin is a stand-in of infra/local, then it says so; otherwise not', () => {
    expect(isLocalStandIn('local stand-in (mockupdb over mongomock, infra/local/mongo)')).toBe(
      true,
    );
    expect(isLocalStandIn('MONGODB_URI from the environment')).toBe(false);
    expect(isLocalStandIn('local redis-server')).toBe(false);
  });
});
