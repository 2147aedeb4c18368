/**
 * One scheduler tick: claims each reminder due by now, one at a time, and
 * sends (or skips) it. A claim is atomic, so two replicas never take the
 * same reminder; a claim left by a worker that died is taken again after
 * the lease, and its notice id (the reminder and its due time) makes the
 * dispatcher send nothing twice.
 */
import { reminderAction, reminderNotice, type Reminder } from '../../domain/reminders.js';
import type { ReminderStore } from '../reactions/ports.js';
import type { Dispatcher } from '../ports.js';

export interface SendRemindersDeps {
  readonly dispatcher: Dispatcher;
  readonly reminders: ReminderStore;
  readonly clock: () => Date;
  /** How long a claim holds before another worker may take the reminder again. */
  readonly leaseMs: number;
}

/** Reminders claimed before they are dispatched together: a lecture's audience is due at once. */
const BATCH = 100;

export const sendDueReminders =
  (deps: SendRemindersDeps) =>
  async (signal: AbortSignal): Promise<number> => {
    let handled = 0;
    while (!signal.aborted) {
      const now = deps.clock();
      const staleBefore = new Date(now.getTime() - deps.leaseMs);
      const batch: Reminder[] = [];
      while (batch.length < BATCH) {
        const claimed = await deps.reminders.claimDue(now, staleBefore);
        if (claimed === null) break;
        batch.push(claimed);
      }
      if (batch.length === 0) break;
      const due = batch.filter((reminder) => reminderAction(reminder, now) === 'send');
      if (due.length > 0) await deps.dispatcher.dispatch(due.map(reminderNotice));
      const finishedAt = deps.clock();
      await Promise.all(
        batch.map((reminder) =>
          deps.reminders.finish(reminder, due.includes(reminder) ? 'sent' : 'skipped', finishedAt),
        ),
      );
      handled += batch.length;
    }
    return handled;
  };
