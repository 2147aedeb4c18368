/**
 * People for tests and benchmarks: valid resident ID numbers (real GB 11643
 * check characters), mobile numbers, and participant documents written
 * straight into the app's database.
 */
import { randomUUID } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import type { ParticipantDocument } from '../../src/adapters/mongo/participants.js';
import type { Tier } from '../../src/domain/participants.js';

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARACTERS = '10X98765432';
const DAY_MS = 24 * 60 * 60 * 1000;
const FIRST_BIRTH = Date.UTC(1950, 0, 1);

/** A valid 18-character ID number: region, birth date `YYYYMMDD`, a 3-digit sequence, its check character. */
export function idNumberOf(birth = '19900101', sequence = '123', region = '330281'): string {
  const body = `${region}${birth}${sequence}`;
  const sum = ID_WEIGHTS.reduce((total, weight, i) => total + weight * Number(body[i]), 0);
  return `${body}${ID_CHECK_CHARACTERS[sum % 11] ?? ''}`;
}

/** The `index`-th of a million distinct valid ID numbers: 1,000 per birth date from 1950 on. */
export function idNumberFor(index: number, region = '330281'): string {
  const birth = new Date(FIRST_BIRTH + Math.floor(index / 1000) * DAY_MS);
  const date = birth.toISOString().slice(0, 10).replaceAll('-', '');
  return idNumberOf(date, String(index % 1000).padStart(3, '0'), region);
}

/** A mobile number, distinct for each `n` below 100 million. */
export const phoneOf = (n: number): string => `139${String(n % 100_000_000).padStart(8, '0')}`;

/**
 * A participants document as the participants slice stores it: `fields` over
 * an ordinary citizen with placeholder protected values, no phone and no outbox.
 */
export function storedParticipant(
  fields: Pick<ParticipantDocument, '_id' | 'jurisdictionPath'> & Partial<ParticipantDocument>,
  now = new Date(),
): ParticipantDocument {
  return {
    name: 'Test Person',
    tier: 'ordinary_citizen',
    birthDate: '1980-01-01',
    idNumber: { hash: randomUUID(), sealed: 'sealed', masked: '330281********0000' },
    phone: null,
    language: 'zh-CN',
    consent: { notifications: true, updatedAt: now },
    employer: null,
    source: 'import',
    createdAt: now,
    updatedAt: now,
    version: 1,
    outbox: [],
    ...fields,
  };
}

/** Writes one participant per person with an account (`subject`), 1,000 a batch; resolves with their ids. */
export async function seedParticipants(
  connection: Connection,
  people: readonly { subject: string; tier: Tier; path: string[]; birthDate?: string | null }[],
): Promise<string[]> {
  const now = new Date();
  const docs = people.map((person) =>
    storedParticipant(
      {
        _id: randomUUID(),
        accountSubject: person.subject,
        tier: person.tier,
        jurisdictionPath: person.path,
        birthDate: person.birthDate ?? '1980-01-01',
        source: 'self',
      },
      now,
    ),
  );
  for (let i = 0; i < docs.length; i += 1000)
    await connection.collection('participants').insertMany(docs.slice(i, i + 1000) as never[]);
  return docs.map((doc) => doc._id);
}

/** A connection of its own to the app's database, to seed or inspect it. */
export const connectTo = (uri: string, database: string): Promise<Connection> =>
  mongoose.createConnection(uri, { dbName: database }).asPromise();
