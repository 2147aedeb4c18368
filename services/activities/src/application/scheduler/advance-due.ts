/**
 * The scheduler's run: every activity whose start or end has passed is moved
 * on (published → under way → completed), earliest first, in pages. An
 * activity both of whose times passed while the service was down is started,
 * then completed, so each event is still published once in order. A move
 * someone else made first (an organizer, another replica) is skipped.
 */
import { AppError } from '@learning/errors';
import type { Logger } from '@learning/logger';
import { dueTransitions, SCHEDULER } from '../../domain/activity-lifecycle.js';
import type { ActivityRepository } from '../activities/activity-repository.js';
import { recordOf } from '../activities/draft-rules.js';
import type { Transition } from '../activities/move-activity.js';

export interface AdvanceDueDeps {
  readonly activities: ActivityRepository;
  readonly transition: Transition;
  readonly logger: Logger;
  /** Activities read per page. */
  readonly pageSize: number;
}

/** Outcomes that mean "already moved by someone else", not a failure. */
const RACE_LOST = new Set(['VERSION_CONFLICT', 'ACTIVITY_TRANSITION_NOT_ALLOWED']);

export function advanceDue(deps: AdvanceDueDeps) {
  const { activities, transition, logger, pageSize } = deps;
  return async (now: Date, signal: AbortSignal): Promise<number> => {
    let moved = 0;
    // An activity that keeps failing stays due; it is tried once per run, not forever.
    const tried = new Set<string>();
    // A function, so each check reads the signal anew after the awaits between them.
    const stopped = (): boolean => signal.aborted;
    for (;;) {
      if (stopped()) return moved;
      const page = (await activities.due(now, pageSize + tried.size)).filter(
        (activity) => !tried.has(activity.id),
      );
      if (page.length === 0) return moved;
      for (const activity of page.slice(0, pageSize)) {
        if (stopped()) return moved;
        tried.add(activity.id);
        for (const action of dueTransitions(recordOf(activity), now)) {
          try {
            await transition(activity.id, action, SCHEDULER, now);
            moved += 1;
          } catch (error) {
            if (error instanceof AppError && RACE_LOST.has(error.code)) break;
            logger.error(
              { err: error, activityId: activity.id, action },
              'the scheduler could not move an activity; the next tick tries again',
            );
            break;
          }
        }
      }
    }
  };
}

export type AdvanceDue = ReturnType<typeof advanceDue>;
