/**
 * Documents of the catalogue and the calendar as scheduling and the catalogue
 * would store them, for the slices that read them (feedback, attendance, the
 * held marking), each checked against its schema before it is inserted.
 */
import { randomUUID } from 'node:crypto';
import { enrollmentEvents } from '@learning/contracts';
import { newEvent, toCloudEvent, toKafkaMessage, topics } from '@learning/events';
import { registration } from '@learning/proto';
import type { Message } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { attendanceModel } from '../../src/adapters/mongo/attendance.js';
import { forumModel, type ForumDocument } from '../../src/adapters/mongo/catalogue.js';
import { feedbackModel } from '../../src/adapters/mongo/feedback.js';
import { expertModel, type ExpertDocument } from '../../src/adapters/mongo/experts.js';
import { sessionModel, type SessionDocument } from '../../src/adapters/mongo/sessions.js';
import {
  expertDocument as baseExpert,
  forumDocument as baseForum,
  sessionDocument as baseSession,
} from './session-documents.js';

export { CITY, T1, T1_V1, insertValid } from './session-documents.js';

const HOUR = 3_600_000;

/** A session that ended an hour ago in the countryside (feedback and attendance follow a session). */
export function sessionDocument(fields: Partial<SessionDocument> = {}): SessionDocument {
  const now = Date.now();
  const venue = baseSession().venue;
  return baseSession({
    lectureType: 'theory',
    title: '乡村振兴与共同富裕',
    description: '',
    venue: { ...venue, address: null, setting: 'countryside' },
    startsAt: new Date(now - 3 * HOUR),
    endsAt: new Date(now - HOUR),
    signUpOpensAt: new Date(now - 10 * 24 * HOUR),
    signUpClosesAt: new Date(now - 4 * HOUR),
    categories: ['political_theory'],
    createdAt: new Date(now - 20 * 24 * HOUR),
    updatedAt: new Date(now - 20 * 24 * HOUR),
    ...fields,
  });
}

export function forumDocument(fields: Partial<ForumDocument> = {}): ForumDocument {
  const at = new Date();
  return baseForum({
    description: '',
    categories: ['ethics_etiquette'],
    createdAt: at,
    updatedAt: at,
    ...fields,
  });
}

export function expertDocument(fields: Partial<ExpertDocument> = {}): ExpertDocument {
  const at = new Date();
  return baseExpert({
    accountSubject: `expert-${randomUUID()}`,
    fields: ['political_theory'],
    specialties: ['乡村振兴'],
    createdAt: at,
    updatedAt: at,
    ...fields,
  });
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
  /** Registration's id of the attendee; derived from the account subject when not given. */
  readonly participantId?: string;
  readonly attendedAt?: Date;
}

/** Registration's AttendanceRecorded as it reaches Kafka, keyed by the event as registration keys it. */
export function attendanceRecorded(enrollment: Enrollment): { id: string; message: Message } {
  const owner = enrollment.owner ?? 'lectures';
  const entry = newEvent(enrollmentEvents.AttendanceRecorded, `${owner}:${enrollment.sessionId}`, {
    enrollmentId: enrollment.enrollmentId,
    event: { owner, eventId: enrollment.sessionId },
    participantId: enrollment.participantId ?? `participant-${enrollment.accountSubject}`,
    basis: registration.AttendanceBasis.ATTENDANCE_BASIS_CHECK_IN,
    attendedAt: enrollment.attendedAt ?? new Date(),
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
