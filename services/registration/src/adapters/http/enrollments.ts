/** The enrollment routes: translate HTTP to the use cases and back, deciding nothing. */
import { ORGANIZER_ROLES } from '@learning/auth';
import { principalOf, PageOf, pageQueryFields, type HttpServer } from '@learning/http';
import { AppError } from '@learning/errors';
import { Type, type Static } from '@sinclair/typebox';
import type { ConfirmAttendance } from '../../application/enrollments/attendance.js';
import { MAX_VOUCHED } from '../../application/enrollments/attendance.js';
import type { CancelById } from '../../application/enrollments/cancel.js';
import {
  MAX_BATCH_SCANS,
  type CheckInOutcome,
  type CheckInUseCases,
  type ScanInput,
} from '../../application/enrollments/check-in.js';
import {
  attendanceIdsRequired,
  checkInTargetMissing,
} from '../../application/enrollments/errors.js';
import type { EnrollmentRecord } from '../../application/enrollments/ports.js';
import type { EnrollmentReads, OwnEnrollmentView } from '../../application/enrollments/reads.js';
import type { SignUp } from '../../application/enrollments/sign-up.js';
import type { WithdrawAttendance } from '../../application/enrollments/withdraw-attendance.js';
import { SEATED_EVENT_OWNERS } from '../../domain/enrollment.js';

export interface EnrollmentUseCases {
  signUp: SignUp;
  cancel: CancelById;
  reads: EnrollmentReads;
  checkIns: CheckInUseCases;
  confirmAttendance: ConfirmAttendance;
  withdrawAttendance: WithdrawAttendance;
}

const CANCELLATION_NOTE_MAX_LENGTH = 500;
const TAG = 'enrollments';
const ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';

const Owner = Type.Unsafe<(typeof SEATED_EVENT_OWNERS)[number]>(
  Type.String({ enum: [...SEATED_EVENT_OWNERS], description: 'The service that owns the event.' }),
);
const EventId = Type.String({ pattern: ID_PATTERN, description: "The owner's id of the event." });
const EnrollmentId = Type.String({ pattern: ID_PATTERN });
const Instant = Type.String({ format: 'date-time' });
const NullableInstant = Type.Union([Instant, Type.Null()]);
const Status = Type.Unsafe<EnrollmentRecord['status']>(
  Type.String({ enum: ['confirmed', 'waitlisted', 'cancelled'] }),
);
const SessionId = Type.String({
  pattern: ID_PATTERN,
  description: "The owner's id of one session of an event that meets several times.",
});
const SessionCheckIns = Type.Array(Type.Object({ sessionId: Type.String(), at: Instant }), {
  description:
    'The sessions checked in at, each once, with the scan time (an event that meets several ' +
    'times); empty otherwise.',
});

const OwnEnrollment = Type.Object({
  id: Type.String(),
  owner: Owner,
  eventId: Type.String(),
  status: Status,
  sequence: Type.Integer({ description: 'Arrival order within the event.' }),
  waitlistPosition: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Place in line counting from 1 while waitlisted; null otherwise.',
  }),
  checkInCode: Type.String({ description: 'Eight characters, shown to the officer at the door.' }),
  qrPayload: Type.String({ description: 'The signed payload to render as a QR code.' }),
  confirmedAt: NullableInstant,
  checkedInAt: NullableInstant,
  sessionCheckIns: SessionCheckIns,
  attendedAt: NullableInstant,
  cancelledAt: NullableInstant,
  cancellationReason: Type.Union([Type.String(), Type.Null()]),
  rescheduled: Type.Union([
    Type.Object({ startsAt: Instant, endsAt: Instant, at: Instant }),
    Type.Null(),
  ]),
  createdAt: Instant,
});

/** What officers see: who holds which place, never a code or personal data. */
const RosterEntry = Type.Object({
  id: Type.String(),
  participantId: Type.String(),
  status: Status,
  sequence: Type.Integer(),
  checkedInAt: NullableInstant,
  sessionCheckIns: SessionCheckIns,
  attendedAt: NullableInstant,
  cancellationReason: Type.Union([Type.String(), Type.Null()]),
});

const iso = (date: Date | null): string | null => date?.toISOString() ?? null;

const sessionCheckInsOf = (enrollment: EnrollmentRecord) =>
  (enrollment.sessionCheckIns ?? []).map(({ sessionId, at }) => ({
    sessionId,
    at: at.toISOString(),
  }));

const ownView = ({
  enrollment,
  waitlistPosition,
  qrPayload,
}: OwnEnrollmentView): Static<typeof OwnEnrollment> => ({
  id: enrollment.id,
  owner: enrollment.owner,
  eventId: enrollment.eventId,
  status: enrollment.status,
  sequence: enrollment.sequence,
  waitlistPosition,
  checkInCode: enrollment.checkInCode,
  qrPayload,
  confirmedAt: iso(enrollment.confirmedAt),
  checkedInAt: iso(enrollment.checkedInAt),
  sessionCheckIns: sessionCheckInsOf(enrollment),
  attendedAt: iso(enrollment.attendedAt),
  cancelledAt: iso(enrollment.cancelledAt),
  cancellationReason: enrollment.cancellationReason,
  rescheduled:
    enrollment.rescheduled === null
      ? null
      : {
          startsAt: enrollment.rescheduled.startsAt.toISOString(),
          endsAt: enrollment.rescheduled.endsAt.toISOString(),
          at: enrollment.rescheduled.at.toISOString(),
        },
  createdAt: enrollment.createdAt.toISOString(),
});

const rosterView = (enrollment: EnrollmentRecord): Static<typeof RosterEntry> => ({
  id: enrollment.id,
  participantId: enrollment.participantId,
  status: enrollment.status,
  sequence: enrollment.sequence,
  checkedInAt: iso(enrollment.checkedInAt),
  sessionCheckIns: sessionCheckInsOf(enrollment),
  attendedAt: iso(enrollment.attendedAt),
  cancellationReason: enrollment.cancellationReason,
});

const Scan = Type.Object(
  {
    qr: Type.Optional(
      Type.String({ minLength: 1, maxLength: 256, description: 'The scanned QR payload.' }),
    ),
    code: Type.Optional(
      Type.String({
        minLength: 8,
        maxLength: 12,
        pattern: '^[A-Za-z0-9 -]+$',
        description: 'A typed code.',
      }),
    ),
    owner: Type.Optional(Owner),
    eventId: Type.Optional(EventId),
    scannedAt: Type.Optional(Instant),
    sessionId: Type.Optional(SessionId),
  },
  { additionalProperties: false },
);
type Scan = Static<typeof Scan>;

const CheckInResult = Type.Object({
  outcome: Type.String({ enum: ['checked_in', 'already_checked_in'] }),
  enrollmentId: Type.String(),
  participantId: Type.String(),
  checkedInAt: Instant,
  sessionId: Type.Optional(Type.String({ description: 'The session, when the scan named one.' })),
});

const BatchResult = Type.Object({
  results: Type.Array(
    Type.Object({
      index: Type.Integer(),
      outcome: Type.String({ enum: ['checked_in', 'already_checked_in', 'refused'] }),
      enrollmentId: Type.Optional(Type.String()),
      participantId: Type.Optional(Type.String()),
      checkedInAt: Type.Optional(Instant),
      sessionId: Type.Optional(Type.String()),
      code: Type.Optional(Type.String()),
      message: Type.Optional(Type.String()),
    }),
  ),
});

const scanInputOf = (scan: Scan): ScanInput => {
  const when = {
    ...(scan.scannedAt === undefined ? {} : { scannedAt: new Date(scan.scannedAt) }),
    ...(scan.sessionId === undefined ? {} : { sessionId: scan.sessionId }),
  };
  if (scan.qr !== undefined) return { target: { qr: scan.qr }, ...when };
  if (scan.code !== undefined && scan.owner !== undefined && scan.eventId !== undefined)
    return { target: { code: scan.code, owner: scan.owner, eventId: scan.eventId }, ...when };
  throw checkInTargetMissing();
};

const checkInView = (outcome: CheckInOutcome) => ({
  outcome: outcome.outcome,
  enrollmentId: outcome.enrollmentId,
  participantId: outcome.participantId,
  checkedInAt: outcome.checkedInAt.toISOString(),
  ...(outcome.sessionId === undefined ? {} : { sessionId: outcome.sessionId }),
});

const EventParams = Type.Object(
  { owner: Owner, eventId: EventId },
  { additionalProperties: false },
);

const AttendanceBody = Type.Object(
  {
    by: Type.String({ enum: ['check_in', 'officer'] }),
    enrollmentIds: Type.Optional(Type.Array(EnrollmentId, { minItems: 1, maxItems: MAX_VOUCHED })),
  },
  { additionalProperties: false },
);

const WithdrawalBody = Type.Object(
  {
    note: Type.String({
      minLength: 1,
      maxLength: 500,
      // Something to read, not only spaces.
      pattern: '\\S',
      description:
        'Why the attendance was recorded in error; goes to the audit log and to scoring.',
    }),
  },
  { additionalProperties: false },
);

const WithdrawalResult = Type.Object({
  outcome: Type.String({ enum: ['withdrawn', 'already_withdrawn'] }),
  enrollment: RosterEntry,
  withdrawnAt: Type.String({
    format: 'date-time',
    description: 'When the attendance was withdrawn (the first time, for a repeat).',
  }),
});

const STAFF = [...ORGANIZER_ROLES];

export function registerEnrollmentRoutes(http: HttpServer, useCases: EnrollmentUseCases): void {
  http.post(
    '/v1/enrollments',
    {
      config: {
        roles: ['participant'],
        idempotency: 'required',
        rateLimit: { points: 30, durationSeconds: 60 },
      },
      schema: {
        tags: [TAG],
        summary: 'Sign up for an event with seats',
        description:
          'Participants; needs an Idempotency-Key; rate limited. 201 with the new enrollment ' +
          '(confirmed, or waitlisted with its place in line); 200 with the existing one when ' +
          'already signed up. A members-only event (its owner names organizations) takes ' +
          'active members of them alone. Errors: 403 ENROLLMENT_NOT_ELIGIBLE (every refusal ' +
          'in details: TIER_NOT_TARGETED, OUTSIDE_AREA, AGE_OUTSIDE_BAND, BIRTH_DATE_UNKNOWN, ' +
          'NOT_A_MEMBER); 409 ' +
          'ENROLLMENT_WINDOW_CLOSED, ENROLLMENT_EVENT_CANCELLED, PARTICIPANT_NOT_REGISTERED; ' +
          '404 SEATED_EVENT_NOT_FOUND; 503 UPSTREAM_UNAVAILABLE / 504 UPSTREAM_TIMEOUT when the ' +
          "event's owner does not answer; 429 RATE_LIMITED.",
        body: Type.Object({ owner: Owner, eventId: EventId }, { additionalProperties: false }),
        response: { 200: OwnEnrollment, 201: OwnEnrollment },
      },
    },
    async (request, reply) => {
      const { enrollment, created } = await useCases.signUp(principalOf(request), request.body);
      void reply.code(created ? 201 : 200);
      return ownView(await useCases.reads.ownView(enrollment));
    },
  );

  http.delete(
    '/v1/enrollments/:id',
    {
      config: { roles: ['participant', ...STAFF], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Cancel an enrollment',
        description:
          'The participant their own, or an officer / organizer admin for an event they run; needs ' +
          'an Idempotency-Key. Cancelling again changes nothing. A freed seat goes to the first in ' +
          'line. An officer may say why in `note`: the person is told it. Errors: 404 ENROLLMENT_NOT_FOUND (also for enrollments the caller may not see); ' +
          '409 ENROLLMENT_CANCEL_AFTER_CHECK_IN.',
        params: Type.Object({ id: EnrollmentId }, { additionalProperties: false }),
        querystring: Type.Object(
          {
            note: Type.Optional(
              Type.String({
                maxLength: CANCELLATION_NOTE_MAX_LENGTH,
                description: "An officer's reason, in words the person can read.",
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: OwnEnrollment },
      },
    },
    async (request) => {
      const cancelled = await useCases.cancel(
        principalOf(request),
        request.params.id,
        request.query.note ?? '',
      );
      return ownView(await useCases.reads.ownView(cancelled));
    },
  );

  http.get(
    '/v1/me/enrollments',
    {
      config: { roles: ['participant'] },
      schema: {
        tags: [TAG],
        summary: 'My enrollments',
        description:
          'Participants: their own enrollments, oldest first, with codes and places in line.',
        querystring: Type.Object({ ...pageQueryFields }, { additionalProperties: false }),
        response: { 200: PageOf(OwnEnrollment) },
      },
    },
    async (request) => {
      const page = await useCases.reads.mine(principalOf(request), {
        pageSize: request.query.pageSize ?? 50,
        ...(request.query.pageToken === undefined ? {} : { pageToken: request.query.pageToken }),
      });
      return { items: page.items.map(ownView), nextPageToken: page.nextCursor };
    },
  );

  http.get(
    '/v1/events/:owner/:eventId/enrollments',
    {
      config: { roles: STAFF },
      schema: {
        tags: [TAG],
        summary: "An event's roster",
        description:
          'Officers whose area holds the event, and admins of its organizer; in arrival order, ' +
          'without personal data. Errors: 404 SEATED_EVENT_NOT_FOUND (also for events the caller ' +
          'does not run); 503 UPSTREAM_UNAVAILABLE.',
        params: EventParams,
        querystring: Type.Object({ ...pageQueryFields }, { additionalProperties: false }),
        response: { 200: PageOf(RosterEntry) },
      },
    },
    async (request) => {
      const page = await useCases.reads.roster(
        principalOf(request),
        request.params.owner,
        request.params.eventId,
        {
          pageSize: request.query.pageSize ?? 50,
          ...(request.query.pageToken === undefined ? {} : { pageToken: request.query.pageToken }),
        },
      );
      return { items: page.items.map(rosterView), nextPageToken: page.nextCursor };
    },
  );

  http.post(
    '/v1/check-ins',
    {
      config: {
        roles: STAFF,
        idempotency: 'required',
        rateLimit: { points: 600, durationSeconds: 60 },
      },
      schema: {
        tags: [TAG],
        summary: 'Check someone in',
        description:
          'Officers and organizer admins of the event; needs an Idempotency-Key; rate limited. ' +
          'Scanning the same person again answers already_checked_in with the first time. ' +
          'Check-in is open from a configured time before the start (60 min by default) until a ' +
          'configured time after the end (120 min), by the scan time. An event that meets ' +
          'several times (a training class) is checked in by the session: `sessionId` names ' +
          'it, the window is that session’s, each session records once (SessionCheckedIn) and ' +
          'the first also checks the enrollment in (CheckedIn). Errors: ' +
          '400 CHECK_IN_QR_INVALID (forged or damaged QR), CHECK_IN_TARGET_MISSING, ' +
          'CHECK_IN_SCAN_IN_FUTURE, CHECK_IN_SESSION_UNKNOWN, CHECK_IN_SESSION_REQUIRED; ' +
          '404 CHECK_IN_CODE_UNKNOWN; 409 ENROLLMENT_NOT_CONFIRMED, ' +
          'CHECK_IN_NOT_OPEN, CHECK_IN_CLOSED; 429 RATE_LIMITED.',
        body: Scan,
        response: { 200: CheckInResult },
      },
    },
    async (request) =>
      checkInView(await useCases.checkIns.checkIn(principalOf(request), scanInputOf(request.body))),
  );

  http.post(
    '/v1/check-ins::batch',
    {
      bodyLimit: 512 * 1024,
      config: {
        roles: STAFF,
        idempotency: 'required',
        rateLimit: { points: 60, durationSeconds: 60 },
      },
      schema: {
        tags: [TAG],
        summary: 'Upload scans made offline',
        description:
          `Up to ${MAX_BATCH_SCANS} scans, each with its own scannedAt (and sessionId, for an ` +
          'event that meets several times). Each person (each person and session) is checked ' +
          'in once, at their earliest scan; one result per scan, in order (refused scans carry ' +
          'the same codes as POST /v1/check-ins). Uploading the same batch again changes nothing.',
        body: Type.Object(
          { scans: Type.Array(Scan, { minItems: 1, maxItems: MAX_BATCH_SCANS }) },
          { additionalProperties: false },
        ),
        response: { 200: BatchResult },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const inputs: (ScanInput | AppError)[] = request.body.scans.map((scan) => {
        try {
          return scanInputOf(scan);
        } catch (error) {
          if (error instanceof AppError) return error;
          throw error;
        }
      });
      const valid = inputs.flatMap((input, index) =>
        input instanceof AppError ? [] : [{ input, index }],
      );
      const applied = await useCases.checkIns.checkInBatch(
        principal,
        valid.map(({ input }) => input),
      );
      const results = inputs.map((input, index) => {
        if (input instanceof AppError)
          return { index, outcome: 'refused', code: input.code, message: input.message };
        const position = valid.findIndex((entry) => entry.index === index);
        const result = applied[position];
        if (result === undefined || result.outcome === 'refused')
          return { ...(result ?? { outcome: 'refused' }), index };
        return { index, ...checkInView(result) };
      });
      return { results };
    },
  );

  http.post(
    '/v1/events/:owner/:eventId/attendance',
    {
      config: { roles: STAFF, idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Confirm attendance after the event',
        description:
          'Officers and organizer admins of the event, once it has ended; needs an Idempotency-Key. ' +
          '`by: check_in` records everyone checked in; `by: officer` records the listed enrollments ' +
          '(people who were there but never scanned). Each is recorded once. Errors: 409 ' +
          'ENROLLMENT_EVENT_NOT_ENDED; 404 SEATED_EVENT_NOT_FOUND; 400 ATTENDANCE_IDS_REQUIRED; ' +
          'per enrollment in `refused`: ENROLLMENT_NOT_FOUND, ENROLLMENT_NOT_CONFIRMED.',
        params: EventParams,
        body: AttendanceBody,
        response: {
          200: Type.Object({
            recorded: Type.Integer(),
            alreadyRecorded: Type.Integer(),
            refused: Type.Array(
              Type.Object({
                enrollmentId: Type.String(),
                code: Type.String(),
                message: Type.String(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const { owner, eventId } = request.params;
      const { by, enrollmentIds } = request.body;
      if (by === 'officer' && enrollmentIds === undefined) throw attendanceIdsRequired();
      return useCases.confirmAttendance(
        principalOf(request),
        by === 'officer'
          ? { owner, eventId, by, enrollmentIds: enrollmentIds ?? [] }
          : { owner, eventId, by: 'check_in' },
      );
    },
  );
  http.post(
    '/v1/events/:owner/:eventId/enrollments/:enrollmentId/attendance-withdrawal',
    {
      config: { roles: STAFF, idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Withdraw an attendance recorded in error',
        description:
          'Officers and organizer admins of the event; needs an Idempotency-Key and a note ' +
          '(1–500 characters) saying why. The attendance is cleared (an officer may record it ' +
          'again with `by: officer`; `by: check_in` does not bring it back) and ' +
          'AttendanceWithdrawn is published. Withdrawing again changes nothing and answers ' +
          '`already_withdrawn` with the first time. Errors: 409 ENROLLMENT_NOT_ATTENDED; ' +
          '404 SEATED_EVENT_NOT_FOUND (also for events the caller does not run), ' +
          'ENROLLMENT_NOT_FOUND; 503 UPSTREAM_UNAVAILABLE.',
        params: Type.Object(
          { owner: Owner, eventId: EventId, enrollmentId: EnrollmentId },
          { additionalProperties: false },
        ),
        body: WithdrawalBody,
        response: { 200: WithdrawalResult },
      },
    },
    async (request) => {
      const { owner, eventId, enrollmentId } = request.params;
      const result = await useCases.withdrawAttendance(principalOf(request), {
        owner,
        eventId,
        enrollmentId,
        note: request.body.note,
      });
      return {
        outcome: result.outcome,
        enrollment: rosterView(result.enrollment),
        withdrawnAt: result.withdrawnAt.toISOString(),
      };
    },
  );
}
