/**
 * A campaign's status moves (launch, close): the owner's check, the version
 * the officer looked at, the domain's rule for the move, and one write of the
 * new status with its events and audit record.
 */
import type { AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { domainCall } from '@learning/domain';
import { AppError } from '@learning/errors';
import type { OutboxEntry } from '@learning/events';
import { findManaged } from './access.js';
import { storeVersionedChange } from '../versioned-change.js';
import type { CampaignFields, CampaignRepository, StoredCampaign } from './campaign-repository.js';
import { auditViewOf } from './events.js';

export interface CampaignTransitionRequest {
  /** When given, the move applies only to this version (what the officer looked at). */
  readonly version?: number;
}

export interface CampaignTransitionDeps {
  readonly campaigns: CampaignRepository;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
}

export const versionConflict = (): AppError =>
  new AppError(
    'aborted',
    'VERSION_CONFLICT',
    'The campaign was changed by someone else; reload it and try again.',
  );

export const assertVersion = (campaign: StoredCampaign, version: number | undefined): void => {
  if (version !== undefined && version !== campaign.version) throw versionConflict();
};

export interface StatusMove {
  /** The audit action, e.g. campaign.launch. */
  readonly action: string;
  /** Throws a DomainError when the campaign may not move now. */
  readonly assertMay: (campaign: StoredCampaign, now: Date) => void;
  /** The fields the move sets, given who moves it and when. */
  readonly set: (subject: string, now: Date) => Partial<CampaignFields>;
  /** Events published with the move, besides its audit record. */
  readonly events?: (after: StoredCampaign, now: Date) => readonly OutboxEntry[];
}

/** Writes `set` over `campaign` if it is still at the version read, with `events` and the audit record. */
export const storeChange = (
  deps: Pick<CampaignTransitionDeps, 'campaigns' | 'audit'>,
  principal: Principal,
  action: string,
  campaign: StoredCampaign,
  change: { readonly set: Partial<CampaignFields>; readonly at: Date },
  events: readonly OutboxEntry[] = [],
): Promise<StoredCampaign> =>
  storeVersionedChange(
    { store: deps.campaigns, audit: deps.audit },
    { entityType: 'campaign', viewOf: auditViewOf },
    principal,
    action,
    campaign,
    change,
    events,
  );

export function moveCampaign(deps: CampaignTransitionDeps, move: StatusMove) {
  return async (
    principal: Principal,
    id: string,
    request: CampaignTransitionRequest,
  ): Promise<StoredCampaign> => {
    const campaign = await findManaged(deps.campaigns, principal, id);
    assertVersion(campaign, request.version);
    const now = deps.clock();
    domainCall(() => {
      move.assertMay(campaign, now);
    });
    const set = move.set(principal.subject, now);
    const events = move.events?.({ ...campaign, ...set }, now) ?? [];
    return storeChange(deps, principal, move.action, campaign, { set, at: now }, events);
  };
}
