/** The outbox entries of a participant change: its domain event and its audit record. */
import { actorOf, type AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { participantEvents } from '@learning/contracts';
import { newEvent, type OutboxEntry } from '@learning/events';
import type { registration } from '@learning/proto';
import type {
  CorrectableField,
  OfficerCorrectableField,
  PendingClaimCode,
} from '../../domain/participants.js';
import type { ParticipantRecord } from './participant-repository.js';
import { sourceToProto, tierToProto } from '../proto-mapping.js';
import { auditView } from './views.js';

const ENTITY_TYPE = 'participant';

const profileOf = (record: ParticipantRecord): registration.ParticipantProfile => ({
  tier: tierToProto(record.tier),
  jurisdictionPath: [...record.jurisdictionPath],
  language: record.language,
  notificationsConsent: record.consent.notifications,
  hasPhone: record.phone !== null,
});

export function registeredEntries(
  audit: AuditTrail,
  principal: Principal,
  record: ParticipantRecord,
): OutboxEntry[] {
  return [
    newEvent(participantEvents.participantRegistered, record.id, {
      participantId: record.id,
      profile: profileOf(record),
      source: sourceToProto(record.source),
      registeredBy: principal.subject,
      registeredAt: record.createdAt,
    }),
    audit.entry({
      actor: actorOf(principal),
      action: 'participant.register',
      entityType: ENTITY_TYPE,
      entityId: record.id,
      jurisdictionPath: record.jurisdictionPath,
      before: null,
      after: auditView(record),
    }),
  ];
}

const updatedEvent = (
  principal: Principal,
  after: ParticipantRecord,
  changed: readonly string[],
): OutboxEntry =>
  newEvent(participantEvents.participantUpdated, after.id, {
    participantId: after.id,
    profile: profileOf(after),
    changedFields: [...changed],
    updatedBy: principal.subject,
    updatedAt: after.updatedAt,
    version: String(after.version),
  });

/** `after` is the record as the change leaves it, its version included. */
export function updatedEntries(
  audit: AuditTrail,
  principal: Principal,
  before: ParticipantRecord,
  after: ParticipantRecord,
  changed: readonly (CorrectableField | OfficerCorrectableField)[],
  /** An officer's correction carries the officer's reason; a person's own needs none. */
  officerReason?: string,
): OutboxEntry[] {
  return [
    updatedEvent(principal, after, changed),
    audit.entry({
      actor: actorOf(principal),
      action: officerReason === undefined ? 'participant.correct' : 'participant.officer_correct',
      entityType: ENTITY_TYPE,
      entityId: after.id,
      // Both places: a move is visible to the officers of the old area and of the new one.
      jurisdictionPath: [...new Set([...before.jurisdictionPath, ...after.jurisdictionPath])],
      before: auditView(before),
      after: auditView(after),
      ...(officerReason === undefined ? {} : { reason: officerReason }),
    }),
  ];
}

/** The field name a claim reports in `changedFields`: the record gained its account. */
const CLAIMED_FIELD = 'account';

/** A person claimed the record made for them: `after` is bound to their account. */
export function claimedEntries(
  audit: AuditTrail,
  principal: Principal,
  before: ParticipantRecord,
  after: ParticipantRecord,
): OutboxEntry[] {
  return [
    updatedEvent(principal, after, [CLAIMED_FIELD]),
    audit.entry({
      actor: actorOf(principal),
      action: 'participant.claim',
      entityType: ENTITY_TYPE,
      entityId: after.id,
      jurisdictionPath: after.jurisdictionPath,
      before: auditView(before),
      after: auditView(after),
    }),
  ];
}

/** An officer issued a claim code: audited with its expiry, never the code or its hash. */
export function claimCodeIssuedEntry(
  audit: AuditTrail,
  principal: Principal,
  record: ParticipantRecord,
  claimCode: PendingClaimCode,
): OutboxEntry {
  return audit.entry({
    actor: actorOf(principal),
    action: 'participant.claim_code_issue',
    entityType: ENTITY_TYPE,
    entityId: record.id,
    jurisdictionPath: record.jurisdictionPath,
    before: null,
    after: { claimCodeExpiresAt: claimCode.expiresAt.toISOString() },
  });
}
