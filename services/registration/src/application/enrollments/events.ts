/** The outbox entries of enrollment changes: the domain event and the audit record, in one write. */
import { actorOf, systemActor, type AuditActor, type AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { contentCategoryMapping, enrollmentEvents } from '@learning/contracts';
import { newEvent, type OutboxEntry } from '@learning/events';
import { common, registration } from '@learning/proto';
import { organizationKindToProto, tierToProto } from '../proto-mapping.js';
import type { EnrollmentEventSummary } from './event-summaries.js';
import type {
  AttendeeFacts,
  CancellationReason,
  EnrollmentRecord,
  SeatedEventInfo,
} from './ports.js';

/** What an audit record shows of an enrollment: no personal data, no check-in code. */
export const auditView = (enrollment: EnrollmentRecord | null) =>
  enrollment === null
    ? null
    : {
        eventKey: enrollment.eventKey,
        participantId: enrollment.participantId,
        status: enrollment.status,
        sequence: enrollment.sequence,
        seat: enrollment.seat,
        checkedInAt: enrollment.checkedInAt?.toISOString() ?? null,
        ...(enrollment.sessionCheckIns === undefined || enrollment.sessionCheckIns.length === 0
          ? {}
          : { sessionsCheckedIn: enrollment.sessionCheckIns.map((entry) => entry.sessionId) }),
        attendedAt: enrollment.attendedAt?.toISOString() ?? null,
        attendanceWithdrawnAt: enrollment.attendanceWithdrawnAt?.toISOString() ?? null,
        cancellationReason: enrollment.cancellationReason,
      };

const refOf = (enrollment: EnrollmentRecord): registration.SeatedEventRef => ({
  owner: enrollment.owner,
  eventId: enrollment.eventId,
});

const CANCELLATION_REASONS: Record<CancellationReason, registration.CancellationReason> = {
  self: registration.CancellationReason.CANCELLATION_REASON_SELF,
  officer: registration.CancellationReason.CANCELLATION_REASON_OFFICER,
  event_cancelled: registration.CancellationReason.CANCELLATION_REASON_EVENT_CANCELLED,
  no_longer_eligible: registration.CancellationReason.CANCELLATION_REASON_NO_LONGER_ELIGIBLE,
};

/** Left out when the owner could not say (null): a consumer then knows the event by its ref alone. */
const summaryOf = (
  summary: EnrollmentEventSummary | null,
): { eventSummary?: registration.SeatedEventSummary } =>
  summary === null
    ? {}
    : {
        eventSummary: {
          title: summary.title,
          startsAt: summary.startsAt,
          endsAt: summary.endsAt,
          jurisdictionPath: [...summary.jurisdictionPath],
          organizerOrganizationId: summary.organizerOrganizationId ?? '',
          organizationKind:
            summary.organizer === null
              ? common.OrganizationKind.ORGANIZATION_KIND_UNSPECIFIED
              : organizationKindToProto(summary.organizer.kind),
          leadDepartment: summary.organizer?.leadDepartment ?? '',
        },
      };

export type AttendanceWithdrawal =
  | { readonly reason: 'check_in_invalidated' }
  | { readonly reason: 'officer_correction'; readonly note: string };

const WITHDRAWAL_REASONS: Record<
  AttendanceWithdrawal['reason'],
  registration.AttendanceWithdrawalReason
> = {
  check_in_invalidated:
    registration.AttendanceWithdrawalReason.ATTENDANCE_WITHDRAWAL_REASON_CHECK_IN_INVALIDATED,
  officer_correction:
    registration.AttendanceWithdrawalReason.ATTENDANCE_WITHDRAWAL_REASON_OFFICER_CORRECTION,
};

export type Actor = Principal | { readonly system: string };

const auditActorOf = (actor: Actor): AuditActor =>
  'system' in actor ? systemActor(actor.system) : actorOf(actor);

export class EnrollmentEvents {
  constructor(private readonly audit: AuditTrail) {}

  private auditOf(
    actor: Actor,
    action: string,
    before: EnrollmentRecord | null,
    after: EnrollmentRecord,
    reason?: string,
  ): OutboxEntry {
    return this.audit.entry({
      actor: auditActorOf(actor),
      action,
      entityType: 'enrollment',
      entityId: after.id,
      jurisdictionPath: after.jurisdictionPath,
      before: auditView(before),
      after: auditView(after),
      ...(reason === undefined ? {} : { reason }),
    });
  }

  signedUp(
    actor: Actor,
    before: EnrollmentRecord | null,
    after: EnrollmentRecord,
    summary: EnrollmentEventSummary | null,
  ): OutboxEntry[] {
    const domainEvent =
      after.status === 'confirmed'
        ? newEvent(enrollmentEvents.EnrollmentConfirmed, after.eventKey, {
            enrollmentId: after.id,
            event: refOf(after),
            participantId: after.participantId,
            confirmedAt: after.confirmedAt ?? after.updatedAt,
            ...summaryOf(summary),
          })
        : newEvent(enrollmentEvents.EnrollmentWaitlisted, after.eventKey, {
            enrollmentId: after.id,
            event: refOf(after),
            participantId: after.participantId,
            sequence: String(after.sequence),
            waitlistedAt: after.updatedAt,
            ...summaryOf(summary),
          });
    return [domainEvent, this.auditOf(actor, 'enrollment.sign_up', before, after)];
  }

  /** Promotions are the platform's doing: a seat freed, the next in line takes it. */
  promoted(
    before: EnrollmentRecord,
    after: EnrollmentRecord,
    summary: EnrollmentEventSummary | null,
  ): OutboxEntry[] {
    return [
      newEvent(enrollmentEvents.WaitlistPromoted, after.eventKey, {
        enrollmentId: after.id,
        event: refOf(after),
        participantId: after.participantId,
        promotedAt: after.updatedAt,
        ...summaryOf(summary),
      }),
      this.auditOf({ system: 'waitlist-promotion' }, 'enrollment.promote', before, after),
    ];
  }

  cancelled(
    actor: Actor,
    before: EnrollmentRecord,
    after: EnrollmentRecord,
    reason: CancellationReason,
    note: string,
    summary: EnrollmentEventSummary | null,
  ): OutboxEntry[] {
    return [
      newEvent(enrollmentEvents.EnrollmentCancelled, after.eventKey, {
        enrollmentId: after.id,
        event: refOf(after),
        participantId: after.participantId,
        reason: CANCELLATION_REASONS[reason],
        freedSeat: before.status === 'confirmed',
        cancelledAt: after.cancelledAt ?? after.updatedAt,
        note,
        ...summaryOf(summary),
      }),
      this.auditOf(actor, 'enrollment.cancel', before, after, reason),
    ];
  }

  checkedIn(actor: Actor, before: EnrollmentRecord, after: EnrollmentRecord): OutboxEntry[] {
    return [
      newEvent(enrollmentEvents.CheckedIn, after.eventKey, {
        enrollmentId: after.id,
        event: refOf(after),
        participantId: after.participantId,
        checkedInAt: after.checkedInAt ?? after.updatedAt,
      }),
      this.auditOf(actor, 'enrollment.check_in', before, after),
    ];
  }

  /**
   * A check-in at one session; the enrollment's first (at any session) also
   * checks the enrollment in, told by CheckedIn as a check-in without sessions is.
   */
  sessionCheckedIn(
    actor: Actor,
    before: EnrollmentRecord,
    after: EnrollmentRecord,
    sessionId: string,
    checkedInAt: Date,
  ): OutboxEntry[] {
    const enrollmentCheckedIn = before.checkedInAt === null && after.checkedInAt !== null;
    return [
      newEvent(enrollmentEvents.SessionCheckedIn, after.eventKey, {
        enrollmentId: after.id,
        event: refOf(after),
        participantId: after.participantId,
        sessionId,
        checkedInAt,
      }),
      ...(enrollmentCheckedIn
        ? [
            newEvent(enrollmentEvents.CheckedIn, after.eventKey, {
              enrollmentId: after.id,
              event: refOf(after),
              participantId: after.participantId,
              checkedInAt: after.checkedInAt,
            }),
          ]
        : []),
      this.auditOf(actor, 'enrollment.check_in_session', before, after, `session ${sessionId}`),
    ];
  }

  /** The attendance `before` held no longer counts: scoring reverses what it earned. */
  private withdrawalOf(
    before: EnrollmentRecord,
    after: EnrollmentRecord,
    withdrawal: AttendanceWithdrawal,
  ): OutboxEntry {
    return newEvent(enrollmentEvents.AttendanceWithdrawn, after.eventKey, {
      enrollmentId: after.id,
      event: refOf(after),
      participantId: after.participantId,
      reason: WITHDRAWAL_REASONS[withdrawal.reason],
      note: withdrawal.reason === 'officer_correction' ? withdrawal.note : '',
      attendedAt: before.attendedAt ?? before.updatedAt,
      withdrawnAt: after.attendanceWithdrawnAt ?? after.updatedAt,
    });
  }

  /**
   * A reschedule left the check-in outside the event's check-in window: it, and
   * attendance from it, no longer count. A withdrawn attendance is also told
   * as such, so what consumes attendance alone need not read check-ins.
   */
  checkInInvalidated(
    before: EnrollmentRecord,
    after: EnrollmentRecord,
    times: { readonly startsAt: Date; readonly endsAt: Date },
  ): OutboxEntry[] {
    const attendanceWithdrawn = before.attendedAt !== null && after.attendedAt === null;
    return [
      newEvent(enrollmentEvents.CheckInInvalidated, after.eventKey, {
        enrollmentId: after.id,
        event: refOf(after),
        participantId: after.participantId,
        checkedInAt: before.checkedInAt ?? before.updatedAt,
        attendanceWithdrawn,
        startsAt: times.startsAt,
        endsAt: times.endsAt,
        invalidatedAt: after.updatedAt,
      }),
      ...(attendanceWithdrawn
        ? [this.withdrawalOf(before, after, { reason: 'check_in_invalidated' })]
        : []),
      this.auditOf(
        { system: 'event-rescheduled' },
        'enrollment.invalidate_check_in',
        before,
        after,
        'the event was moved; the check-in is outside its new check-in window',
      ),
    ];
  }

  /** An officer who runs the event corrected an attendance recorded in error. */
  attendanceWithdrawn(
    actor: Actor,
    before: EnrollmentRecord,
    after: EnrollmentRecord,
    note: string,
  ): OutboxEntry[] {
    return [
      this.withdrawalOf(before, after, { reason: 'officer_correction', note }),
      this.auditOf(actor, 'enrollment.withdraw_attendance', before, after, note),
    ];
  }

  /**
   * `attendee` and `event` are snapshots as of now: scoring credits the person
   * where and for whom they were at the time. A participant record that is
   * gone (null) leaves the attendee out rather than the attendance unrecorded.
   */
  attended(
    actor: Actor,
    before: EnrollmentRecord,
    after: EnrollmentRecord,
    attendee: AttendeeFacts | null,
    event: SeatedEventInfo,
  ): OutboxEntry[] {
    return [
      newEvent(enrollmentEvents.AttendanceRecorded, after.eventKey, {
        enrollmentId: after.id,
        event: refOf(after),
        participantId: after.participantId,
        basis:
          after.attendanceBasis === 'officer'
            ? registration.AttendanceBasis.ATTENDANCE_BASIS_OFFICER
            : registration.AttendanceBasis.ATTENDANCE_BASIS_CHECK_IN,
        attendedAt: after.attendedAt ?? after.updatedAt,
        // Lets the event's owner know its attendees by their tokens (lectures: who may rate).
        accountSubject: after.accountSubject,
        ...(attendee === null
          ? {}
          : {
              attendee: {
                tier: tierToProto(attendee.tier),
                jurisdictionPath: [...attendee.jurisdictionPath],
                organizationIds: [...attendee.organizationIds],
              },
            }),
        attendedEvent: {
          title: event.title,
          categories: event.categories.map(contentCategoryMapping.toProto),
          campaignId: event.campaignId ?? '',
          startsAt: event.startsAt,
          endsAt: event.endsAt,
          learningMinutes: event.learningMinutes,
          jurisdictionPath: [...event.jurisdictionPath],
          organizerOrganizationId: event.organizerOrganizationId ?? '',
        },
      }),
      this.auditOf(actor, 'enrollment.record_attendance', before, after),
    ];
  }
}
