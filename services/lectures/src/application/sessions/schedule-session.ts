/**
 * The office or a forum's manager puts a session on the programme: every
 * scheduling rule is checked, then the session, its SessionScheduled event
 * and its audit record are stored in one write (the outbox publishes them).
 */
import { randomUUID } from 'node:crypto';
import { actorOf, type AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { domainCall, type ContentCategory, type Tier } from '@learning/domain';
import { documentGrams } from '@learning/search';
import type { LectureType } from '../../domain/catalogue.js';
import { assertForumActive, type Capacity, type SignUpWindow } from '../../domain/scheduling.js';
import { assertMayManage } from './access.js';
import { checkPlan, checkOwnFields, placeVenue, type SchedulingDeps } from './checks.js';
import { SESSION_AUDIENCE_REQUIRED, sessionErrors } from './errors.js';
import { auditViewOf, scheduledEvent } from './events.js';
import type { ForumDirectory, StoredSession } from './ports.js';

export interface ScheduleSessionRequest {
  readonly forumId: string;
  readonly lectureType: LectureType;
  readonly title: string;
  readonly description?: string;
  readonly venueId: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly speakerIds: readonly string[];
  readonly capacity: Capacity;
  /** Default: from now until the start. */
  readonly signUpWindow?: SignUpWindow;
  /** Default: the forum's. */
  readonly targetTiers?: readonly Tier[];
  /** Default: the forum's. */
  readonly categories?: readonly ContentCategory[];
  readonly campaignId?: string | null;
  readonly liveStreamUrl?: string | null;
}

export interface ScheduleSessionDeps extends SchedulingDeps {
  readonly forums: ForumDirectory;
  readonly audit: AuditTrail;
  readonly newId?: () => string;
}

export function scheduleSession(deps: ScheduleSessionDeps) {
  const newId = deps.newId ?? randomUUID;
  return async (principal: Principal, request: ScheduleSessionRequest): Promise<StoredSession> => {
    const now = deps.clock();
    const signUpWindow = request.signUpWindow ?? { opensAt: now, closesAt: request.startsAt };
    const own = { ...request, signUpWindow };
    checkOwnFields(own, deps);
    const forum = await deps.forums.find(request.forumId);
    if (forum !== null) assertMayManage(principal, forum);
    const active = domainCall(() => assertForumActive(request.forumId, forum));
    const targetTiers = [...new Set(request.targetTiers ?? active.targetTiers)];
    if (targetTiers.length === 0)
      throw sessionErrors.error(
        SESSION_AUDIENCE_REQUIRED,
        `Name at least one target tier: the forum "${active.name}" names none.`,
      );
    const speakerIds = [...new Set(request.speakerIds)];
    const { venue, path } = await placeVenue(deps, request.venueId);
    const campaignId = request.campaignId ?? null;
    const speakerNames = await checkPlan(deps, {
      ...own,
      forumId: request.forumId,
      forum,
      speakerIds,
      venue,
      venuePath: path,
      campaignId,
    });
    const id = newId();
    const title = request.title.trim();
    const description = request.description?.trim() ?? '';
    const session: Omit<StoredSession, 'version'> = {
      id,
      forumId: request.forumId,
      leadDepartment: active.leadDepartment,
      lectureType: request.lectureType,
      title,
      description,
      jurisdictionPath: path,
      venue,
      startsAt: request.startsAt,
      endsAt: request.endsAt,
      speakerIds,
      capacity: request.capacity,
      signUpOpensAt: signUpWindow.opensAt,
      signUpClosesAt: signUpWindow.closesAt,
      targetTiers,
      categories: [...new Set(request.categories ?? active.categories)],
      campaignId,
      liveStreamUrl: request.liveStreamUrl ?? null,
      status: 'scheduled',
      cancellation: null,
      createdBy: principal.subject,
      createdAt: now,
      updatedAt: now,
    };
    const audit = deps.audit.entry({
      actor: actorOf(principal),
      action: 'session.schedule',
      entityType: 'session',
      entityId: id,
      jurisdictionPath: path,
      before: null,
      after: auditViewOf(session),
    });
    return deps.sessions.create({
      ...session,
      grams: documentGrams(title, description),
      events: [scheduledEvent({ ...session, version: 1 }, now, speakerNames), audit],
    });
  };
}

export type ScheduleSession = ReturnType<typeof scheduleSession>;
