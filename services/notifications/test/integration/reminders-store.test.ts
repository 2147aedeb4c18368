import { describeWithServers, uniqueName } from '@learning/testing';
import mongoose, { type Connection, type Model } from 'mongoose';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import {
  MongoReminders,
  reminderModel,
  type ReminderDocument,
} from '../../src/adapters/mongo/reminders.js';
import { planReminders, replanned, type Reminder } from '../../src/domain/reminders.js';

/** The reminders' store on the MongoDB stand-in: planned once, claimed once, moved and dropped. */
describeWithServers(['mongo'], 'the reminders store', (servers) => {
  let connection: Connection;
  let model: Model<ReminderDocument>;
  let store: MongoReminders;
  const planningTime = new Date('2026-12-01T00:00:00Z');
  let sequence = 0;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(servers.mongo.uri, { dbName: uniqueName('notifications-reminders') })
      .asPromise();
    model = reminderModel(connection);
    await model.syncIndexes();
    store = new MongoReminders(model);
  });
  afterAll(async () => {
    await connection.close();
  });
  // Each case claims whatever is due: it starts from an empty collection.
  beforeEach(async () => {
    await model.deleteMany({});
  });

  /** A fresh event starting at `startsAt`, with one enrollment's reminders planned. */
  async function seat(
    startsAt: Date,
    enrollments = 1,
  ): Promise<{ eventKey: string; ids: string[] }> {
    sequence += 1;
    const eventKey = `activities:store-${String(sequence)}`;
    const ids: string[] = [];
    for (let index = 0; index < enrollments; index += 1) {
      const enrollmentId = `${eventKey}-enr-${String(index)}`;
      ids.push(enrollmentId);
      await store.plan(
        planReminders(
          {
            enrollmentId,
            eventKey,
            recipient: `p-${String(index)}`,
            summary: { title: '读书会', startsAt, endsAt: null, venue: '礼堂', placeCode: null },
          },
          planningTime,
        ),
      );
    }
    return { eventKey, ids };
  }

  const statusOf = async (id: string) => (await model.findById(id).lean())?.status;

  it('when the same reminders are planned twice, then each is stored once and a sent one stays sent', async () => {
    const startsAt = new Date('2026-12-20T06:00:00Z');
    const { ids } = await seat(startsAt);
    const [enrollmentId] = ids as [string];
    await model.updateOne({ _id: `${enrollmentId}:day-before` }, { $set: { status: 'sent' } });

    await store.plan(
      planReminders(
        {
          enrollmentId,
          eventKey: 'x',
          recipient: 'p-0',
          summary: { title: 't', startsAt, endsAt: null, venue: null, placeCode: null },
        },
        planningTime,
      ),
    );

    expect(await model.countDocuments({ enrollmentId })).toBe(2);
    expect(await statusOf(`${enrollmentId}:day-before`)).toBe('sent');
  });

  it('when ten claimers race for five due reminders, then each reminder is claimed exactly once', async () => {
    const startsAt = new Date('2030-01-10T06:00:00Z');
    await seat(startsAt, 5);
    const now = new Date('2030-01-09T06:30:00Z');

    const claims: Reminder[] = [];
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        for (;;) {
          const claimed = await store.claimDue(now, new Date(now.getTime() - 60_000));
          if (claimed === null) return;
          claims.push(claimed);
        }
      }),
    );

    const ids = claims.map((claim) => claim.id);
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
    expect(ids.every((id) => id.endsWith(':day-before'))).toBe(true);
  });

  it('when a claim is older than the lease, then it is claimed again; a fresh one is not', async () => {
    const startsAt = new Date('2031-01-10T06:00:00Z');
    const { ids } = await seat(startsAt);
    const now = new Date('2031-01-09T06:30:00Z');
    const first = await store.claimDue(now, new Date(now.getTime() - 60_000));

    const fresh = await store.claimDue(new Date(now.getTime() + 30_000), now);
    const later = new Date(now.getTime() + 120_000);
    const stale = await store.claimDue(later, new Date(later.getTime() - 60_000));

    expect(first?.id).toBe(`${ids[0] ?? ''}:day-before`);
    expect(fresh).toBeNull();
    expect(stale?.id).toBe(first?.id);
  });

  it('when the event moves later after a reminder was sent, then it is planned again at the new time; moved earlier, a sent one stays sent', async () => {
    const startsAt = new Date('2026-12-22T06:00:00Z');
    const { eventKey, ids } = await seat(startsAt);
    const id = `${ids[0] ?? ''}:day-before`;
    const claimed = await store.claimDue(new Date('2026-12-21T06:00:00Z'), new Date(0));
    if (claimed?.id !== id) throw new Error(`expected to claim ${id}, got ${String(claimed?.id)}`);
    await store.finish(claimed, 'sent', new Date('2026-12-21T06:00:01Z'));

    const later = { startsAt: new Date('2026-12-24T06:00:00Z'), endsAt: null };
    await store.replan(eventKey, 'day-before', replanned(later, 'day-before'));
    const afterLater = await model.findById(id).lean();
    await model.updateOne({ _id: id }, { $set: { status: 'sent' } });
    const earlier = { startsAt: new Date('2026-12-23T06:00:00Z'), endsAt: null };
    await store.replan(eventKey, 'day-before', replanned(earlier, 'day-before'));
    const afterEarlier = await model.findById(id).lean();

    expect(afterLater).toMatchObject({
      status: 'planned',
      dueAt: new Date('2026-12-23T06:00:00Z'),
      startsAt: later.startsAt,
    });
    expect(afterEarlier).toMatchObject({
      status: 'sent',
      dueAt: new Date('2026-12-22T06:00:00Z'),
      startsAt: earlier.startsAt,
    });
    expect(await store.titleOf(eventKey)).toBe('读书会');
  });

  it('when a claimed reminder is moved before its worker finishes, then the finish does not overwrite the new plan', async () => {
    const startsAt = new Date('2026-12-26T06:00:00Z');
    const { eventKey, ids } = await seat(startsAt);
    const id = `${ids[0] ?? ''}:hour-before`;
    await model.updateOne({ _id: `${ids[0] ?? ''}:day-before` }, { $set: { status: 'sent' } });
    const claimed = await store.claimDue(new Date('2026-12-26T05:30:00Z'), new Date(0));
    if (claimed?.id !== id) throw new Error(`expected to claim ${id}, got ${String(claimed?.id)}`);

    await store.replan(
      eventKey,
      'hour-before',
      replanned({ startsAt: new Date('2026-12-27T06:00:00Z'), endsAt: null }, 'hour-before'),
    );
    await store.finish(claimed, 'sent', new Date('2026-12-26T05:30:01Z'));

    expect(await statusOf(id)).toBe('planned');
  });

  it('when the enrollment is cancelled, then its reminders are dropped, never claimed, and not revived by a reschedule', async () => {
    const startsAt = new Date('2032-01-10T06:00:00Z');
    const { eventKey, ids } = await seat(startsAt);
    const enrollmentId = ids[0] ?? '';

    await store.dropEnrollment(enrollmentId);
    await store.replan(
      eventKey,
      'day-before',
      replanned({ startsAt: new Date('2032-01-12T06:00:00Z'), endsAt: null }, 'day-before'),
    );
    const claimed = await store.claimDue(new Date('2032-01-12T06:00:00Z'), new Date(0));

    expect(claimed).toBeNull();
    expect(await statusOf(`${enrollmentId}:day-before`)).toBe('dropped');
    expect(await statusOf(`${enrollmentId}:hour-before`)).toBe('dropped');
  });
});
