import { randomUUID } from 'node:crypto';
import { generatePiiEnvironment } from '@learning/pii';
import { buildServiceApp } from '@learning/runtime';
import { serviceTestEnvironment, useServiceApp } from '@learning/runtime/testing';
import {
  captureLogger,
  describeWithServers,
  eventually,
  jurisdictionTree,
  uniqueName,
} from '@learning/testing';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { registrationService } from '../../src/app.js';
import { loadRegistrationConfig } from '../../src/config.js';
import { seedJurisdictions } from '../support/http.js';
import { idNumberOf, storedParticipant } from '../support/people.js';

const DAY_MS = 86_400_000;
const tree = jurisdictionTree({ townships: 1, villagesPerTownship: 1 });
const PATH = ['330281000000', '330281001000', '330281001001'];

/**
 * Every collection of registration's database, and why it is (or is not) in
 * the person's copy and erasure. A new collection fails the guard below until
 * it is declared to the kit or listed here with its reason.
 */
const DECLARED = {
  participants: 'participant, contacts, account, consents',
  enrollments: 'enrollments (pseudonymized on erasure)',
  memberships: 'memberships (ended, pseudonymized on erasure)',
  data_exports: 'data-exports',
  erasure_requests: 'erasure-requests',
};
const WITHOUT_PERSONAL_DATA = {
  // Places, organizations, departments' tables and events' seat ledgers: nobody's personal data.
  jurisdictions: 'the jurisdiction tree',
  organizations:
    "learning organizations (an organization's contact is its own, not a participant's)",
  department_tables: "departments' tables",
  seated_events: "events' seat ledgers: counts only",
  // Officers are staff reached in their duty, not participants: their directory entry is theirs to remove.
  officers: "officers' duty contacts (DELETE /v1/officers/me)",
  // Import jobs and their row errors: file names, counts, row numbers and codes; messages never echo a value.
  import_jobs: 'bulk import jobs',
  import_errors: 'row errors of imports',
  // The kit's record of completed erasures: the request id and a participant id nothing links any more.
  privacy_erasures: 'completed erasures (pseudonymous)',
  // The audit log is kept by law for AUDIT_RETENTION_DAYS (at least 183), swept by the kit.
  audit_log: 'audit log',
  // The consumers' record of applied events: `<group>:<event id>` and a time.
  inbox: 'events already applied',
  // Which replica relays which outbox: replica ids and lease times.
  outbox_leases: "the outbox relay's leases",
};

describeWithServers(
  ['mongo', 'kafka', 'redis'],
  'registration personal data retention',
  (servers) => {
    const database = uniqueName('registration-retention');
    const start = Date.now();
    let now = new Date(start);
    const running = useServiceApp(registrationService, servers, {
      loadConfig: loadRegistrationConfig,
      environment: () => ({
        ...generatePiiEnvironment(),
        MONGODB_DATABASE: database,
        DATA_EXPORT_RETENTION_DAYS: '7',
        CLAIM_CODE_RETENTION_DAYS: '30',
      }),
      clock: () => now,
    });
    const run = randomUUID().slice(0, 8);
    let connection: Connection;
    const db = () => connection.useDb(database, { useCache: true });

    beforeAll(async () => {
      const admin = await running.issuer.sign({ subject: `admin-${run}`, roles: ['city_admin'] });
      await seedJurisdictions(running.base, admin, tree);
      connection = await mongoose.createConnection(servers.mongo.uri).asPromise();
    });
    afterAll(async () => {
      await connection.close();
    });

    async function exportAs(name: string, sequence: number): Promise<string> {
      const token = await running.issuer.sign({
        subject: `${name}-${run}`,
        roles: ['participant'],
      });
      const registered = await running.send('POST', '/v1/participants', token, {
        name: '钱多',
        tier: 'ordinary_citizen',
        homeJurisdiction: PATH[2],
        idNumber: idNumberOf('19750101', String(sequence)),
        language: 'en',
        consent: { notifications: false },
      });
      expect(registered.status).toBe(201);
      const started = await running.send('POST', '/v1/me/data-exports', token);
      expect(started.status).toBe(202);
      return ((await started.json()) as { id: string }).id;
    }

    it('when the sweep runs with the clock moved on, then exactly the copies older than their retention and the claim codes lapsed longer than theirs are removed', async () => {
      const old = await exportAs('old-export', 701);
      now = new Date(start + 3 * DAY_MS);
      const recent = await exportAs('recent-export', 702);
      const lapsedLongAgo = storedParticipant({
        _id: randomUUID(),
        jurisdictionPath: PATH,
        claimCode: { hash: randomUUID(), expiresAt: new Date(start - 40 * DAY_MS) },
      });
      const lapsedLately = storedParticipant({
        _id: randomUUID(),
        jurisdictionPath: PATH,
        claimCode: { hash: randomUUID(), expiresAt: new Date(start - 10 * DAY_MS) },
      });
      await db()
        .collection('participants')
        .insertMany([lapsedLongAgo, lapsedLately] as never[]);

      // A replica started eight days on sweeps as it starts: the cut-off for copies is day 1.
      const environment = {
        ...serviceTestEnvironment('registration', servers, running.issuer),
        ...generatePiiEnvironment(),
        MONGODB_DATABASE: database,
        DATA_EXPORT_RETENTION_DAYS: '7',
        CLAIM_CODE_RETENTION_DAYS: '30',
      };
      const later = buildServiceApp(registrationService, loadRegistrationConfig(environment), {
        logger: captureLogger('registration-later').logger,
        clock: () => new Date(start + 8 * DAY_MS),
      });
      await later.start();
      try {
        await eventually('the old copy removed', async () =>
          (await db()
            .collection('data_exports')
            .countDocuments({ _id: old as never })) === 0
            ? true
            : undefined,
        );
        await eventually('the long-lapsed claim code removed', async () => {
          const doc = await db()
            .collection('participants')
            .findOne({ _id: lapsedLongAgo._id as never });
          return doc !== null && doc['claimCode'] === undefined ? true : undefined;
        });
      } finally {
        await later.stop();
      }
      expect(
        await db()
          .collection('data_exports')
          .countDocuments({ _id: recent as never }),
      ).toBe(1);
      const kept = await db()
        .collection('participants')
        .findOne({ _id: lapsedLately._id as never });
      expect(kept?.['claimCode']).toBeDefined();
    });

    it('when the database’s collections are listed, then each is declared to the privacy kit or listed as holding no personal data', async () => {
      // Mongoose creates a model's collection with its indexes, soon after the app starts.
      const names = await eventually('every declared collection created', async () => {
        const listed = (await db().db?.listCollections().toArray())?.map((info) => info.name) ?? [];
        return Object.keys(DECLARED).every((name) => listed.includes(name)) ? listed : undefined;
      });
      const unaccounted = names.filter(
        (name) =>
          !(name in DECLARED) && !(name in WITHOUT_PERSONAL_DATA) && !name.startsWith('system.'),
      );
      expect(unaccounted).toEqual([]);
      // Listed as without personal data: none of them names a person's account.
      for (const name of Object.keys(WITHOUT_PERSONAL_DATA))
        expect(
          await db()
            .collection(name)
            .countDocuments({ accountSubject: { $exists: true } }),
          name,
        ).toBe(0);
    });
  },
);
