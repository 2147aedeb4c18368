/**
 * A programme's status moves. Launch: from then on classes may open under it;
 * TrainingProgrammeLaunched and the audit record are written with the new
 * status in one update, so the event is published exactly when the launch is
 * stored. Close: its figures stay readable, nothing more changes.
 */
import type { Principal } from '@learning/auth';
import { chinaYearOf, domainCall } from '@learning/domain';
import { assertMayClose, assertMayLaunch } from '../../../domain/training-programmes.js';
import type { Jurisdictions } from '../../ports.js';
import { findLed } from './access.js';
import { assertVersion, launchedEventOf, storeChange, type ProgrammeWriteDeps } from './events.js';
import type { StoredProgramme } from './programme-repository.js';

export interface ProgrammeMoveDeps extends ProgrammeWriteDeps {
  readonly jurisdictions: Jurisdictions;
}

export interface ProgrammeMoveRequest {
  /** When given (If-Match), the move applies only to this version. */
  readonly version?: number;
}

export function launchProgramme(deps: ProgrammeMoveDeps) {
  return async (
    principal: Principal,
    id: string,
    request: ProgrammeMoveRequest,
  ): Promise<StoredProgramme> => {
    const programme = await findLed(deps, principal, id);
    assertVersion(programme, request.version);
    const now = deps.clock();
    domainCall(() => {
      assertMayLaunch(programme, chinaYearOf(now));
    });
    const set = { status: 'launched' as const, launchedAt: now };
    return storeChange(deps, principal, 'training_programme.launch', programme, { set, at: now }, [
      launchedEventOf({ ...programme, ...set }, now),
    ]);
  };
}

export function closeProgramme(deps: ProgrammeMoveDeps) {
  return async (
    principal: Principal,
    id: string,
    request: ProgrammeMoveRequest,
  ): Promise<StoredProgramme> => {
    const programme = await findLed(deps, principal, id);
    assertVersion(programme, request.version);
    domainCall(() => {
      assertMayClose(programme);
    });
    return storeChange(deps, principal, 'training_programme.close', programme, {
      set: { status: 'closed' },
      at: deps.clock(),
    });
  };
}

export type LaunchProgramme = ReturnType<typeof launchProgramme>;
export type CloseProgramme = ReturnType<typeof closeProgramme>;
