/**
 * Imports N generated participants through the real route of a registration
 * process started in a child, and prints rows/s and the child's peak RSS.
 *
 *   pnpm --filter @learning/registration bench:import [--rows 1000000] [--batch 1000]
 *
 * Uses MONGODB_URI / KAFKA_BROKERS / REDIS_URL when set, otherwise the local
 * stand-ins (their Mongo serves one command at a time, about 0.5 ms each: the
 * figures then measure the stand-in as much as the service).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createLocalIssuer } from '@learning/auth';
import { generatePiiEnvironment } from '@learning/pii';
import { obtainServiceServers } from '@learning/runtime/testing';
import { isLocalStandIn, jurisdictionTree, printBenchSummary, uniqueName } from '@learning/testing';
import { startChildApp } from '../test/fixtures/imports/child-app.js';
import { participantLine, PARTICIPANT_HEADER } from '../test/fixtures/imports/rows.js';
import { seedJurisdictions, send, streamUpload } from '../test/support/http.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '1000' },
  },
});
const rows = Number(values.rows);
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

/** Resident and peak resident memory of a process, from /proc (Linux). */
async function memoryOf(pid: number): Promise<{ rssKb: number; hwmKb: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
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
  let peakRssKb = 0;
  const sampler = setInterval(() => {
    memoryOf(child.pid).then(
      ({ rssKb }) => (peakRssKb = Math.max(peakRssKb, rssKb)),
      () => undefined,
    );
  }, 200);
  try {
    const admin = await issuer.sign({ subject: 'bench-admin', roles: ['city_admin'] });
    await seedJurisdictions(child.base, admin, tree);

    const started = Date.now();
    const uploaded = await streamUpload(
      `${child.base}/v1/imports?kind=participants`,
      admin,
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
      job = (await (await send(child.base, 'GET', `/v1/imports/${id}`, admin)).json()) as Job;
      if (Date.now() - lastPrint > 10_000) {
        lastPrint = Date.now();
        process.stdout.write(
          `  ${job.rowsRead} rows, ${job.rowsPerSecond ?? '-'} rows/s, RSS ${Math.round(peakRssKb / 1024)} MB peak\n`,
        );
      }
      if (job.status === 'completed' || job.status === 'failed') break;
    }
    const totalMs = Date.now() - started;
    const { hwmKb } = await memoryOf(child.pid);
    const servicePeakRssMb = Math.round(Math.max(peakRssKb, hwmKb) / 1024);
    const uploadMbPerSecond = Number((size / 1e6 / (uploadMs / 1000)).toFixed(1));
    const rowsPerSecondUploadToCompleted = Math.round(rows / (totalMs / 1000));
    process.stdout.write(
      [
        '',
        `rows:                ${rows} (${job.imported} imported, ${job.duplicates} existing, ${job.failed} refused; ${job.status})`,
        `upload:              ${uploadMs} ms (${uploadMbPerSecond.toFixed(1)} MB/s)`,
        `import (worker):     ${job.rowsPerSecond ?? '-'} rows/s`,
        `upload → completed:  ${(totalMs / 1000).toFixed(1)} s, ${rowsPerSecondUploadToCompleted} rows/s`,
        `service peak RSS:    ${servicePeakRssMb} MB (VmHWM; target < 300 MB)`,
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
      servicePeakRssMb,
      // Memory and the upload (to disk) are the service's own; the import waits on MongoDB.
      boundByStandIn: isLocalStandIn(mongo.origin)
        ? ['workerRowsPerSecond', 'uploadToCompletedSeconds', 'rowsPerSecondUploadToCompleted']
        : [],
    };
  } finally {
    clearInterval(sampler);
    await child.kill('SIGTERM');
  }
} finally {
  await rm(work, { recursive: true, force: true });
  await servers.stop();
}
printBenchSummary('registration.import', summary);
