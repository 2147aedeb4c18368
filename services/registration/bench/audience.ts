/**
 * pnpm --filter @learning/registration bench:audience [--count 1000000] [--small 20000] [--page 1000] [--quick]
 *
 * Inserts generated participants (bulk insertMany in batches), serves the
 * ParticipantDirectoryService alone on a real gRPC port with the service's own
 * repository, audience reader and use cases, and streams the whole city to a
 * real gRPC client in a child process (this script again, with --load), so
 * the CPU and RSS measured here are the serving process's alone. Prints
 * participants/s, the server's peak RSS while streaming and the MongoDB
 * stand-in's RSS, first for --small participants, then for --count. MongoDB is
 * MONGODB_URI when set, else what the test harness finds (a container, or the
 * Python stand-in: slow, see the service README).
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createLocalIssuer, createTokenVerifier, Scope } from '@learning/auth';
import { createGrpcClient, createGrpcServer } from '@learning/grpc';
import { createRootLogger } from '@learning/logger';
import { registration } from '@learning/proto';
import { createPiiVault, generatePiiEnvironment, piiKeysFrom } from '@learning/pii';
import {
  printBenchSummary,
  processMemory,
  runLoadInChild,
  type BenchFigure,
} from '@learning/testing';
import { describeServers, isLocalStandIn, obtainServers } from '@learning/testing/servers';
import { createConnection } from 'mongoose';
import { Registry } from 'prom-client';
import { registerParticipantDirectory } from '../src/adapters/grpc/participant-directory.js';
import { membershipModel, MongoMembershipRepository } from '../src/adapters/mongo/memberships.js';
import {
  MongoAudienceSource,
  MongoParticipantRepository,
  participantModel,
  type ParticipantDocument,
} from '../src/adapters/mongo/participants.js';
import {
  getContacts,
  getCurrentOrganizations,
  getDirectoryParticipants,
  getDirectoryParticipantsByAccount,
  resolveAudience,
  countAudience,
} from '../src/application/participants/directory.js';
import { TIERS } from '../src/domain/participants.js';
import { storedParticipant } from '../test/support/people.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string' },
    small: { type: 'string', default: '20000' },
    page: { type: 'string', default: '1000' },
    // One stage of 20,000: the figures in well under a minute on the stand-in.
    quick: { type: 'boolean', default: false },
    // The client's side, run in a child by the benchmark: the JSON file of a StreamPlan.
    load: { type: 'string' },
  },
});
const INSERT_BATCH = 5000;
const MB = 1024 * 1024;

/** What the client in the child streams, and from where. */
interface StreamPlan {
  address: string;
  token: string;
  pageSize: number;
}

/** What the child prints when the stream ends; seconds from the call to the last page. */
interface StreamResult {
  received: number;
  pages: number;
  seconds: number;
}

if (values.load !== undefined) {
  const plan = JSON.parse(await readFile(values.load, 'utf8')) as StreamPlan;
  const client = createGrpcClient(registration.ParticipantDirectoryServiceClient, {
    address: plan.address,
    logger: createRootLogger({
      service: 'bench-audience-client',
      version: 'bench',
      level: 'error',
    }),
    idempotentMethods: [],
    tokenProvider: () => plan.token,
  });
  const result: StreamResult = { received: 0, pages: 0, seconds: 0 };
  const started = performance.now();
  for await (const page of client.call.resolveAudience(
    {
      tiers: [],
      jurisdictionCodes: [],
      organizationKinds: [],
      eventKey: '',
      pageSize: plan.pageSize,
      afterId: '',
    },
    { deadlineMs: 60 * 60 * 1000 },
  )) {
    result.received += page.participants.length;
    result.pages += 1;
  }
  result.seconds = (performance.now() - started) / 1000;
  client.close();
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

const count = Number(values.count ?? (values.quick ? 20_000 : 1_000_000));
const small = Math.min(Number(values.small), count);
const pageSize = Number(values.page);

const logger = createRootLogger({ service: 'bench-audience', version: 'bench', level: 'error' });
const servers = await obtainServers();
console.log(describeServers(servers.info));
const mongoInfo = servers.info.mongo;
if (mongoInfo === undefined) {
  await servers.stop();
  throw new Error('the benchmark needs MongoDB; see the reasons above');
}
const connection = await createConnection(mongoInfo.uri, {
  dbName: `bench-audience-${Date.now().toString(36)}`,
}).asPromise();
const model = participantModel(connection);
await model.createIndexes();

// Ten townships of ten villages: paths as the jurisdiction tree would give them.
const CITY = '330281000000';
const pathOf = (n: number): string[] => {
  const township = `330281${String((n % 10) + 1).padStart(3, '0')}000`;
  const village = `${township.slice(0, 9)}${String((Math.floor(n / 10) % 10) + 1).padStart(3, '0')}`;
  return [CITY, township, village];
};
const padded = (n: number, length: number): string => n.toString(36).padStart(length, '0');

function participant(n: number, now: Date): ParticipantDocument {
  return storedParticipant(
    {
      _id: `${padded(n, 8)}-0000-4000-8000-000000000000`,
      accountSubject: `bench-${n}`,
      name: `参与者${n}`,
      tier: TIERS[n % TIERS.length] ?? 'ordinary_citizen',
      jurisdictionPath: pathOf(n),
      birthDate: '1990-01-01',
      // Realistic sizes: a base64url HMAC, an AES-GCM envelope, a masked number.
      idNumber: {
        hash: padded(n, 43),
        sealed: `v1.k1.${padded(n, 70)}`,
        masked: '330281********1234',
      },
      phone: { hash: `p${padded(n, 42)}`, sealed: `v1.k1.${padded(n, 40)}`, masked: '138****8000' },
      language: n % 20 === 0 ? 'en' : 'zh-CN',
      consent: { notifications: n % 4 !== 0, updatedAt: now },
    },
    now,
  );
}

let inserted = 0;
async function insertUpTo(target: number): Promise<number> {
  const started = performance.now();
  const from = inserted;
  const now = new Date();
  while (inserted < target) {
    const size = Math.min(INSERT_BATCH, target - inserted);
    const docs = Array.from({ length: size }, (_, offset) => participant(inserted + offset, now));
    await model.collection.insertMany(docs as never[], { ordered: false });
    inserted += size;
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `inserted ${String(target - from).padStart(9)} participants in ${seconds.toFixed(1)} s (${((target - from) / seconds).toFixed(0)}/s)`,
  );
  return Number(((target - from) / seconds).toFixed(0));
}

const issuer = await createLocalIssuer({ issuer: 'bench', audience: 'bench' });
const verifier = createTokenVerifier({
  issuer: issuer.issuer,
  audience: issuer.audience,
  jwks: issuer.jwks,
});
const server = createGrpcServer({
  logger,
  registry: new Registry(),
  auth: verifier,
  readiness: {},
});
const participants = new MongoParticipantRepository(model, logger);
const pii = createPiiVault(piiKeysFrom(generatePiiEnvironment()));
const audience = new MongoAudienceSource(connection, Scope.system('audience benchmark'));
registerParticipantDirectory(server, {
  getDirectoryParticipants: getDirectoryParticipants({ participants }),
  getDirectoryParticipantsByAccount: getDirectoryParticipantsByAccount({ participants }),
  getContacts: getContacts({ participants, pii }),
  getCurrentOrganizations: getCurrentOrganizations({
    memberships: new MongoMembershipRepository(membershipModel(connection), logger),
  }),
  resolveAudience: resolveAudience({ audience }),
  countAudience: countAudience({ audience }),
});
const port = await server.listen('127.0.0.1', 0);
const token = await issuer.sign({ subject: 'svc-bench', roles: ['service'], service: 'bench' });
const plan: StreamPlan = { address: `127.0.0.1:${port}`, token, pageSize };
const standInPid = mongoInfo.pid;

async function streamAll(expected: number): Promise<Record<string, BenchFigure>> {
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  // The child's start (compiling this script) is counted in neither the rate nor, being
  // idle here, this process's CPU.
  const cpuBefore = process.cpuUsage();
  const output = await runLoadInChild(new URL(import.meta.url).pathname, plan);
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpuBefore);
  const { received, pages, seconds } = JSON.parse(
    output.trim().split('\n').at(-1) ?? '',
  ) as StreamResult;
  if (received !== expected) throw new Error(`streamed ${received} of ${expected} participants`);
  const standInRssMb = standInPid === undefined ? null : (await processMemory(standInPid)).rssMb;
  console.log(
    `streamed ${String(received).padStart(9)} participants in ${pages} pages: ` +
      `${(received / seconds).toFixed(0)} participants/s, ${seconds.toFixed(1)} s; ` +
      `server RSS ${(rssBefore / MB).toFixed(0)} MB before, peak ${(peakRss / MB).toFixed(0)} MB while streaming; ` +
      `server CPU ${((cpu.user + cpu.system) / 1000 / received).toFixed(3)} ms per participant; ` +
      `MongoDB stand-in RSS ${standInRssMb ?? '-'} MB`,
  );
  return {
    streamed: received,
    pages,
    participantsPerSecond: Number((received / seconds).toFixed(0)),
    streamSeconds: Number(seconds.toFixed(1)),
    serverRssBeforeMb: Number((rssBefore / MB).toFixed(0)),
    serverPeakRssMb: Number((peakRss / MB).toFixed(0)),
    serverCpuMsPerParticipant: Number(((cpu.user + cpu.system) / 1000 / received).toFixed(3)),
    standInRssMb,
  };
}

const stages: Record<string, BenchFigure>[] = [];
let peakRssMbOverall: number;
try {
  for (const stage of small < count ? [small, count] : [count]) {
    const insertedPerSecond = await insertUpTo(stage);
    stages.push({ participants: stage, insertedPerSecond, ...(await streamAll(stage)) });
  }
  peakRssMbOverall = Number((process.resourceUsage().maxRSS / 1024).toFixed(0));
  console.log(
    `peak RSS of the serving process over the whole run (its inserts included): ${peakRssMbOverall} MB`,
  );
} finally {
  await server.stop(1000);
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
  await servers.stop();
}
const last = stages.at(-1) ?? {};
printBenchSummary(
  'registration.audience',
  {
    pageSize,
    stages,
    streamed: last['streamed'] ?? 0,
    serverPeakRssMb: last['serverPeakRssMb'] ?? null,
    peakRssMbOverall,
    // Both rates wait on MongoDB; memory and CPU per participant are the server's own.
    boundByStandIn: isLocalStandIn(mongoInfo.origin)
      ? ['stages.insertedPerSecond', 'stages.participantsPerSecond', 'stages.streamSeconds']
      : [],
  },
  // The whole city reaches the client; the server stays within the image's memory (as the import).
  { streamed: { equals: count }, serverPeakRssMb: { atMost: 300 } },
);
