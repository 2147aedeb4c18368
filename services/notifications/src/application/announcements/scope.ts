/**
 * Who may address whom: the campaign office (city_admin) the whole city; an
 * area officer only people whose homes lie inside their jurisdictions, so
 * their criteria must name places, each inside one of theirs.
 */
import { CITY_WIDE_PATH, type Principal } from '@learning/auth';
import type { AudienceCriteria, Jurisdiction, Jurisdictions } from '@learning/registration-client';
import { isInside } from '../../domain/broadcasts.js';
import { jurisdictionUnknown, outsideScope } from './errors.js';

export const isOffice = (principal: Principal): boolean => principal.roles.includes('city_admin');

/** Refuses criteria the principal may not address (or naming unknown places); the audit path of the audience. */
export async function checkAudienceScope(
  jurisdictions: Jurisdictions,
  principal: Principal,
  criteria: AudienceCriteria,
): Promise<readonly string[]> {
  const codes = [...new Set(criteria.jurisdictionCodes)];
  const found: ReadonlyMap<string, Jurisdiction> =
    codes.length === 0 ? new Map() : await jurisdictions.find(codes);
  const unknown = codes.filter((code) => !found.has(code));
  if (unknown.length > 0) throw jurisdictionUnknown(unknown);
  const paths = codes.map((code) => found.get(code)?.path ?? []);
  if (!isOffice(principal)) {
    if (codes.length === 0) throw outsideScope([]);
    const outside = codes.filter(
      (_, index) => !isInside(paths[index] ?? [], principal.jurisdictions),
    );
    if (outside.length > 0) throw outsideScope(outside);
  }
  // One place: its path; several or none: the city's (the audit trail's city-wide path).
  return paths.length === 1 && paths[0] !== undefined ? paths[0] : CITY_WIDE_PATH;
}
