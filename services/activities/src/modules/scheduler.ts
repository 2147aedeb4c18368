/** Moves activities to under way and completed at their times, once per tick across replicas. */
import { tickingWorker } from '@learning/runtime';
import { activityModel, MongoActivityRepository } from '../adapters/mongo/activities.js';
import { publicActivityPages } from '../adapters/redis/public-activity-pages.js';
import { transition } from '../application/activities/move-activity.js';
import { advanceDue } from '../application/scheduler/advance-due.js';
import type { Module } from '../platform.js';

/** Activities moved per page of a run. */
const PAGE_SIZE = 100;

export const schedulerModule: Module = (platform) => {
  const { mongo, redis, logger, clock, config } = platform;
  const activities = new MongoActivityRepository(activityModel(mongo), logger);
  const advance = advanceDue({
    activities,
    // Starting and completing show on the public pages, so the scheduler drops them too.
    transition: transition({
      activities,
      publicPages: publicActivityPages(redis, config, logger),
    }),
    logger,
    pageSize: PAGE_SIZE,
  });
  platform.runWorker(
    'activity scheduler',
    tickingWorker({
      name: 'activities:scheduler',
      everyMs: config.SCHEDULER_TICK_MS,
      redis,
      logger,
      clock,
      run: async (_tickAt, signal) => {
        const moved = await advance(clock(), signal);
        if (moved > 0) logger.info({ moved }, 'scheduler moved activities');
      },
    }),
  );
};
