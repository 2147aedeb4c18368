/**
 * Who reads and reviews a forum's feedback: its managers and the campaign
 * office (city admins). A forum's managers reach their own forum only.
 */
import { hasRole, type Principal } from '@learning/auth';
import { forumForbidden, forumNotFound } from './errors.js';
import type { ForumDirectory, ForumManagers } from './ports.js';

export const managesForum = (principal: Principal, forum: ForumManagers): boolean =>
  hasRole(principal, 'city_admin') || forum.managerSubjects.includes(principal.subject);

/** The forum, once the principal may moderate it: FEEDBACK_FORUM_NOT_FOUND or _FORBIDDEN else. */
export async function moderatedForum(
  forums: ForumDirectory,
  principal: Principal,
  forumId: string,
): Promise<ForumManagers> {
  const forum = await forums.get(forumId);
  if (forum === null) throw forumNotFound();
  if (!managesForum(principal, forum)) throw forumForbidden();
  return forum;
}
