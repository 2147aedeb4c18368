/**
 * The office starts another year from a system it has: the same target and
 * indicators as version 1 of that year's system. The copy is checked again,
 * so an indicator the catalogue no longer offers is refused rather than
 * carried forward.
 */
import { randomUUID } from 'node:crypto';
import type { Principal } from '@learning/auth';
import { storeNewSystem } from './create-system.js';
import { systemAt, type IndicatorSystemsDeps } from './deps.js';
import type { StoredIndicatorSystem } from './ports.js';

export interface CopySystemRequest {
  readonly year: number;
  /** The source's name when absent. */
  readonly name?: string;
}

export type CopySystem = (
  principal: Principal,
  id: string,
  request: CopySystemRequest,
) => Promise<StoredIndicatorSystem>;

export const copySystem =
  (deps: IndicatorSystemsDeps): CopySystem =>
  async (principal, id, request) => {
    const source = await systemAt(deps.systems, id, undefined);
    return storeNewSystem(
      deps,
      principal,
      {
        id: randomUUID(),
        year: request.year,
        target: source.target,
        name: request.name ?? source.name,
        version: 1,
        passMark: source.passMark,
        indicators: source.indicators,
      },
      'indicator_system.copy',
    );
  };
