/**
 * The owner launches a draft: from then on activities may join it.
 * CampaignLaunched and the audit record are written with the new status in
 * one update, so the event is published exactly when the launch is stored.
 */
import { domainCall } from '@learning/domain';
import { actorOf, type AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { AppError } from '@learning/errors';
import { assertMayLaunch } from '../../domain/recurrence.js';
import { findManaged } from './access.js';
import type { CampaignRepository, StoredCampaign } from './campaign-repository.js';

import { auditViewOf, launchedEventOf } from './events.js';

export interface CampaignTransitionRequest {
  /** When given, the move applies only to this version (what the officer looked at). */
  readonly version?: number;
}

export interface CampaignTransitionDeps {
  readonly campaigns: CampaignRepository;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
}

export const assertVersion = (campaign: StoredCampaign, version: number | undefined): void => {
  if (version !== undefined && version !== campaign.version)
    throw new AppError(
      'aborted',
      'VERSION_CONFLICT',
      'The campaign was changed by someone else; reload it and try again.',
    );
};

export function launchCampaign(deps: CampaignTransitionDeps) {
  return async (
    principal: Principal,
    id: string,
    request: CampaignTransitionRequest,
  ): Promise<StoredCampaign> => {
    const campaign = await findManaged(deps.campaigns, principal, id);
    assertVersion(campaign, request.version);
    const now = deps.clock();
    domainCall(() => {
      assertMayLaunch(campaign.status, campaign.endsOn, now);
    });
    const after: StoredCampaign = {
      ...campaign,
      status: 'launched',
      launchedAt: now,
      launchedBy: principal.subject,
    };
    return deps.campaigns.change({
      id,
      expectedVersion: campaign.version,
      updatedAt: now,
      set: { status: 'launched', launchedAt: now, launchedBy: principal.subject },
      events: [
        launchedEventOf(after, now),
        deps.audit.entry({
          actor: actorOf(principal),
          action: 'campaign.launch',
          entityType: 'campaign',
          entityId: id,
          jurisdictionPath: campaign.jurisdictionPath,
          before: auditViewOf(campaign),
          after: auditViewOf(after),
        }),
      ],
    });
  };
}

export type LaunchCampaign = ReturnType<typeof launchCampaign>;
