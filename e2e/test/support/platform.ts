/**
 * The five services started as the local stack starts them (infra/local's
 * stack.ts): each a separate `node dist/src/main.js` process on real ports,
 * wired to its peers by infra/local's wiring, against the harness's servers,
 * with the channel sinks standing in for the SMS, WeChat and email providers
 * and department webhooks. Unlike the stack it uses ports and databases of
 * its own, so the journey neither collides with a running stack nor reads
 * its demo city, and it can kill a service and start it again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { LocalIssuer } from '@learning/auth';
import { topicsToProvision } from '@learning/events';
import {
  startChannelSinks,
  wireServices,
  type ChannelSinks,
  type WiredService,
} from '@learning/local-infra';
import {
  reservePort,
  serviceTestEnvironment,
  type HarnessServers,
} from '@learning/runtime/testing';
import { ensureTopics, uniqueName } from '@learning/testing';

export const SERVICE_NAMES = [
  'registration',
  'activities',
  'lectures',
  'scoring',
  'notifications',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

// Generous: five services start at once on two cores, each building its indexes.
const READY_TIMEOUT_MS = 120_000;
const TAIL_LINES = 30;
/** Past the services' SHUTDOWN_GRACE_MS (2 s in tests). */
const STOP_GRACE_MS = 10_000;
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** Each service's output, for whoever reads a failure; the directory is git-ignored. */
export const LOG_DIRECTORY = `${repositoryRoot}e2e/.run/logs/`;

interface ServiceSpec extends WiredService {
  readonly name: ServiceName;
  readonly http: number;
}

interface RunningProcess {
  readonly child: ChildProcess;
  readonly tail: string[];
  readonly exited: Promise<void>;
}

export interface Platform {
  readonly sinks: ChannelSinks;
  /** `http://127.0.0.1:<port>` of each service's REST API. */
  url(name: ServiceName): string;
  /** The database each service keeps its records in. */
  database(name: ServiceName): string;
  /** Kills the service's process with SIGKILL (no drain, no goodbye) and waits until it is gone. */
  kill(name: ServiceName): Promise<void>;
  /** Starts it again with the same environment (database, keys, ports) and waits until it is ready. */
  start(name: ServiceName): Promise<void>;
  stop(): Promise<void>;
}

export interface PlatformOptions {
  readonly servers: HarnessServers;
  readonly issuer: LocalIssuer;
  /** The city the journey's data lives in: scoring assesses its townships. */
  readonly cityCode: string;
}

export async function startPlatform({
  servers,
  issuer,
  cityCode,
}: PlatformOptions): Promise<Platform> {
  mkdirSync(LOG_DIRECTORY, { recursive: true });
  await ensureTopics(servers.kafka, topicsToProvision());
  const sinks = await startChannelSinks();
  // A namespace of its own: consumer groups of earlier runs on the same broker do not take its events.
  const groupNamespace = uniqueName('journey');
  /** What a service needs only here, as the local stack's LOCAL_SETTINGS gives it. */
  const ownSettings: Record<ServiceName, Record<string, string>> = {
    registration: {},
    activities: {},
    lectures: {},
    // Public pages (leaderboards) are cached; a second is enough to show a board that just changed.
    scoring: { CITY_JURISDICTION_CODE: cityCode, PUBLIC_CACHE_TTL_MS: '1000' },
    notifications: { ...sinks.environment, WEBHOOK_TARGET_POLICY: 'allow-private' },
  };
  const found: ServiceSpec[] = [];
  for (const name of SERVICE_NAMES) {
    const [http, grpc] = [await reservePort(), await reservePort()];
    found.push({
      name,
      http,
      grpc,
      environment: {
        ...serviceTestEnvironment(name, servers, issuer),
        KAFKA_GROUP_NAMESPACE: groupNamespace,
        LOG_LEVEL: 'info',
        ...ownSettings[name],
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(http),
        GRPC_HOST: '127.0.0.1',
        GRPC_PORT: String(grpc),
      },
    });
  }
  const specs = await wireServices(found, (service) =>
    issuer.sign(
      { subject: `service:${service}`, roles: ['service'], service, cityWide: true },
      { expiresIn: '1h' },
    ),
  );
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const specOf = (name: ServiceName): ServiceSpec => {
    const spec = byName.get(name);
    if (spec === undefined) throw new Error(`no service ${name}`);
    return spec;
  };
  const running = new Map<ServiceName, RunningProcess>();
  const launched = new Set<ServiceName>();

  const launch = (spec: ServiceSpec): RunningProcess => {
    // `node` itself, not through `sh`, so SIGKILL reaches the service and nothing else.
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: `${repositoryRoot}services/${spec.name}`,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...spec.environment },
    });
    // A restart appends to the log of the run's first start.
    const log = createWriteStream(`${LOG_DIRECTORY}${spec.name}.log`, {
      flags: launched.has(spec.name) ? 'a' : 'w',
    });
    launched.add(spec.name);
    const tail: string[] = [];
    for (const stream of [child.stdout, child.stderr])
      createInterface({ input: stream }).on('line', (line) => {
        log.write(`${line}\n`);
        tail.push(line);
        if (tail.length > TAIL_LINES) tail.shift();
      });
    const exited = once(child, 'close').then(() => {
      log.end();
    });
    return { child, tail, exited };
  };

  const waitUntilReady = async (spec: ServiceSpec, process: RunningProcess): Promise<void> => {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    const gone = (): boolean =>
      process.child.exitCode !== null || process.child.signalCode !== null;
    for (;;) {
      const ready = await fetch(`http://127.0.0.1:${spec.http}/readyz`, {
        signal: AbortSignal.timeout(1_000),
      }).then(
        (response) => response.ok,
        () => false,
      );
      if (ready) return;
      if (gone() || Date.now() > deadline)
        throw new Error(
          `${spec.name} ${gone() ? 'exited' : 'did not get ready'}; its last lines:\n${process.tail.join('\n')}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  const start = async (name: ServiceName): Promise<void> => {
    const spec = specOf(name);
    const process = launch(spec);
    running.set(name, process);
    await waitUntilReady(spec, process);
  };

  const terminate = async (name: ServiceName, signal: NodeJS.Signals): Promise<void> => {
    const process = running.get(name);
    if (process === undefined) return;
    running.delete(name);
    if (process.child.exitCode === null && process.child.signalCode === null)
      process.child.kill(signal);
    // A service that does not drain in time is killed, so a failed journey never hangs its teardown.
    const killer = setTimeout(() => process.child.kill('SIGKILL'), STOP_GRACE_MS);
    await process.exited;
    clearTimeout(killer);
  };

  const stop = async (): Promise<void> => {
    await Promise.all(SERVICE_NAMES.map((name) => terminate(name, 'SIGTERM')));
    await sinks.stop();
  };

  try {
    // All at once, as the stack does: each waits for its peers' gRPC on its own.
    await Promise.all(SERVICE_NAMES.map(start));
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    sinks,
    url: (name) => `http://127.0.0.1:${specOf(name).http}`,
    database: (name) => specOf(name).environment['MONGODB_DATABASE'] ?? name,
    kill: (name) => terminate(name, 'SIGKILL'),
    start,
    stop,
  };
}
