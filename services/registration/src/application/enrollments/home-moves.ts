/**
 * When a participant's home moves, their open enrollments in events that have
 * not started are checked against each event's area again; those now outside
 * it are cancelled (NO_LONGER_ELIGIBLE), one write and one EnrollmentCancelled
 * each, and a freed seat goes to the waitlist as with any cancellation. The
 * current home is read, not the one an event carried, so a replayed or
 * reordered event decides on what is true now, and a repeat finds nothing left.
 */
import { isAppError } from '@learning/errors';
import { movedOutOfArea } from '../../domain/enrollment.js';
import type { CancelEnrollment } from './cancel.js';
import { SEATED_EVENT_NOT_FOUND } from './errors.js';
import type {
  EnrollmentRepository,
  ParticipantDirectory,
  SeatedEventInfo,
  SeatedEventSource,
} from './ports.js';

export interface HomeMoveDeps {
  readonly enrollments: EnrollmentRepository;
  readonly participants: ParticipantDirectory;
  readonly source: SeatedEventSource;
  readonly cancelEnrollment: CancelEnrollment;
  readonly clock: () => Date;
}

/** More open enrollments than anyone holds at once; a person is not an event. */
const MAX_OPEN = 1000;

/** The enrollments cancelled because the participant's home is now outside their events' areas. */
export function recheckAfterHomeMove(deps: HomeMoveDeps) {
  return async (participantId: string): Promise<number> => {
    const facts = await deps.participants.findById(participantId);
    if (facts === null) return 0;
    let cancelled = 0;
    for (const enrollment of await deps.enrollments.openOfParticipant(participantId, MAX_OPEN)) {
      let info: SeatedEventInfo;
      try {
        info = await deps.source.get(enrollment.owner, enrollment.eventId);
      } catch (error) {
        // An event its owner no longer knows has nobody to hold a seat for.
        if (isAppError(error) && error.code === SEATED_EVENT_NOT_FOUND) continue;
        throw error;
      }
      // Once an event has started, who came stays as it was.
      if (info.startsAt.getTime() <= deps.clock().getTime()) continue;
      if (!movedOutOfArea(facts.jurisdictionPath, info.audience)) continue;
      const after = await deps.cancelEnrollment(
        { system: 'home-moved' },
        enrollment,
        'no_longer_eligible',
      );
      if (after.cancellationReason === 'no_longer_eligible') cancelled += 1;
    }
    return cancelled;
  };
}
