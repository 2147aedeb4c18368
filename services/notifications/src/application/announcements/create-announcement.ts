/**
 * The office's announcement: its subject and body as written (zh-CN, and en
 * when given), to the audience it names on the channels it asks for, queued
 * for the fan-out worker with its audit record.
 */
import { randomUUID } from 'node:crypto';
import { actorOf, type AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import type { Audience, AudienceCriteria, Jurisdictions } from '@learning/registration-client';
import type { Channel } from '../../domain/notices.js';
import type { Language } from '../../domain/preferences.js';
import type { BroadcastStore, RenderedText } from '../broadcasts/ports.js';
import { checkAudienceScope } from './scope.js';

export interface AnnouncementInput {
  readonly subject: Readonly<Partial<Record<Language, string>>> & { readonly 'zh-CN': string };
  readonly body: Readonly<Partial<Record<Language, string>>> & { readonly 'zh-CN': string };
  readonly criteria: AudienceCriteria;
  readonly channels: readonly Channel[];
}

export interface CreatedAnnouncement {
  readonly id: string;
  readonly audienceSize: number;
}

export type CreateAnnouncement = (
  principal: Principal,
  input: AnnouncementInput,
) => Promise<CreatedAnnouncement>;

export interface CreateAnnouncementDeps {
  readonly jurisdictions: Jurisdictions;
  readonly audience: Audience;
  readonly broadcasts: BroadcastStore;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
  /** Tells this replica's worker there is work. */
  readonly queued: () => void;
}

export const createAnnouncement =
  (deps: CreateAnnouncementDeps): CreateAnnouncement =>
  async (principal, input) => {
    const path = await checkAudienceScope(deps.jurisdictions, principal, input.criteria);
    const audienceSize = await deps.audience.count(input.criteria);
    const id = randomUUID();
    const rendered: Partial<Record<Language, RenderedText>> = {
      'zh-CN': { title: input.subject['zh-CN'], body: input.body['zh-CN'] },
    };
    if (input.subject.en !== undefined)
      rendered.en = { title: input.subject.en, body: input.body.en ?? input.body['zh-CN'] };
    const channels = [...new Set<Channel>(['inbox', ...input.channels])];
    await deps.broadcasts.create(
      {
        id,
        kind: 'announcement',
        variables: { subject: input.subject['zh-CN'], body: input.body['zh-CN'] },
        rendered,
        criteria: input.criteria,
        channels,
        sender: principal.subject,
        sourceEventId: null,
        audienceSize,
        createdAt: deps.clock(),
      },
      [
        deps.audit.entry({
          actor: actorOf(principal),
          action: 'announcement.created',
          entityType: 'announcement',
          entityId: id,
          jurisdictionPath: path,
          before: null,
          after: { criteria: input.criteria, channels, audienceSize },
        }),
      ],
    );
    deps.queued();
    return { id, audienceSize };
  };
