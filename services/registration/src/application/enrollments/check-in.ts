/**
 * Check-in by an officer scanning a QR payload or typing a short code, within
 * the event's check-in window (from a set time before its start to a set time
 * after its end, by the scan time). A scan
 * records once: scanning again reports the first check-in. An offline batch
 * applies each person once, at their earliest scan, and uploading it again
 * changes nothing.
 *
 * An event that meets several times (a training class) is checked in by the
 * session: the scan names it, falls within that session's window, and is
 * recorded once per (enrollment, session) with SessionCheckedIn; the first
 * session also checks the enrollment in (CheckedIn), in the same write.
 */
import type { Principal } from '@learning/auth';
import { isAppError } from '@learning/errors';
import {
  assertCheckInOpen,
  assertScanTime,
  checkIn as checkInRule,
  type CheckInWindowRule,
  eventKeyOf,
  firstScans,
  type SeatedEventOwner,
} from '../../domain/enrollment.js';
import { assertNoSessionNeeded, checkInAtSession, sessionOf } from '../../domain/sessions.js';
import { normalizeShortCode } from '../../domain/short-codes.js';
import { domainCall } from '../errors.js';
import { lookupScope, runsEvent } from './access.js';
import {
  CHECK_IN_FAILED,
  checkInCodeUnknown,
  checkInFailed,
  checkInQrInvalid,
  enrollmentConflict,
} from './errors.js';
import type { EnrollmentEvents } from './events.js';
import type {
  CheckInCodes,
  EnrollmentChange,
  EnrollmentRecord,
  EnrollmentRepository,
  SeatedEventInfo,
  SeatedEventSource,
} from './ports.js';
import { applyChange } from './seats.js';

export type ScanTarget =
  | { readonly qr: string }
  | { readonly code: string; readonly owner: SeatedEventOwner; readonly eventId: string };

export interface ScanInput {
  readonly target: ScanTarget;
  /** When the officer scanned; now when absent. */
  readonly scannedAt?: Date;
  /** The session scanned for, for an event that meets several times. */
  readonly sessionId?: string;
}

export interface CheckInOutcome {
  readonly outcome: 'checked_in' | 'already_checked_in';
  readonly enrollmentId: string;
  readonly participantId: string;
  /** The session's check-in time when the scan named a session; the enrollment's otherwise. */
  readonly checkedInAt: Date;
  /** Present when the scan named a session. */
  readonly sessionId?: string;
}

type EventInfoOf = (enrollment: EnrollmentRecord) => Promise<SeatedEventInfo>;

export interface CheckInDeps {
  readonly enrollments: EnrollmentRepository;
  /** The owner's times for the event (briefly cached; dropped on a reschedule). */
  readonly source: SeatedEventSource;
  readonly checkInWindow: CheckInWindowRule;
  readonly codes: CheckInCodes;
  readonly events: EnrollmentEvents;
  readonly clock: () => Date;
}

export const MAX_BATCH_SCANS = 1000;

export function checkInUseCases(deps: CheckInDeps) {
  /** The enrollment a scan points at, if the officer runs its event; unknown otherwise. */
  async function resolve(principal: Principal, target: ScanTarget): Promise<EnrollmentRecord> {
    let found: EnrollmentRecord | null;
    if ('qr' in target) {
      const genuine = deps.codes.verify(target.qr);
      if (genuine === null) throw checkInQrInvalid();
      found = await deps.enrollments.get(lookupScope(), genuine.enrollmentId);
      if (found !== null && found.checkInCode !== genuine.code) found = null;
    } else {
      found = await deps.enrollments.getByCode(
        lookupScope(),
        eventKeyOf(target.owner, target.eventId),
        normalizeShortCode(target.code),
      );
    }
    if (found === null || !runsEvent(principal, found)) throw checkInCodeUnknown();
    return found;
  }

  /** The event's times and sessions, asked once per event within one request. */
  function eventInfo(): EventInfoOf {
    const asked = new Map<string, Promise<SeatedEventInfo>>();
    return (enrollment) => {
      let info = asked.get(enrollment.eventKey);
      if (info === undefined) {
        info = deps.source.get(enrollment.owner, enrollment.eventId);
        asked.set(enrollment.eventKey, info);
      }
      return info;
    };
  }

  /** Re-reads an enrollment a conditional write missed: someone changed it meanwhile. */
  async function reload(enrollment: EnrollmentRecord): Promise<EnrollmentRecord> {
    const reloaded = await deps.enrollments.get(lookupScope(), enrollment.id);
    if (reloaded === null) throw checkInCodeUnknown();
    return reloaded;
  }

  async function applyAtSession(
    principal: Principal,
    enrollment: EnrollmentRecord,
    scannedAt: Date,
    sessionId: string,
    infoOf: EventInfoOf,
  ): Promise<CheckInOutcome> {
    let current = enrollment;
    for (let tries = 0; tries < 3; tries += 1) {
      const result = domainCall(() =>
        checkInAtSession(
          { ...current, sessionCheckIns: current.sessionCheckIns ?? [] },
          sessionId,
          scannedAt,
        ),
      );
      const outcome = {
        enrollmentId: current.id,
        participantId: current.participantId,
        checkedInAt: result.checkedInAt,
        sessionId,
      };
      if (result.outcome === 'already_checked_in')
        return { outcome: 'already_checked_in', ...outcome };
      const info = await infoOf(current);
      domainCall(() => {
        assertCheckInOpen(
          scannedAt,
          sessionOf(info.sessions, sessionId),
          deps.checkInWindow,
          'session',
        );
      });
      const change: EnrollmentChange = {
        addSessionCheckIn: { sessionId, at: scannedAt },
        ...(result.checksInEnrollment ? { checkedInAt: scannedAt } : {}),
        updatedAt: deps.clock(),
      };
      const written = await deps.enrollments.change(
        current.id,
        {
          status: 'confirmed',
          sessionNotCheckedIn: sessionId,
          ...(result.checksInEnrollment ? { notCheckedIn: true } : {}),
        },
        change,
        deps.events.sessionCheckedIn(
          principal,
          current,
          applyChange(current, change),
          sessionId,
          scannedAt,
        ),
      );
      if (written !== null && written !== 'seat') return { outcome: 'checked_in', ...outcome };
      current = await reload(current);
    }
    throw enrollmentConflict();
  }

  async function apply(
    principal: Principal,
    enrollment: EnrollmentRecord,
    scannedAt: Date,
    sessionId: string | undefined,
    infoOf: EventInfoOf,
  ): Promise<CheckInOutcome> {
    if (sessionId !== undefined)
      return applyAtSession(principal, enrollment, scannedAt, sessionId, infoOf);
    let current = enrollment;
    for (let tries = 0; tries < 3; tries += 1) {
      const result = domainCall(() => checkInRule(current, scannedAt));
      const outcome = {
        enrollmentId: current.id,
        participantId: current.participantId,
        checkedInAt: result.checkedInAt,
      };
      if (result.outcome === 'already_checked_in')
        return { outcome: 'already_checked_in', ...outcome };
      const info = await infoOf(current);
      domainCall(() => {
        assertNoSessionNeeded(info.sessions);
        assertCheckInOpen(scannedAt, info, deps.checkInWindow);
      });
      const change: EnrollmentChange = { checkedInAt: scannedAt, updatedAt: deps.clock() };
      const written = await deps.enrollments.change(
        current.id,
        { status: 'confirmed', notCheckedIn: true },
        change,
        deps.events.checkedIn(principal, current, applyChange(current, change)),
      );
      if (written !== null && written !== 'seat') return { outcome: 'checked_in', ...outcome };
      current = await reload(current);
    }
    throw enrollmentConflict();
  }

  const scanTime = (input: ScanInput): Date => {
    const now = deps.clock();
    const scannedAt = input.scannedAt ?? now;
    domainCall(() => {
      assertScanTime(scannedAt, now);
    });
    return scannedAt;
  };

  return {
    async checkIn(principal: Principal, input: ScanInput): Promise<CheckInOutcome> {
      const scannedAt = scanTime(input);
      return apply(
        principal,
        await resolve(principal, input.target),
        scannedAt,
        input.sessionId,
        eventInfo(),
      );
    },

    /** One result per scan, in the order sent; a failed scan does not stop the others. */
    async checkInBatch(
      principal: Principal,
      scans: readonly ScanInput[],
    ): Promise<
      ({ readonly index: number } & (
        | CheckInOutcome
        | { readonly outcome: 'refused'; readonly code: string; readonly message: string }
      ))[]
    > {
      type Resolved = {
        index: number;
        /** The enrollment, and the session when the scan names one: each is applied once. */
        target: string;
        scannedAt: Date;
        sessionId: string | undefined;
        enrollment: EnrollmentRecord;
      };
      const results = new Map<
        number,
        CheckInOutcome | { outcome: 'refused'; code: string; message: string }
      >();
      const refuse = (index: number, error: unknown): void => {
        if (!isAppError(error)) throw error;
        results.set(index, { outcome: 'refused', code: error.code, message: error.message });
      };
      const resolved: Resolved[] = [];
      for (const [index, scan] of scans.entries()) {
        try {
          const scannedAt = scanTime(scan);
          const enrollment = await resolve(principal, scan.target);
          resolved.push({
            index,
            target:
              scan.sessionId === undefined ? enrollment.id : `${enrollment.id}:${scan.sessionId}`,
            scannedAt,
            sessionId: scan.sessionId,
            enrollment,
          });
        } catch (error) {
          refuse(index, error);
        }
      }
      const { first, repeatOf } = firstScans(resolved);
      const infoOf = eventInfo();
      // Earliest first: a person's first session scanned is when the enrollment was checked in.
      const byScanTime = [...first.values()].sort(
        (a, b) => (resolved[a]?.scannedAt.getTime() ?? 0) - (resolved[b]?.scannedAt.getTime() ?? 0),
      );
      for (const position of byScanTime) {
        const scan = resolved[position];
        if (scan === undefined) continue;
        try {
          results.set(
            scan.index,
            await apply(principal, scan.enrollment, scan.scannedAt, scan.sessionId, infoOf),
          );
        } catch (error) {
          refuse(scan.index, error);
        }
      }
      for (const [position, firstPosition] of repeatOf) {
        const scan = resolved[position];
        const firstScan = resolved[firstPosition];
        if (scan === undefined || firstScan === undefined) continue;
        const firstResult = results.get(firstScan.index);
        results.set(
          scan.index,
          firstResult === undefined || firstResult.outcome === 'refused'
            ? (firstResult ?? {
                outcome: 'refused',
                code: CHECK_IN_FAILED,
                message: 'The scan could not be applied.',
              })
            : { ...firstResult, outcome: 'already_checked_in' },
        );
      }
      return scans.map((_, index) => {
        const result = results.get(index);
        if (result === undefined) throw checkInFailed();
        return { index, ...result };
      });
    },
  };
}

export type CheckInUseCases = ReturnType<typeof checkInUseCases>;
