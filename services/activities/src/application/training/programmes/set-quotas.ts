/**
 * Its leaders set one year's quotas: people to train per township (or
 * street) inside the programme's area, replacing that year's table. A
 * township's quota may not fall below the people it has already trained that
 * year (one left out counts as 0); nothing changes when any would.
 */
import type { Principal } from '@learning/auth';
import { domainCall } from '@learning/domain';
import { assertChangeable, assertProgrammeYear } from '../../../domain/training-programmes.js';
import {
  assertQuotasCoverTrained,
  validateYearQuotas,
  type QuotaEntry,
} from '../../../domain/training-quotas.js';
import { invalidAt } from '../../errors.js';
import type { Jurisdictions } from '../../ports.js';
import { findLed } from './access.js';
import {
  PROGRAMME_QUOTA_NOT_TOWNSHIP,
  PROGRAMME_QUOTA_OUTSIDE_AREA,
  programmeJurisdictionUnknown,
} from './errors.js';
import { assertVersion, storeChange, type ProgrammeWriteDeps } from './events.js';
import type { StoredProgramme } from './programme-repository.js';
import type { TraineeFigures } from './trainee-figures.js';

export interface SetQuotasRequest {
  /** The version the editor read (If-Match); absent: the current one. */
  readonly version?: number;
  readonly quotas: readonly QuotaEntry[];
}

export interface SetQuotasDeps extends ProgrammeWriteDeps {
  readonly jurisdictions: Jurisdictions;
  readonly trainees: TraineeFigures;
}

const QUOTA_LEVELS = new Set(['township', 'street']);

/** Every quota names a known township or street inside `area`. */
async function assertTownshipsInside(
  jurisdictions: Jurisdictions,
  area: string,
  quotas: readonly QuotaEntry[],
): Promise<void> {
  const nodes = await jurisdictions.find(quotas.map((quota) => quota.jurisdictionCode));
  quotas.forEach((quota, index) => {
    const field = `/quotas/${index}/jurisdictionCode`;
    const node = nodes.get(quota.jurisdictionCode);
    if (node === undefined) throw programmeJurisdictionUnknown(field);
    if (!QUOTA_LEVELS.has(node.level))
      throw invalidAt(
        PROGRAMME_QUOTA_NOT_TOWNSHIP,
        `Quotas are per township or street; ${quota.jurisdictionCode} is a ${node.level}.`,
        field,
      );
    if (!node.path.includes(area))
      throw invalidAt(
        PROGRAMME_QUOTA_OUTSIDE_AREA,
        `${quota.jurisdictionCode} is outside the programme’s area ${area}.`,
        field,
      );
  });
}

export function setQuotas(deps: SetQuotasDeps) {
  return async (
    principal: Principal,
    id: string,
    year: number,
    request: SetQuotasRequest,
  ): Promise<StoredProgramme> => {
    const programme = await findLed(deps, principal, id);
    assertVersion(programme, request.version);
    domainCall(() => {
      assertChangeable(programme.status);
      assertProgrammeYear(programme, year);
      validateYearQuotas(request.quotas);
    });
    await assertTownshipsInside(
      deps.jurisdictions,
      programme.jurisdictionPath.at(-1) ?? '',
      request.quotas,
    );
    const trained = await deps.trainees.trainedByTownship(programme.id, year);
    domainCall(() => {
      assertQuotasCoverTrained(year, request.quotas, trained);
    });
    const quotas = [
      ...programme.quotas.filter((quota) => quota.year !== year),
      ...[...request.quotas]
        .sort((a, b) => a.jurisdictionCode.localeCompare(b.jurisdictionCode))
        .map((quota) => ({ year, jurisdictionCode: quota.jurisdictionCode, people: quota.people })),
    ];
    return storeChange(deps, principal, 'training_programme.set_quotas', programme, {
      set: { quotas },
      at: deps.clock(),
    });
  };
}

export type SetQuotas = ReturnType<typeof setQuotas>;
