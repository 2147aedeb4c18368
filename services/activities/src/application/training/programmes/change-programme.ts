/**
 * Its leaders change a draft or a launched programme: title, description,
 * area, years, audience, categories, what a completion needs. The plan is
 * checked again as it would become, and quotas already set must stay inside
 * the new years and area.
 */
import type { AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { domainCall, type ContentCategory, type TrainingTargetGroup } from '@learning/domain';
import type { AppError } from '@learning/errors';
import { assertChangeable, validateProgrammePlan } from '../../../domain/training-programmes.js';
import type { Jurisdictions } from '../../ports.js';
import { findLed } from './access.js';
import { areaPathOf } from './create-programme.js';
import {
  PROGRAMME_CHANGE_EMPTY,
  PROGRAMME_QUOTAS_OUTSIDE_PLAN,
  programmeErrors,
} from './errors.js';
import { assertVersion, storeChange } from './events.js';
import type {
  ProgrammeFields,
  ProgrammeRepository,
  StoredProgramme,
} from './programme-repository.js';

export interface ChangeProgrammeRequest {
  /** The version the editor read (If-Match); absent: the current one. */
  readonly version?: number;
  readonly title?: string;
  readonly description?: string;
  readonly jurisdictionCode?: string;
  readonly firstYear?: number;
  readonly lastYear?: number;
  readonly targetGroups?: readonly TrainingTargetGroup[];
  readonly categories?: readonly ContentCategory[];
  readonly requiredMinutes?: number;
  readonly skillsTest?: boolean;
}

export interface ChangeProgrammeDeps {
  readonly programmes: ProgrammeRepository;
  readonly jurisdictions: Jurisdictions;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
}

const quotasOutside = (what: string): AppError =>
  programmeErrors.error(
    PROGRAMME_QUOTAS_OUTSIDE_PLAN,
    `Quotas are set for ${what}; change or clear those years’ quotas first.`,
  );

/** Quotas of the changed programme must be in its years and inside its area. */
async function assertQuotasInside(
  jurisdictions: Jurisdictions,
  after: StoredProgramme,
): Promise<void> {
  const outsideYears = after.quotas.filter(
    (quota) => quota.year < after.firstYear || quota.year > after.lastYear,
  );
  if (outsideYears.length > 0)
    throw quotasOutside(`years outside ${after.firstYear}–${after.lastYear}`);
  const area = after.jurisdictionPath.at(-1) ?? '';
  const codes = [...new Set(after.quotas.map((quota) => quota.jurisdictionCode))];
  if (codes.length === 0) return;
  const nodes = await jurisdictions.find(codes);
  const outside = codes.filter((code) => nodes.get(code)?.path.includes(area) !== true);
  if (outside.length > 0) throw quotasOutside(`townships outside the area (${outside.join(', ')})`);
}

export function changeProgramme(deps: ChangeProgrammeDeps) {
  return async (
    principal: Principal,
    id: string,
    request: ChangeProgrammeRequest,
  ): Promise<StoredProgramme> => {
    const { version, jurisdictionCode, ...fields } = request;
    if (Object.keys(fields).length === 0 && jurisdictionCode === undefined)
      throw programmeErrors.error(PROGRAMME_CHANGE_EMPTY, 'Name at least one field to change.');
    const programme = await findLed(deps, principal, id);
    assertVersion(programme, version);
    domainCall(() => {
      assertChangeable(programme.status);
    });
    const set: Partial<ProgrammeFields> = {
      ...fields,
      ...(fields.title === undefined ? {} : { title: fields.title.trim() }),
      ...(fields.description === undefined ? {} : { description: fields.description.trim() }),
      ...(jurisdictionCode === undefined
        ? {}
        : { jurisdictionPath: await areaPathOf(deps.jurisdictions, jurisdictionCode) }),
    };
    const after: StoredProgramme = { ...programme, ...set };
    domainCall(() => {
      validateProgrammePlan(after);
    });
    await assertQuotasInside(deps.jurisdictions, after);
    return storeChange(deps, principal, 'training_programme.change', programme, {
      set,
      at: deps.clock(),
    });
  };
}

export type ChangeProgramme = ReturnType<typeof changeProgramme>;
