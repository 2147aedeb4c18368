/**
 * An officer who runs the event withdraws an attendance recorded in error,
 * saying why. The enrollment keeps its seat and check-in; its attendance is
 * cleared (an officer may record it again) and scoring is told to reverse
 * what it earned. Withdrawing again changes nothing and answers the first withdrawal.
 */
import type { Principal } from '@learning/auth';
import { eventKeyOf, withdrawAttendance as withdrawRule } from '../../domain/enrollment.js';
import type { SeatedEventOwner } from '../../domain/enrollment.js';
import { domainCall } from '../errors.js';
import { lookupScope, runsEvent } from './access.js';
import { enrollmentConflict, enrollmentNotFound, seatedEventNotFound } from './errors.js';
import type { EnrollmentEvents } from './events.js';
import type {
  EnrollmentChange,
  EnrollmentRecord,
  EnrollmentRepository,
  SeatedEventSource,
} from './ports.js';
import { applyChange } from './seats.js';

/** Another writer changing the enrollment meanwhile is rare: read again a few times, then give up. */
const ATTEMPTS = 5;

export interface AttendanceWithdrawalInput {
  readonly owner: SeatedEventOwner;
  readonly eventId: string;
  readonly enrollmentId: string;
  /** Why: 1 to 500 characters, checked at the edge. */
  readonly note: string;
}

export interface AttendanceWithdrawalOutcome {
  readonly outcome: 'withdrawn' | 'already_withdrawn';
  readonly enrollment: EnrollmentRecord;
  readonly withdrawnAt: Date;
}

export interface WithdrawAttendanceDeps {
  readonly enrollments: EnrollmentRepository;
  readonly source: SeatedEventSource;
  readonly events: EnrollmentEvents;
  readonly clock: () => Date;
}

export function withdrawAttendance(deps: WithdrawAttendanceDeps) {
  return async (
    principal: Principal,
    input: AttendanceWithdrawalInput,
  ): Promise<AttendanceWithdrawalOutcome> => {
    const info = await deps.source.get(input.owner, input.eventId);
    // Only those who run the event learn anything about it here.
    if (!runsEvent(principal, info)) throw seatedEventNotFound();
    const eventKey = eventKeyOf(input.owner, input.eventId);
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const enrollment = await deps.enrollments.get(lookupScope(), input.enrollmentId);
      if (enrollment === null || enrollment.eventKey !== eventKey) throw enrollmentNotFound();
      const now = deps.clock();
      const result = domainCall(() => withdrawRule(enrollment, now));
      if (result.outcome === 'already_withdrawn')
        return { outcome: result.outcome, enrollment, withdrawnAt: result.withdrawnAt };
      const change: EnrollmentChange = {
        attendedAt: null,
        attendanceBasis: null,
        attendanceWithdrawnAt: now,
        updatedAt: now,
      };
      // Conditional on this very attendance: a concurrent withdrawal or re-recording wins, and we look again.
      const written = await deps.enrollments.change(
        enrollment.id,
        { status: enrollment.status, attendedAt: result.attendedAt },
        change,
        deps.events.attendanceWithdrawn(
          principal,
          enrollment,
          applyChange(enrollment, change),
          input.note,
        ),
      );
      if (written !== null && written !== 'seat')
        return { outcome: 'withdrawn', enrollment: written, withdrawnAt: now };
    }
    throw enrollmentConflict();
  };
}

export type WithdrawAttendance = ReturnType<typeof withdrawAttendance>;
