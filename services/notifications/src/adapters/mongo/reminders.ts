/**
 * Reminders (collection `reminders`), one per enrollment and slot
 * (`<enrollment id>:<day-before|hour-before>`). Every change is one
 * single-document or per-event update: planning inserts what is absent,
 * a claim moves one due reminder from planned to sending, and a finish
 * only lands on the claim it answers (same status and due time).
 */
import { insertAbsent } from '@learning/mongo';
import { Schema, type Connection, type Model } from 'mongoose';
import type { ReminderStore } from '../../application/reactions/ports.js';
import {
  REMINDER_SLOTS,
  REMINDER_STATUSES,
  type Reminder,
  type ReminderSlot,
  type ReminderStatus,
} from '../../domain/reminders.js';

export interface ReminderDocument {
  _id: string;
  enrollmentId: string;
  slot: ReminderSlot;
  eventKey: string;
  recipient: string;
  dueAt: Date;
  title: string | null;
  startsAt: Date;
  endsAt: Date | null;
  venue: string | null;
  status: ReminderStatus;
  /** When the current claim was taken; null unless sending. */
  claimedAt: Date | null;
  /** When it was sent or skipped. */
  doneAt: Date | null;
}

const reminderSchema = new Schema<ReminderDocument>(
  {
    _id: { type: String, required: true },
    enrollmentId: { type: String, required: true },
    slot: { type: String, required: true, enum: REMINDER_SLOTS },
    eventKey: { type: String, required: true },
    recipient: { type: String, required: true },
    dueAt: { type: Date, required: true },
    title: { type: String, default: null },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, default: null },
    venue: { type: String, default: null },
    status: { type: String, required: true, enum: REMINDER_STATUSES },
    claimedAt: { type: Date, default: null },
    doneAt: { type: Date, default: null },
  },
  { collection: 'reminders', versionKey: false, strict: 'throw' },
);
// The scheduler's query: what is due, by status.
reminderSchema.index({ status: 1, dueAt: 1 });
// A reschedule moves every reminder of its event.
reminderSchema.index({ eventKey: 1, slot: 1 });
reminderSchema.index({ enrollmentId: 1 });

export const reminderModel = (connection: Connection): Model<ReminderDocument> =>
  connection.model<ReminderDocument>('Reminder', reminderSchema);

const reminderOf = (document: ReminderDocument): Reminder => ({
  id: document._id,
  enrollmentId: document.enrollmentId,
  slot: document.slot,
  eventKey: document.eventKey,
  recipient: document.recipient,
  dueAt: document.dueAt,
  title: document.title,
  startsAt: document.startsAt,
  endsAt: document.endsAt,
  venue: document.venue,
});

export class MongoReminders implements ReminderStore {
  constructor(private readonly reminders: Model<ReminderDocument>) {}

  async plan(reminders: readonly Reminder[]): Promise<void> {
    // A reminder already planned (a redelivered sign-up) is left as it is, whatever became of it.
    const results = await insertAbsent(
      this.reminders,
      reminders.map((reminder) => ({
        _id: reminder.id,
        enrollmentId: reminder.enrollmentId,
        slot: reminder.slot,
        eventKey: reminder.eventKey,
        recipient: reminder.recipient,
        dueAt: reminder.dueAt,
        title: reminder.title,
        startsAt: reminder.startsAt,
        endsAt: reminder.endsAt,
        venue: reminder.venue,
        status: 'planned' as const,
        claimedAt: null,
        doneAt: null,
      })),
    );
    if (results.includes('failed'))
      throw new Error('planning reminders failed; retried with the event');
  }

  async dropEnrollment(enrollmentId: string): Promise<void> {
    await this.reminders.updateMany(
      { enrollmentId, status: { $in: ['planned', 'sending'] } },
      { $set: { status: 'dropped', claimedAt: null } },
    );
  }

  async replan(
    eventKey: string,
    slot: ReminderSlot,
    moved: { readonly dueAt: Date; readonly startsAt: Date; readonly endsAt: Date | null },
  ): Promise<void> {
    const times = { dueAt: moved.dueAt, startsAt: moved.startsAt, endsAt: moved.endsAt };
    // Later than before: whatever became of it, it is due again (a new notice, named by the new due time).
    await this.reminders.updateMany(
      { eventKey, slot, status: { $ne: 'dropped' }, dueAt: { $lt: moved.dueAt } },
      { $set: { ...times, status: 'planned', claimedAt: null, doneAt: null } },
    );
    // Earlier (or the same): one already sent stays sent; one still planned is due sooner.
    await this.reminders.updateMany(
      { eventKey, slot, status: { $ne: 'dropped' }, dueAt: { $gt: moved.dueAt } },
      { $set: times },
    );
  }

  async titleOf(eventKey: string): Promise<string | null> {
    const document = await this.reminders
      .findOne({ eventKey, title: { $ne: null } }, { title: 1 })
      .lean<Pick<ReminderDocument, 'title'>>();
    return document?.title ?? null;
  }

  async claimDue(now: Date, staleBefore: Date): Promise<Reminder | null> {
    const document = await this.reminders
      .findOneAndUpdate(
        {
          dueAt: { $lte: now },
          $or: [{ status: 'planned' }, { status: 'sending', claimedAt: { $lt: staleBefore } }],
        },
        { $set: { status: 'sending', claimedAt: now } },
        { sort: { dueAt: 1 }, new: true },
      )
      .lean<ReminderDocument>();
    return document === null ? null : reminderOf(document);
  }

  async finish(
    claimed: Reminder,
    status: Extract<ReminderStatus, 'sent' | 'skipped'>,
    at: Date,
  ): Promise<void> {
    await this.reminders.updateOne(
      { _id: claimed.id, status: 'sending', dueAt: claimed.dueAt },
      { $set: { status, claimedAt: null, doneAt: at } },
    );
  }
}
