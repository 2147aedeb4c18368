/**
 * A person's consents, one per purpose, each with the version of the text
 * agreed to. Every change publishes `participantConsentChanged` with a record
 * version of its own (a consumer keeps the highest it has seen); a change of
 * a notification channel also publishes `ParticipantUpdated`, as the channel
 * consents always did, for the consumers reading those.
 */
import { actorOf, type AuditTrail } from '@learning/audit';
import { type Principal, Scope } from '@learning/auth';
import { participantEvents } from '@learning/contracts';
import { newEvent, type OutboxEntry } from '@learning/events';
import { registration } from '@learning/proto';
import {
  consentedChannels,
  consentsToAnyChannel,
  type ChannelConsents,
  type ContactChannel,
} from '../../domain/participants.js';
import {
  CHANNEL_OF_PURPOSE,
  checkConsentChoices,
  CONSENT_PURPOSES,
  currentConsentText,
  outdatedChoices,
  type ConsentChoice,
  type ConsentPurpose,
} from '../../domain/privacy.js';
import { domainCall } from '../errors.js';
import { versionConflict } from '../participants/errors.js';
import { updatedEntries } from '../participants/events.js';
import type {
  ParticipantRecord,
  ParticipantRepository,
} from '../participants/participant-repository.js';
import { consentTextOutdated, recordRequired } from './errors.js';
import type { ConsentRecord, ConsentStore } from './ports.js';

const ownScope = Scope.system('own participant record');

export const PURPOSE_TO_PROTO: Record<ConsentPurpose, registration.ConsentPurpose> = {
  notifications_sms: registration.ConsentPurpose.CONSENT_PURPOSE_NOTIFICATIONS_SMS,
  notifications_email: registration.ConsentPurpose.CONSENT_PURPOSE_NOTIFICATIONS_EMAIL,
  notifications_wechat: registration.ConsentPurpose.CONSENT_PURPOSE_NOTIFICATIONS_WECHAT,
  publicity: registration.ConsentPurpose.CONSENT_PURPOSE_PUBLICITY,
  employer_sharing: registration.ConsentPurpose.CONSENT_PURPOSE_EMPLOYER_SHARING,
};

export interface ConsentView {
  readonly purpose: ConsentPurpose;
  readonly given: boolean;
  readonly changedAt: Date | null;
  /** The text version agreed to (or withdrawn from); null when never answered against a text. */
  readonly textVersion: string | null;
  readonly currentTextVersion: string;
}

export interface ConsentsView {
  readonly version: number;
  readonly consents: readonly ConsentView[];
}

export interface ConsentDeps {
  readonly participants: ParticipantRepository;
  readonly consents: ConsentStore;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
}

const channelOf = (purpose: ConsentPurpose): ContactChannel | undefined =>
  (CHANNEL_OF_PURPOSE as Partial<Record<ConsentPurpose, ContactChannel>>)[purpose];

/**
 * A channel's answer lives in the record's channel consents (also changed
 * through the older correction route); its text version counts only while
 * it still describes that answer.
 */
function viewOf(
  purpose: ConsentPurpose,
  channels: ChannelConsents,
  record: ConsentRecord | undefined,
): ConsentView {
  const currentTextVersion = currentConsentText(purpose).version;
  const channel = channelOf(purpose);
  if (channel === undefined)
    return {
      purpose,
      given: record?.given ?? false,
      changedAt: record?.changedAt ?? null,
      textVersion: record?.textVersion ?? null,
      currentTextVersion,
    };
  const { given, changedAt } = channels[channel];
  const agreed = record !== undefined && record.given === given;
  return {
    purpose,
    given,
    changedAt,
    textVersion: agreed ? record.textVersion : null,
    currentTextVersion,
  };
}

async function ownRecord(
  participants: ParticipantRepository,
  principal: Principal,
): Promise<ParticipantRecord> {
  const record = await participants.byAccount(ownScope, principal.subject);
  if (record === null) throw recordRequired();
  return record;
}

export function getOwnConsents(deps: Pick<ConsentDeps, 'participants' | 'consents'>) {
  return async (principal: Principal): Promise<ConsentsView> => {
    const record = await ownRecord(deps.participants, principal);
    const stored = await deps.consents.recordsOf(record.id);
    return {
      version: record.version,
      consents: CONSENT_PURPOSES.map((purpose) =>
        viewOf(purpose, record.consent.channels, stored[purpose]),
      ),
    };
  };
}

export function consentChangedEvent(
  principal: Principal,
  participantId: string,
  purpose: ConsentPurpose,
  record: ConsentRecord,
  version: number,
): OutboxEntry {
  return newEvent(participantEvents.participantConsentChanged, participantId, {
    participantId,
    purpose: PURPOSE_TO_PROTO[purpose],
    given: record.given,
    textVersion: record.textVersion,
    changedAt: record.changedAt,
    changedBy: principal.subject,
    version: String(version),
  });
}

export function changeOwnConsents(deps: ConsentDeps) {
  const read = getOwnConsents(deps);
  return async (principal: Principal, choices: readonly ConsentChoice[]): Promise<ConsentsView> => {
    domainCall(() => {
      checkConsentChoices(choices);
    });
    const outdated = outdatedChoices(choices);
    if (outdated.length > 0) throw consentTextOutdated(outdated.map((choice) => choice.purpose));

    const before = await ownRecord(deps.participants, principal);
    const stored = await deps.consents.recordsOf(before.id);
    const now = deps.clock();
    const changed = choices.filter((choice) => {
      const view = viewOf(choice.purpose, before.consent.channels, stored[choice.purpose]);
      return view.given !== choice.given || view.textVersion !== choice.textVersion;
    });
    if (changed.length === 0) return read(principal);

    const records: Partial<Record<ConsentPurpose, ConsentRecord>> = {};
    const channels = { ...before.consent.channels };
    for (const choice of changed) {
      records[choice.purpose] = {
        given: choice.given,
        changedAt: now,
        textVersion: choice.textVersion,
      };
      const channel = channelOf(choice.purpose);
      if (channel !== undefined && channels[channel].given !== choice.given)
        channels[channel] = { given: choice.given, changedAt: now };
    }
    const channelsChanged =
      consentedChannels(channels).join() !== consentedChannels(before.consent.channels).join();
    // One version per event: a consumer keeping the highest version drops none of them.
    const versions = changed.length + (channelsChanged ? 1 : 0);
    const events = changed.map((choice, index) =>
      consentChangedEvent(
        principal,
        before.id,
        choice.purpose,
        records[choice.purpose] as ConsentRecord,
        before.version + 1 + index,
      ),
    );
    const consent = {
      notifications: consentsToAnyChannel(channels),
      updatedAt: now,
      channels,
    };
    if (channelsChanged) {
      const after: ParticipantRecord = {
        ...before,
        consent,
        updatedAt: now,
        version: before.version + versions,
      };
      const fields =
        before.consent.notifications === consent.notifications
          ? (['notificationConsents'] as const)
          : (['notificationsConsent', 'notificationConsents'] as const);
      // The audit record of updatedEntries covers the channels; the purposes get their own below.
      events.push(...updatedEntries(deps.audit, principal, before, after, [...fields]));
    }
    events.push(
      deps.audit.entry({
        actor: actorOf(principal),
        action: 'participant.consent',
        entityType: 'participant',
        entityId: before.id,
        jurisdictionPath: before.jurisdictionPath,
        before: Object.fromEntries(
          changed.map((choice) => [
            choice.purpose,
            viewOf(choice.purpose, before.consent.channels, stored[choice.purpose]).given,
          ]),
        ),
        after: Object.fromEntries(
          changed.map((choice) => [
            choice.purpose,
            { given: choice.given, textVersion: choice.textVersion },
          ]),
        ),
      }),
    );
    const written = await deps.consents.write(
      before.id,
      before.version,
      {
        records,
        ...(channelsChanged ? { channels: consent } : {}),
        updatedAt: now,
        versions,
      },
      events,
    );
    if (!written) throw versionConflict();
    return read(principal);
  };
}

export type GetOwnConsents = ReturnType<typeof getOwnConsents>;
export type ChangeOwnConsents = ReturnType<typeof changeOwnConsents>;
