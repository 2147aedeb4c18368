/**
 * Who owns a subscription and what its filters may cover: a department
 * officer's subscriptions are their department's and receive only its
 * events, an area officer's stay inside their jurisdictions, a city system's
 * are its own, the campaign office may own and see any.
 */
import { hasRole, mayActIn, type Principal } from '@learning/auth';
import { JURISDICTION_UNKNOWN, platformErrors } from '@learning/errors';
import type { Jurisdictions } from '@learning/registration-client';
import type { WebhookFilters } from '../../domain/webhooks.js';
import { filterOutOfScope, subscriptionNotFound } from './errors.js';
import type { StoredSubscription } from './ports.js';

export const CITY_OWNER = 'city';
export const departmentOwner = (code: string): string => `department:${code}`;

/** The owner a principal's new subscription gets; city admins may name a department. */
export function ownerFor(principal: Principal, requested: string | undefined): string {
  if (hasRole(principal, 'city_admin')) {
    return requested === undefined ? CITY_OWNER : departmentOwner(requested);
  }
  const own = ownOwnerOf(principal);
  if (requested !== undefined && departmentOwner(requested) !== own) {
    throw filterOutOfScope('only the campaign office may subscribe for another department');
  }
  return own;
}

/** The owner whose subscriptions a principal other than a city admin sees. */
function ownOwnerOf(principal: Principal): string {
  if (hasRole(principal, 'department_officer') && principal.department !== undefined) {
    return departmentOwner(principal.department);
  }
  if (hasRole(principal, 'service') && principal.service !== undefined) {
    return `service:${principal.service}`;
  }
  return `officer:${principal.subject}`;
}

/** The owner to list for, or undefined for every owner (city admins). */
export const listedOwnerOf = (principal: Principal): string | undefined =>
  hasRole(principal, 'city_admin') ? undefined : ownOwnerOf(principal);

/** The subscription if the principal may see it; not found otherwise (its existence is not told). */
export function visible(
  principal: Principal,
  subscription: StoredSubscription | undefined,
): StoredSubscription {
  const owner = listedOwnerOf(principal);
  if (subscription === undefined || (owner !== undefined && subscription.owner !== owner)) {
    throw subscriptionNotFound();
  }
  return subscription;
}

/**
 * The filters as stored: within the subscriber's scope, narrowed to it when
 * left open (a department officer's to their department, an area officer's
 * to their jurisdictions). The campaign office and city systems may filter
 * on anything.
 */
export async function scopedFilters(
  principal: Principal,
  filters: WebhookFilters,
  jurisdictions: Pick<Jurisdictions, 'find'>,
): Promise<WebhookFilters> {
  const unknown = await unknownCodes(filters.jurisdictionCodes, jurisdictions);
  if (unknown.length > 0) {
    throw platformErrors.error(
      JURISDICTION_UNKNOWN,
      `Unknown jurisdiction codes: ${unknown.join(', ')}.`,
    );
  }
  if (hasRole(principal, 'city_admin', 'service')) return filters;
  if (hasRole(principal, 'department_officer') && principal.department !== undefined) {
    const department = principal.department;
    const others = filters.leadDepartments.filter((code) => code !== department);
    if (others.length > 0) throw filterOutOfScope(`other departments (${others.join(', ')})`);
    return { ...filters, leadDepartments: [department] };
  }
  if (principal.cityWide) return filters;
  const found = await jurisdictions.find(filters.jurisdictionCodes);
  const outside = filters.jurisdictionCodes.filter((code) => {
    const node = found.get(code);
    return node === undefined || !mayActIn(principal, node.path);
  });
  if (outside.length > 0)
    throw filterOutOfScope(`places outside your area (${outside.join(', ')})`);
  return filters.jurisdictionCodes.length > 0
    ? filters
    : { ...filters, jurisdictionCodes: [...principal.jurisdictions] };
}

async function unknownCodes(
  codes: readonly string[],
  jurisdictions: Pick<Jurisdictions, 'find'>,
): Promise<string[]> {
  if (codes.length === 0) return [];
  const found = await jurisdictions.find(codes);
  return codes.filter((code) => !found.has(code));
}
