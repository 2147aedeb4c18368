/** The public library (no sign-in): published lessons, filtered and searched in Chinese. */
import type { ContentCategory, Tier } from '@learning/domain';
import { DEFAULT_PAGE_SIZE } from '@learning/http';
import { queryGrams } from '@learning/search';
import type { LessonKind } from '../../domain/lessons.js';
import { invalidAt, LESSON_SEARCH_EMPTY, lessonNotFound } from './errors.js';
import type { LessonPage, LessonRepository, StoredLesson } from './ports.js';

export interface PublicLessonsRequest {
  readonly kind?: LessonKind;
  readonly tier?: Tier;
  readonly category?: ContentCategory;
  /** Words to find in the title or description. */
  readonly q?: string;
  readonly pageSize?: number;
  readonly pageToken?: string;
}

export function publicLessons(lessons: LessonRepository) {
  return {
    async list(request: PublicLessonsRequest): Promise<LessonPage> {
      const { q, pageSize, ...filters } = request;
      let grams: string[] | undefined;
      if (q !== undefined) {
        grams = queryGrams(q);
        if (grams.length === 0)
          throw invalidAt(
            LESSON_SEARCH_EMPTY,
            'The search has no letters, digits or characters to look for.',
            '/q',
          );
      }
      return lessons.listPublic({
        ...filters,
        ...(grams === undefined ? {} : { grams }),
        pageSize: pageSize ?? DEFAULT_PAGE_SIZE,
      });
    },

    /** A published lesson; drafts and withdrawn lessons are not found. */
    async get(id: string): Promise<StoredLesson> {
      const lesson = await lessons.get(id);
      if (lesson === null || lesson.status !== 'published') throw lessonNotFound();
      return lesson;
    },
  };
}

export type PublicLessons = ReturnType<typeof publicLessons>;
