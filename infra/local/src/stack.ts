/**
 * The local stack on 127.0.0.1 at the standard ports: the MongoDB and Kafka
 * stand-ins (with the registry's topics) beside the machine's Redis, the
 * local OpenID provider (the one token issuer the services trust, whose key
 * set they fetch), and every service under services/ that has a "start" script
 * (built beforehand), each given its peers' gRPC addresses and the service
 * tokens it presents to them, and its own personal-data keys (src/wiring.ts). Writes the shared environment to
 * infra/local/.run/stack.env and each service's output to
 * infra/local/.run/logs/<name>.log; the terminal shows progress, and the
 * banner (URLs, docs, tokens) last. On Ctrl-C or SIGTERM stops the services,
 * then the stand-ins. Started by infra/local/up.sh.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRootLogger } from '@learning/logger';
import {
  ensureSigningKey,
  LOCAL_JWT_AUDIENCE,
  LOCAL_JWT_ISSUER,
  RUN_DIRECTORY,
  signingJwk,
  signServiceToken,
} from './dev-token.js';
import {
  DEMO_PASSWORD,
  DemoAccountDirectory,
  demoAccounts,
  type DemoAccountSubjects,
} from './demo-accounts.js';
import { startOidcProvider } from './oidc-provider.js';
import {
  channelSinkEnvironment,
  RECEIVER_PORT,
  SMS_PATH,
  SMTP_SINK_PORT,
  startChannelSinks,
  WECHAT_PATH,
} from './channel-sinks.js';
import { DEMO_EXPERT, DEMO_READER, demoReaders, loadDemoData, type DemoSummary } from './demo.js';
import {
  accountSubjectOf,
  DEFAULT_DEMO_SEED,
  DEMO_CITY_SIZES,
  generateDemoCity,
  type DemoCitySize,
} from './demo-city.js';
import {
  historyPeopleOf,
  loadDemoCity,
  scheduleDemoCityHistory,
  type DemoCitySummary,
} from './demo-city-loader.js';
import {
  ROLE_TOKEN_LIFETIME,
  ROLE_TOKENS_FILE,
  roleTokens,
  writeRoleTokens,
} from './role-tokens.js';
import { writePrivateFile } from './private-file.js';
import { startKafkaStandIn } from './kafka.js';
import { startMongoStandIn } from './mongo.js';
import { startGateway, type Gateway } from './gateway.js';
import { OIDC_PROVIDER_PORT, PORTAL_PORT, SERVICE_PORTS } from './ports.js';
import { buildPortal } from './portal.js';
import { describeCalls, wireServices } from './wiring.js';

/**
 * What a service needs only in this stack: activities checks the demo city's
 * network for gaps, and lectures its lecture coverage by township, every ten
 * minutes (the demo tree is loaded after they start, so their first check
 * finds no city yet); scoring assesses the demo city's townships and streets; notifications sends through the local channel sinks and
 * delivers webhooks to receivers on this machine (plain http on 127.0.0.1,
 * which production's policy refuses).
 */
const LOCAL_SETTINGS: Readonly<Record<string, Record<string, string>>> = {
  activities: { NETWORK_GAP_CHECK_ROOT: '330999000000', NETWORK_GAP_CHECK_EVERY_MS: '600000' },
  lectures: { COVERAGE_CHECK_ROOT: '330999000000', COVERAGE_CHECK_EVERY_MS: '600000' },
  scoring: { CITY_JURISDICTION_CODE: '330999000000' },
  notifications: {
    ...channelSinkEnvironment(SMTP_SINK_PORT, RECEIVER_PORT),
    WEBHOOK_TARGET_POLICY: 'allow-private',
  },
};
/**
 * Scoring starts on the day before's clock (the-day-before.ts, from the build
 * up.sh made) while the demo writes the office's rule book, so the rules are
 * in force today and the history of today earns credits; then it starts again
 * on today's clock.
 */
const DAY_BEFORE_SERVICE = 'scoring';
const dayBeforePreload = new URL('../dist/src/the-day-before.js', import.meta.url).href;
/**
 * The portal's origins, where the provider sends people back after signing in
 * and out: the gateway's, and Vite's dev server (web/) on 127.0.0.1 or localhost.
 */
const PORTAL_ORIGINS = [
  `http://127.0.0.1:${PORTAL_PORT}`,
  `http://localhost:${PORTAL_PORT}`,
  'http://127.0.0.1:5173',
  'http://localhost:5173',
];
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;
const TAIL_LINES = 20;

const { values } = parseArgs({
  options: {
    topic: { type: 'string', multiple: true, default: [] },
    'mongo-port': { type: 'string', default: '27017' },
    'kafka-port': { type: 'string', default: '9092' },
    'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379' },
    // The generated demo city (demo-city.ts) loaded beside the hand-written demo.
    size: { type: 'string', default: 'small' },
    seed: { type: 'string', default: String(DEFAULT_DEMO_SEED) },
  },
});
const isSize = (size: string): size is DemoCitySize =>
  (DEMO_CITY_SIZES as readonly string[]).includes(size);
if (!isSize(values.size))
  throw new Error(`--size takes ${DEMO_CITY_SIZES.join(', ')}, got "${values.size}"`);
if (!/^\d+$/.test(values.seed))
  throw new Error(`--seed takes a whole number, got "${values.seed}"`);
const citySize = values.size;
const citySeed = Number(values.seed);

const topics = values.topic.map((entry) => {
  const [name, partitions] = entry.split(':');
  if (name === undefined || partitions === undefined || !/^\d+$/.test(partitions)) {
    throw new Error(`--topic takes name:partitions, got "${entry}"`);
  }
  return { name, partitions: Number(partitions) };
});

interface Service {
  name: string;
  directory: string;
  start: string;
  http: number;
  grpc: number;
  /** What it gets beyond the shared environment: its peers, its service token, its own keys (wiring.ts). */
  environment: Record<string, string>;
}

interface RunningService extends Service {
  child: ChildProcess;
  /** Stopped by the stack to start again: its exit is no failure. */
  replaced: boolean;
  /** Settles when the service and its `sh` are gone (both hold its output pipes). */
  exited: Promise<void>;
  done: boolean;
  /** The last lines it printed, for the error when it fails. */
  tail: string[];
}

const servicesDirectory = fileURLToPath(new URL('../../../services/', import.meta.url));
const logsDirectory = `${RUN_DIRECTORY}logs/`;
/** How the terminal names a file: from the repository root, where up.sh is run. */
const shown = (path: string): string =>
  relative(fileURLToPath(new URL('../../../', import.meta.url)), path);
const progress = (message: string): void => void process.stdout.write(`[up] ${message}\n`);
ensureSigningKey();
const services = await wireServices(findServices(), signServiceToken);

progress('starting the MongoDB and Kafka stand-ins');
const mongo = await startMongoStandIn({ port: Number(values['mongo-port']) });
const kafka = await startKafkaStandIn({ port: Number(values['kafka-port']), topics }).catch(
  async (error: unknown) => {
    await mongo.stop();
    throw error;
  },
);

mkdirSync(logsDirectory, { recursive: true });
/** Who signs in at the provider and whom the banner's tokens act as; the organization's admin once loaded. */
const accountSubjects: DemoAccountSubjects = {
  participant: DEMO_READER,
  otherParticipants: demoReaders().filter((reader) => reader !== DEMO_READER),
  expert: DEMO_EXPERT,
  areaJurisdiction: { code: '330999101000', name: '河姆渡镇' },
  department: { code: 'wenming-ban', name: '文明办' },
};
const accounts = new DemoAccountDirectory(demoAccounts(accountSubjects));
const oidcLog = `${logsDirectory}oidc-provider.log`;
progress(`starting the OpenID provider (${OIDC_PROVIDER_PORT}, issuer ${LOCAL_JWT_ISSUER})`);
// Before the services, which fetch its key set to verify every token.
const oidcProvider = await startOidcProvider({
  port: OIDC_PROVIDER_PORT,
  issuer: LOCAL_JWT_ISSUER,
  audience: LOCAL_JWT_AUDIENCE,
  signingKey: await signingJwk(),
  accounts,
  portalOrigins: PORTAL_ORIGINS,
  logger: createRootLogger({
    service: 'oidc-provider',
    version: '0.1.0',
    destination: createWriteStream(oidcLog, { flags: 'a' }),
  }),
  demoHint: `演示账号密码 Demo password: ${DEMO_PASSWORD}`,
}).catch(async (error: unknown) => {
  await Promise.allSettled([kafka.stop(), mongo.stop()]);
  throw error;
});

const sinksLog = `${logsDirectory}channel-sinks.log`;
progress(`starting the channel sinks (SMTP ${SMTP_SINK_PORT}, SMS and WeChat ${RECEIVER_PORT})`);
const sinks = await startChannelSinks({
  smtpPort: SMTP_SINK_PORT,
  receiverPort: RECEIVER_PORT,
  logFile: sinksLog,
}).catch(async (error: unknown) => {
  await Promise.allSettled([kafka.stop(), mongo.stop(), oidcProvider.stop()]);
  throw error;
});

const environment = {
  MONGODB_URI: mongo.uri,
  KAFKA_BROKERS: kafka.brokers.join(','),
  KAFKA_MAX_WAIT_MS: '100',
  REDIS_URL: values['redis-url'],
  JWT_ISSUER: LOCAL_JWT_ISSUER,
  JWT_AUDIENCE: LOCAL_JWT_AUDIENCE,
  // The provider's key set at its own port: the services need not wait for the gateway.
  JWT_JWKS_URL: oidcProvider.jwksUrl,
  // The stack's service tokens are static and live a year (dev-token.ts's SERVICE_TOKEN_LIFETIME).
  JWT_MAX_SERVICE_TOKEN_SECONDS: String(366 * 24 * 3_600),
};
const envFile = `${RUN_DIRECTORY}stack.env`;
// Single quotes keep the PEM's newlines when the file is sourced by a shell.
const shellQuote = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;
// Owner-only, like the signing key beside it.
writePrivateFile(
  envFile,
  `${Object.entries(environment)
    .map(([name, value]) => `${name}=${shellQuote(value)}`)
    .join('\n')}\n`,
);

// Before the services start, so vite has both cores to itself; a second start finds it built.
progress('building the portal (web/)');
const portalBuild = await buildPortal().catch(async (error: unknown) => {
  await Promise.allSettled([kafka.stop(), mongo.stop(), sinks.stop()]);
  throw error;
});
progress(`portal ${portalBuild}`);

const running: RunningService[] = [];
let gateway: Gateway | undefined;
let stopping = false;

const shutdown = async (exitCode: number): Promise<void> => {
  if (stopping) return;
  stopping = true;
  process.stdout.write('stopping the local stack\n');
  // Services first, so they drain while their servers are still there.
  await Promise.all(running.map(stopService));
  await Promise.allSettled([
    gateway?.stop(),
    kafka.stop(),
    mongo.stop(),
    sinks.stop(),
    oidcProvider.stop(),
  ]);
  process.exit(exitCode);
};
const fail = (message: string): void => {
  if (stopping) return;
  process.stderr.write(`${message}\n`);
  void shutdown(1);
};
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

if (services.length > 0) {
  progress(
    `starting ${services.map((service) => service.name).join(', ')} (output in ${shown(logsDirectory)})`,
  );
}
for (const service of services)
  running.push(startService(service, { dayBefore: service.name === DAY_BEFORE_SERVICE }));
let allReady = false;
try {
  allReady = (await Promise.all(running.map(waitUntilReady))).every(Boolean);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

if (allReady) {
  try {
    gateway = await startGateway({
      port: PORTAL_PORT,
      services: Object.fromEntries(
        services.map((service) => [service.name, `http://127.0.0.1:${service.http}`]),
      ),
      oidcUrl: `http://127.0.0.1:${OIDC_PROVIDER_PORT}`,
    });
  } catch (error) {
    fail(
      `the gateway did not start on ${PORTAL_PORT}: ${error instanceof Error ? error.message : String(error)}`,
    );
    allReady = false;
  }
}

let demo: DemoSummary | undefined;
let demoCity: DemoCitySummary | undefined;
/** The generated city's people with accounts of their own, who sign in once it has loaded. */
let residents: string[] = [];
if (allReady && services.some((service) => service.name === 'registration')) {
  /** A running service's base URL. */
  const urlOf = (name: string): string | undefined =>
    services.some((service) => service.name === name)
      ? `http://127.0.0.1:${SERVICE_PORTS[name]?.http ?? 0}`
      : undefined;
  let scoringOnToday: Promise<void> | undefined;
  /** Once: scoring again, on today's clock (see DAY_BEFORE_SERVICE). */
  const bringToToday = (): Promise<void> => (scoringOnToday ??= restartOnToday(DAY_BEFORE_SERVICE));
  try {
    const city = generateDemoCity({ size: citySize, seed: citySeed });
    const activitiesUrl = urlOf('activities');
    // The history's activities first: their minute runs while both demos load.
    const historyStarted = Date.now();
    const history =
      activitiesUrl === undefined
        ? undefined
        : await scheduleDemoCityHistory(
            {
              registrationUrl: `http://127.0.0.1:${SERVICE_PORTS['registration']?.http ?? 0}`,
              activitiesUrl,
            },
            city,
          );
    progress('loading the demo data');
    demo = await loadDemoData({
      registrationUrl: `http://127.0.0.1:${SERVICE_PORTS['registration']?.http ?? 0}`,
      activitiesUrl: urlOf('activities'),
      lecturesUrl: urlOf('lectures'),
      scoringUrl: urlOf('scoring'),
      ...(urlOf('scoring') === undefined ? {} : { scoringDayBefore: { bringToToday } }),
      ...(urlOf('notifications') === undefined
        ? {}
        : {
            notifications: {
              url: urlOf('notifications') ?? '',
              webhookReceiverUrl: sinks.receiver.url,
            },
          }),
    });
    // Without activities the demo wrote no rules: scoring comes to today all the same.
    if (urlOf('scoring') !== undefined) await bringToToday();
    progress(`loading the generated demo city (--size ${citySize} --seed ${citySeed})`);
    const loadStarted = Date.now();
    demoCity = await loadDemoCity(
      {
        registrationUrl: `http://127.0.0.1:${SERVICE_PORTS['registration']?.http ?? 0}`,
        ...(urlOf('activities') === undefined ? {} : { activitiesUrl: urlOf('activities') ?? '' }),
        ...(urlOf('scoring') === undefined ? {} : { scoringUrl: urlOf('scoring') ?? '' }),
      },
      city,
      history === undefined ? {} : { history },
    );
    if (history !== undefined)
      residents = [...historyPeopleOf(city)].map((position) =>
        accountSubjectOf(city.seed, position),
      );
    progress(
      `demo city loaded in ${((Date.now() - loadStarted) / 1000).toFixed(1)} s (${((Date.now() - historyStarted) / 1000).toFixed(1)} s with its history's start)`,
    );
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
    allReady = false;
  }
}

if (allReady) {
  const subjects: DemoAccountSubjects = {
    ...accountSubjects,
    residents,
    ...(demoCity?.firstOrganization === undefined
      ? {}
      : { organization: demoCity.firstOrganization }),
  };
  // The organization's admin and the city's residents sign in from now on, as the others did from the start.
  for (const account of demoAccounts(subjects)) accounts.add(account);
  const tokens = await roleTokens(subjects);
  writeRoleTokens(tokens);
  process.stdout.write(
    banner(tokens.map(({ variable, description }) => ({ variable, description }))),
  );
}

/**
 * The one banner, printed last: where each service answers (API, docs,
 * health, readiness, metrics, gRPC with its standard health service), the
 * servers beside them, the ready-made tokens, what the demo loaded, and a few
 * requests to try. The portal's line comes first: it is what a person opens.
 */
function banner(tokens: readonly { variable: string; description: string }[]): string {
  const width = Math.max(0, ...services.map((service) => service.name.length));
  const tokenWidth = Math.max(0, ...tokens.map((token) => token.variable.length));
  const residentSet = new Set(residents);
  const tokensFile = shown(ROLE_TOKENS_FILE);
  return [
    '',
    '════ local stack is up (Ctrl-C stops it) ════',
    `  portal              ${gateway?.url ?? ''}/  (学习网; the APIs under /api/<service>/, sign-in under /oidc/)`,
    services.length === 0 ? '  services            none with a "start" script' : '  services',
    ...services.flatMap((service) => {
      const url = `http://127.0.0.1:${service.http}`;
      return [
        `    ${service.name.padEnd(width)}  ${url}  docs ${url}/docs  gRPC 127.0.0.1:${service.grpc} (grpc.health.v1)`,
        `    ${''.padEnd(width)}  health ${url}/healthz  ready ${url}/readyz  metrics ${url}/metrics`,
        `    ${''.padEnd(width)}  log ${shown(logFileOf(service))}`,
      ];
    }),
    ...describeCalls(services.map((service) => service.name)).map(
      (calls, index) => `  ${index === 0 ? 'gRPC calls' : ''.padEnd(10)}          ${calls}`,
    ),
    `  MongoDB (stand-in)  ${mongo.uri}`,
    `  Kafka (stand-in)    ${environment.KAFKA_BROKERS}  ${topics.length} topics provisioned`,
    `  Redis               ${environment.REDIS_URL}`,
    `  mail catcher        ${sinks.smtp.url}  (SMTP; what it receives in ${shown(sinksLog)})`,
    `  SMS, WeChat         ${sinks.receiver.url}${SMS_PATH}, ${sinks.receiver.url}${WECHAT_PATH}  (played providers; same log)`,
    `  sign-in (OpenID)    ${LOCAL_JWT_ISSUER} (provider ${oidcProvider.url}, log ${shown(oidcLog)}): ${accounts
      .list()
      .filter((account) => !residentSet.has(account.username))
      .map((account) => account.username)
      .join(
        ', ',
      )}${residents[0] === undefined ? '' : `, ${residents[0]} and ${residents.length - 1} more of the generated city`}; password ${DEMO_PASSWORD}`,
    `  token issuer        the same (ES256, key set ${oidcProvider.jwksUrl}); more tokens: pnpm --silent learning token mint --help`,
    `  environment file    ${envFile}`,
    `  tokens (${ROLE_TOKEN_LIFETIME})        source ${tokensFile}, then: curl -H "authorization: Bearer $CITY_ADMIN_TOKEN" …`,
    ...tokens.map(
      ({ variable, description }) => `    ${variable.padEnd(tokenWidth)}  ${description}`,
    ),
    demo === undefined
      ? '  demo data           none: the registration service is not part of the stack'
      : `  demo data           ${demo.jurisdictions} jurisdictions of 示范市 (330999000000), ${demo.participants} participants, ${demo.organizations} learning organizations${demo.activities === undefined ? '' : `; ${demo.activities.campaigns} campaign, ${demo.activities.activities} activities, ${demo.activities.places} network places`}${demo.training === undefined ? '' : `; ${demo.training.programmes} training programme with ${demo.training.classes} classes`}${demo.lectures === undefined ? '' : `; 玉海大讲坛 with ${demo.lectures.forums} forums, ${demo.lectures.experts} experts, ${demo.lectures.sessions} sessions at ${demo.lectures.venues} venues, ${demo.lectures.lessons} library lessons`}${demo.scoring === undefined ? '' : `; ${demo.scoring.rules} credit rules, ${demo.scoring.indicatorSystems} indicator systems with ${demo.scoring.assessments} assessments computed, ${demo.scoring.fundingLines} funding lines and ${demo.scoring.receipts} sponsorships and donations`}${demo.notifications === undefined ? '' : `; ${demo.notifications.readers} readers' notification preferences, ${demo.notifications.webhooks} department webhook (to ${sinks.receiver.url}), ${demo.notifications.announcements} announcement to 河姆渡镇`} (infra/local/demo/)`,
    ...(demoCity === undefined
      ? []
      : [
          `  demo city           generated (--size ${citySize} --seed ${citySeed}): ${demoCity.jurisdictions} jurisdictions, ${demoCity.participants} participants of every tier, ${demoCity.organizations} organizations with ${demoCity.memberships} members, ${demoCity.places} supermarkets and libraries, ${demoCity.pairings} enterprise-library pairings, 金秋读书节 with ${demoCity.festivalActivities} activities; history: ${demoCity.history.activities} of today's activities, ${demoCity.history.signUps} sign-ups, ${demoCity.history.attendances} attendances confirmed, ${demoCity.history.assessedAreas} areas assessed; departments and the lead-department table are registration's own (GET /v1/departments)`,
        ]),
    ...(demo?.activities === undefined
      ? []
      : [
          `  try                 curl -G --data-urlencode 'q=读书' http://127.0.0.1:${SERVICE_PORTS['activities']?.http ?? 0}/v1/public/activities`,
        ]),
    ...(demo?.lectures === undefined
      ? []
      : [
          `  try                 curl -G --data-urlencode 'q=宋韵' http://127.0.0.1:${SERVICE_PORTS['lectures']?.http ?? 0}/v1/public/sessions`,
        ]),
    ...(demo?.scoring === undefined
      ? []
      : [
          `  try                 curl http://127.0.0.1:${SERVICE_PORTS['scoring']?.http ?? 0}/v1/public/credit-rules`,
        ]),
    ...(demo?.notifications === undefined
      ? []
      : [
          `  try                 curl -H "authorization: Bearer $PARTICIPANT_TOKEN" http://127.0.0.1:${SERVICE_PORTS['notifications']?.http ?? 0}/v1/me/inbox`,
        ]),
    `  at a glance         pnpm --silent learning health`,
    '',
  ].join('\n');
}

function logFileOf(service: Service): string {
  return `${logsDirectory}${service.name}.log`;
}

/** Every services/<name> whose package.json has a "start" script, with its fixed ports. */
function findServices(): Service[] {
  if (!existsSync(servicesDirectory)) return [];
  const found: Service[] = [];
  for (const name of readdirSync(servicesDirectory).sort()) {
    const directory = `${servicesDirectory}${name}`;
    const manifest = `${directory}/package.json`;
    if (!existsSync(manifest)) continue;
    const { scripts } = JSON.parse(readFileSync(manifest, 'utf8')) as {
      scripts?: Record<string, string>;
    };
    const start = scripts?.['start'];
    if (start === undefined) continue;
    const ports = SERVICE_PORTS[name];
    if (ports === undefined) {
      throw new Error(
        `services/${name} has no ports: add it to SERVICE_PORTS in infra/local/src/ports.ts`,
      );
    }
    found.push({ name, directory, start, ...ports, environment: { ...LOCAL_SETTINGS[name] } });
  }
  return found;
}

function startService(
  service: Service,
  { dayBefore = false, appendLog = false }: { dayBefore?: boolean; appendLog?: boolean } = {},
): RunningService {
  // Its own process group: Ctrl-C reaches only this process, which stops the
  // services in order, and a signal to the group also reaches what `sh` started.
  const child = spawn('sh', ['-c', service.start], {
    cwd: service.directory,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...environment,
      ...service.environment,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(service.http),
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: String(service.grpc),
      ...(dayBefore
        ? {
            NODE_OPTIONS: [process.env['NODE_OPTIONS'], `--import=${dayBeforePreload}`]
              .filter(Boolean)
              .join(' '),
          }
        : {}),
    },
  });
  // Its output goes to its log file, not the terminal, so the banner stays the last thing there.
  const log = createWriteStream(logFileOf(service), { flags: appendLog ? 'a' : 'w' });
  const tail: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      log.write(`${line}\n`);
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
    });
  }
  const running: RunningService = {
    ...service,
    child,
    tail,
    replaced: false,
    done: false,
    exited: new Promise<void>((resolve) => {
      // 'close', not 'exit': `sh` may exit on SIGTERM while the service still drains.
      child.once('close', (code, signal) => {
        log.end();
        running.done = true;
        resolve();
        if (running.replaced) return;
        fail(
          `${service.name} exited unexpectedly (${signal ?? `code ${String(code)}`}); its last lines (all in ${shown(logFileOf(service))}):\n${tail.join('\n')}`,
        );
      });
      child.once('error', (error) => {
        running.done = true;
        resolve();
        fail(`${service.name} could not be started: ${error.message}`);
      });
    }),
  };
  return running;
}

/** Stops a running service and starts it again on today's clock, its log continued; resolves once it is ready. */
async function restartOnToday(name: string): Promise<void> {
  const index = running.findIndex((service) => service.name === name);
  const previous = running[index];
  const service = services.find((candidate) => candidate.name === name);
  if (previous === undefined || service === undefined) return;
  progress(
    `${name} took the demo's rule book on the day before's clock; starting it again on today's`,
  );
  previous.replaced = true;
  await stopService(previous);
  const restarted = startService(service, { appendLog: true });
  running[index] = restarted;
  if (!(await waitUntilReady(restarted)))
    throw new Error(`${name} did not start again on today's clock`);
}

/** True once it answers; false if it exits or the stack stops first. */
async function waitUntilReady(service: RunningService): Promise<boolean> {
  const url = `http://127.0.0.1:${service.http}/readyz`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!stopping && !service.done) {
    const ready = await fetch(url, { signal: AbortSignal.timeout(1_000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) {
      progress(`${service.name} is ready`);
      return true;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${service.name} did not answer ${url} within ${READY_TIMEOUT_MS / 1000} s; its last lines:\n${service.tail.join('\n')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

async function stopService(service: RunningService): Promise<void> {
  const { pid } = service.child;
  if (pid === undefined || service.done) return;
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  signalGroup('SIGTERM');
  const killer = setTimeout(() => {
    process.stderr.write(
      `${service.name} did not stop within ${STOP_GRACE_MS / 1000} s; killing it\n`,
    );
    signalGroup('SIGKILL');
  }, STOP_GRACE_MS);
  await service.exited;
  clearTimeout(killer);
}
