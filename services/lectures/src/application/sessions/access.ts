/**
 * Who may schedule and change a forum's sessions: the office (city admins,
 * and officers of the department that runs the forum's series) and the
 * forum's managers (people whose account subject the forum names). Others
 * are refused with SESSION_FORBIDDEN where they name a forum, and see none of
 * its sessions (SESSION_NOT_FOUND) where they name a session.
 */
import type { Principal } from '@learning/auth';
import { mayManageForum } from '../catalogue/forum-access.js';
import { SESSION_FORBIDDEN, sessionErrors, sessionNotFound } from './errors.js';
import type { ForumDirectory, ForumRecord, SessionRepository, StoredSession } from './ports.js';

export const isCityAdmin = (principal: Principal): boolean =>
  principal.roles.includes('city_admin');

/** The shared forum rule (catalogue/forum-access.ts); only the refusal is this slice's. */
export const mayManage = (principal: Principal, forum: ForumRecord): boolean =>
  mayManageForum(principal, forum);

export function assertMayManage(principal: Principal, forum: ForumRecord): void {
  if (!mayManage(principal, forum))
    throw sessionErrors.error(
      SESSION_FORBIDDEN,
      `Only the office or a manager of the forum "${forum.name}" may schedule or change its sessions.`,
    );
}

/** The forums whose sessions the principal reaches; undefined: every forum (city admins). */
export async function forumsReachedBy(
  forums: ForumDirectory,
  principal: Principal,
): Promise<readonly string[] | undefined> {
  if (isCityAdmin(principal)) return undefined;
  const department = principal.roles.includes('department_officer')
    ? principal.department
    : undefined;
  return forums.reachedBy(principal.subject, department);
}

export interface ManagedSession {
  readonly session: StoredSession;
  readonly forum: ForumRecord;
}

/** The session and its forum, if the principal may manage it; SESSION_NOT_FOUND otherwise. */
export async function findManaged(
  deps: { sessions: SessionRepository; forums: ForumDirectory },
  principal: Principal,
  id: string,
): Promise<ManagedSession> {
  const session = await deps.sessions.get(id);
  const forum = session === null ? null : await deps.forums.find(session.forumId);
  if (session === null || forum === null || !mayManage(principal, forum)) throw sessionNotFound();
  return { session, forum };
}
