/**
 * Who looked (PIPL): an officer sees a person's full ID number or phone only
 * by stating why, and the reading is on record before the number leaves, as
 * an audit record in the participant's own outbox; the person can read who
 * viewed their data, when and why.
 */
import { actorOf, type AuditLog, type AuditTrail } from '@learning/audit';
import { type Principal, Scope } from '@learning/auth';
import type { PiiVault } from '@learning/pii';
import { participantNotFound } from './errors.js';
import type { ParticipantRepository } from './participant-repository.js';

export const REVEAL_ACTION = 'participant.reveal';
export const REVEALABLE_FIELDS = ['idNumber', 'phone'] as const;
export type RevealableField = (typeof REVEALABLE_FIELDS)[number];

/** A person reaches only their own record, wherever it is. */
const ownScope = Scope.system('own data access log');

export interface IdentityAccessDeps {
  readonly participants: ParticipantRepository;
  readonly pii: PiiVault;
  readonly audit: AuditTrail;
  readonly auditLog: AuditLog;
}

export interface RevealRequest {
  readonly fields: readonly RevealableField[];
  readonly reason: string;
}

/** The numbers asked for, in full; a phone the record has none of is null. */
export interface Revealed {
  readonly idNumber?: string;
  readonly phone?: string | null;
}

export function revealIdentity(deps: Omit<IdentityAccessDeps, 'auditLog'>) {
  return async (principal: Principal, id: string, request: RevealRequest): Promise<Revealed> => {
    const scope = Scope.of(principal);
    const record = await deps.participants.byId(scope, id);
    if (record === null) throw participantNotFound();
    const fields = REVEALABLE_FIELDS.filter((field) => request.fields.includes(field));
    const entry = deps.audit.entry({
      actor: actorOf(principal),
      action: REVEAL_ACTION,
      entityType: 'participant',
      entityId: id,
      jurisdictionPath: record.jurisdictionPath,
      before: null,
      after: { fields },
      reason: request.reason,
    });
    // Recorded first: a number is never shown without its record.
    if (!(await deps.participants.recordAccess(scope, id, [entry]))) throw participantNotFound();
    return {
      ...(fields.includes('idNumber')
        ? { idNumber: deps.pii.decrypt(record.idNumber.sealed) }
        : {}),
      ...(fields.includes('phone')
        ? { phone: record.phone === null ? null : deps.pii.decrypt(record.phone.sealed) }
        : {}),
    };
  };
}

export interface DataAccess {
  readonly at: Date;
  /** Who: their account subject and roles, as their token said. */
  readonly viewer: { readonly subject: string; readonly roles: readonly string[] };
  readonly fields: readonly string[];
  readonly reason: string;
}

export function ownDataAccessLog(deps: Pick<IdentityAccessDeps, 'participants' | 'auditLog'>) {
  return async (
    principal: Principal,
    page: { pageSize: number; pageToken?: string },
  ): Promise<{ items: DataAccess[]; nextPageToken: string | null }> => {
    const record = await deps.participants.byAccount(ownScope, principal.subject);
    if (record === null) throw participantNotFound();
    const found = await deps.auditLog.search(ownScope, {
      entityType: 'participant',
      entityId: record.id,
      action: REVEAL_ACTION,
      pageSize: page.pageSize,
      ...(page.pageToken === undefined ? {} : { pageToken: page.pageToken }),
    });
    return {
      items: found.items.map((entry) => ({
        at: entry.at,
        viewer: { subject: entry.actor.subject, roles: entry.actor.roles },
        fields: fieldsOf(entry.after),
        reason: entry.reason ?? '',
      })),
      nextPageToken: found.nextPageToken,
    };
  };
}

const fieldsOf = (after: unknown): string[] => {
  const fields = (after as { fields?: unknown } | null)?.fields;
  return Array.isArray(fields) ? fields.filter((field) => typeof field === 'string') : [];
};

export type RevealIdentity = ReturnType<typeof revealIdentity>;
export type OwnDataAccessLog = ReturnType<typeof ownDataAccessLog>;
