/**
 * Sends reminders when due: a ticking worker (decision 0009: one replica per
 * tick, and one unclaimed run at start, which catches up what fell due while
 * every replica was down). Reminders are planned and moved by the reactions.
 */
import { tickingWorker } from '@learning/runtime';
import { MongoReminders, reminderModel } from '../adapters/mongo/reminders.js';
import { sendDueReminders } from '../application/reminders/send-due-reminders.js';
import type { Module } from '../platform.js';

/** A claim older than this many ticks was left by a worker that stopped: it is taken again. */
const LEASE_TICKS = 5;

export const remindersModule: Module = (platform) => {
  const { mongo, clock, config, dispatcher, redis, logger } = platform;
  const send = sendDueReminders({
    dispatcher,
    reminders: new MongoReminders(reminderModel(mongo)),
    clock,
    leaseMs: config.SCHEDULER_TICK_MS * LEASE_TICKS,
  });
  platform.runWorker(
    'reminders',
    tickingWorker({
      name: 'notifications:reminders',
      everyMs: config.SCHEDULER_TICK_MS,
      redis,
      logger,
      clock,
      run: async (_tickAt, signal) => {
        const handled = await send(signal);
        if (handled > 0) logger.info({ reminders: handled }, 'due reminders handled');
      },
    }),
  );
};
