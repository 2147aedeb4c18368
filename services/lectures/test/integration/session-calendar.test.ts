import { randomUUID } from 'node:crypto';
import { captureLogger, describeWithServers, uniqueName } from '@learning/testing';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MongoSessionRepository } from '../../src/adapters/mongo/session-calendar.js';
import { sessionModel } from '../../src/adapters/mongo/sessions.js';
import type { SessionVenue } from '../../src/application/sessions/ports.js';

const HOUR = 60 * 60_000;
const CITY = '330281000000';
const STREET = '330281101000';
const base = new Date('2030-04-10T00:00:00Z');
const at = (hours: number): Date => new Date(base.getTime() + hours * HOUR);

const hall: SessionVenue = {
  id: 'hall',
  name: '礼堂',
  address: null,
  setting: 'city',
  townshipCode: STREET,
};
const library: SessionVenue = { ...hall, id: 'library', name: '图书馆' };

/** The calendar a check reads: only the speakers' and the venue's scheduled sessions in the window. */
describeWithServers(['mongo'], 'the session calendar in MongoDB', (servers) => {
  let connection: Connection;
  let repository: MongoSessionRepository;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(servers.mongo.uri, { dbName: uniqueName('lectures-calendar') })
      .asPromise();
    const model = sessionModel(connection);
    await model.syncIndexes();
    repository = new MongoSessionRepository(model, captureLogger('calendar').logger);
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  async function stored(
    title: string,
    fields: { venue: SessionVenue; speakerIds: string[]; from: number; to: number },
  ): Promise<string> {
    const id = randomUUID();
    await repository.create({
      id,
      forumId: 'forum',
      leadDepartment: 'wenming-ban',
      lectureType: 'theory',
      title,
      description: '',
      jurisdictionPath: [CITY, STREET],
      venue: fields.venue,
      startsAt: at(fields.from),
      endsAt: at(fields.to),
      speakerIds: fields.speakerIds,
      capacity: null,
      signUpOpensAt: at(-100),
      signUpClosesAt: at(fields.from),
      targetTiers: ['ordinary_citizen'],
      categories: [],
      campaignId: null,
      liveStreamUrl: null,
      status: 'scheduled',
      cancellation: null,
      createdBy: 'test',
      createdAt: at(-100),
      updatedAt: at(-100),
      grams: [],
      events: [],
    });
    return id;
  }

  it('when the calendar near a plan is read, then it holds the speakers’ and the venue’s scheduled sessions starting in the window, once each, and nothing else', async () => {
    const wangNear = await stored('王的讲座', {
      venue: library,
      speakerIds: ['wang'],
      from: 1,
      to: 2,
    });
    const atHall = await stored('礼堂讲座', { venue: hall, speakerIds: ['li'], from: 3, to: 4 });
    const both = await stored('王在礼堂', { venue: hall, speakerIds: ['wang'], from: 5, to: 6 });
    const moving = await stored('要改期的', { venue: hall, speakerIds: ['wang'], from: 7, to: 8 });
    await stored('王的远期讲座', { venue: library, speakerIds: ['wang'], from: 30, to: 31 });
    await stored('别人别处', { venue: library, speakerIds: ['zhao'], from: 3, to: 4 });
    const cancelled = await stored('取消的', { venue: hall, speakerIds: ['wang'], from: 2, to: 3 });
    await repository.change({
      id: cancelled,
      expectedVersion: 1,
      updatedAt: at(-1),
      set: { status: 'cancelled' },
      events: [],
    });

    const entries = await repository.calendar({
      speakerIds: ['wang', 'qian'],
      venueId: 'hall',
      from: at(0),
      to: at(10),
      excludeId: moving,
    });

    expect(entries.map((entry) => entry.id).sort()).toEqual([wangNear, atHall, both].sort());
    expect(entries.find((entry) => entry.id === wangNear)).toEqual({
      id: wangNear,
      title: '王的讲座',
      startsAt: at(1),
      endsAt: at(2),
      speakerIds: ['wang'],
      venue: { id: 'library', setting: 'city', townshipCode: STREET },
    });
  });

  it('when no speaker is named, then the venue’s sessions alone are read', async () => {
    const entries = await repository.calendar({
      speakerIds: [],
      venueId: 'library',
      from: at(0),
      to: at(10),
    });

    expect(entries.map((entry) => entry.title).sort()).toEqual(['别人别处', '王的讲座']);
  });
});
