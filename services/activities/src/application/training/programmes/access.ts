/**
 * Who sees which programme. Its leaders (city admins, the lead department's
 * officers, an enterprise programme's admins) see it in every status; an area
 * officer sees a launched or closed one whose area overlaps theirs (it covers
 * their area, or lies inside it), and its progress only over their part.
 * Anyone else is told "not found", so existence does not leak.
 */
import { hasRole, type Principal } from '@learning/auth';
import type { Jurisdictions } from '../../ports.js';
import { leadsProgramme } from '../access.js';
import type {
  AreaReach,
  ProgrammeRepository,
  ProgrammeVisibility,
  StoredProgramme,
} from './programme-repository.js';
import { programmeManageForbidden, programmeNotFound } from './errors.js';

/** The area officer's reach, with the paths of their areas; null for anyone else. */
export async function areaReachOf(
  jurisdictions: Jurisdictions,
  principal: Principal,
): Promise<AreaReach | null> {
  if (!hasRole(principal, 'area_officer')) return null;
  if (principal.cityWide) return { cityWide: true, codes: [], paths: [] };
  const nodes = await jurisdictions.find(principal.jurisdictions);
  return {
    cityWide: false,
    codes: [...principal.jurisdictions],
    paths: [...nodes.values()].map((node) => node.path),
  };
}

export async function visibilityOf(
  jurisdictions: Jurisdictions,
  principal: Principal,
): Promise<ProgrammeVisibility> {
  if (hasRole(principal, 'city_admin')) return { kind: 'all' };
  return {
    kind: 'some',
    leadDepartments:
      hasRole(principal, 'department_officer') && principal.department !== undefined
        ? [principal.department]
        : [],
    enterpriseIds: hasRole(principal, 'org_admin') ? [...principal.organizations] : [],
    area: await areaReachOf(jurisdictions, principal),
  };
}

/** What of the programme a reader counts: all of it, the roots of their part of it, or nothing. */
export type ProgrammeView =
  { readonly kind: 'whole' } | { readonly kind: 'part'; readonly roots: readonly string[] };

/** The reader's view of `programme`, or null when they may not see it. */
export async function viewOf(
  jurisdictions: Jurisdictions,
  principal: Principal,
  programme: StoredProgramme,
): Promise<ProgrammeView | null> {
  if (leadsProgramme(principal, programme)) return { kind: 'whole' };
  if (programme.status === 'draft') return null;
  const reach = await areaReachOf(jurisdictions, principal);
  if (reach === null) return null;
  if (reach.cityWide || reach.codes.some((code) => programme.jurisdictionPath.includes(code)))
    return { kind: 'whole' };
  const area = programme.jurisdictionPath.at(-1);
  const roots = reach.paths
    .filter((path) => area !== undefined && path.includes(area))
    .map((path) => path.at(-1))
    .filter((code): code is string => code !== undefined)
    .sort();
  return roots.length === 0 ? null : { kind: 'part', roots };
}

/** The programme and the reader's view of it; PROGRAMME_NOT_FOUND when they may not see it. */
export async function findVisible(
  deps: { readonly programmes: ProgrammeRepository; readonly jurisdictions: Jurisdictions },
  principal: Principal,
  id: string,
): Promise<{ programme: StoredProgramme; view: ProgrammeView }> {
  const programme = await deps.programmes.get(id);
  const view = programme === null ? null : await viewOf(deps.jurisdictions, principal, programme);
  if (programme === null || view === null) throw programmeNotFound();
  return { programme, view };
}

/** The programme, when `principal` leads it: not found if unseen, forbidden if only read. */
export async function findLed(
  deps: { readonly programmes: ProgrammeRepository; readonly jurisdictions: Jurisdictions },
  principal: Principal,
  id: string,
): Promise<StoredProgramme> {
  const { programme } = await findVisible(deps, principal, id);
  if (!leadsProgramme(principal, programme)) throw programmeManageForbidden();
  return programme;
}
