/**
 * Rescheduling and cancelling, each with a reason. A reschedule may move the
 * times, the venue, the capacity and the speakers; every scheduling rule is
 * checked again against the calendar without the session itself. Each change
 * is written with its event and audit record in one update at the version it
 * was decided on, so two racing changes cannot both apply.
 */
import { actorOf, type AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { AppError } from '@learning/errors';
import type { OutboxEntry } from '@learning/events';
import type { Capacity, SignUpWindow } from '../../domain/scheduling.js';
import type { Enrollments } from '../ports.js';
import { findManaged } from './access.js';
import { checkPlan, placeVenue, type SchedulingDeps } from './checks.js';
import {
  SESSION_CAPACITY_BELOW_ENROLLMENT,
  SESSION_CHANGE_EMPTY,
  SESSION_NOT_SCHEDULED,
  SESSION_REASON_REQUIRED,
  sessionErrors,
} from './errors.js';
import { auditViewOf, cancelledEvent, rescheduledEvent } from './events.js';
import type { ForumDirectory, SessionFields, StoredSession } from './ports.js';

export interface ChangeSessionDeps extends SchedulingDeps {
  readonly forums: ForumDirectory;
  readonly enrollments: Enrollments;
  readonly audit: AuditTrail;
}

export interface RescheduleRequest {
  /** The version read; the change applies only if it is still current. */
  readonly version: number;
  readonly reason: string;
  readonly startsAt?: Date;
  readonly endsAt?: Date;
  readonly venueId?: string;
  readonly capacity?: Capacity;
  readonly speakerIds?: readonly string[];
  readonly signUpWindow?: SignUpWindow;
}

export interface CancelRequest {
  readonly version?: number;
  readonly reason: string;
}

const versionConflict = (): AppError =>
  new AppError(
    'aborted',
    'VERSION_CONFLICT',
    'The session was changed by someone else; reload it and try again.',
  );

function reasonOf(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed === '')
    throw sessionErrors.error(SESSION_REASON_REQUIRED, 'Say why: the people signed up are told.');
  return trimmed;
}

function assertScheduled(session: StoredSession): void {
  if (session.status !== 'scheduled')
    throw sessionErrors.error(
      SESSION_NOT_SCHEDULED,
      `The session is ${session.status}; only a scheduled session can be changed.`,
    );
}

const sameSpeakers = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((id, index) => b[index] === id);

/**
 * The sign-up window after a move, unless one is given: it keeps its opening
 * and closes no later than the new start.
 */
function windowAfter(session: StoredSession, startsAt: Date): SignUpWindow {
  const closesAt =
    session.signUpClosesAt.getTime() > startsAt.getTime() ? startsAt : session.signUpClosesAt;
  return { opensAt: session.signUpOpensAt, closesAt };
}

/** A decided change, written at the version it was decided on with its event and audit record. */
function writeChange(
  deps: Pick<ChangeSessionDeps, 'sessions' | 'audit'>,
  principal: Principal,
  action: 'session.reschedule' | 'session.cancel',
  change: {
    readonly before: StoredSession;
    readonly after: StoredSession;
    readonly reason: string;
    readonly set: Partial<SessionFields>;
    readonly event: OutboxEntry;
    readonly at: Date;
  },
): Promise<StoredSession> {
  const { before, after, reason } = change;
  const audit = deps.audit.entry({
    actor: actorOf(principal),
    action,
    entityType: 'session',
    entityId: before.id,
    jurisdictionPath: after.jurisdictionPath,
    before: auditViewOf(before),
    after: auditViewOf(after),
    reason,
  });
  return deps.sessions.change({
    id: before.id,
    expectedVersion: before.version,
    updatedAt: change.at,
    set: change.set,
    events: [change.event, audit],
  });
}

export function rescheduleSession(deps: ChangeSessionDeps) {
  return async (
    principal: Principal,
    id: string,
    request: RescheduleRequest,
  ): Promise<StoredSession> => {
    const reason = reasonOf(request.reason);
    const { session, forum } = await findManaged(deps, principal, id);
    if (request.version !== session.version) throw versionConflict();
    assertScheduled(session);
    const startsAt = request.startsAt ?? session.startsAt;
    const endsAt = request.endsAt ?? session.endsAt;
    const speakerIds =
      request.speakerIds === undefined ? session.speakerIds : [...new Set(request.speakerIds)];
    const capacity = request.capacity === undefined ? session.capacity : request.capacity;
    const window = request.signUpWindow ?? windowAfter(session, startsAt);
    const placed =
      request.venueId === undefined || request.venueId === session.venue.id
        ? { venue: session.venue, path: session.jurisdictionPath }
        : await placeVenue(deps, request.venueId);
    const set: Partial<SessionFields> = {
      startsAt,
      endsAt,
      speakerIds: [...speakerIds],
      capacity,
      signUpOpensAt: window.opensAt,
      signUpClosesAt: window.closesAt,
      venue: placed.venue,
      jurisdictionPath: [...placed.path],
    };
    const after: StoredSession = { ...session, ...set };
    const unchanged =
      startsAt.getTime() === session.startsAt.getTime() &&
      endsAt.getTime() === session.endsAt.getTime() &&
      sameSpeakers(speakerIds, session.speakerIds) &&
      capacity === session.capacity &&
      window.opensAt.getTime() === session.signUpOpensAt.getTime() &&
      window.closesAt.getTime() === session.signUpClosesAt.getTime() &&
      placed.venue.id === session.venue.id;
    if (unchanged)
      throw sessionErrors.error(SESSION_CHANGE_EMPTY, 'The reschedule changes nothing.');
    const speakerNames = await checkPlan(deps, {
      ...after,
      venuePath: after.jurisdictionPath,
      signUpWindow: window,
      forum,
      campaignId: session.campaignId,
      excludeId: session.id,
    });
    if (capacity !== null && capacity !== session.capacity) {
      const confirmed = (await deps.enrollments.figuresOf([id])).get(id)?.confirmed ?? 0;
      if (capacity < confirmed)
        throw sessionErrors.error(
          SESSION_CAPACITY_BELOW_ENROLLMENT,
          `${confirmed} seats are confirmed already; the capacity cannot go below that.`,
        );
    }
    const now = deps.clock();
    return writeChange(deps, principal, 'session.reschedule', {
      before: session,
      after,
      reason,
      set,
      event: rescheduledEvent(session, after, reason, now, speakerNames),
      at: now,
    });
  };
}

export function cancelSession(
  deps: Pick<ChangeSessionDeps, 'sessions' | 'forums' | 'audit' | 'clock'>,
) {
  return async (
    principal: Principal,
    id: string,
    request: CancelRequest,
  ): Promise<StoredSession> => {
    const reason = reasonOf(request.reason);
    const { session } = await findManaged(deps, principal, id);
    if (request.version !== undefined && request.version !== session.version)
      throw versionConflict();
    assertScheduled(session);
    const now = deps.clock();
    const cancellation = { reason, cancelledBy: principal.subject, cancelledAt: now };
    const set = { status: 'cancelled', cancellation } as const;
    return writeChange(deps, principal, 'session.cancel', {
      before: session,
      after: { ...session, ...set },
      reason,
      set,
      event: cancelledEvent(session, reason, now),
      at: now,
    });
  };
}

export type RescheduleSession = ReturnType<typeof rescheduleSession>;
export type CancelSession = ReturnType<typeof cancelSession>;
