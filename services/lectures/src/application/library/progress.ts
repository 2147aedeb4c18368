/**
 * Learners' progress: the portal's heartbeats, judged by the domain's rules
 * (domain/progress.ts) against the server's clock, and the learner's own
 * reads. Who the learner is in registration (participant id and home) is
 * looked up once, at the first heartbeat, and kept on the progress: the
 * completion's event needs both and is written in the same single-document
 * write as the heartbeat that completes, so nothing but that write may stand
 * between the two, and a registration outage then only delays a start, never
 * a completion.
 *
 * The hot path is one conditional write per accepted heartbeat: the progress
 * this process last wrote for a learner and lesson is kept in memory, the
 * next heartbeat is judged against it, and the write is filtered on its
 * sequence. When another replica (or a racing request) wrote meanwhile, the
 * write matches nothing; the stored progress is read and the heartbeat judged
 * once more against it, and only a write judged against a fresh read that
 * still misses is refused as concurrent.
 */
import type { Principal } from '@learning/auth';
import { domainCall } from '@learning/domain';
import { DEFAULT_PAGE_SIZE } from '@learning/http';
import { LRUCache } from 'lru-cache';
import {
  firstHeartbeat,
  nextHeartbeat,
  PROGRESS_HEARTBEAT_REPLAYED,
  type Heartbeat,
} from '../../domain/progress.js';
import type { Participants } from '../ports.js';
import {
  LESSON_NOT_PUBLISHED,
  lessonNotFound,
  libraryErrors,
  PROGRESS_HEARTBEAT_CONCURRENT,
  PROGRESS_LEARNER_NOT_REGISTERED,
  PROGRESS_NOT_FOUND,
} from './errors.js';
import { completionEvent } from './events.js';
import type {
  LessonRepository,
  ProgressPage,
  ProgressRepository,
  StoredLesson,
  StoredProgress,
} from './ports.js';

/**
 * How long a lesson read for heartbeats is reused: an edit of its length or
 * a withdrawal reaches heartbeats within this.
 */
export const LESSON_REUSE_MS = 5_000;
/** Progress kept in memory: about the learners active on one replica at once. */
const RECENT_PROGRESS = 50_000;
const RECENT_LESSONS = 1_000;

export interface ProgressDeps {
  readonly lessons: LessonRepository;
  readonly progress: ProgressRepository;
  readonly participants: Participants;
  readonly clock: () => Date;
}

export interface HeartbeatResult {
  readonly progress: StoredProgress;
  /** Seconds this heartbeat added. */
  readonly creditedNow: number;
  readonly completesNow: boolean;
}

const replayed = (sequence: number, last: number) =>
  libraryErrors.error(
    PROGRESS_HEARTBEAT_REPLAYED,
    `Heartbeat ${sequence} is not after the last accepted one (${last}).`,
  );

export function progressWork(deps: ProgressDeps) {
  const lessons = new LRUCache<string, StoredLesson>({
    max: RECENT_LESSONS,
    ttl: LESSON_REUSE_MS,
    fetchMethod: async (id) => (await deps.lessons.get(id)) ?? undefined,
  });
  const recent = new LRUCache<string, StoredProgress>({ max: RECENT_PROGRESS });
  const keyOf = (lessonId: string, subject: string) => `${lessonId}\n${subject}`;

  async function publishedLesson(id: string): Promise<StoredLesson> {
    const lesson = await lessons.fetch(id);
    if (lesson === undefined || lesson.status === 'draft') throw lessonNotFound();
    if (lesson.status !== 'published')
      throw libraryErrors.error(LESSON_NOT_PUBLISHED, 'The lesson has been withdrawn.');
    return lesson;
  }

  /** The first heartbeat's progress, stored; null when a racing first heartbeat stored one. */
  async function start(
    lesson: StoredLesson,
    subject: string,
    heartbeat: Heartbeat,
    now: Date,
  ): Promise<StoredProgress | null> {
    const started = domainCall(() => firstHeartbeat(lesson, heartbeat, now));
    const learner = (await deps.participants.byAccounts([subject])).get(subject);
    if (learner === undefined)
      throw libraryErrors.error(
        PROGRESS_LEARNER_NOT_REGISTERED,
        'Register as a participant before taking lessons.',
      );
    const progress: StoredProgress = {
      ...started,
      lessonId: lesson.id,
      learnerSubject: subject,
      participantId: learner.id,
      jurisdictionPath: [...learner.jurisdictionPath],
      startedAt: now,
    };
    return (await deps.progress.start(progress)) ? progress : null;
  }

  return {
    async heartbeat(
      principal: Principal,
      lessonId: string,
      heartbeat: Heartbeat,
    ): Promise<HeartbeatResult> {
      const lesson = await publishedLesson(lessonId);
      const subject = principal.subject;
      const key = keyOf(lessonId, subject);
      const now = deps.clock();
      let current = recent.get(key);
      let fresh = current === undefined;
      current ??= (await deps.progress.get(lessonId, subject)) ?? undefined;
      if (current === undefined) {
        const started = await start(lesson, subject, heartbeat, now);
        if (started !== null) {
          recent.set(key, started);
          return { progress: started, creditedNow: 0, completesNow: false };
        }
        current = (await deps.progress.get(lessonId, subject)) ?? undefined;
        if (current === undefined)
          throw libraryErrors.error(
            PROGRESS_HEARTBEAT_CONCURRENT,
            'Another heartbeat was accepted at the same moment.',
          );
      }
      for (;;) {
        const base: StoredProgress = current;
        const advance = domainCall(() => nextHeartbeat(lesson, base, heartbeat, now));
        const events = advance.completesNow
          ? [completionEvent(lesson, { ...base, ...advance.progress }, now)]
          : [];
        const written = await deps.progress.advance(base, advance.progress, now, events);
        if (written !== null) {
          recent.set(key, written);
          return {
            progress: written,
            creditedNow: advance.creditedNow,
            completesNow: advance.completesNow,
          };
        }
        const stored = await deps.progress.get(lessonId, subject);
        if (stored === null) {
          recent.delete(key);
          throw libraryErrors.error(
            PROGRESS_HEARTBEAT_CONCURRENT,
            'Another heartbeat was accepted at the same moment.',
          );
        }
        recent.set(key, stored);
        if (stored.lastSequence >= heartbeat.sequence)
          throw replayed(heartbeat.sequence, stored.lastSequence);
        // Judged against this process's copy, which another replica had moved on from: judge again.
        if (!fresh) {
          current = stored;
          fresh = true;
          continue;
        }
        throw libraryErrors.error(
          PROGRESS_HEARTBEAT_CONCURRENT,
          'Another heartbeat was accepted at the same moment; send the next one.',
        );
      }
    },

    /** Drops this process's copy of a lesson that changed. */
    forgetLesson(lessonId: string): void {
      lessons.delete(lessonId);
    },

    /** The learner's progress through one lesson. */
    async mine(principal: Principal, lessonId: string): Promise<StoredProgress> {
      const progress = await deps.progress.get(lessonId, principal.subject);
      if (progress === null)
        throw libraryErrors.error(PROGRESS_NOT_FOUND, 'You have not started this lesson.');
      return progress;
    },

    /** The learner's lessons, most recently active first. */
    async listMine(
      principal: Principal,
      request: { pageSize?: number; pageToken?: string },
    ): Promise<ProgressPage> {
      return deps.progress.listMine(
        principal.subject,
        request.pageSize ?? DEFAULT_PAGE_SIZE,
        request.pageToken,
      );
    },
  };
}

export type ProgressWork = ReturnType<typeof progressWork>;
