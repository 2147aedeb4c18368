import { createLocalIssuer, type LocalIssuer } from '@learning/auth';
import { topicsToProvision } from '@learning/events';
import {
  describeWithServers,
  ensureTopics,
  eventually,
  jurisdictionTree,
  uniqueName,
} from '@learning/testing';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startChildApp, type ChildApp } from '../fixtures/imports/child-app.js';
import { participantCsv } from '../fixtures/imports/rows.js';
import { testEnvironment } from '../support/app.js';
import { seedJurisdictions, send } from '../support/http.js';
import { connectTo } from '../support/people.js';

const ROWS = 3_000;
const BATCH = 100;
const VILLAGE = '330281001001';

interface ImportBody {
  id: string;
  status: string;
  rowsRead: number;
  imported: number;
  duplicates: number;
  failed: number;
}

describeWithServers(
  ['mongo', 'kafka', 'redis'],
  'registration import crash and resume',
  (servers) => {
    let issuer: LocalIssuer;
    let env: Record<string, string>;
    let database: string;
    let connection: Connection;
    const children: ChildApp[] = [];

    beforeAll(async () => {
      await ensureTopics(servers.kafka, topicsToProvision());
      issuer = await createLocalIssuer({ issuer: 'test-issuer', audience: 'test-audience' });
      database = uniqueName('registration');
      // One environment for both processes: they must hash ID numbers under the same key to find the same people.
      env = {
        ...testEnvironment(servers, issuer),
        MONGODB_DATABASE: database,
        LOG_LEVEL: 'info',
        IMPORT_BATCH_SIZE: String(BATCH),
        IMPORT_LEASE_MS: '1000',
        IMPORT_POLL_MS: '100',
        // A killed process stays a member of its consumer groups for a while; keep others' groups clear of it.
        KAFKA_GROUP_NAMESPACE: uniqueName('crash-resume'),
      };
      connection = await connectTo(servers.mongo.uri, database);
    });

    afterAll(async () => {
      for (const child of children) await child.kill('SIGKILL');
      await connection.close();
    });

    it('when the worker process is killed mid-file, then a restarted process resumes from the checkpoint and every row is stored once', async () => {
      const admin = await issuer.sign({ subject: 'admin-1', roles: ['city_admin'] });
      const first = await startChildApp(env);
      children.push(first);
      await seedJurisdictions(
        first.base,
        admin,
        jurisdictionTree({ townships: 1, villagesPerTownship: 1 }),
      );

      const uploaded = await send(
        first.base,
        'POST',
        '/v1/imports?kind=participants',
        admin,
        participantCsv(ROWS, VILLAGE),
        { contentType: 'text/csv' },
      );
      expect(uploaded.status).toBe(201);
      const { id } = (await uploaded.json()) as ImportBody;
      const progressOf = async (base: string): Promise<ImportBody> =>
        (await (await send(base, 'GET', `/v1/imports/${id}`, admin)).json()) as ImportBody;

      await eventually(
        'a few batches checkpointed',
        async () => ((await progressOf(first.base)).rowsRead >= 5 * BATCH ? true : undefined),
        60_000,
      );
      await first.kill('SIGKILL');
      const atKill = await connection.collection('import_jobs').findOne({ _id: id as never });
      expect(atKill?.['status']).toBe('running');
      const rowsAtKill = (atKill?.['progress'] as { rowsRead: number }).rowsRead;
      expect(rowsAtKill).toBeLessThan(ROWS);

      const second = await startChildApp(env);
      children.push(second);
      const done = await eventually(
        'the import completed by the second process',
        async () => {
          const job = await progressOf(second.base);
          return job.status === 'completed' ? job : undefined;
        },
        120_000,
      );

      expect(done).toMatchObject({ rowsRead: ROWS, failed: 0 });
      expect(done.imported + done.duplicates).toBe(ROWS);
      // At most the batch in flight when the process died is counted as already there.
      expect(done.duplicates).toBeLessThanOrEqual(BATCH);
      const resumed = second.lines.find((line) => line['msg'] === 'import claimed');
      expect(resumed?.['resumeAtRow']).toBeGreaterThanOrEqual(rowsAtKill);
      const participants = connection.collection('participants');
      expect(await participants.countDocuments({})).toBe(ROWS);
      expect((await participants.distinct('idNumber.hash')).length).toBe(ROWS);
      // As long as its own waits: a loaded machine imports the rows slower.
    }, 240_000);
  },
);
