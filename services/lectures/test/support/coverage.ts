/**
 * What the coverage tests put straight into the collections other slices own
 * (sessions, attendance, experts, forums, series), each document checked
 * against its model first, and a lectures app beside the stack's.
 */
import { randomUUID } from 'node:crypto';
import type { ContentCategory } from '@learning/domain';
import { generatePiiEnvironment } from '@learning/pii';
import {
  type HarnessServers,
  type RunningApp,
  serviceToken,
  useServiceApp,
} from '@learning/runtime/testing';
import { uniqueName } from '@learning/testing';
import type { Connection } from 'mongoose';
import { attendanceModel, type AttendanceDocument } from '../../src/adapters/mongo/attendance.js';
import {
  forumModel,
  seriesModel,
  type ForumDocument,
  type SeriesDocument,
} from '../../src/adapters/mongo/catalogue.js';
import { expertModel, type ExpertDocument } from '../../src/adapters/mongo/experts.js';
import { sessionModel, type SessionDocument } from '../../src/adapters/mongo/sessions.js';
import { lecturesService } from '../../src/app.js';
import { loadLecturesConfig } from '../../src/config.js';
import type { TravelRadius } from '../../src/domain/experts.js';
import type { SessionStatus, VenueSetting } from '../../src/domain/sessions.js';
import {
  CITY,
  expertDocument,
  forumDocument,
  insertValid,
  seriesDocument,
  sessionDocument,
} from './session-documents.js';
import { type LecturesStack } from './stack.js';
import { importStreet as importStreetOf } from './streets.js';

export { CITY };
export const T1 = '330281001000';
export const T2 = '330281002000';
export const T3 = '330281003000';
/** A street (街道, city) added to the stack's tree of three townships. */
export const S4 = '330281004000';
export const S4_COMMUNITY = '330281004001';
export const T1_VILLAGE = '330281001001';

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

/** Adds the street and its community to the tree registration holds. */
export async function importStreet(stack: LecturesStack): Promise<void> {
  const admin = await stack.token({ subject: 'city-admin', roles: ['city_admin'], cityWide: true });
  await importStreetOf(stack, admin, {
    code: S4,
    name: '第4街道',
    community: { code: S4_COMMUNITY, name: '第4街道第1社区' },
  });
}

export const seriesDoc = (ownerDepartment: string, createdAt = new Date()): SeriesDocument =>
  seriesDocument({
    name: uniqueName('玉海大讲坛'),
    ownerDepartment,
    createdBy: 'office',
    createdAt,
    updatedAt: createdAt,
  });

export function forumDoc(seriesId: string, name: string): ForumDocument {
  const now = new Date();
  return forumDocument({
    seriesId,
    name,
    description: '',
    categories: ['political_theory'],
    createdBy: 'office',
    createdAt: now,
    updatedAt: now,
  });
}

export interface SessionSpec {
  township: string;
  startsAt: Date;
  status?: SessionStatus;
  forumId?: string;
  categories?: ContentCategory[];
  speakerIds?: string[];
}

const settingOf = (township: string): VenueSetting => (township === S4 ? 'city' : 'countryside');

export function sessionDoc(spec: SessionSpec): SessionDocument {
  const status = spec.status ?? 'held';
  const endsAt = new Date(spec.startsAt.getTime() + 2 * HOUR);
  const created = new Date(spec.startsAt.getTime() - 30 * DAY);
  return sessionDocument({
    forumId: spec.forumId ?? randomUUID(),
    lectureType: 'theory',
    title: '讲座',
    description: '',
    jurisdictionPath: [CITY, spec.township],
    venue: {
      id: randomUUID(),
      name: '礼堂',
      address: null,
      setting: settingOf(spec.township),
      townshipCode: spec.township,
    },
    startsAt: spec.startsAt,
    endsAt,
    speakerIds: spec.speakerIds ?? [randomUUID()],
    signUpOpensAt: created,
    signUpClosesAt: spec.startsAt,
    categories: spec.categories ?? ['political_theory'],
    status,
    cancellation:
      status === 'cancelled'
        ? { reason: '天气', cancelledBy: 'office', cancelledAt: created }
        : null,
    heldAt: status === 'held' ? endsAt : null,
    attendanceCount: status === 'held' ? 0 : null,
    createdBy: 'office',
    createdAt: created,
    updatedAt: created,
  });
}

export function attendanceDoc(township: string, attendedAt: Date): AttendanceDocument {
  return {
    _id: randomUUID(),
    sessionId: randomUUID(),
    participantId: randomUUID(),
    accountSubject: `person-${randomUUID()}`,
    attendedAt,
    townshipCode: township,
    recordedAt: attendedAt,
  };
}

export function expertDoc(
  name: string,
  fields: ContentCategory[],
  travelRadius: TravelRadius,
  status: 'active' | 'retired' = 'active',
): ExpertDocument {
  const now = new Date();
  return expertDocument({
    accountSubject: `expert-${randomUUID()}`,
    displayName: name,
    employer: '大学',
    fields,
    specialties: [],
    travelRadius,
    phoneEncrypted: 'secret-phone',
    emailEncrypted: 'secret-email',
    status,
    createdBy: 'office',
    createdAt: now,
    updatedAt: now,
  });
}

/** Inserts straight into the shared collections, each document valid by its model. */
export function seeder(connection: Connection) {
  return {
    series: (docs: SeriesDocument[]) => insertValid(seriesModel(connection), docs),
    forums: (docs: ForumDocument[]) => insertValid(forumModel(connection), docs),
    sessions: (docs: SessionDocument[]) => insertValid(sessionModel(connection), docs),
    attendance: (docs: AttendanceDocument[]) => insertValid(attendanceModel(connection), docs),
    experts: (docs: ExpertDocument[]) => insertValid(expertModel(connection), docs),
  };
}

/** Another lectures app beside the stack's, on `database`, with `environment` added. */
export const useLecturesReplica = (
  servers: HarnessServers,
  stack: LecturesStack,
  database: string,
  options: { environment?: Readonly<Record<string, string>>; clock?: () => Date } = {},
): RunningApp =>
  useServiceApp(lecturesService, servers, {
    loadConfig: loadLecturesConfig,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    environment: async (issuer) => ({
      ...generatePiiEnvironment(),
      MONGODB_DATABASE: database,
      KAFKA_GROUP_NAMESPACE: uniqueName('lectures-replica'),
      REGISTRATION_GRPC_ADDRESS: `127.0.0.1:${stack.registration.ports.grpcPort}`,
      REGISTRATION_SERVICE_TOKEN: await serviceToken(issuer, 'lectures'),
      ACTIVITIES_GRPC_ADDRESS: `127.0.0.1:${stack.activities.ports.grpcPort}`,
      ACTIVITIES_SERVICE_TOKEN: await serviceToken(issuer, 'lectures'),
      SCHEDULER_TICK_MS: String(60 * 60_000),
      ...options.environment,
    }),
  });
