/** An organization recognized or rejected: its admins are told (the applicant's side of the review). */
import { PermanentEventError } from '@learning/events';
import { organizationDecidedNotices, type OrganizationDecision } from '../../domain/reactions.js';
import type { Dispatcher } from '../ports.js';
import type { OrganizationAdmins, RecipientLanguages } from './ports.js';

export interface OrganizationDecidedDeps {
  readonly dispatcher: Dispatcher;
  readonly admins: OrganizationAdmins;
  readonly languages: RecipientLanguages;
}

export const organizationDecided =
  (deps: OrganizationDecidedDeps) =>
  async (
    decision: OrganizationDecision,
    source: {
      readonly sourceEventId: string;
      readonly organizationId: string;
      readonly occurredAt: Date;
    },
  ): Promise<void> => {
    const organization = await deps.admins.of(source.organizationId);
    // Registration published the decision, so it knows the organization: retrying cannot help.
    if (organization === null)
      throw new PermanentEventError(`registration knows no organization ${source.organizationId}`);
    if (organization.adminIds.length === 0) return;
    const languages = await deps.languages.of(organization.adminIds);
    await deps.dispatcher.dispatch(
      organizationDecidedNotices(decision, {
        sourceEventId: source.sourceEventId,
        organizationName: organization.name,
        admins: organization.adminIds.map((participantId) => ({
          participantId,
          language: languages.get(participantId) ?? 'zh-CN',
        })),
        occurredAt: source.occurredAt,
      }),
    );
  };
