/**
 * One programme, or a list, as the reader may see them. A list entry the
 * reader leads carries its compact figure for the current year (trained,
 * completed, quota city-wide): one aggregation for the whole page.
 */
import type { Principal } from '@learning/auth';
import { chinaYearOf, type ContentCategory, type TrainingTargetGroup } from '@learning/domain';
import { DEFAULT_PAGE_SIZE } from '@learning/http';
import type { ProgrammeStatus } from '../../../domain/training.js';
import type { Jurisdictions } from '../../ports.js';
import { leadsProgramme } from '../access.js';
import { findVisible, visibilityOf } from './access.js';
import { quotaOfYear } from './events.js';
import type { ProgrammeRepository, StoredProgramme } from './programme-repository.js';
import type { Figures, TraineeFigures } from './trainee-figures.js';

export interface ReadProgrammesDeps {
  readonly programmes: ProgrammeRepository;
  readonly jurisdictions: Jurisdictions;
  readonly trainees: TraineeFigures;
  readonly clock: () => Date;
}

export function getProgramme(deps: Pick<ReadProgrammesDeps, 'programmes' | 'jurisdictions'>) {
  return async (principal: Principal, id: string): Promise<StoredProgramme> =>
    (await findVisible(deps, principal, id)).programme;
}

export interface ListProgrammesRequest {
  readonly year?: number;
  readonly leadDepartment?: string;
  readonly status?: ProgrammeStatus;
  readonly targetGroup?: TrainingTargetGroup;
  readonly category?: ContentCategory;
  readonly pageSize?: number;
  readonly pageToken?: string;
}

/** The current year's city-wide figure of a programme: null for a reader who does not lead it. */
export interface YearSummary {
  readonly year: number;
  readonly quota: number;
  readonly trained: number;
  readonly completed: number;
}

export interface ListedProgramme {
  readonly programme: StoredProgramme;
  readonly thisYear: YearSummary | null;
}

export interface ListedProgrammePage {
  readonly items: ListedProgramme[];
  readonly nextPageToken: string | null;
}

export function listProgrammes(deps: ReadProgrammesDeps) {
  return async (
    principal: Principal,
    request: ListProgrammesRequest,
  ): Promise<ListedProgrammePage> => {
    const { pageSize, ...filters } = request;
    const page = await deps.programmes.search({
      ...filters,
      visibility: await visibilityOf(deps.jurisdictions, principal),
      pageSize: pageSize ?? DEFAULT_PAGE_SIZE,
    });
    const year = chinaYearOf(deps.clock());
    const led = page.items.filter(
      (programme) =>
        leadsProgramme(principal, programme) &&
        programme.firstYear <= year &&
        year <= programme.lastYear,
    );
    const totals: ReadonlyMap<string, Figures> =
      led.length === 0
        ? new Map()
        : await deps.trainees.yearTotals(
            led.map((programme) => programme.id),
            year,
          );
    const ledIds = new Set(led.map((programme) => programme.id));
    return {
      items: page.items.map((programme) => ({
        programme,
        thisYear: ledIds.has(programme.id)
          ? {
              year,
              quota: quotaOfYear(programme, year),
              trained: totals.get(programme.id)?.trained ?? 0,
              completed: totals.get(programme.id)?.completed ?? 0,
            }
          : null,
      })),
      nextPageToken: page.nextPageToken,
    };
  };
}

export type GetProgramme = ReturnType<typeof getProgramme>;
export type ListProgrammes = ReturnType<typeof listProgrammes>;
