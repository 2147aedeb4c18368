/**
 * What an audit record says, and how one is made: as an outbox entry written
 * in the same single-document update as the change it describes, so a change
 * is never stored without its record (no multi-document transaction needed).
 * The service's audit sink then files it in the readable log.
 */
import type { Principal } from '@learning/auth';
import {
  defineEvent,
  newEvent,
  type EventDefinition,
  type OutboxEntry,
  type TopicSpec,
} from '@learning/events';
import { redact } from '@learning/logger';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

const Actor = Type.Object({
  /** The token's subject, or `system:<reason>` when the platform acted for itself. */
  subject: Type.String({ minLength: 1 }),
  roles: Type.Array(Type.String()),
  service: Type.Optional(Type.String()),
});

const AuditPayload = Type.Object({
  actor: Actor,
  /** `<entity>.<verb>`, e.g. `organization.recognize`. */
  action: Type.String({ pattern: '^[a-z][a-z_]*\\.[a-z][a-z_]*$' }),
  entityType: Type.String({ minLength: 1 }),
  entityId: Type.String({ minLength: 1 }),
  /** Where the entity is: who may read the record is decided by it. */
  jurisdictionPath: Type.Array(Type.String(), { minItems: 1 }),
  /** The entity as it was (null when created) and became (null when deleted), personal data masked. */
  before: Type.Unknown(),
  after: Type.Unknown(),
  reason: Type.Optional(Type.String()),
});

export type AuditActor = Static<typeof Actor>;
export type AuditPayload = Static<typeof AuditPayload>;

export const actorOf = (principal: Principal): AuditActor => ({
  subject: principal.subject,
  roles: [...principal.roles],
  ...(principal.service === undefined ? {} : { service: principal.service }),
});

/** The platform acting for itself: a consumer, the scheduler, an import. */
export const systemActor = (reason: string): AuditActor => ({
  subject: `system:${reason}`,
  roles: [],
});

const codec = {
  toJSON: (payload: AuditPayload): unknown => payload,
  fromJSON(json: unknown): AuditPayload {
    if (!Value.Check(AuditPayload, json)) throw new TypeError('not an audit record');
    return json;
  },
};

export interface AuditInput {
  readonly actor: AuditActor;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly jurisdictionPath: readonly string[];
  readonly before: unknown;
  readonly after: unknown;
  readonly reason?: string;
}

export interface AuditTrail {
  readonly event: EventDefinition<AuditPayload>;
  /** The record of one change, to add to that change's outbox. */
  entry(input: AuditInput): OutboxEntry;
}

/** One service's trail: `<service>.audit.recorded.v1` on the service's audit topic. */
export function auditTrail(service: string, topic: TopicSpec): AuditTrail {
  const event = defineEvent(`${service}.audit.recorded.v1`, topic, codec);
  return {
    event,
    entry(input) {
      // Masked views are expected; redaction is the second line against a raw number slipping in.
      const payload: AuditPayload = {
        actor: input.actor,
        action: input.action,
        entityType: input.entityType,
        entityId: input.entityId,
        jurisdictionPath: [...input.jurisdictionPath],
        before: redact(input.before ?? null),
        after: redact(input.after ?? null),
        ...(input.reason === undefined ? {} : { reason: input.reason }),
      };
      if (!Value.Check(AuditPayload, payload))
        throw new TypeError(`audit record for ${input.action} is malformed`);
      return newEvent(event, input.entityId, payload);
    },
  };
}
