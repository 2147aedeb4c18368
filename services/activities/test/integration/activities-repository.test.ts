import { randomUUID } from 'node:crypto';
import { Scope } from '@learning/auth';
import { captureLogger, describeWithServers, uniqueName } from '@learning/testing';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { activityModel, MongoActivityRepository } from '../../src/adapters/mongo/activities.js';
import type { StoredActivity } from '../../src/application/activities/activity-repository.js';
import { transition } from '../../src/application/activities/move-activity.js';
import { SCHEDULER } from '../../src/domain/activity-lifecycle.js';
import { HOUR, T1, T1_V1 } from '../support/activities.js';

/** The store as the scheduler uses it: what is due, and one step applied once. */
describeWithServers(['mongo'], 'the activities store for the scheduler', (servers) => {
  let connection: Connection;
  let repository: MongoActivityRepository;
  const now = new Date();

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(servers.mongo.uri, { dbName: uniqueName('activities-store') })
      .asPromise();
    const model = activityModel(connection);
    await model.syncIndexes();
    repository = new MongoActivityRepository(model, captureLogger('store').logger);
  });
  afterAll(async () => {
    await connection.close();
  });

  async function stored(
    status: StoredActivity['status'],
    startIn: number,
    endIn: number,
  ): Promise<StoredActivity> {
    const id = randomUUID();
    return repository.create(Scope.cityWide(), {
      id,
      title: `活动 ${id}`,
      description: '',
      kind: 'training',
      organizer: { kind: 'department', department: 'jiaoyu-ju' },
      jurisdictionPath: ['330281000000', T1, T1_V1],
      venue: { id: randomUUID(), name: '礼堂', address: null },
      schedule: {
        kind: 'single',
        session: {
          start: new Date(now.getTime() + startIn),
          end: new Date(now.getTime() + endIn),
        },
      },
      capacity: 'unlimited',
      signUpWindow: null,
      targetTiers: ['ordinary_citizen'],
      categories: [],
      ageBand: null,
      campaignId: null,
      status,
      cancellation: null,
      publishedAt: now,
      createdBy: 'test',
      createdAt: now,
      updatedAt: now,
      events: [],
    });
  }

  it('when activities have passed their start or end, then due lists exactly those, earliest first', async () => {
    const toStart = await stored('published', -2 * HOUR, HOUR);
    const toComplete = await stored('under_way', -3 * HOUR, -HOUR);
    const both = await stored('published', -5 * HOUR, -4 * HOUR);
    await stored('published', HOUR, 2 * HOUR);
    await stored('under_way', -HOUR, HOUR);
    await stored('cancelled', -3 * HOUR, -2 * HOUR);
    await stored('draft', -3 * HOUR, -2 * HOUR);
    const due = await repository.due(now, 10);
    expect(due.map((activity) => activity.id)).toEqual([both.id, toComplete.id, toStart.id]);
    expect(await repository.due(now, 1)).toHaveLength(1);
  });

  it('when two replicas take the same step, then it is applied once and the other is refused', async () => {
    const activity = await stored('published', -HOUR, HOUR);
    let invalidations = 0;
    const publicPages = {
      invalidate: async () => {
        invalidations += 1;
      },
    };
    const step = transition({ activities: repository, publicPages });
    const outcomes = await Promise.allSettled([
      step(activity.id, 'start', SCHEDULER, now),
      step(activity.id, 'start', SCHEDULER, now),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const [refused] = outcomes.filter((outcome) => outcome.status === 'rejected');
    const { code } = (refused as PromiseRejectedResult).reason as { code: string };
    expect(['VERSION_CONFLICT', 'ACTIVITY_TRANSITION_NOT_ALLOWED']).toContain(code);
    const doc = await activityModel(connection).findById(activity.id).select('+outbox').lean();
    expect(doc?.status).toBe('under_way');
    expect(doc?.outbox.map((entry) => entry.type)).toEqual(['activities.activity.started.v1']);
    // The step the public sees drops the cached public pages; the refused one does not.
    expect(invalidations).toBe(1);
  });

  it('when activities are read, then the counted enrollments, search grams and outbox stay in the store', async () => {
    const activity = await stored('published', HOUR, 2 * HOUR);
    await repository.recordAttendance(activity.id, randomUUID());
    const model = activityModel(connection);
    const heavy = await model
      .findById(activity.id)
      .select('+attendedEnrollments +grams +outbox')
      .lean();
    expect(heavy?.attendedEnrollments).toHaveLength(1);
    expect(heavy?.grams.length).toBeGreaterThan(0);
    expect(heavy?.outbox).toEqual([]);
    const plain = await model.findById(activity.id).lean();
    expect(plain).not.toHaveProperty('attendedEnrollments');
    expect(plain).not.toHaveProperty('grams');
    expect(plain).not.toHaveProperty('outbox');
    // The grams still filter even though they are not read back.
    const found = await repository.listPublic({
      statuses: ['published'],
      grams: ['活动'],
      pageSize: 200,
    });
    expect(found.items.map((item) => item.id)).toContain(activity.id);
  });

  it('when the same enrollment’s attendance is counted twice, then it counts once', async () => {
    const activity = await stored('under_way', -HOUR, HOUR);
    const enrollment = randomUUID();
    expect(await repository.recordAttendance(activity.id, enrollment)).toBe(true);
    expect(await repository.recordAttendance(activity.id, enrollment)).toBe(false);
    expect(await repository.recordAttendance(activity.id, randomUUID())).toBe(true);
    expect(await repository.recordAttendance(randomUUID(), enrollment)).toBe(false);
    expect((await repository.get(Scope.cityWide(), activity.id))?.attended).toBe(2);
  });
});
