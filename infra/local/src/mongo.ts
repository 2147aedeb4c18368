/**
 * Starts the MongoDB stand-in (infra/local/mongo/mongo_standin.py): a wire-protocol
 * server over an in-memory engine, for tests and the local stack where no mongod runs.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Debian's interpreter: the packages come from apt, which a pyenv or venv python does not see. */
const PYTHON = '/usr/bin/python3';
// This module runs from src/ (the "@learning/source" condition) or from a dist/src/ build.
const SCRIPT = ['../mongo/mongo_standin.py', '../../mongo/mongo_standin.py']
  .map((path) => fileURLToPath(new URL(path, import.meta.url)))
  .find((path) => existsSync(path));
const APT_PACKAGES = 'python3-mockupdb python3-mongomock python3-sortedcontainers';
const STOP_GRACE_MS = 5_000;

export interface MongoStandIn {
  /** `mongodb://127.0.0.1:PORT`, ready for mongoose.connect. */
  readonly uri: string;
  /** The server's process id, for its memory (/proc/PID/status) in benchmarks. */
  readonly pid: number;
  /** Ends the server; its data is gone with it. Safe to call twice. */
  stop(): Promise<void>;
}

export interface MongoStandInOptions {
  /** 0 (the default) lets the system pick a free port. */
  port?: number;
  /** How long to wait for the server to listen. */
  startTimeoutMs?: number;
}

export type MongoStandInAvailability = { ok: true } | { ok: false; reason: string };

/** Tells why the stand-in cannot start here, without starting it. */
export function mongoStandInAvailable(): Promise<MongoStandInAvailability> {
  return new Promise((resolve) => {
    execFile(
      PYTHON,
      ['-c', 'import mockupdb, mongomock, sortedcontainers'],
      { timeout: 10_000 },
      (error, _stdout, stderr) => {
        resolve(
          error === null ? { ok: true } : { ok: false, reason: explainFailure(error, stderr) },
        );
      },
    );
  });
}

export async function startMongoStandIn(options: MongoStandInOptions = {}): Promise<MongoStandIn> {
  if (SCRIPT === undefined) {
    throw new Error(`mongo_standin.py is missing next to ${import.meta.url}`);
  }
  const timeoutMs = options.startTimeoutMs ?? 15_000;
  // stdin stays a pipe: the server exits when it closes, so it never outlives this process.
  // Its own process group: a terminal's Ctrl-C reaches the parent, which stops the services
  // before their database. Closing stdin still takes it down with the parent.
  const child = spawn(PYTHON, [SCRIPT, '--port', String(options.port ?? 0)], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });

  // Always drain stderr (a full pipe would stall the server); keep the tail for errors.
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8_192);
  });

  const uri = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const settle = (error: Error | undefined, value = ''): void => {
      clearTimeout(timer);
      lines.close();
      child.stdout.resume(); // nothing else is printed, but keep the pipe flowing
      child.off('close', onClose);
      child.off('error', onError);
      if (error === undefined) {
        resolve(value);
        return;
      }
      child.kill('SIGKILL');
      reject(error);
    };
    const onClose = (code: number | null): void => {
      settle(
        new Error(
          `The Mongo stand-in exited (code ${String(code)}) before listening: ${explainFailure(undefined, stderr)}`,
        ),
      );
    };
    const onError = (error: Error): void => {
      settle(new Error(`The Mongo stand-in could not start: ${explainFailure(error, stderr)}`));
    };
    const timer = setTimeout(() => {
      settle(
        new Error(
          `The Mongo stand-in did not listen within ${timeoutMs} ms. stderr: ${stderr.trim()}`,
        ),
      );
    }, timeoutMs);
    child.once('close', onClose);
    child.once('error', onError);
    lines.once('line', (line) => {
      try {
        settle(undefined, parseUri(line));
      } catch (error) {
        settle(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });

  let stopping: Promise<void> | undefined;
  // A database that dies under a test run fails every later file; say why once, where CI shows it.
  child.once('exit', (code, signal) => {
    if (stopping !== undefined) return;
    process.stderr.write(
      `The Mongo stand-in exited unexpectedly (code ${String(code)}, signal ${String(signal)}): ${stderr.trim()}\n`,
    );
  });
  const stop = (): Promise<void> =>
    (stopping ??= new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve();
        return;
      }
      const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    }));

  if (child.pid === undefined) throw new Error('The Mongo stand-in has no process id');
  return { uri, pid: child.pid, stop };
}

function parseUri(line: string): string {
  const parsed: unknown = JSON.parse(line);
  if (
    typeof parsed === 'object' &&
    parsed !== null &&
    'uri' in parsed &&
    typeof parsed.uri === 'string'
  ) {
    return parsed.uri;
  }
  throw new Error(`The Mongo stand-in printed an unexpected first line: ${line}`);
}

/** Turns a failed start into something a person can fix: usually a missing apt package. */
function explainFailure(error: Error | undefined, stderr: string): string {
  if (error !== undefined && 'code' in error && error.code === 'ENOENT') {
    return `${PYTHON} was not found; install python3 and ${APT_PACKAGES} with apt-get.`;
  }
  const missing = /No module named '([\w.]+)'/.exec(stderr);
  if (missing !== null) {
    return `${PYTHON} cannot import ${String(missing[1])}; install the Debian packages ${APT_PACKAGES} (apt-get install ${APT_PACKAGES}).`;
  }
  return stderr.trim() || (error?.message ?? 'no error output');
}
