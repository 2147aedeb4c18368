/**
 * Marks ended sessions held, with their attendance count, once per tick
 * across replicas (SessionHeld from the session's outbox). The sessions'
 * outbox is published here too; the relay's lease keeps one relay at work per
 * collection, whichever modules ask for it.
 */
import { tickingWorker } from '@learning/runtime';
import { attendanceModel } from '../adapters/mongo/attendance.js';
import { MongoAttendanceStore } from '../adapters/mongo/attendance-store.js';
import { MongoSessionFacts } from '../adapters/mongo/session-facts.js';
import { sessionModel } from '../adapters/mongo/sessions.js';
import { markHeld } from '../application/held/mark-held.js';
import type { Module } from '../platform.js';

/** Sessions marked per page of a run. */
const PAGE_SIZE = 100;

export const heldModule: Module = (platform) => {
  const { mongo, redis, logger, clock, config } = platform;
  // SessionHeld goes out through the sessions outbox, which the sessions module relays.
  const model = sessionModel(mongo);
  const mark = markHeld({
    sessions: new MongoSessionFacts(model),
    attendance: new MongoAttendanceStore(attendanceModel(mongo)),
    logger,
    graceMs: config.SESSION_HELD_GRACE_MS,
    pageSize: PAGE_SIZE,
  });
  platform.runWorker(
    'held sessions',
    tickingWorker({
      name: 'lectures:held',
      everyMs: config.SCHEDULER_TICK_MS,
      redis,
      logger,
      clock,
      run: async (_tickAt, signal) => {
        const marked = await mark(clock(), signal);
        if (marked > 0) logger.info({ marked }, 'sessions marked held');
      },
    }),
  );
};
