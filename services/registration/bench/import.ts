/**
 * Imports N generated participants through the real route of a registration
 * process started in a child, and prints rows/s, the child's CPU per row and
 * peak RSS, and the MongoDB stand-in's RSS.
 *
 *   pnpm --filter @learning/registration bench:import [--rows 1000000] [--batch 1000] [--quick]
 *
 * Uses MONGODB_URI / KAFKA_BROKERS / REDIS_URL when set, otherwise the local
 * stand-ins (their Mongo serves one command at a time, about 0.5 ms each: the
 * figures then measure the stand-in as much as the service).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createLocalIssuer } from '@learning/auth';
import { generatePiiEnvironment } from '@learning/pii';
import { obtainServiceServers } from '@learning/runtime/testing';
import {
  isLocalStandIn,
  jurisdictionTree,
  printBenchSummary,
  processCpuMs,
  sampleProcessMemory,
  uniqueName,
} from '@learning/testing';
import { startChildApp } from '../test/fixtures/imports/child-app.js';
import { participantLine, PARTICIPANT_HEADER } from '../test/fixtures/imports/rows.js';
import { seedJurisdictions, send, streamUpload } from '../test/support/http.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string' },
    batch: { type: 'string', default: '1000' },
    // A size that shows the figures in about a minute on the stand-ins.
    quick: { type: 'boolean', default: false },
  },
});
const rows = Number(values.rows ?? (values.quick ? 5_000 : 1_000_000));
const batch = Number(values.batch);
if (!Number.isInteger(rows) || rows < 1 || rows > 1_000_000)
  throw new Error('--rows is a whole number from 1 to 1,000,000');

const tree = jurisdictionTree({ townships: 10, villagesPerTownship: 10 });
const villages = tree.filter((node) => node.level === 'village').map((node) => node.code);

/** Writes the rows with backpressure, so the generator holds one chunk at a time. */
async function generate(path: string): Promise<number> {
  const out = createWriteStream(path);
  out.write(`${PARTICIPANT_HEADER}\n`);
  for (let index = 0; index < rows; index += 1) {
    const line = `${participantLine(index, villages[index % villages.length] ?? '')}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return (await stat(path)).size;
}

const servers = await obtainServiceServers();
const work = await mkdtemp(join(tmpdir(), 'bench-import-'));
let summary: Parameters<typeof printBenchSummary>[1];
try {
  const { mongo, kafka, redis } = servers.servers;

  const csv = join(work, 'participants.csv');
  const generatedAt = Date.now();
  const size = await generate(csv);
  process.stdout.write(
    `generated ${rows} rows (${(size / 1e6).toFixed(1)} MB) in ${Date.now() - generatedAt} ms\n`,
  );

  const issuer = await createLocalIssuer({ issuer: 'bench', audience: 'bench' });
  const child = await startChildApp(
    {
      MONGODB_URI: mongo.uri,
      MONGODB_DATABASE: uniqueName('registration-bench'),
      KAFKA_BROKERS: kafka.brokers.join(','),
      REDIS_URL: redis.url,
      HTTP_PORT: '0',
      GRPC_PORT: '0',
      // Info: the start line carries the port.
      LOG_LEVEL: 'info',
      JWT_ISSUER: issuer.issuer,
      JWT_AUDIENCE: issuer.audience,
      JWT_PUBLIC_KEY: issuer.publicKeyPem,
      IMPORT_DIRECTORY: join(work, 'uploads'),
      IMPORT_BATCH_SIZE: String(batch),
      // The image's heap cap (Dockerfile); BENCH_NODE_OPTIONS='' measures V8's defaults instead.
      NODE_OPTIONS: process.env['BENCH_NODE_OPTIONS'] ?? '--max-old-space-size=192',
      ...generatePiiEnvironment(),
    },
    // The service as production runs it: the build output, not the sources under tsx.
    { built: true },
  );
  const serviceMemory = sampleProcessMemory(child.pid, 200);
  // Only the local stand-in has a process here to measure.
  const standInMemory = mongo.pid === undefined ? undefined : sampleProcessMemory(mongo.pid);
  try {
    // A token lives 15 minutes and a full-size import takes longer: each request signs its own.
    const admin = (): Promise<string> =>
      issuer.sign({ subject: 'bench-admin', roles: ['city_admin'] });
    await seedJurisdictions(child.base, await admin(), tree);

    const started = Date.now();
    const cpuBeforeMs = await processCpuMs(child.pid);
    const uploaded = await streamUpload(
      `${child.base}/v1/imports?kind=participants`,
      await admin(),
      size,
      (request) => createReadStream(csv).pipe(request),
    );
    if (uploaded.status !== 201)
      throw new Error(`upload: HTTP ${uploaded.status} ${uploaded.body}`);
    const uploadMs = Date.now() - started;
    const { id } = JSON.parse(uploaded.body) as { id: string };
    process.stdout.write(`uploaded in ${uploadMs} ms; importing…\n`);

    interface Job {
      status: string;
      rowsRead: number;
      imported: number;
      duplicates: number;
      failed: number;
      rowsPerSecond: number | null;
    }
    let job: Job;
    let lastPrint = 0;
    for (;;) {
      await sleep(1_000);
      const polled = await send(child.base, 'GET', `/v1/imports/${id}`, await admin());
      if (!polled.ok) throw new Error(`job status: HTTP ${polled.status} ${await polled.text()}`);
      job = (await polled.json()) as Job;
      if (Date.now() - lastPrint > 10_000) {
        lastPrint = Date.now();
        const standIn =
          standInMemory === undefined ? '' : `, stand-in ${standInMemory.peakRssMb()} MB`;
        process.stdout.write(
          `  ${job.rowsRead} rows, ${job.rowsPerSecond ?? '-'} rows/s, RSS ${serviceMemory.peakRssMb()} MB peak${standIn}\n`,
        );
      }
      if (job.status === 'completed' || job.status === 'failed') break;
    }
    const totalMs = Date.now() - started;
    // The upload and the import: the service's whole work for these rows.
    const serviceCpuMsPerRow = Number(
      (((await processCpuMs(child.pid)) - cpuBeforeMs) / rows).toFixed(3),
    );
    const servicePeakRssMb = (await serviceMemory.stop()).peakRssMb;
    const standInRssMb = standInMemory === undefined ? null : (await standInMemory.stop()).rssMb;
    const uploadMbPerSecond = Number((size / 1e6 / (uploadMs / 1000)).toFixed(1));
    const rowsPerSecondUploadToCompleted = Math.round(rows / (totalMs / 1000));
    process.stdout.write(
      [
        '',
        `rows:                ${rows} (${job.imported} imported, ${job.duplicates} existing, ${job.failed} refused; ${job.status})`,
        `upload:              ${uploadMs} ms (${uploadMbPerSecond.toFixed(1)} MB/s)`,
        `import (worker):     ${job.rowsPerSecond ?? '-'} rows/s`,
        `upload → completed:  ${(totalMs / 1000).toFixed(1)} s, ${rowsPerSecondUploadToCompleted} rows/s`,
        `service CPU:         ${serviceCpuMsPerRow} ms per row (upload and import)`,
        `service peak RSS:    ${servicePeakRssMb} MB (target < 300 MB)`,
        `stand-in RSS:        ${standInRssMb ?? '-'} MB (the MongoDB stand-in holding the rows)`,
        '',
      ].join('\n'),
    );
    summary = {
      rows,
      batch,
      csvMb: Number((size / 1e6).toFixed(1)),
      imported: job.imported,
      existing: job.duplicates,
      refused: job.failed,
      status: job.status,
      uploadMs,
      uploadMbPerSecond,
      workerRowsPerSecond: job.rowsPerSecond,
      uploadToCompletedSeconds: Number((totalMs / 1000).toFixed(1)),
      rowsPerSecondUploadToCompleted,
      serviceCpuMsPerRow,
      servicePeakRssMb,
      standInRssMb,
      // Memory and the upload (to disk) are the service's own; the import waits on MongoDB.
      boundByStandIn: isLocalStandIn(mongo.origin)
        ? ['workerRowsPerSecond', 'uploadToCompletedSeconds', 'rowsPerSecondUploadToCompleted']
        : [],
    };
  } finally {
    await serviceMemory.stop().catch(() => undefined);
    await standInMemory?.stop().catch(() => undefined);
    await child.kill('SIGTERM');
  }
} finally {
  await rm(work, { recursive: true, force: true });
  await servers.stop();
}
printBenchSummary('registration.import', summary, {
  imported: { equals: rows },
  status: { equals: 'completed' },
  servicePeakRssMb: { atMost: 300 },
});
