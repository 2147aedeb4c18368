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
  it('when given figures and no targets, then it writes one line of JSON, the bench name first, met null', () => {
    const text = written((out) => {
      printBenchSummary(
        'registration.sign-ups',
        { signUps: 10000, inOrder: true, httpStatuses: { '201': 10000 } },
        {},
        out,
      );
    });

    expect(text.endsWith('\n')).toBe(true);
    expect(text.trimEnd().split('\n')).toHaveLength(1);
    expect(Object.keys(JSON.parse(text) as object)[0]).toBe('bench');
    expect(JSON.parse(text)).toEqual({
      bench: 'registration.sign-ups',
      figures: { signUps: 10000, inOrder: true, httpStatuses: { '201': 10000 } },
      targets: {},
      met: null,
      unmet: [],
    });
  });

  it('when every target holds, then met is true', () => {
    const text = written((out) => {
      printBenchSummary(
        'registration.sign-ups',
        { cpuMsPerSignUp: 0.42, roundTripsPerSignUp: 3, confirmed: 500, inOrder: true },
        {
          cpuMsPerSignUp: { atMost: 0.5 },
          roundTripsPerSignUp: { atMost: 3 },
          confirmed: { equals: 500 },
          inOrder: { equals: true },
        },
        out,
      );
    });

    expect(JSON.parse(text)).toMatchObject({ met: true, unmet: [] });
  });

  it('when a figure misses its target, then met is false and the figure is named', () => {
    const text = written((out) => {
      printBenchSummary(
        'events',
        { commandsPerEvent: 1.9, throughputShare: 0.62, ordered: 'no' },
        {
          commandsPerEvent: { atMost: 1.2 },
          throughputShare: { atLeast: 0.5 },
          ordered: { equals: 'yes' },
        },
        out,
      );
    });

    expect(JSON.parse(text)).toMatchObject({ met: false, unmet: ['commandsPerEvent', 'ordered'] });
  });

  it('when a numeric target meets a figure that is not a number, then it is not met', () => {
    const text = written((out) => {
      printBenchSummary('events', { p99Ms: null }, { p99Ms: { atMost: 250 } }, out);
    });

    expect(JSON.parse(text)).toMatchObject({ met: false, unmet: ['p99Ms'] });
  });

  it('when a target names no figure, then it throws rather than report a target as met', () => {
    expect(() => {
      printBenchSummary('events', { p99Ms: 12 }, { p95Ms: { atMost: 250 } }, { write: () => true });
    }).toThrow(/names no figure: p95Ms/);
  });

  it('when a figure holds text with line breaks, then the summary is still a single line', () => {
    const text = written((out) => {
      printBenchSummary('events', { note: 'first\nsecond' }, {}, out);
    });

    expect(text.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(text)).toMatchObject({ figures: { note: 'first\nsecond' } });
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
