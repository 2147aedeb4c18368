/** The online learning library (学习网): lessons, learners' progress and their completions. */
import { publicMaxAgeSeconds } from '@learning/http';
import { PublicPageCache } from '@learning/redis';
import { registerLibraryRoutes } from '../adapters/http/library.js';
import { forumModel } from '../adapters/mongo/catalogue.js';
import { MongoProgressRepository, progressModel } from '../adapters/mongo/lesson-progress.js';
import { lessonModel, MongoLessonRepository } from '../adapters/mongo/lessons.js';
import { MongoForumManagers, MongoSessionReader } from '../adapters/mongo/library-sources.js';
import { sessionModel } from '../adapters/mongo/sessions.js';
import { lessonWork } from '../application/library/lessons.js';
import { progressWork } from '../application/library/progress.js';
import { publicLessons } from '../application/library/public-lessons.js';
import type { Module } from '../platform.js';

export const libraryModule: Module = (platform) => {
  const { mongo, redis, config, logger, http, audit, clock, departments, participants } = platform;
  const lessonsModel = lessonModel(mongo);
  const progressesModel = progressModel(mongo);
  // Lessons carry their audit records; progress documents the completions.
  platform.publishOutboxOf(lessonsModel);
  platform.publishOutboxOf(progressesModel);
  const lessons = new MongoLessonRepository(lessonsModel, logger);
  // Named after the database, so two deployments sharing a Redis never serve each other's pages.
  const publicPages = new PublicPageCache(
    redis,
    { name: `public-lessons-${config.MONGODB_DATABASE}`, ttlMs: config.PUBLIC_CACHE_TTL_MS },
    logger,
  );
  const progress = progressWork({
    lessons,
    progress: new MongoProgressRepository(progressesModel, logger),
    participants,
    clock,
  });
  registerLibraryRoutes(http, {
    lessons: lessonWork({
      lessons,
      sessions: new MongoSessionReader(sessionModel(mongo)),
      forums: new MongoForumManagers(forumModel(mongo)),
      departments,
      publicPages,
      audit,
      clock,
      onChange: (id) => {
        progress.forgetLesson(id);
      },
    }),
    publicLessons: publicLessons(lessons),
    progress,
    publicPages,
    publicMaxAgeSeconds: publicMaxAgeSeconds(config.PUBLIC_CACHE_TTL_MS),
  });
};
