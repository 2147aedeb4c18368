/**
 * A person takes over the record an officer (or an import) made for them
 * without an account. An officer in the record's area issues a one-time
 * claim code, handed over in person; the person, signed in, presents it with
 * the record's ID number. Knowing an ID number alone claims nothing, and a
 * failed claim says nothing about any record.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AuditTrail } from '@learning/audit';
import { type Principal, Scope } from '@learning/auth';
import { AppError } from '@learning/errors';
import type { PiiVault } from '@learning/pii';
import {
  awaitsClaim,
  chinaDateOf,
  claimCodeExpiry,
  claimOutcome,
  parseClaimCode,
  parseIdNumber,
  type PendingClaimCode,
} from '../../domain/participants.js';
import { SHORT_CODE_LENGTH, shortCodeFrom } from '../../domain/short-codes.js';
import { domainCall } from '../errors.js';
import {
  accountAlreadyRegistered,
  participantAlreadyClaimed,
  participantClaimRefused,
  participantNotFound,
} from './errors.js';
import { claimCodeIssuedEntry, claimedEntries } from './events.js';
import type {
  ParticipantClaimStore,
  ParticipantRecord,
  ParticipantRepository,
} from './participant-repository.js';

/** The claim looks city-wide, like registration: the person may live anywhere. */
const claimScope = Scope.system('participant claim');

/** The blind-index purpose of claim codes, apart from every personal identifier's. */
const CLAIM_CODE_PURPOSE = 'participant-claim-code';

export const newClaimCode = (): string => shortCodeFrom(randomBytes(SHORT_CODE_LENGTH));

/** Bound to the record's id, so a stored hash cannot be copied onto another record. */
export const claimCodeHash = (pii: PiiVault, participantId: string, code: string): string =>
  pii.blindIndex(CLAIM_CODE_PURPOSE, `${participantId}:${code}`);

const sameHash = (given: string, stored: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(stored);
  return a.length === b.length && timingSafeEqual(a, b);
};

export interface ClaimParticipantDeps {
  readonly participants: ParticipantRepository;
  readonly claims: ParticipantClaimStore;
  readonly pii: PiiVault;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
  /** How long an issued code can be used. */
  readonly claimCodeValidityDays: number;
}

export interface IssuedClaimCode {
  /** Shown once, to the officer who hands it over; only its keyed hash is kept. */
  readonly code: string;
  readonly expiresAt: Date;
}

/**
 * An officer issues a code for a record in their area without an account
 * (outside the area: not found). A new code replaces the one before it.
 */
export function issueClaimCode(deps: ClaimParticipantDeps) {
  return async (principal: Principal, id: string): Promise<IssuedClaimCode> => {
    const scope = Scope.of(principal);
    const record = await deps.participants.byId(scope, id);
    if (record === null) throw participantNotFound();
    if (!awaitsClaim(record)) throw participantAlreadyClaimed();
    const code = newClaimCode();
    const pending: PendingClaimCode = {
      hash: claimCodeHash(deps.pii, record.id, code),
      expiresAt: claimCodeExpiry(deps.clock(), deps.claimCodeValidityDays),
    };
    const issued = await deps.claims.issueClaimCode(scope, record.id, pending, [
      claimCodeIssuedEntry(deps.audit, principal, record, pending),
    ]);
    // A claim or a removal between the read and the write.
    if (issued === 'claimed') throw participantAlreadyClaimed();
    if (issued === 'not_found') throw participantNotFound();
    return { code, expiresAt: pending.expiresAt };
  };
}

export interface ClaimRequest {
  readonly idNumber: string;
  readonly claimCode: string;
}

export interface ClaimResult {
  readonly participant: ParticipantRecord;
  /** False when the account already held the record (a retried claim). */
  readonly claimed: boolean;
}

/** The signed-in person claims the record holding their ID number with its live code. */
export function claimParticipant(deps: ClaimParticipantDeps) {
  return async (principal: Principal, request: ClaimRequest): Promise<ClaimResult> => {
    const now = deps.clock();
    const given = domainCall(() => ({
      idNumber: parseIdNumber(request.idNumber, chinaDateOf(now)).idNumber,
      code: parseClaimCode(request.claimCode),
    }));
    const idNumberHash = deps.pii.blindIndex('id-number', given.idNumber);
    // Two attempts: a write that misses because the record changed meanwhile is judged again on a fresh read.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const [target, ownRecord] = await Promise.all([
        deps.claims.claimTargetByIdNumberHash(claimScope, idNumberHash),
        deps.participants.byAccount(claimScope, principal.subject),
      ]);
      const codeHash =
        target === null ? null : claimCodeHash(deps.pii, target.record.id, given.code);
      const pending = target?.claimCode ?? null;
      const outcome = claimOutcome(
        {
          holder:
            target === null
              ? null
              : { accountSubject: target.record.accountSubject, claimCode: pending },
          accountHasRecord: ownRecord !== null,
          codeMatches: codeHash !== null && pending !== null && sameHash(codeHash, pending.hash),
          now,
        },
        principal.subject,
      );
      if (outcome === 'existing' && target !== null)
        return { participant: target.record, claimed: false };
      if (outcome === 'account_taken') throw accountAlreadyRegistered();
      if (outcome !== 'claim' || target === null || codeHash === null)
        throw participantClaimRefused();

      const before = target.record;
      const after: ParticipantRecord = {
        ...before,
        accountSubject: principal.subject,
        updatedAt: now,
        version: before.version + 1,
      };
      let claimed: ParticipantRecord | null;
      try {
        claimed = await deps.claims.claim(
          claimScope,
          before.id,
          { expectedVersion: before.version, codeHash, accountSubject: principal.subject, now },
          claimedEntries(deps.audit, principal, before, after),
        );
      } catch (error) {
        // The account's own registration or another claim of it won the unique account index.
        if (error instanceof AppError && error.kind === 'conflict')
          throw accountAlreadyRegistered();
        throw error;
      }
      if (claimed !== null) return { participant: claimed, claimed: true };
    }
    throw participantClaimRefused();
  };
}

export type IssueClaimCode = ReturnType<typeof issueClaimCode>;
export type ClaimParticipant = ReturnType<typeof claimParticipant>;
