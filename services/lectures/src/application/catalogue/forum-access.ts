/**
 * Who reaches a forum, for every slice that acts on one (sessions, feedback,
 * the library): the campaign office (city admins, and officers of the
 * series' owner department) and the forum's own managers. Each slice calls
 * `mayManageForum` on the forum document it already read, or
 * `assertMayManageForum` to refuse with the stable 403 FORUM_MANAGE_FORBIDDEN.
 */
import type { Principal } from '@learning/auth';
import { domainCall } from '@learning/domain';
import {
  assertMayManageForum as assertMayManage,
  isForumManager,
  isSeriesOffice,
  mayManageForum as mayManage,
  type ForumFacts,
} from '../../domain/forums.js';

export type { ForumFacts } from '../../domain/forums.js';

/** Whether `principal` runs the forum: the office, or one of its managers. */
export const mayManageForum = (principal: Principal, forum: ForumFacts): boolean =>
  mayManage(principal, forum);

/** Whether `principal` is the office of the forum's series (not merely a manager). */
export const isForumOffice = (principal: Principal, forum: ForumFacts): boolean =>
  isSeriesOffice(principal, forum.ownerDepartment);

/** Whether `principal` is listed among the forum's managers. */
export const managesForum = (principal: Principal, forum: ForumFacts): boolean =>
  isForumManager(principal, forum);

/** 403 FORUM_MANAGE_FORBIDDEN (an AppError) unless `principal` runs the forum. */
export function assertMayManageForum(principal: Principal, forum: ForumFacts): void {
  domainCall(() => {
    assertMayManage(principal, forum);
  });
}
