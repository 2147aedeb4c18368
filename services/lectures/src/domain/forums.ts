/**
 * Who runs the lecture series and its forums. The campaign office (city
 * admins) runs every series, and the officers of a series' owner department
 * run that one; a forum's managers (account subjects the office names) keep
 * the descriptive part of their own forum up to date and nothing else: its
 * name, managers, lead department and status stay the office's.
 */
import { forbidden } from '@learning/domain';

export const CATALOGUE_OFFICE_ONLY = 'CATALOGUE_OFFICE_ONLY';
export const FORUM_MANAGE_FORBIDDEN = 'FORUM_MANAGE_FORBIDDEN';
export const FORUM_FIELD_OFFICE_ONLY = 'FORUM_FIELD_OFFICE_ONLY';

/** The part of a principal these rules read. */
export interface Actor {
  readonly subject: string;
  readonly roles: readonly string[];
  readonly department?: string;
}

/** What decides who manages a forum: its managers and the owner department of its series. */
export interface ForumFacts {
  readonly managerSubjects: readonly string[];
  /** The series' owner department; absent when unknown, so only city admins count as its office. */
  readonly ownerDepartment?: string | undefined;
}

/** The fields of a forum its managers may change; every other one is the office's. */
export const FORUM_DESCRIPTIVE_FIELDS = ['description', 'targetTiers', 'categories'] as const;
export type ForumDescriptiveField = (typeof FORUM_DESCRIPTIVE_FIELDS)[number];

/** City admins, and the officers of the series' owner department. */
export const isSeriesOffice = (actor: Actor, ownerDepartment: string | undefined): boolean =>
  actor.roles.includes('city_admin') ||
  (ownerDepartment !== undefined &&
    actor.roles.includes('department_officer') &&
    actor.department === ownerDepartment);

export const isForumManager = (actor: Actor, forum: ForumFacts): boolean =>
  forum.managerSubjects.includes(actor.subject);

export const mayManageForum = (actor: Actor, forum: ForumFacts): boolean =>
  isSeriesOffice(actor, forum.ownerDepartment) || isForumManager(actor, forum);

export function assertSeriesOffice(actor: Actor, ownerDepartment: string | undefined): void {
  if (!isSeriesOffice(actor, ownerDepartment))
    throw forbidden(
      CATALOGUE_OFFICE_ONLY,
      'Only the campaign office (a city admin) or an officer of the series’ owner department does this.',
    );
}

export function assertMayManageForum(actor: Actor, forum: ForumFacts): void {
  if (!mayManageForum(actor, forum))
    throw forbidden(
      FORUM_MANAGE_FORBIDDEN,
      'You manage other forums, not this one; the campaign office manages every forum.',
    );
}

/**
 * A change `actor` may make to `forum`: the office any, a manager only the
 * descriptive fields (FORUM_FIELD_OFFICE_ONLY naming the others).
 */
export function assertMayChangeForum(
  actor: Actor,
  forum: ForumFacts,
  changed: readonly string[],
): void {
  if (isSeriesOffice(actor, forum.ownerDepartment)) return;
  assertMayManageForum(actor, forum);
  const officeFields = changed.filter(
    (field) => !(FORUM_DESCRIPTIVE_FIELDS as readonly string[]).includes(field),
  );
  if (officeFields.length > 0)
    throw forbidden(
      FORUM_FIELD_OFFICE_ONLY,
      `A forum manager changes only ${FORUM_DESCRIPTIVE_FIELDS.join(', ')}; ` +
        `${officeFields.join(', ')} ${officeFields.length === 1 ? 'is' : 'are'} the campaign office’s.`,
    );
}
