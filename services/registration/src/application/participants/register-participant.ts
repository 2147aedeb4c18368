/**
 * Registering a participant: a person themself (self-service, with their own
 * account) or an officer for someone without an account, inside the
 * officer's area. One person is registered once, on the keyed hash of the ID
 * number; the same account registering its own number again gets its record
 * back rather than an error, so a retried sign-up is harmless. A person whose
 * number is held by a record without an account is told to claim it instead.
 */
import type { AuditTrail } from '@learning/audit';
import { type Principal, Scope, scopeAllows } from '@learning/auth';
import { AppError } from '@learning/errors';
import type { PiiVault } from '@learning/pii';
import {
  awaitsClaim,
  chinaDateOf,
  consentsAfter,
  consentsToAnyChannel,
  maskEmail,
  maskIdNumber,
  maskPhone,
  NO_CHANNEL_CONSENTS,
  normalizeEmployer,
  normalizeName,
  parseEmail,
  parseIdNumber,
  parseMobilePhone,
  parseWechatOpenId,
  registrationOutcome,
  type ConsentRequest,
  type Language,
  type ParticipantSource,
  type Tier,
} from '../../domain/participants.js';
import { domainCall, jurisdictionUnknown } from '../errors.js';
import type { JurisdictionRepository } from '../jurisdiction-repository.js';
import {
  accountAlreadyRegistered,
  participantAlreadyRegistered,
  participantClaimRequired,
} from './errors.js';
import { registeredEntries } from './events.js';
import type {
  ParticipantRecord,
  ParticipantRepository,
  ProtectedValue,
} from './participant-repository.js';

export interface RegistrationInput {
  readonly name: string;
  readonly tier: Tier;
  /** The home jurisdiction's code. */
  readonly homeJurisdiction: string;
  readonly idNumber: string;
  readonly phone?: string | null;
  readonly email?: string | null;
  readonly wechatOpenId?: string | null;
  readonly language: Language;
  /** Given at registration when the person consents (by an officer: as the person said). */
  readonly consent: ConsentRequest;
  readonly employer?: string | null;
}

export interface RegistrationResult {
  readonly participant: ParticipantRecord;
  /** False when the account's existing record was returned. */
  readonly created: boolean;
}

export interface RegisterParticipantDeps {
  readonly participants: ParticipantRepository;
  readonly jurisdictions: JurisdictionRepository;
  readonly pii: PiiVault;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
  readonly newId: () => string;
}

/** Uniqueness is city-wide whoever registers: the checks look everywhere, the answers reveal nothing. */
const uniquenessScope = Scope.system('participant uniqueness check');

const MASKS: Readonly<Record<ProtectedPurpose, (value: string) => string>> = {
  'id-number': maskIdNumber,
  phone: maskPhone,
  email: maskEmail,
  // Never shown, not even masked (views say only whether one is on record): the same stars for all.
  'wechat-openid': () => '********',
};
export type ProtectedPurpose = 'id-number' | 'phone' | 'email' | 'wechat-openid';

export const protect = (
  pii: PiiVault,
  purpose: ProtectedPurpose,
  value: string,
): ProtectedValue => ({
  hash: pii.blindIndex(purpose, value),
  sealed: pii.encrypt(value),
  masked: MASKS[purpose](value),
});

/** The validated record, before it is checked for duplicates. */
function prepare(
  deps: RegisterParticipantDeps,
  input: RegistrationInput,
  jurisdictionPath: readonly string[],
  accountSubject: string | null,
  source: ParticipantSource,
): ParticipantRecord {
  const now = deps.clock();
  return domainCall(() => {
    const { idNumber, birthDate } = parseIdNumber(input.idNumber, chinaDateOf(now));
    const phone =
      input.phone === undefined || input.phone === null ? null : parseMobilePhone(input.phone);
    const email =
      input.email === undefined || input.email === null ? null : parseEmail(input.email);
    const wechatOpenId =
      input.wechatOpenId === undefined || input.wechatOpenId === null
        ? null
        : parseWechatOpenId(input.wechatOpenId);
    const channels = consentsAfter(NO_CHANNEL_CONSENTS, input.consent, now);
    return {
      id: deps.newId(),
      accountSubject,
      name: normalizeName(input.name),
      tier: input.tier,
      jurisdictionPath,
      birthDate,
      idNumber: protect(deps.pii, 'id-number', idNumber),
      phone: phone === null ? null : protect(deps.pii, 'phone', phone),
      email: email === null ? null : protect(deps.pii, 'email', email),
      wechatOpenId: wechatOpenId === null ? null : protect(deps.pii, 'wechat-openid', wechatOpenId),
      language: input.language,
      consent: { notifications: consentsToAnyChannel(channels), updatedAt: now, channels },
      employer: normalizeEmployer(input.employer ?? null),
      source,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
  });
}

/** The path of the home jurisdiction named by `code`; JURISDICTION_UNKNOWN when there is none. */
export async function homePath(
  jurisdictions: JurisdictionRepository,
  code: string,
): Promise<readonly string[]> {
  const [node] = await jurisdictions.findByCodes([code]);
  if (node === undefined) throw jurisdictionUnknown('/homeJurisdiction');
  return node.path;
}

/** A person registers themself; the record belongs to their account. */
export function registerSelf(deps: RegisterParticipantDeps) {
  return async (principal: Principal, input: RegistrationInput): Promise<RegistrationResult> => {
    const path = await homePath(deps.jurisdictions, input.homeJurisdiction);
    const candidate = prepare(deps, input, path, principal.subject, 'self');
    // Two attempts: a concurrent registration that wins the unique index is resolved like one found first.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const [sameIdNumber, ownRecord] = await Promise.all([
        deps.participants.byIdNumberHash(uniquenessScope, candidate.idNumber.hash),
        deps.participants.byAccount(uniquenessScope, principal.subject),
      ]);
      const outcome = registrationOutcome(
        { sameIdNumber, accountHasRecord: ownRecord !== null },
        principal.subject,
      );
      if (outcome === 'existing' && sameIdNumber !== null)
        return { participant: sameIdNumber, created: false };
      if (outcome === 'id_number_taken')
        throw sameIdNumber !== null && awaitsClaim(sameIdNumber)
          ? participantClaimRequired()
          : participantAlreadyRegistered();
      if (outcome === 'account_taken') throw accountAlreadyRegistered();
      const created = await deps.participants.create(
        uniquenessScope,
        candidate,
        registeredEntries(deps.audit, principal, candidate),
      );
      if (created !== 'duplicate') return { participant: created, created: true };
    }
    // The record that won disappeared between the write and the re-read: only a deletion does that.
    throw participantAlreadyRegistered();
  };
}

/**
 * An officer registers someone who has no account, inside the officer's own
 * area (OUT_OF_SCOPE otherwise). A number already registered anywhere is a
 * conflict that does not say where.
 */
export function registerFor(deps: RegisterParticipantDeps) {
  return async (principal: Principal, input: RegistrationInput): Promise<ParticipantRecord> => {
    const scope = Scope.of(principal);
    const path = await homePath(deps.jurisdictions, input.homeJurisdiction);
    // Refused before any lookup, so an officer cannot probe other areas for registered numbers.
    if (!scopeAllows(scope, path))
      throw new AppError(
        'permission_denied',
        'OUT_OF_SCOPE',
        'That jurisdiction is outside your scope.',
      );
    const candidate = prepare(deps, input, path, null, 'officer');
    const existing = await deps.participants.byIdNumberHash(
      uniquenessScope,
      candidate.idNumber.hash,
    );
    if (existing !== null) throw participantAlreadyRegistered();
    const created = await deps.participants.create(
      scope,
      candidate,
      registeredEntries(deps.audit, principal, candidate),
    );
    if (created === 'duplicate') throw participantAlreadyRegistered();
    return created;
  };
}

export type RegisterSelf = ReturnType<typeof registerSelf>;
export type RegisterFor = ReturnType<typeof registerFor>;
