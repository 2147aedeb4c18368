/**
 * Who reads and reviews a forum's feedback: its managers and the campaign
 * office (city admins). A forum's managers reach their own forum only.
 */
import type { Principal } from '@learning/auth';
import { mayManageForum } from '../catalogue/forum-access.js';
import { forumForbidden, forumNotFound } from './errors.js';
import type { ForumDirectory, ForumManagers } from './ports.js';

/**
 * The shared forum rule (catalogue/forum-access.ts). Feedback reads no series
 * owner, so its office is the city admins alone.
 */
export const managesForum = (principal: Principal, forum: ForumManagers): boolean =>
  mayManageForum(principal, { managerSubjects: forum.managerSubjects });

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
