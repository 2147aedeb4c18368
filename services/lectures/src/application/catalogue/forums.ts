/**
 * The forums of a series (人文讲坛, 青年讲坛, 企业家讲坛, and any the office
 * adds). The office adds, edits, retires and reactivates them and names
 * their managers; a manager reads their own forum and edits its descriptive
 * fields. Anyone reads the active ones. Every change is stored with its
 * audit record in one write.
 */
import { randomUUID } from 'node:crypto';
import type { AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { domainCall, type ContentCategory, type Tier } from '@learning/domain';
import type { ForumStatus } from '../../domain/catalogue.js';
import { assertMayChangeForum, assertSeriesOffice } from '../../domain/forums.js';
import type { Departments } from '../ports.js';
import { catalogueAudit, forumAuditView } from './audit.js';
import {
  catalogueErrors,
  changeEmpty,
  FORUM_ALREADY_RETIRED,
  FORUM_NOT_RETIRED,
  forumNotFound,
  seriesNotFound,
} from './errors.js';
import { assertMayManageForum } from './forum-access.js';
import type {
  ForumFields,
  ForumReach,
  ForumRepository,
  Paged,
  SeriesRepository,
  StoredForum,
} from './ports.js';
import { knownDepartment, versionConflict } from './series.js';

export interface ForumDeps {
  readonly series: SeriesRepository;
  readonly forums: ForumRepository;
  readonly departments: Departments;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
  readonly newId?: () => string;
}

export interface CreateForumRequest {
  readonly name: string;
  readonly description?: string;
  readonly managerSubjects?: readonly string[];
  readonly targetTiers: readonly Tier[];
  readonly categories: readonly ContentCategory[];
  readonly leadDepartment: string;
}

const storeChange = (
  deps: Pick<ForumDeps, 'forums' | 'audit'>,
  principal: Principal,
  action: string,
  forum: StoredForum,
  set: Partial<ForumFields>,
  now: Date,
): Promise<StoredForum> =>
  deps.forums.change({
    id: forum.id,
    expectedVersion: forum.version,
    updatedAt: now,
    set,
    events: [
      catalogueAudit(
        deps.audit,
        principal,
        action,
        { type: 'forum', id: forum.id },
        forumAuditView(forum),
        forumAuditView({ ...forum, ...set }),
      ),
    ],
  });

export function createForum(deps: ForumDeps) {
  const newId = deps.newId ?? randomUUID;
  return async (
    principal: Principal,
    seriesId: string,
    request: CreateForumRequest,
  ): Promise<StoredForum> => {
    const series = await deps.series.get(seriesId);
    if (series === null) throw seriesNotFound();
    domainCall(() => {
      assertSeriesOffice(principal, series.ownerDepartment);
    });
    await knownDepartment(deps.departments, request.leadDepartment, '/leadDepartment');
    const now = deps.clock();
    const forum = {
      id: newId(),
      seriesId,
      name: request.name.trim(),
      description: request.description?.trim() ?? '',
      managerSubjects: [...new Set(request.managerSubjects ?? [])],
      targetTiers: [...request.targetTiers],
      categories: [...request.categories],
      leadDepartment: request.leadDepartment,
      ownerDepartment: series.ownerDepartment,
      status: 'active' as const,
      createdBy: principal.subject,
      createdAt: now,
      updatedAt: now,
    };
    return deps.forums.create({
      ...forum,
      events: [
        catalogueAudit(
          deps.audit,
          principal,
          'forum.create',
          { type: 'forum', id: forum.id },
          null,
          forumAuditView(forum),
        ),
      ],
    });
  };
}

export interface ChangeForumRequest extends Partial<Omit<ForumFields, 'status'>> {
  /** The version the editor read. */
  readonly version: number;
}

/** The forum, when `principal` runs it: FORUM_NOT_FOUND, else 403 FORUM_MANAGE_FORBIDDEN. */
async function findManaged(
  forums: ForumRepository,
  principal: Principal,
  id: string,
): Promise<StoredForum> {
  const forum = await forums.get(id);
  if (forum === null) throw forumNotFound();
  assertMayManageForum(principal, forum);
  return forum;
}

export function changeForum(deps: ForumDeps) {
  return async (
    principal: Principal,
    id: string,
    request: ChangeForumRequest,
  ): Promise<StoredForum> => {
    const { version, ...fields } = request;
    const set: Partial<ForumFields> = {
      ...(fields.name === undefined ? {} : { name: fields.name.trim() }),
      ...(fields.description === undefined ? {} : { description: fields.description.trim() }),
      ...(fields.managerSubjects === undefined
        ? {}
        : { managerSubjects: [...new Set(fields.managerSubjects)] }),
      ...(fields.targetTiers === undefined ? {} : { targetTiers: [...fields.targetTiers] }),
      ...(fields.categories === undefined ? {} : { categories: [...fields.categories] }),
      ...(fields.leadDepartment === undefined ? {} : { leadDepartment: fields.leadDepartment }),
    };
    if (Object.keys(set).length === 0) throw changeEmpty();
    const forum = await findManaged(deps.forums, principal, id);
    domainCall(() => {
      assertMayChangeForum(principal, forum, Object.keys(set));
    });
    if (forum.version !== version) throw versionConflict('forum');
    if (set.leadDepartment !== undefined)
      await knownDepartment(deps.departments, set.leadDepartment, '/leadDepartment');
    return storeChange(deps, principal, 'forum.change', forum, set, deps.clock());
  };
}

/** The office retires a forum (no new sessions, gone from the public list) or brings it back. */
function moveForum(
  deps: Pick<ForumDeps, 'forums' | 'audit' | 'clock'>,
  move: { readonly action: string; readonly from: ForumStatus; readonly to: ForumStatus },
) {
  return async (
    principal: Principal,
    id: string,
    request: { readonly version?: number },
  ): Promise<StoredForum> => {
    const forum = await findManaged(deps.forums, principal, id);
    domainCall(() => {
      assertMayChangeForum(principal, forum, ['status']);
    });
    if (request.version !== undefined && request.version !== forum.version)
      throw versionConflict('forum');
    if (forum.status !== move.from)
      throw move.to === 'retired'
        ? catalogueErrors.error(FORUM_ALREADY_RETIRED, 'The forum is retired already.')
        : catalogueErrors.error(
            FORUM_NOT_RETIRED,
            'The forum is active; only a retired one is reactivated.',
          );
    return storeChange(deps, principal, move.action, forum, { status: move.to }, deps.clock());
  };
}

export const retireForum = (deps: Pick<ForumDeps, 'forums' | 'audit' | 'clock'>) =>
  moveForum(deps, { action: 'forum.retire', from: 'active', to: 'retired' });

export const reactivateForum = (deps: Pick<ForumDeps, 'forums' | 'audit' | 'clock'>) =>
  moveForum(deps, { action: 'forum.reactivate', from: 'retired', to: 'active' });

/** A forum as its office or one of its managers reads it, retired ones included. */
export function getForum(deps: Pick<ForumDeps, 'forums'>) {
  return (principal: Principal, id: string): Promise<StoredForum> =>
    findManaged(deps.forums, principal, id);
}

export interface ListForumsRequest {
  readonly seriesId?: string;
  readonly status?: ForumStatus;
  readonly tier?: Tier;
  readonly category?: ContentCategory;
  readonly pageSize: number;
  readonly pageToken?: string;
}

const reachOf = (principal: Principal): ForumReach =>
  principal.roles.includes('city_admin')
    ? { kind: 'all' }
    : {
        kind: 'managed',
        subject: principal.subject,
        ...(principal.roles.includes('department_officer') && principal.department !== undefined
          ? { ownerDepartment: principal.department }
          : {}),
      };

/** City admins see every forum; anyone else the forums they manage or their department owns. */
export function listForums(deps: Pick<ForumDeps, 'forums'>) {
  return (principal: Principal, request: ListForumsRequest): Promise<Paged<StoredForum>> =>
    deps.forums.search({ ...request, reach: reachOf(principal) });
}

/** The programme's forums: active ones, to anyone. */
export function listPublicForums(deps: Pick<ForumDeps, 'forums'>) {
  return (request: Omit<ListForumsRequest, 'status'>): Promise<Paged<StoredForum>> =>
    deps.forums.search({ ...request, status: 'active', reach: { kind: 'all' } });
}

/** An active forum, to anyone; a retired or unknown one is FORUM_NOT_FOUND. */
export function getPublicForum(deps: Pick<ForumDeps, 'forums'>) {
  return async (id: string): Promise<StoredForum> => {
    const forum = await deps.forums.get(id);
    if (forum?.status !== 'active') throw forumNotFound();
    return forum;
  };
}

export type CreateForum = ReturnType<typeof createForum>;
export type ChangeForum = ReturnType<typeof changeForum>;
export type MoveForum = ReturnType<typeof retireForum>;
export type GetForum = ReturnType<typeof getForum>;
export type ListForums = ReturnType<typeof listForums>;
export type ListPublicForums = ReturnType<typeof listPublicForums>;
export type GetPublicForum = ReturnType<typeof getPublicForum>;
