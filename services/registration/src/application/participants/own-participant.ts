/**
 * A person's own record: read it, and correct what they may (name, phone,
 * email, WeChat openid, language, consent per channel, employer, home
 * jurisdiction). The ID number and tier
 * are not theirs to change: those need an officer.
 */
import type { AuditTrail } from '@learning/audit';
import { type Principal, Scope } from '@learning/auth';
import type { PiiVault } from '@learning/pii';
import {
  changedFields,
  consentedChannels,
  consentsAfter,
  consentsToAnyChannel,
  normalizeEmployer,
  normalizeName,
  parseEmail,
  parseMobilePhone,
  parseWechatOpenId,
  type ConsentRequest,
  type ContactChannel,
  type CorrectableFields,
  type Language,
} from '../../domain/participants.js';
import { CHANNEL_OF_PURPOSE, CONSENT_PURPOSES } from '../../domain/privacy.js';
import { domainCall } from '../errors.js';
import { consentChangedEvent } from '../privacy/consents.js';
import type { JurisdictionRepository } from '../jurisdiction-repository.js';
import { participantNotFound, versionConflict } from './errors.js';
import { updatedEntries } from './events.js';
import type {
  ParticipantChange,
  ParticipantRecord,
  ParticipantRepository,
  ProtectedValue,
} from './participant-repository.js';
import { homePath, protect, type ProtectedPurpose } from './register-participant.js';

/** A person reaches only the record bound to their own account, wherever it is. */
const ownScope = Scope.system('own participant record');

export interface OwnParticipantDeps {
  readonly participants: ParticipantRepository;
  readonly jurisdictions: JurisdictionRepository;
  readonly pii: PiiVault;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
}

async function ownRecord(
  participants: ParticipantRepository,
  principal: Principal,
): Promise<ParticipantRecord> {
  const record = await participants.byAccount(ownScope, principal.subject);
  if (record === null) throw participantNotFound();
  return record;
}

export function getOwnParticipant(deps: Pick<OwnParticipantDeps, 'participants'>) {
  return (principal: Principal): Promise<ParticipantRecord> =>
    ownRecord(deps.participants, principal);
}

/** Absent fields stay as they are; `null` clears phone, email, openid or employer. */
export interface Correction {
  readonly expectedVersion: number;
  readonly name?: string;
  readonly phone?: string | null;
  readonly email?: string | null;
  readonly wechatOpenId?: string | null;
  readonly language?: Language;
  readonly consent?: ConsentRequest;
  readonly employer?: string | null;
  readonly homeJurisdiction?: string;
}

/** Contacts compare by keyed hash: the stored values are not decrypted to compare. */
const comparable = (record: ParticipantRecord): CorrectableFields => ({
  name: record.name,
  phone: record.phone?.hash ?? null,
  email: record.email?.hash ?? null,
  wechatOpenId: record.wechatOpenId?.hash ?? null,
  language: record.language,
  notificationsConsent: record.consent.notifications,
  notificationConsents: consentedChannels(record.consent.channels),
  employer: record.employer,
  jurisdictionPath: record.jurisdictionPath,
});

/** Absent: unchanged; null: removed; else the parsed value. */
const optionalContact = (
  raw: string | null | undefined,
  parse: (raw: string) => string,
): string | null | undefined => (raw === undefined || raw === null ? raw : parse(raw));

export function correctOwnParticipant(deps: OwnParticipantDeps) {
  return async (principal: Principal, correction: Correction): Promise<ParticipantRecord> => {
    const before = await ownRecord(deps.participants, principal);
    if (correction.expectedVersion !== before.version) throw versionConflict();
    const now = deps.clock();
    const jurisdictionPath =
      correction.homeJurisdiction === undefined
        ? before.jurisdictionPath
        : await homePath(deps.jurisdictions, correction.homeJurisdiction);
    const requested = domainCall(() => ({
      name: correction.name === undefined ? before.name : normalizeName(correction.name),
      phone: optionalContact(correction.phone, parseMobilePhone),
      email: optionalContact(correction.email, parseEmail),
      wechatOpenId: optionalContact(correction.wechatOpenId, parseWechatOpenId),
      employer:
        correction.employer === undefined
          ? before.employer
          : normalizeEmployer(correction.employer),
      channels:
        correction.consent === undefined
          ? before.consent.channels
          : consentsAfter(before.consent.channels, correction.consent, now),
    }));
    const hashOf = (
      purpose: ProtectedPurpose,
      value: string | null | undefined,
      current: ProtectedValue | null,
    ): string | null =>
      value === undefined
        ? (current?.hash ?? null)
        : value === null
          ? null
          : deps.pii.blindIndex(purpose, value);
    const changed = changedFields(comparable(before), {
      name: requested.name,
      phone: hashOf('phone', requested.phone, before.phone),
      email: hashOf('email', requested.email, before.email),
      wechatOpenId: hashOf('wechat-openid', requested.wechatOpenId, before.wechatOpenId),
      language: correction.language ?? before.language,
      notificationsConsent: consentsToAnyChannel(requested.channels),
      notificationConsents: consentedChannels(requested.channels),
      employer: requested.employer,
      jurisdictionPath,
    });
    // Nothing to change writes nothing and tells nobody.
    if (changed.length === 0) return before;

    const protectedOrNull = (purpose: ProtectedPurpose, value: string | null | undefined) =>
      value === undefined || value === null ? null : protect(deps.pii, purpose, value);
    const consentChanged =
      changed.includes('notificationsConsent') || changed.includes('notificationConsents');
    const change: ParticipantChange = {
      updatedAt: now,
      ...(changed.includes('name') ? { name: requested.name } : {}),
      ...(changed.includes('phone') ? { phone: protectedOrNull('phone', requested.phone) } : {}),
      ...(changed.includes('email') ? { email: protectedOrNull('email', requested.email) } : {}),
      ...(changed.includes('wechatOpenId')
        ? { wechatOpenId: protectedOrNull('wechat-openid', requested.wechatOpenId) }
        : {}),
      ...(changed.includes('language') && correction.language !== undefined
        ? { language: correction.language }
        : {}),
      ...(consentChanged
        ? {
            consent: {
              notifications: consentsToAnyChannel(requested.channels),
              updatedAt: now,
              channels: requested.channels,
            },
          }
        : {}),
      ...(changed.includes('employer') ? { employer: requested.employer } : {}),
      ...(changed.includes('jurisdictionPath') ? { jurisdictionPath } : {}),
    };
    const after: ParticipantRecord = {
      ...before,
      ...change,
      version: before.version + 1,
    };
    // A channel answered here was not answered against a consent text: its version is empty.
    const channelEvents = consentChanged
      ? CONSENT_PURPOSES.flatMap((purpose) => {
          const channel = (CHANNEL_OF_PURPOSE as Partial<Record<string, ContactChannel>>)[purpose];
          if (channel === undefined) return [];
          const given = requested.channels[channel];
          return given.given === before.consent.channels[channel].given
            ? []
            : [
                consentChangedEvent(
                  principal,
                  before.id,
                  purpose,
                  { given: given.given, changedAt: now, textVersion: '' },
                  after.version,
                ),
              ];
        })
      : [];
    return deps.participants.change(ownScope, before.id, before.version, change, [
      ...updatedEntries(deps.audit, principal, before, after, changed),
      ...channelEvents,
    ]);
  };
}

export type GetOwnParticipant = ReturnType<typeof getOwnParticipant>;
export type CorrectOwnParticipant = ReturnType<typeof correctOwnParticipant>;
