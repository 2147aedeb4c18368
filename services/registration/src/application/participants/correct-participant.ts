/**
 * An officer corrects what a person may not change themselves: the ID number
 * (and the birth date it carries) and the tier. Only inside the officer's
 * area, at the version the officer read, and always with a reason that goes
 * into the audit record. A number registered to someone else is a conflict
 * that does not say to whom.
 */
import { AppError } from '@learning/errors';
import type { AuditTrail } from '@learning/audit';
import { type Principal, Scope } from '@learning/auth';
import type { PiiVault } from '@learning/pii';
import {
  chinaDateOf,
  parseIdNumber,
  type OfficerCorrectableField,
  type Tier,
} from '../../domain/participants.js';
import { domainCall } from '../errors.js';
import {
  CORRECTION_REASON_REQUIRED,
  participantAlreadyRegistered,
  participantErrors,
  participantNotFound,
  versionConflict,
} from './errors.js';
import { updatedEntries } from './events.js';
import type {
  ParticipantChange,
  ParticipantRecord,
  ParticipantRepository,
} from './participant-repository.js';
import { protect } from './register-participant.js';

export const CORRECTION_REASON_MAX_LENGTH = 500;

/** Uniqueness is city-wide: the check looks everywhere, the answer reveals nothing. */
const uniquenessScope = Scope.system('participant uniqueness check');

export interface OfficerCorrection {
  readonly expectedVersion: number;
  readonly idNumber?: string;
  readonly tier?: Tier;
  readonly reason: string;
}

export interface CorrectParticipantDeps {
  readonly participants: ParticipantRepository;
  readonly pii: PiiVault;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
}

export function correctParticipant(deps: CorrectParticipantDeps) {
  return async (
    principal: Principal,
    id: string,
    correction: OfficerCorrection,
  ): Promise<ParticipantRecord> => {
    const reason = correction.reason.trim();
    if (reason === '')
      throw participantErrors.error(
        CORRECTION_REASON_REQUIRED,
        'Say why the record is corrected: the reason is kept in the audit log.',
        { details: [{ field: '/reason', message: 'is empty' }] },
      );
    const scope = Scope.of(principal);
    const before = await deps.participants.byId(scope, id);
    if (before === null) throw participantNotFound();
    if (correction.expectedVersion !== before.version) throw versionConflict();
    const now = deps.clock();

    const change: { -readonly [K in keyof ParticipantChange]: ParticipantChange[K] } = {};
    const changed: OfficerCorrectableField[] = [];
    if (correction.idNumber !== undefined) {
      const input = correction.idNumber;
      const { idNumber, birthDate } = domainCall(() => parseIdNumber(input, chinaDateOf(now)));
      const hash = deps.pii.blindIndex('id-number', idNumber);
      if (hash !== before.idNumber.hash) {
        const holder = await deps.participants.byIdNumberHash(uniquenessScope, hash);
        if (holder !== null) throw participantAlreadyRegistered();
        change.idNumber = protect(deps.pii, 'id-number', idNumber);
        change.birthDate = birthDate;
        changed.push('idNumber');
      }
    }
    if (correction.tier !== undefined && correction.tier !== before.tier) {
      change.tier = correction.tier;
      changed.push('tier');
    }
    // Nothing to change writes nothing and tells nobody.
    if (changed.length === 0) return before;
    change.updatedAt = now;

    const after: ParticipantRecord = { ...before, ...change, version: before.version + 1 };
    try {
      return await deps.participants.change(
        scope,
        before.id,
        before.version,
        change,
        updatedEntries(deps.audit, principal, before, after, changed, reason),
      );
    } catch (error) {
      // Another record took the number between the check and this write.
      if (error instanceof AppError && error.kind === 'conflict')
        throw participantAlreadyRegistered();
      throw error;
    }
  };
}

export type CorrectParticipant = ReturnType<typeof correctParticipant>;
