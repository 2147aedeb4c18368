/**
 * Delivery status: a person sees their own deliveries (per notice and
 * channel, status and reason); the campaign office sees every sender's, and a
 * service the ones it sent (`service:<name>`). Addresses are never part of it.
 */
import { hasRole, type Principal } from '@learning/auth';
import type { Page } from '@learning/domain';
import type { DeliveryStatus } from '../../domain/notices.js';
import type { ResolveMe } from '../me.js';
import { deliveriesForbidden } from './errors.js';
import type { DeliveryLog, DeliveryRecord } from './ports.js';

export interface DeliveryReads {
  own(
    principal: Principal,
    page: { readonly pageSize: number; readonly pageToken?: string },
  ): Promise<Page<DeliveryRecord>>;
  bySender(
    principal: Principal,
    filter: {
      readonly noticeId?: string;
      readonly sender?: string;
      readonly status?: DeliveryStatus;
    },
    page: { readonly pageSize: number; readonly pageToken?: string },
  ): Promise<Page<DeliveryRecord>>;
}

export const serviceSender = (principal: Principal): string | null =>
  hasRole(principal, 'service') && principal.service !== undefined
    ? `service:${principal.service}`
    : null;

export function deliveryReads(deps: {
  readonly me: ResolveMe;
  readonly log: DeliveryLog;
}): DeliveryReads {
  const { me, log } = deps;
  return {
    async own(principal, page) {
      return log.page({ recipient: await me(principal) }, page);
    },
    async bySender(principal, filter, page) {
      if (hasRole(principal, 'city_admin')) return log.page(filter, page);
      const own = serviceSender(principal);
      if (own === null || (filter.sender !== undefined && filter.sender !== own))
        throw deliveriesForbidden();
      return log.page({ ...filter, sender: own }, page);
    },
  };
}
