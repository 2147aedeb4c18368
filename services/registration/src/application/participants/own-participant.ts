/**
 * A person's own record: read it, and correct what they may (name, phone,
 * language, consent, employer, home jurisdiction). The ID number and tier
 * are not theirs to change: those need an officer.
 */
import type { AuditTrail } from '@learning/audit';
import { type Principal, Scope } from '@learning/auth';
import type { PiiVault } from '@learning/pii';
import {
  changedFields,
  normalizeEmployer,
  normalizeName,
  parseMobilePhone,
  type CorrectableFields,
  type Language,
} from '../../domain/participants.js';
import { domainCall } from '../errors.js';
import type { JurisdictionRepository } from '../jurisdiction-repository.js';
import { participantNotFound, versionConflict } from './errors.js';
import { updatedEntries } from './events.js';
import type {
  ParticipantChange,
  ParticipantRecord,
  ParticipantRepository,
} from './participant-repository.js';
import { homePath, protect } from './register-participant.js';

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

/** Absent fields stay as they are; `null` clears phone or employer. */
export interface Correction {
  readonly expectedVersion: number;
  readonly name?: string;
  readonly phone?: string | null;
  readonly language?: Language;
  readonly consent?: { readonly notifications: boolean };
  readonly employer?: string | null;
  readonly homeJurisdiction?: string;
}

const comparable = (record: ParticipantRecord, phone: string | null): CorrectableFields => ({
  name: record.name,
  phone,
  language: record.language,
  notificationsConsent: record.consent.notifications,
  employer: record.employer,
  jurisdictionPath: record.jurisdictionPath,
});

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
      phone:
        correction.phone === undefined
          ? undefined
          : correction.phone === null
            ? null
            : parseMobilePhone(correction.phone),
      employer:
        correction.employer === undefined
          ? before.employer
          : normalizeEmployer(correction.employer),
    }));
    // Phones are compared by their keyed hash: the stored number is not decrypted to compare.
    const beforePhone = before.phone?.hash ?? null;
    const afterPhone =
      requested.phone === undefined
        ? beforePhone
        : requested.phone === null
          ? null
          : deps.pii.blindIndex('phone', requested.phone);
    const changed = changedFields(comparable(before, beforePhone), {
      name: requested.name,
      phone: afterPhone,
      language: correction.language ?? before.language,
      notificationsConsent: correction.consent?.notifications ?? before.consent.notifications,
      employer: requested.employer,
      jurisdictionPath,
    });
    // Nothing to change writes nothing and tells nobody.
    if (changed.length === 0) return before;

    const change: ParticipantChange = {
      updatedAt: now,
      ...(changed.includes('name') ? { name: requested.name } : {}),
      ...(changed.includes('phone')
        ? {
            phone:
              requested.phone === undefined || requested.phone === null
                ? null
                : protect(deps.pii, 'phone', requested.phone),
          }
        : {}),
      ...(changed.includes('language') && correction.language !== undefined
        ? { language: correction.language }
        : {}),
      ...(changed.includes('notificationsConsent') && correction.consent !== undefined
        ? { consent: { notifications: correction.consent.notifications, updatedAt: now } }
        : {}),
      ...(changed.includes('employer') ? { employer: requested.employer } : {}),
      ...(changed.includes('jurisdictionPath') ? { jurisdictionPath } : {}),
    };
    const after: ParticipantRecord = {
      ...before,
      ...change,
      version: before.version + 1,
    };
    return deps.participants.change(
      ownScope,
      before.id,
      before.version,
      change,
      updatedEntries(deps.audit, principal, before, after, changed),
    );
  };
}

export type GetOwnParticipant = ReturnType<typeof getOwnParticipant>;
export type CorrectOwnParticipant = ReturnType<typeof correctOwnParticipant>;
