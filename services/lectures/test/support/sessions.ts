/**
 * What the session tests stand on: a street (the city) beside the stack's
 * townships (the countryside), venues in activities' catalogue, and the
 * series, forums and experts other slices own, written straight through the
 * shared models.
 */
import { randomUUID } from 'node:crypto';
import type { WatchedMessage } from '@learning/testing';
import type { Connection } from 'mongoose';
import { forumModel, seriesModel } from '../../src/adapters/mongo/catalogue.js';
import { expertModel } from '../../src/adapters/mongo/experts.js';
import type { TravelRadius } from '../../src/domain/experts.js';
import { expertDocument, forumDocument, seriesDocument } from './session-documents.js';
import type { LecturesStack } from './stack.js';
import { importStreet as importStreetOf } from './streets.js';

export { CITY } from './session-documents.js';
/** A street (街道): its venues are in the city. */
export const STREET = '330281101000';
export const STREET_COMMUNITY = '330281101001';
/** Townships (乡镇) of the stack's tree: their venues are in the countryside. */
export const T1 = '330281001000';
export const T1_V1 = '330281001001';
export const T2 = '330281002000';

export const HOUR = 60 * 60_000;
export const DAY = 24 * HOUR;

/** Adds the street and its community to registration's tree. */
export const importStreet = (stack: LecturesStack, admin: string): Promise<void> =>
  importStreetOf(stack, admin, {
    code: STREET,
    name: '城东街道',
    community: { code: STREET_COMMUNITY, name: '城东社区' },
  });

export async function addVenue(
  stack: LecturesStack,
  admin: string,
  name: string,
  jurisdictionCode: string,
): Promise<string> {
  const response = await stack.activities.send('POST', '/v1/venues', admin, {
    name,
    address: `${name}路1号`,
    jurisdictionCode,
  });
  if (response.status !== 201)
    throw new Error(`adding a venue: HTTP ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

export async function addSeries(db: Connection, ownerDepartment: string): Promise<string> {
  const id = randomUUID();
  const now = new Date();
  await seriesModel(db).create(
    seriesDocument({
      _id: id,
      name: `玉海大讲坛-${id.slice(0, 8)}`,
      ownerDepartment,
      createdAt: now,
      updatedAt: now,
    }),
  );
  return id;
}

export async function addForum(
  db: Connection,
  seriesId: string,
  fields: { name: string; managerSubjects: string[]; status?: 'active' | 'retired' },
): Promise<string> {
  const now = new Date();
  const forum = forumDocument({
    seriesId,
    name: fields.name,
    description: '',
    managerSubjects: fields.managerSubjects,
    leadDepartment: 'wenming-ban',
    status: fields.status ?? 'active',
    createdAt: now,
    updatedAt: now,
  });
  await forumModel(db).create(forum);
  return forum._id;
}

export async function addExpert(
  db: Connection,
  fields: {
    displayName: string;
    travelRadius: TravelRadius;
    availability: { startsAt: Date; endsAt: Date }[];
    status?: 'active' | 'retired';
  },
): Promise<string> {
  const id = randomUUID();
  const now = new Date();
  await expertModel(db).create(
    expertDocument({
      _id: id,
      accountSubject: `expert-${id}`,
      displayName: fields.displayName,
      specialties: [],
      availability: fields.availability,
      travelRadius: fields.travelRadius,
      status: fields.status ?? 'active',
      createdAt: now,
      updatedAt: now,
    }),
  );
  return id;
}

export function eventOf(message: WatchedMessage): { type: string; id: string; data: unknown } {
  const header = (name: string) => message.message.headers?.[name]?.toString() ?? '';
  return {
    type: header('ce_type'),
    id: header('ce_id'),
    data: JSON.parse(message.message.value?.toString() ?? 'null') as unknown,
  };
}

export const about =
  (subject: string, type?: string) =>
  (message: WatchedMessage): boolean =>
    message.message.key?.toString() === subject &&
    (type === undefined || message.message.headers?.['ce_type']?.toString() === type);
