/**
 * After the event, an officer confirms attendance: for everyone who checked
 * in, or for the enrollments they vouch for (people who were there but never
 * scanned). Each enrollment is recorded once; confirming again changes nothing.
 */
import type { Principal } from '@learning/auth';
import { isAppError } from '@learning/errors';
import {
  assertEventEnded,
  eventKeyOf,
  recordAttendance,
  type AttendanceBasis,
  type SeatedEventOwner,
} from '../../domain/enrollment.js';
import { domainCall } from '../errors.js';
import { lookupScope, runsEvent } from './access.js';
import { ENROLLMENT_NOT_FOUND, seatedEventNotFound } from './errors.js';
import type { EnrollmentEvents } from './events.js';
import type {
  AttendeeDirectory,
  AttendeeFacts,
  EnrollmentChange,
  EnrollmentRecord,
  EnrollmentRepository,
  SeatedEventSource,
} from './ports.js';
import { applyChange } from './seats.js';

export const MAX_VOUCHED = 1000;
const PAGE = 200;

export type AttendanceInput =
  | { readonly owner: SeatedEventOwner; readonly eventId: string; readonly by: 'check_in' }
  | {
      readonly owner: SeatedEventOwner;
      readonly eventId: string;
      readonly by: 'officer';
      readonly enrollmentIds: readonly string[];
    };

export interface AttendanceSummary {
  readonly recorded: number;
  readonly alreadyRecorded: number;
  readonly refused: {
    readonly enrollmentId: string;
    readonly code: string;
    readonly message: string;
  }[];
}

export interface AttendanceDeps {
  readonly enrollments: EnrollmentRepository;
  readonly source: SeatedEventSource;
  readonly attendees: AttendeeDirectory;
  readonly events: EnrollmentEvents;
  readonly clock: () => Date;
}

export function confirmAttendance(deps: AttendanceDeps) {
  return async (principal: Principal, input: AttendanceInput): Promise<AttendanceSummary> => {
    const info = await deps.source.get(input.owner, input.eventId);
    // Only those who run the event learn anything about it here.
    if (!runsEvent(principal, info)) throw seatedEventNotFound();
    const now = deps.clock();
    domainCall(() => {
      assertEventEnded(info.endsAt, now);
    });
    const eventKey = eventKeyOf(input.owner, input.eventId);
    const basis: AttendanceBasis =
      input.by === 'check_in' ? { by: 'check_in' } : { by: 'officer', eventEndsAt: info.endsAt };
    const summary = {
      recorded: 0,
      alreadyRecorded: 0,
      refused: [] as AttendanceSummary['refused'],
    };

    async function recordOne(
      enrollment: EnrollmentRecord,
      attendee: AttendeeFacts | null,
    ): Promise<void> {
      try {
        const result = domainCall(() => recordAttendance(enrollment, basis, now));
        if (result.outcome === 'already_recorded') {
          summary.alreadyRecorded += 1;
          return;
        }
        const change: EnrollmentChange = {
          attendedAt: now,
          attendanceBasis: input.by,
          attendanceWithdrawnAt: null,
          updatedAt: now,
        };
        const written = await deps.enrollments.change(
          enrollment.id,
          { status: 'confirmed', notAttended: true },
          change,
          deps.events.attended(
            principal,
            enrollment,
            applyChange(enrollment, change),
            attendee,
            info,
          ),
        );
        if (written === null || written === 'seat') summary.alreadyRecorded += 1;
        else summary.recorded += 1;
      } catch (error) {
        if (!isAppError(error)) throw error;
        summary.refused.push({
          enrollmentId: enrollment.id,
          code: error.code,
          message: error.message,
        });
      }
    }

    /** The attendees of a whole batch are read at once, not one round trip per enrollment. */
    async function recordBatch(batch: readonly EnrollmentRecord[]): Promise<void> {
      if (batch.length === 0) return;
      const attendees = await deps.attendees.attendees(batch.map((e) => e.participantId));
      for (const enrollment of batch)
        await recordOne(enrollment, attendees.get(enrollment.participantId) ?? null);
    }

    if (input.by === 'check_in') {
      let after: string | null = null;
      for (;;) {
        const page = await deps.enrollments.checkedInNotAttended(eventKey, after, PAGE);
        await recordBatch(page);
        if (page.length < PAGE) break;
        after = page.at(-1)?.id ?? null;
      }
      return summary;
    }
    const vouched: EnrollmentRecord[] = [];
    for (const id of new Set(input.enrollmentIds)) {
      const enrollment = await deps.enrollments.get(lookupScope(), id);
      if (enrollment === null || enrollment.eventKey !== eventKey) {
        summary.refused.push({
          enrollmentId: id,
          code: ENROLLMENT_NOT_FOUND,
          message: 'There is no such enrollment in this event.',
        });
        continue;
      }
      vouched.push(enrollment);
    }
    for (let start = 0; start < vouched.length; start += PAGE)
      await recordBatch(vouched.slice(start, start + PAGE));
    return summary;
  };
}

export type ConfirmAttendance = ReturnType<typeof confirmAttendance>;
