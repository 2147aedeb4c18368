/**
 * Documents of the catalogue and the calendar as scheduling and the catalogue
 * would store them, for the slices that read them (feedback, attendance, the
 * held marking), each checked against its schema before it is inserted.
 */
import { randomUUID } from 'node:crypto';
import { enrollmentEvents } from '@learning/contracts';
import { newEvent, toCloudEvent, toKafkaMessage, topics } from '@learning/events';
import { schemaViolations } from '@learning/mongo';
import { registration } from '@learning/proto';
import type { Message } from 'kafkajs';
import mongoose, { type Connection, type Model } from 'mongoose';
import { attendanceModel } from '../../src/adapters/mongo/attendance.js';
import { forumModel, type ForumDocument } from '../../src/adapters/mongo/catalogue.js';
import { feedbackModel } from '../../src/adapters/mongo/feedback.js';
import { expertModel, type ExpertDocument } from '../../src/adapters/mongo/experts.js';
import { sessionModel, type SessionDocument } from '../../src/adapters/mongo/sessions.js';

export const CITY = '330281000000';
export const T1 = '330281001000';
export const T1_V1 = '330281001001';

const HOUR = 3_600_000;

export function sessionDocument(fields: Partial<SessionDocument> = {}): SessionDocument {
  const now = Date.now();
  return {
    _id: randomUUID(),
    forumId: randomUUID(),
    leadDepartment: 'xuanchuan-bu',
    lectureType: 'theory',
    title: '乡村振兴与共同富裕',
    description: '',
    jurisdictionPath: [CITY, T1, T1_V1],
    venue: {
      id: randomUUID(),
      name: '文化礼堂',
      address: null,
      setting: 'countryside',
      townshipCode: T1,
    },
    startsAt: new Date(now - 3 * HOUR),
    endsAt: new Date(now - HOUR),
    speakerIds: [randomUUID()],
    capacity: 100,
    signUpOpensAt: new Date(now - 10 * 24 * HOUR),
    signUpClosesAt: new Date(now - 4 * HOUR),
    targetTiers: ['ordinary_citizen'],
    categories: ['political_theory'],
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
    createdAt: new Date(now - 20 * 24 * HOUR),
    updatedAt: new Date(now - 20 * 24 * HOUR),
    version: 1,
    outbox: [],
    ...fields,
  };
}

export function forumDocument(fields: Partial<ForumDocument> = {}): ForumDocument {
  const at = new Date();
  return {
    _id: randomUUID(),
    seriesId: randomUUID(),
    name: `人文讲坛 ${randomUUID().slice(0, 8)}`,
    description: '',
    managerSubjects: [],
    targetTiers: ['ordinary_citizen'],
    categories: ['ethics_etiquette'],
    leadDepartment: 'xuanchuan-bu',
    status: 'active',
    createdBy: 'city-admin',
    createdAt: at,
    updatedAt: at,
    version: 1,
    outbox: [],
    ...fields,
  };
}

export function expertDocument(fields: Partial<ExpertDocument> = {}): ExpertDocument {
  const at = new Date();
  return {
    _id: randomUUID(),
    accountSubject: `expert-${randomUUID()}`,
    participantId: randomUUID(),
    displayName: '王教授',
    title: '教授',
    employer: '宁波大学',
    fields: ['political_theory'],
    specialties: ['乡村振兴'],
    languages: ['zh-CN'],
    availability: [],
    travelRadius: 'countryside',
    phoneEncrypted: null,
    emailEncrypted: null,
    status: 'active',
    createdBy: 'city-admin',
    createdAt: at,
    updatedAt: at,
    version: 1,
    outbox: [],
    ...fields,
  };
}

/** Inserts the documents after checking each against the model's schema. */
export async function insertValid<T>(model: Model<T>, docs: readonly T[]): Promise<void> {
  for (const doc of docs) {
    const violations = schemaViolations(model, doc);
    if (violations !== undefined)
      throw new Error(`${model.modelName} fixture violates its schema at ${violations.join(', ')}`);
  }
  await model.collection.insertMany(
    docs as unknown as mongoose.mongo.OptionalId<mongoose.mongo.Document>[],
  );
}

/** The lectures database, opened beside the app to seed and inspect it. */
export async function openDatabase(uri: string, database: string) {
  const connection: Connection = await mongoose
    .createConnection(uri, { dbName: database })
    .asPromise();
  return {
    connection,
    sessions: sessionModel(connection),
    forums: forumModel(connection),
    experts: expertModel(connection),
    attendance: attendanceModel(connection),
    feedback: feedbackModel(connection),
  };
}

export interface Enrollment {
  readonly enrollmentId: string;
  readonly sessionId: string;
  readonly accountSubject: string;
  readonly owner?: string;
}

/** Registration's AttendanceRecorded as it reaches Kafka, keyed by the event as registration keys it. */
export function attendanceRecorded(enrollment: Enrollment): { id: string; message: Message } {
  const owner = enrollment.owner ?? 'lectures';
  const entry = newEvent(enrollmentEvents.AttendanceRecorded, `${owner}:${enrollment.sessionId}`, {
    enrollmentId: enrollment.enrollmentId,
    event: { owner, eventId: enrollment.sessionId },
    participantId: `participant-${enrollment.accountSubject}`,
    basis: registration.AttendanceBasis.ATTENDANCE_BASIS_CHECK_IN,
    attendedAt: new Date(),
    accountSubject: enrollment.accountSubject,
  });
  return { id: entry.id, message: toKafkaMessage(toCloudEvent(entry, '/learning/registration')) };
}

/** Registration's CheckInInvalidated for the enrollment. */
export function checkInInvalidated(
  enrollment: Enrollment,
  attendanceWithdrawn: boolean,
): { id: string; message: Message } {
  const owner = enrollment.owner ?? 'lectures';
  const now = new Date();
  const entry = newEvent(enrollmentEvents.CheckInInvalidated, `${owner}:${enrollment.sessionId}`, {
    enrollmentId: enrollment.enrollmentId,
    event: { owner, eventId: enrollment.sessionId },
    participantId: `participant-${enrollment.accountSubject}`,
    checkedInAt: new Date(now.getTime() - HOUR),
    attendanceWithdrawn,
    startsAt: now,
    endsAt: new Date(now.getTime() + HOUR),
    invalidatedAt: now,
  });
  return { id: entry.id, message: toKafkaMessage(toCloudEvent(entry, '/learning/registration')) };
}

export const enrollmentsTopic = topics.registrationEnrollments.name;
