/**
 * The office's and forum managers' work on lessons: create (a course, or the
 * recording of a held session), edit, publish, withdraw, and their own
 * lists. City admins act on every lesson; department officers on their
 * department's; a forum's managers on the recordings of its sessions. Every
 * change is written with its audit record, and the public pages are dropped.
 */
import { randomUUID } from 'node:crypto';
import { actorOf, type AuditTrail } from '@learning/audit';
import { hasRole, type Principal } from '@learning/auth';
import { domainCall, type ContentCategory, type Tier } from '@learning/domain';
import { DEFAULT_PAGE_SIZE } from '@learning/http';
import {
  assertContentUrl,
  assertLength,
  assertRequiredShare,
  DEFAULT_REQUIRED_SHARE,
  nextStatus,
  type LessonAction,
  type LessonKind,
  type LessonStatus,
} from '../../domain/lessons.js';
import type { Departments } from '../ports.js';
import {
  LESSON_CHANGE_EMPTY,
  LESSON_CONTENT_URL_REQUIRED,
  LESSON_DEPARTMENT_UNKNOWN,
  LESSON_FORBIDDEN,
  LESSON_LENGTH_REQUIRED,
  LESSON_RECORDING_FIXED,
  LESSON_RECORDING_NOT_VIDEO,
  LESSON_SESSION_NO_RECORDING,
  LESSON_SESSION_UNKNOWN,
  invalidAt,
  lessonNotFound,
  libraryErrors,
} from './errors.js';
import { auditViewOf } from './events.js';
import {
  LESSON_PATH,
  type ForumManagers,
  type LessonFields,
  type LessonPage,
  type LessonRepository,
  type PublicLessonPages,
  type SessionReader,
  type StoredLesson,
} from './ports.js';

export interface LessonDeps {
  readonly lessons: LessonRepository;
  readonly sessions: SessionReader;
  readonly forums: ForumManagers;
  readonly departments: Departments;
  readonly publicPages: PublicLessonPages;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
  /** Told of every change, so this process's readers drop their copy at once (others within their reuse time). */
  readonly onChange?: (lessonId: string) => void;
}

export interface CreateLessonRequest {
  readonly kind: LessonKind;
  readonly title: string;
  readonly description?: string;
  readonly categories: readonly ContentCategory[];
  readonly targetTiers: readonly Tier[];
  readonly lengthSeconds?: number;
  readonly requiredShare?: number;
  readonly contentUrl?: string;
  readonly sourceSessionId?: string;
  /** City admins name it; a department officer's is their own; a recording's is its session's. */
  readonly leadDepartment?: string;
}

export interface EditLessonRequest extends Partial<LessonFields> {
  readonly version: number;
}

export interface ListLessonsRequest {
  readonly status?: LessonStatus;
  readonly pageSize?: number;
  readonly pageToken?: string;
}

const forbidden = (message: string) => libraryErrors.error(LESSON_FORBIDDEN, message);

const isOfficerOf = (principal: Principal, department: string): boolean =>
  hasRole(principal, 'department_officer') && principal.department === department;

export function lessonWork(deps: LessonDeps) {
  /** Whether `principal` may manage a lesson of `department`, recording `forumId`'s session if any. */
  async function mayManage(
    principal: Principal,
    lesson: Pick<StoredLesson, 'leadDepartment' | 'forumId'>,
  ): Promise<boolean> {
    if (hasRole(principal, 'city_admin') || isOfficerOf(principal, lesson.leadDepartment))
      return true;
    return lesson.forumId !== null && deps.forums.manages(lesson.forumId, principal.subject);
  }

  /** The lesson as `principal` may manage it; LESSON_NOT_FOUND when they may not, so drafts do not leak. */
  async function findManaged(principal: Principal, id: string): Promise<StoredLesson> {
    const lesson = await deps.lessons.get(id);
    if (lesson === null || !(await mayManage(principal, lesson))) throw lessonNotFound();
    return lesson;
  }

  /** What a recording copies from its session, or what the request says of a course. */
  async function sourceOf(
    principal: Principal,
    request: CreateLessonRequest,
  ): Promise<Pick<StoredLesson, 'leadDepartment' | 'forumId' | 'contentUrl' | 'lengthSeconds'>> {
    if (request.sourceSessionId === undefined) {
      if (request.contentUrl === undefined)
        throw invalidAt(
          LESSON_CONTENT_URL_REQUIRED,
          'A course needs its content URL.',
          '/contentUrl',
        );
      if (request.lengthSeconds === undefined)
        throw invalidAt(LESSON_LENGTH_REQUIRED, 'A course needs its length.', '/lengthSeconds');
      const leadDepartment = await leadDepartmentOf(principal, request.leadDepartment);
      return {
        leadDepartment,
        forumId: null,
        contentUrl: request.contentUrl,
        lengthSeconds: request.lengthSeconds,
      };
    }
    const session = await deps.sessions.get(request.sourceSessionId);
    if (session === null)
      throw invalidAt(LESSON_SESSION_UNKNOWN, 'There is no such session.', '/sourceSessionId');
    if (
      !(await mayManage(principal, {
        leadDepartment: session.leadDepartment,
        forumId: session.forumId,
      }))
    )
      throw forbidden(
        'Only the office, the lead department’s officers and the forum’s managers publish its recordings.',
      );
    if (request.kind !== 'video')
      throw invalidAt(LESSON_RECORDING_NOT_VIDEO, 'A session’s recording is a video.', '/kind');
    if (session.recording === null)
      throw libraryErrors.error(LESSON_SESSION_NO_RECORDING, 'The session has no recording yet.');
    const recorded = session.recording.durationSeconds;
    const fixed = (field: string) =>
      invalidAt(
        LESSON_RECORDING_FIXED,
        'A recording’s URL, lead department and known length are its session’s.',
        `/${field}`,
      );
    if (request.contentUrl !== undefined) throw fixed('contentUrl');
    if (request.leadDepartment !== undefined) throw fixed('leadDepartment');
    if (recorded !== null && request.lengthSeconds !== undefined) throw fixed('lengthSeconds');
    const lengthSeconds = recorded === null ? request.lengthSeconds : Math.round(recorded);
    if (lengthSeconds === undefined)
      throw invalidAt(
        LESSON_LENGTH_REQUIRED,
        'The recording’s length is not known: give it.',
        '/lengthSeconds',
      );
    return {
      leadDepartment: session.leadDepartment,
      forumId: session.forumId,
      contentUrl: session.recording.url,
      lengthSeconds,
    };
  }

  /** A course's lead department: a department officer's own, or the one a city admin names. */
  async function leadDepartmentOf(
    principal: Principal,
    named: string | undefined,
  ): Promise<string> {
    if (!hasRole(principal, 'city_admin')) {
      const own = principal.department;
      if (!hasRole(principal, 'department_officer') || own === undefined)
        throw forbidden('Only the office and departments’ officers add courses.');
      if (named !== undefined && named !== own)
        throw forbidden('Department officers add courses of their own department.');
      return own;
    }
    if (named === undefined || !(await deps.departments.find([named])).has(named))
      throw invalidAt(
        LESSON_DEPARTMENT_UNKNOWN,
        'Name a lead department registration lists.',
        '/leadDepartment',
      );
    return named;
  }

  async function afterChange(lessonId: string): Promise<void> {
    deps.onChange?.(lessonId);
    await deps.publicPages.invalidate();
  }

  return {
    async create(principal: Principal, request: CreateLessonRequest): Promise<StoredLesson> {
      const source = await sourceOf(principal, request);
      const requiredShare = request.requiredShare ?? DEFAULT_REQUIRED_SHARE;
      domainCall(() => {
        assertLength(source.lengthSeconds);
        assertRequiredShare(requiredShare);
        assertContentUrl(source.contentUrl);
      });
      const now = deps.clock();
      const lesson: Omit<StoredLesson, 'version'> = {
        id: randomUUID(),
        kind: request.kind,
        title: request.title,
        description: request.description ?? '',
        categories: [...request.categories],
        targetTiers: [...request.targetTiers],
        requiredShare,
        ...source,
        sourceSessionId: request.sourceSessionId ?? null,
        status: 'draft',
        publishedAt: null,
        createdBy: principal.subject,
        createdAt: now,
        updatedAt: now,
      };
      const audit = deps.audit.entry({
        actor: actorOf(principal),
        action: 'lesson.create',
        entityType: 'lesson',
        entityId: lesson.id,
        jurisdictionPath: LESSON_PATH,
        before: null,
        after: auditViewOf({ ...lesson, version: 1 }),
      });
      return deps.lessons.create({ ...lesson, events: [audit] });
    },

    async edit(
      principal: Principal,
      id: string,
      request: EditLessonRequest,
    ): Promise<StoredLesson> {
      const lesson = await findManaged(principal, id);
      const { version, ...fields } = request;
      if (
        lesson.sourceSessionId !== null &&
        (fields.contentUrl !== undefined || fields.lengthSeconds !== undefined)
      )
        throw invalidAt(
          LESSON_RECORDING_FIXED,
          'A recording’s URL and length are its session’s.',
          fields.contentUrl === undefined ? '/lengthSeconds' : '/contentUrl',
        );
      const changed = Object.fromEntries(
        Object.entries(fields).filter(
          ([name, value]) =>
            JSON.stringify(value) !== JSON.stringify(lesson[name as keyof LessonFields]),
        ),
      ) as Partial<LessonFields>;
      if (Object.keys(changed).length === 0)
        throw libraryErrors.error(LESSON_CHANGE_EMPTY, 'The edit changes nothing.');
      domainCall(() => {
        if (changed.lengthSeconds !== undefined) assertLength(changed.lengthSeconds);
        if (changed.requiredShare !== undefined) assertRequiredShare(changed.requiredShare);
        if (changed.contentUrl !== undefined) assertContentUrl(changed.contentUrl);
      });
      // Title and description make the search grams together.
      if (changed.title !== undefined || changed.description !== undefined)
        Object.assign(changed, {
          title: changed.title ?? lesson.title,
          description: changed.description ?? lesson.description,
        });
      const after = { ...lesson, ...changed };
      const updated = await deps.lessons.change({
        id,
        expectedVersion: version,
        updatedAt: deps.clock(),
        fields: changed,
        events: [
          deps.audit.entry({
            actor: actorOf(principal),
            action: 'lesson.edit',
            entityType: 'lesson',
            entityId: id,
            jurisdictionPath: LESSON_PATH,
            before: auditViewOf(lesson),
            after: auditViewOf(after),
          }),
        ],
      });
      await afterChange(id);
      return updated;
    },

    async move(
      principal: Principal,
      id: string,
      action: LessonAction,
      version?: number,
    ): Promise<StoredLesson> {
      const lesson = await findManaged(principal, id);
      const status = domainCall(() => nextStatus(lesson.status, action));
      const now = deps.clock();
      const updated = await deps.lessons.change({
        id,
        expectedVersion: version ?? lesson.version,
        updatedAt: now,
        status,
        ...(status === 'published' ? { publishedAt: now } : {}),
        events: [
          deps.audit.entry({
            actor: actorOf(principal),
            action: `lesson.${action}`,
            entityType: 'lesson',
            entityId: id,
            jurisdictionPath: LESSON_PATH,
            before: auditViewOf(lesson),
            after: auditViewOf({ ...lesson, status }),
          }),
        ],
      });
      await afterChange(id);
      return updated;
    },

    get: findManaged,

    /** What `principal` manages, newest first. */
    async list(principal: Principal, request: ListLessonsRequest): Promise<LessonPage> {
      const base = {
        ...(request.status === undefined ? {} : { status: request.status }),
        pageSize: request.pageSize ?? DEFAULT_PAGE_SIZE,
        ...(request.pageToken === undefined ? {} : { pageToken: request.pageToken }),
      };
      if (hasRole(principal, 'city_admin')) return deps.lessons.list(base);
      const forumIds = await deps.forums.forumsOf(principal.subject);
      const leadDepartment = hasRole(principal, 'department_officer')
        ? principal.department
        : undefined;
      return deps.lessons.list({
        ...base,
        reach: { ...(leadDepartment === undefined ? {} : { leadDepartment }), forumIds },
      });
    },
  };
}

export type LessonWork = ReturnType<typeof lessonWork>;
