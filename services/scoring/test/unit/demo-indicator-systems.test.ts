import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  checkIndicatorSystem,
  parseHundredths,
  SYSTEM_TARGETS,
  type IndicatorMethod,
  type SystemTarget,
} from '../../src/domain/evaluation.js';

/** A POST /v1/indicator-systems body as the demo file writes it (the loader adds the year). */
interface DemoSystem {
  target: SystemTarget;
  name: string;
  passMark: string;
  indicators: { key: string; name: string; weight: string; method: IndicatorMethod }[];
}

const demo = JSON.parse(
  readFileSync(
    new URL('../../../../infra/local/demo/indicator-systems.json', import.meta.url),
    'utf8',
  ),
) as { systems: DemoSystem[] };

const hundredths = (percent: string): number => {
  const value = parseHundredths(percent);
  if (value === undefined) throw new Error(`"${percent}" is not a percentage with two decimals`);
  return value;
};

describe('the demo indicator systems (infra/local/demo/indicator-systems.json)', () => {
  it('when each is checked as the office’s POST would be, then all pass, one per target except public institutions (assessed as agencies)', () => {
    for (const system of demo.systems)
      expect(() => {
        checkIndicatorSystem({
          target: system.target,
          passMark: hundredths(system.passMark),
          indicators: system.indicators.map((indicator) => ({
            ...indicator,
            weight: hundredths(indicator.weight),
          })),
        });
      }, system.name).not.toThrow();
    expect(demo.systems.map((system) => system.target).sort()).toEqual(
      SYSTEM_TARGETS.filter((target) => target !== 'public_institution').sort(),
    );
  });
});
