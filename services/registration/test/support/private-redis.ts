/**
 * A redis-server of the test's own on a free port, for what must not happen to
 * the Redis other suites share: stopping and restarting it, watching every
 * command it is sent.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

export interface PrivateRedis {
  readonly url: string;
  /** Kills the server (SIGKILL: what a crash looks like to its clients). */
  kill(): Promise<void>;
  /** Starts it again, empty, on the same port. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

const READY_POLL_MS = 20;
const READY_TRIES = 250;

/** Why a private Redis cannot run here; undefined when it can. */
export function privateRedisUnavailable(): string | undefined {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return probe.error === undefined && probe.status === 0
    ? undefined
    : 'no redis-server binary on PATH to run a private Redis';
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

async function accepting(port: number): Promise<boolean> {
  const socket = connect(port, '127.0.0.1');
  try {
    await once(socket, 'connect');
    return true;
  } catch {
    return false;
  } finally {
    socket.destroy();
  }
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let server: ChildProcess | undefined;

  async function start(): Promise<void> {
    server = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    for (let tries = 0; tries < READY_TRIES; tries += 1) {
      if (await accepting(port)) return;
      await delay(READY_POLL_MS);
    }
    throw new Error(`the private redis-server did not listen on ${String(port)}`);
  }

  async function kill(): Promise<void> {
    const running = server;
    server = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGKILL');
    await exited;
  }

  await start();
  return { url: `redis://127.0.0.1:${String(port)}`, kill, start, stop: kill };
}
