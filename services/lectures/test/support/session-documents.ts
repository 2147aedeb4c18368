/**
 * Valid documents of the shared lectures collections, for tests that put
 * series, sessions, forums and experts in place directly (the writes are
 * other slices'): the one builder of each, which the slices' fixtures
 * (feedback-fixtures.ts, coverage.ts, sessions.ts) give their own defaults.
 * Each builder's output passes the collection's schema
 * (test/unit/session-documents.test.ts).
 */
import { randomUUID } from 'node:crypto';
import { schemaViolations } from '@learning/mongo';
import type mongoose from 'mongoose';
import type { Model } from 'mongoose';
import type { ExpertDocument } from '../../src/adapters/mongo/experts.js';
import type { ForumDocument, SeriesDocument } from '../../src/adapters/mongo/catalogue.js';
import type { SessionDocument } from '../../src/adapters/mongo/sessions.js';

export const HOUR = 60 * 60 * 1000;
export const CITY = '330281000000';
export const T1 = '330281001000';
export const T1_V1 = '330281001001';
export const T1_V2 = '330281001002';
export const T2 = '330281002000';
export const T2_V1 = '330281002001';
export const T3 = '330281003000';

/** `ms` from now. */
export const fromNow = (ms: number): Date => new Date(Date.now() + ms);

const CREATED_AT = new Date('2026-01-05T02:00:00Z');

/** A lecture series, run by `ownerDepartment`'s officers. */
export function seriesDocument(overrides: Partial<SeriesDocument> = {}): SeriesDocument {
  return {
    _id: randomUUID(),
    name: `玉海大讲坛 ${randomUUID().slice(0, 8)}`,
    description: '',
    ownerDepartment: 'xuanchuan-bu',
    createdBy: 'city-admin',
    createdAt: CREATED_AT,
    updatedAt: CREATED_AT,
    version: 1,
    outbox: [],
    ...overrides,
  };
}

/** A forum of the series, managed by `managerSubjects`. */
export function forumDocument(overrides: Partial<ForumDocument> = {}): ForumDocument {
  return {
    _id: randomUUID(),
    seriesId: randomUUID(),
    name: `人文讲坛 ${randomUUID().slice(0, 6)}`,
    description: '历史与文化',
    managerSubjects: [],
    targetTiers: ['ordinary_citizen'],
    categories: ['science_culture_skills'],
    leadDepartment: 'xuanchuan-bu',
    status: 'active',
    createdBy: 'city-admin',
    createdAt: CREATED_AT,
    updatedAt: CREATED_AT,
    version: 1,
    outbox: [],
    ...overrides,
  };
}

/** An expert of the pool, whose account is `accountSubject`. */
export function expertDocument(overrides: Partial<ExpertDocument> = {}): ExpertDocument {
  return {
    _id: randomUUID(),
    accountSubject: `expert-${randomUUID().slice(0, 8)}`,
    participantId: randomUUID(),
    displayName: '王教授',
    title: '教授',
    employer: '宁波大学',
    fields: ['science_culture_skills'],
    specialties: ['宋韵文化'],
    languages: ['zh-CN'],
    availability: [],
    travelRadius: 'countryside',
    phoneEncrypted: null,
    emailEncrypted: null,
    status: 'active',
    createdBy: 'city-admin',
    createdAt: CREATED_AT,
    updatedAt: CREATED_AT,
    version: 1,
    outbox: [],
    ...overrides,
  };
}

/**
 * A scheduled session in village T1_V1 (a street of the city), a day from
 * now for two hours; `grams` stay empty unless given (tests of the search
 * pass `documentGrams(title, description)`).
 */
export function sessionDocument(overrides: Partial<SessionDocument> = {}): SessionDocument {
  const startsAt = overrides.startsAt ?? fromNow(24 * HOUR);
  return {
    _id: randomUUID(),
    forumId: randomUUID(),
    leadDepartment: 'xuanchuan-bu',
    lectureType: 'history_culture',
    title: '宋韵文化讲座',
    description: '走进宋代的城市生活',
    jurisdictionPath: [CITY, T1, T1_V1],
    venue: {
      id: randomUUID(),
      name: '文化礼堂',
      address: '一号路',
      setting: 'city',
      townshipCode: T1,
    },
    startsAt,
    endsAt: new Date(startsAt.getTime() + 2 * HOUR),
    speakerIds: [randomUUID()],
    capacity: 100,
    signUpOpensAt: new Date(startsAt.getTime() - 7 * 24 * HOUR),
    signUpClosesAt: startsAt,
    targetTiers: ['ordinary_citizen'],
    categories: ['science_culture_skills'],
    campaignId: null,
    liveStreamUrl: null,
    materials: [],
    recording: null,
    status: 'scheduled',
    cancellation: null,
    heldAt: null,
    attendanceCount: null,
    grams: [],
    createdBy: 'city-admin',
    createdAt: CREATED_AT,
    updatedAt: CREATED_AT,
    version: 1,
    outbox: [],
    ...overrides,
  };
}

/** Inserts the documents after checking each against the model's schema. */
export async function insertValid<T>(model: Model<T>, docs: readonly T[]): Promise<void> {
  for (const doc of docs) {
    const violations = schemaViolations(model, doc);
    if (violations !== undefined)
      throw new Error(`${model.modelName} fixture violates its schema at ${violations.join(', ')}`);
  }
  if (docs.length > 0)
    await model.collection.insertMany(
      docs as unknown as mongoose.mongo.OptionalId<mongoose.mongo.Document>[],
    );
}
