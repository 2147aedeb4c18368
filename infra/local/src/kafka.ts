/**
 * A Kafka-protocol broker on loopback for tests and the local stack: our
 * launcher around librdkafka's mock cluster (see infra/local/kafka/README.md).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

export interface KafkaTopicSpec {
  name: string;
  partitions: number;
}

export interface KafkaStandInOptions {
  /** Topics to provision before the broker is reported ready. */
  topics?: KafkaTopicSpec[];
  /** Number of brokers, ids 1..N (default 1). */
  brokers?: number;
  /** Fixed port of broker 1; broker N listens on port + N - 1 (default: ephemeral). */
  port?: number;
  /** Fixed port of the control channel (default: ephemeral). */
  controlPort?: number;
  /** How long to wait for the broker to report ready, after any build (default 15 s). */
  startTimeoutMs?: number;
}

export interface KafkaStandIn {
  /** Bootstrap addresses, `127.0.0.1:PORT`, one per broker. */
  brokers: string[];
  /** `127.0.0.1:PORT` of the line-based control channel, for clients in other processes. */
  controlAddress: string;
  /** Creates a topic; creating an existing topic succeeds and leaves it as it is. */
  createTopic(name: string, partitions: number): Promise<void>;
  /** Drops the broker's connections and refuses new ones (default broker 1). */
  brokerDown(id?: number): Promise<void>;
  /** Lets the broker accept connections again (default broker 1). */
  brokerUp(id?: number): Promise<void>;
  stop(): Promise<void>;
}

const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;
// The first build compiles librdkafka (about a minute on 2 cores).
const BUILD_TIMEOUT_MS = 10 * 60_000;
const STOP_GRACE_MS = 5_000;
const STDERR_KEPT_CHARS = 4_000;

function buildScriptPath(): string {
  // Sources run from src/, compiled output from dist/src/.
  for (const relative of ['../kafka/build.sh', '../../kafka/build.sh']) {
    const candidate = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('kafka stand-in: infra/local/kafka/build.sh not found');
}

/**
 * Always asks build.sh: it answers from its cache in a fraction of a second
 * and rebuilds the launcher when kafka-mock.c changed, so a stale binary is
 * never used.
 */
function ensureBinary(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [buildScriptPath()],
      { timeout: BUILD_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(`kafka stand-in: build.sh failed: ${error.message}\n${stderr}`, {
              cause: error,
            }),
          );
          return;
        }
        const binary = stdout.trim().split('\n').at(-1)?.trim();
        if (!binary || !existsSync(binary)) {
          reject(new Error(`kafka stand-in: build.sh printed no binary path:\n${stdout}${stderr}`));
          return;
        }
        resolve(binary);
      },
    );
  });
}

interface ReadyLine {
  bootstrap: string;
  control: string;
}

function parseReadyLine(line: string): ReadyLine {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new Error(`kafka stand-in: unexpected output ${JSON.stringify(line)}`);
  }
  if (
    typeof parsed === 'object' &&
    parsed !== null &&
    'bootstrap' in parsed &&
    'control' in parsed &&
    typeof parsed.bootstrap === 'string' &&
    typeof parsed.control === 'string'
  ) {
    return { bootstrap: parsed.bootstrap, control: parsed.control };
  }
  throw new Error(`kafka stand-in: unexpected ready line ${line}`);
}

function waitForReady(
  child: ChildProcess,
  timeoutMs: number,
  stderrTail: () => string,
): Promise<ReadyLine> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    const settle = (outcome: ReadyLine | Error): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const onData = (chunk: Buffer): void => {
      stdout += chunk.toString('utf8');
      const newline = stdout.indexOf('\n');
      if (newline === -1) return;
      try {
        settle(parseReadyLine(stdout.slice(0, newline)));
      } catch (error) {
        settle(error instanceof Error ? error : new Error(String(error)));
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      settle(
        new Error(
          `kafka stand-in exited before it was ready (code ${String(code)}, signal ${String(signal)}):\n${stderrTail()}`,
        ),
      );
    };
    const onError = (error: Error): void => {
      settle(new Error(`kafka stand-in could not be started: ${error.message}`, { cause: error }));
    };
    const timer = setTimeout(() => {
      settle(new Error(`kafka stand-in was not ready within ${timeoutMs} ms:\n${stderrTail()}`));
    }, timeoutMs);
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

/** One connection to the launcher's line protocol; replies come back in order. */
class ControlChannel {
  private buffered = '';
  private readonly pending: { resolve: (reply: string) => void; reject: (error: Error) => void }[] =
    [];
  private closedBy: Error | undefined;

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffered += chunk;
      let newline: number;
      while ((newline = this.buffered.indexOf('\n')) !== -1) {
        const reply = this.buffered.slice(0, newline);
        this.buffered = this.buffered.slice(newline + 1);
        this.pending.shift()?.resolve(reply);
      }
    });
    const fail = (error: Error): void => {
      this.closedBy ??= error;
      for (const waiter of this.pending.splice(0)) waiter.reject(error);
    };
    socket.on('error', fail);
    socket.on('close', () => {
      fail(new Error('kafka stand-in: control channel closed'));
    });
  }

  static connect(address: string): Promise<ControlChannel> {
    const separator = address.lastIndexOf(':');
    const host = address.slice(0, separator);
    const port = Number(address.slice(separator + 1));
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new ControlChannel(socket));
      });
      socket.once('error', reject);
    });
  }

  /** Sends one command; resolves on OK/PONG, rejects with the launcher's ERR text. */
  async command(line: string): Promise<string> {
    if (this.closedBy) throw this.closedBy;
    const reply = await new Promise<string>((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.socket.write(`${line}\n`);
    });
    if (reply.startsWith('ERR')) {
      throw new Error(`kafka stand-in: ${line} failed: ${reply.slice(4) || reply}`);
    }
    return reply;
  }

  close(): void {
    this.socket.end();
    this.socket.destroy();
  }
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
}

export async function startKafkaStandIn(options: KafkaStandInOptions = {}): Promise<KafkaStandIn> {
  const brokerCount = options.brokers ?? 1;
  const args = ['--brokers', String(brokerCount)];
  for (const topic of options.topics ?? []) {
    if (
      !TOPIC_NAME.test(topic.name) ||
      !Number.isInteger(topic.partitions) ||
      topic.partitions < 1
    ) {
      throw new Error(`kafka stand-in: invalid topic ${topic.name}:${topic.partitions}`);
    }
    args.push('--topic', `${topic.name}:${topic.partitions}`);
  }
  if (options.port !== undefined) args.push('--port', String(options.port));
  if (options.controlPort !== undefined) args.push('--control-port', String(options.controlPort));

  const binary = await ensureBinary();
  // stdin stays an open pipe: when this process dies the launcher sees EOF and exits.
  // Its own process group: a terminal's Ctrl-C reaches the parent, which stops the services
  // before their broker. Closing stdin still takes it down with the parent.
  const child = spawn(binary, args, { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEPT_CHARS);
  });

  let control: ControlChannel;
  let ready: ReadyLine;
  try {
    ready = await waitForReady(child, options.startTimeoutMs ?? 15_000, () => stderr);
    control = await ControlChannel.connect(ready.control);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }

  let stopping: Promise<void> | undefined;
  // A broker that dies under a test run fails every later file with ECONNREFUSED; say why once, where CI shows it.
  child.once('exit', (code, signal) => {
    if (stopping !== undefined) return;
    process.stderr.write(
      `kafka stand-in exited unexpectedly (code ${String(code)}, signal ${String(signal)}):\n${stderr}\n`,
    );
  });
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      control.close();
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = waitForExit(child);
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(killer);
    })();
    return stopping;
  };

  const brokerId = (id: number | undefined): number => {
    const value = id ?? 1;
    if (!Number.isInteger(value)) throw new Error(`kafka stand-in: invalid broker id ${value}`);
    return value;
  };

  return {
    brokers: ready.bootstrap.split(','),
    controlAddress: ready.control,
    async createTopic(name, partitions) {
      // Checked here too, so a name can never smuggle a second command.
      if (!TOPIC_NAME.test(name))
        throw new Error(`kafka stand-in: invalid topic name ${JSON.stringify(name)}`);
      if (!Number.isInteger(partitions) || partitions < 1) {
        throw new Error(`kafka stand-in: invalid partition count ${partitions}`);
      }
      await control.command(`CREATE ${name} ${partitions}`);
    },
    async brokerDown(id) {
      await control.command(`DOWN ${brokerId(id)}`);
    },
    async brokerUp(id) {
      await control.command(`UP ${brokerId(id)}`);
    },
    stop,
  };
}
