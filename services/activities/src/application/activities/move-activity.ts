/**
 * The life-cycle actions: an organizer (or an officer of the area, or a city
 * admin) publishes, reschedules, changes the capacity, starts, completes or
 * cancels; the scheduler starts and completes by time (`transition`). The
 * domain decides; here the decision is written with its event and audit
 * record in one single-document update, at the version it was decided on, so
 * two racing actions cannot both apply. A change to an activity the public can
 * see (one ever published) then drops the cached public pages.
 */
import { domainCall } from '@learning/domain';
import { actorOf, type AuditTrail } from '@learning/audit';
import { type Principal, Scope } from '@learning/auth';
import { AppError } from '@learning/errors';
import type { OutboxEntry } from '@learning/events';
import {
  decide,
  type SCHEDULER,
  type ActivityCommand,
  type ActivityDecision,
} from '../../domain/activity-lifecycle.js';
import type { Enrollments } from '../ports.js';
import { findVisible } from './access.js';
import type { ActivityRepository, StoredActivity } from './activity-repository.js';
import { recordOf } from './draft-rules.js';
import { ACTIVITY_AUDIENCE_REQUIRED, activityErrors, activityNotFound } from './errors.js';
import { auditViewOf, capacityAnnouncementOf, outboxEntryOf } from './events.js';
import type { PublicPages } from './public-pages.js';

export interface MoveActivityDeps {
  readonly activities: ActivityRepository;
  readonly publicPages: PublicPages;
  readonly enrollments: Enrollments;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
}

/** Actions whose rules depend on who has signed up: asked of registration when it matters. */
const NEEDS_FIGURES: readonly ActivityCommand['action'][] = ['cancel', 'change_capacity'];

const versionConflict = (): AppError =>
  new AppError(
    'aborted',
    'VERSION_CONFLICT',
    'The activity was changed by someone else; reload it and try again.',
  );

function stateAfter(
  activity: StoredActivity,
  decision: ActivityDecision,
  now: Date,
): StoredActivity {
  const decided = decision.activity;
  return {
    ...activity,
    status: decided.status,
    schedule: decided.schedule,
    capacity: decided.capacity,
    cancellation: decided.cancellation,
    publishedAt:
      decided.status === 'published' && activity.status === 'draft' ? now : activity.publishedAt,
    updatedAt: now,
  };
}

/**
 * Writes a decision: the new state, its event (if any) and the audit record,
 * in one update; then drops the public pages if the public can see it.
 */
async function applyDecision(
  { activities, publicPages }: TransitionDeps,
  scope: Scope,
  activity: StoredActivity,
  command: ActivityCommand,
  decision: ActivityDecision,
  now: Date,
  audit: OutboxEntry | null,
): Promise<StoredActivity> {
  const after = stateAfter(activity, decision, now);
  const events: OutboxEntry[] = [];
  if (decision.event !== null) events.push(outboxEntryOf(decision.event, after));
  else if (command.action === 'change_capacity' && activity.status !== 'draft')
    events.push(capacityAnnouncementOf(after, now));
  if (audit !== null) events.push(audit);
  const written = await activities.change(scope, {
    id: activity.id,
    expectedVersion: activity.version,
    updatedAt: now,
    fields: { schedule: after.schedule, capacity: after.capacity },
    ...(after.status === activity.status ? {} : { status: after.status }),
    ...(after.cancellation === null ? {} : { cancellation: after.cancellation }),
    ...(after.publishedAt === null || activity.publishedAt !== null
      ? {}
      : { publishedAt: after.publishedAt }),
    events,
  });
  if (written.publishedAt !== null) await publicPages.invalidate();
  return written;
}

export function moveActivity(deps: MoveActivityDeps) {
  return async (
    principal: Principal,
    id: string,
    command: ActivityCommand,
    expectedVersion?: number,
  ): Promise<StoredActivity> => {
    const { activity, scope } = await findVisible(deps.activities, principal, id);
    if (expectedVersion !== undefined && expectedVersion !== activity.version)
      throw versionConflict();
    const figures =
      NEEDS_FIGURES.includes(command.action) && activity.status !== 'draft'
        ? (await deps.enrollments.figuresOf([id])).get(id)
        : undefined;
    const now = deps.clock();
    const decision = domainCall(() =>
      decide(
        recordOf(
          activity,
          figures === undefined
            ? undefined
            : { confirmed: figures.confirmed, waitlisted: figures.waitlisted },
        ),
        command,
        principal,
        now,
      ),
    );
    // Registration admits only the tiers an activity names: without any it could take nobody.
    if (command.action === 'publish' && activity.targetTiers.length === 0)
      throw activityErrors.error(
        ACTIVITY_AUDIENCE_REQUIRED,
        'Name at least one target tier before publishing.',
      );
    const after = stateAfter(activity, decision, now);
    const audit = deps.audit.entry({
      actor: actorOf(principal),
      action: `activity.${command.action}`,
      entityType: 'activity',
      entityId: id,
      jurisdictionPath: activity.jurisdictionPath,
      before: auditViewOf(activity),
      after: auditViewOf(after),
      ...('reason' in command && command.reason !== undefined ? { reason: command.reason } : {}),
    });
    return applyDecision(deps, scope, activity, command, decision, now, audit);
  };
}

export type MoveActivity = ReturnType<typeof moveActivity>;

export interface TransitionDeps {
  readonly activities: ActivityRepository;
  readonly publicPages: PublicPages;
}

/**
 * The scheduler's step: starts or completes one activity by time, with its
 * event, in one update at the version read. ACTIVITY_NOT_FOUND when there is
 * no such activity; the domain's refusal when it is not due (or was moved
 * meanwhile); VERSION_CONFLICT when another replica got there first.
 */
export function transition(deps: TransitionDeps) {
  const scope = Scope.system('scheduler');
  return async (
    activityId: string,
    action: 'start' | 'complete',
    by: typeof SCHEDULER,
    now: Date,
  ): Promise<StoredActivity> => {
    const activity = await deps.activities.get(scope, activityId);
    if (activity === null) throw activityNotFound();
    const command: ActivityCommand = { action };
    const decision = domainCall(() => decide(recordOf(activity), command, by, now));
    return applyDecision(deps, scope, activity, command, decision, now, null);
  };
}

export type Transition = ReturnType<typeof transition>;
