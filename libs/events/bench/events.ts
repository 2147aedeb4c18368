/**
 * pnpm bench:events — against the same broker and database, each part in its own process:
 *  1. raw kafkajs: a producer process sends 1 KB messages (acks=-1, batches of 1000) that a
 *     consumer process receives; throughput, and the two processes' CPU per message;
 *  2. the pipeline: a writer process inserts aggregates with their events (insertWithEvents,
 *     inside the clock), a relay process publishes them, a consumer process handles them
 *     through its inbox; throughput, the three processes' CPU per event, and the MongoDB
 *     commands per event beyond the state changes' own writes (command monitoring);
 *  3. the pipeline at steady rates, one write per event as requests make them, stepped up
 *     until p99 (write → handled) reaches 250 ms: the highest rate held below it.
 * Servers come from the test harness (environment URLs, containers or the local stand-ins).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createConnection } from 'mongoose';
import { createTopic } from '@learning/testing/kafka-control';
import { printBenchSummary } from '@learning/testing';
import { describeServers, isLocalStandIn, obtainServers } from '@learning/testing/servers';
import { deadLetterTopicOf } from '../src/index.js';
import type { RequestBody, RoleName, RolePlan, RoleReport } from './protocol.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    messages: { type: 'string' },
    events: { type: 'string' },
    seconds: { type: 'string' },
    rates: { type: 'string' },
  },
});
const quick = values.quick;
const rawCount = Number(values.messages ?? (quick ? 3_000 : 20_000));
const pipelineCount = Number(values.events ?? (quick ? 2_000 : 10_000));
const steadySeconds = Number(values.seconds ?? (quick ? 3 : 10));
const rates = (values.rates ?? (quick ? '50,100,200' : '50,100,200,400,800,1600,3200'))
  .split(',')
  .map(Number);
const P99_LIMIT_MS = 250;
const PARTITIONS = 6;
const NOTE_BYTES = 1000;
const WRITE_BATCH = 500;
const RAW_BATCH = 1000;
const WARM_UP = 500;

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const round = (value: number, digits: number): number => Number(value.toFixed(digits));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A forked bench/role.ts process, asked one request at a time per caller, over IPC. */
class RoleProcess {
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (body: Record<string, unknown>) => void; reject: (error: Error) => void }
  >();

  private constructor(
    readonly role: RoleName,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (message: { id: number; error?: string } & Record<string, unknown>) => {
      const waiter = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      if (message.error === undefined) waiter?.resolve(message);
      else waiter?.reject(new Error(`${role}: ${message.error}`));
    });
    child.on('exit', (code) => {
      for (const waiter of this.waiting.values())
        waiter.reject(new Error(`${role} exited with ${String(code)}`));
      this.waiting.clear();
    });
  }

  static async start(role: RoleName, plan: RolePlan): Promise<RoleProcess> {
    const child = fork(
      fileURLToPath(new URL('./role.ts', import.meta.url)),
      [role, JSON.stringify(plan)],
      {
        execArgv: ['--conditions=@learning/source', '--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    const started = new RoleProcess(role, child);
    // The child's first message (id 0) says it is connected and serving.
    await new Promise<Record<string, unknown>>((resolve, reject) => {
      started.waiting.set(0, { resolve, reject });
    });
    return started;
  }

  request(body: RequestBody): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.send({ ...body, id });
    });
  }

  async report(): Promise<RoleReport> {
    return (await this.request({ kind: 'report' })) as unknown as RoleReport;
  }

  async handled(): Promise<number> {
    return (await this.request({ kind: 'status' })).handled as number;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || !this.child.connected) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.request({ kind: 'stop' }).catch(() => this.child.kill());
    await exited;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}

/** Waits until the consumer process has handled `count` events; false if `timeoutMs` ran out. */
async function handledBy(consumer: RoleProcess, count: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while ((await consumer.handled()) < count) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

const measureAll = (roles: readonly RoleProcess[]) =>
  Promise.all(roles.map((role) => role.request({ kind: 'measure' })));
const sumOf = (reports: readonly RoleReport[], pick: (report: RoleReport) => number) =>
  reports.reduce((sum, report) => sum + pick(report), 0);
const commandCount = (report: RoleReport) =>
  Object.values(report.commands).reduce((sum, count) => sum + count, 0);

/** The pipeline processes' figures for a measured stretch of `events` events. */
function pipelineFigures(
  events: number,
  writer: RoleReport,
  relay: RoleReport,
  consumer: RoleReport,
) {
  // The writer's inserts are the state changes' own writes, which the pipeline rides on.
  const beyondStateWrites =
    commandCount(writer) -
    (writer.commands['insert'] ?? 0) +
    commandCount(relay) +
    commandCount(consumer);
  return {
    cpuMicrosPerEvent: sumOf([writer, relay, consumer], (report) => report.cpuMicros) / events,
    cpuMicrosPerEventByProcess: {
      writer: round(writer.cpuMicros / events, 1),
      relay: round(relay.cpuMicros / events, 1),
      consumer: round(consumer.cpuMicros / events, 1),
    },
    commandsPerEvent: beyondStateWrites / events,
    relayCommands: relay.commands,
    consumerCommands: consumer.commands,
  };
}

process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
const servers = await obtainServers();
console.log(describeServers(servers.info));
const { mongo, kafka: kafkaInfo } = servers.info;
if (mongo === undefined || kafkaInfo === undefined) {
  await servers.stop();
  throw new Error('the benchmark needs MongoDB and Kafka; see the reasons above');
}
const broker = kafkaInfo;
const run = Date.now().toString(36);
const dbName = `bench-${run}`;
const plan = (name: string): RolePlan => ({
  mongoUri: mongo.uri,
  dbName,
  brokers: broker.brokers,
  topic: `bench.${name}.${run}`,
  partitions: PARTITIONS,
  groupId: `bench.${name}.${run}`,
  collection: `things_${run}`,
  inboxCollection: `inbox_${run}`,
  noteBytes: NOTE_BYTES,
  relayIdleDelayMs: 100,
  relayMaxIdleDelayMs: 100,
});
const started: RoleProcess[] = [];
const startRole = async (role: RoleName, rolePlan: RolePlan) => {
  const forked = await RoleProcess.start(role, rolePlan);
  started.push(forked);
  return forked;
};

async function rawKafka() {
  const rawPlan = plan('raw');
  await createTopic(broker, rawPlan.topic, PARTITIONS);
  const [consumer, producer] = [
    await startRole('raw-consumer', rawPlan),
    await startRole('raw-producer', rawPlan),
  ];
  // Warmed up and joined outside the clock, as the pipeline is.
  await producer.request({ kind: 'write', prefix: '', count: WARM_UP, batch: RAW_BATCH });
  if (!(await handledBy(consumer, WARM_UP, 120_000))) throw new Error('the warm-up timed out');
  await measureAll([consumer, producer]);
  const clock = performance.now();
  await producer.request({ kind: 'write', prefix: '', count: rawCount, batch: RAW_BATCH });
  if (!(await handledBy(consumer, WARM_UP + rawCount, 120_000)))
    throw new Error('raw kafkajs timed out');
  const seconds = (performance.now() - clock) / 1000;
  const reports = [await consumer.report(), await producer.report()];
  await Promise.all([consumer.stop(), producer.stop()]);
  return {
    perSecond: rawCount / seconds,
    cpuMicrosPerMessage: sumOf(reports, (report) => report.cpuMicros) / rawCount,
  };
}

async function pipeline() {
  const pipePlan = plan('pipeline');
  await createTopic(broker, pipePlan.topic, PARTITIONS);
  await createTopic(broker, deadLetterTopicOf(pipePlan.groupId), 1);
  const consumer = await startRole('consumer', pipePlan);
  const relay = await startRole('relay', pipePlan);
  const writer = await startRole('writer', pipePlan);
  const roles = [writer, relay, consumer];
  const reports = async () =>
    [await writer.report(), await relay.report(), await consumer.report()] as const;

  // Outside the clock: the consumer joins its group and the three processes warm up.
  await writer.request({ kind: 'write', prefix: 'w', count: WARM_UP, batch: WRITE_BATCH });
  if (!(await handledBy(consumer, WARM_UP, 120_000))) throw new Error('the warm-up timed out');
  await measureAll(roles);
  const clock = performance.now();
  await writer.request({ kind: 'write', prefix: 't', count: pipelineCount, batch: WRITE_BATCH });
  if (!(await handledBy(consumer, WARM_UP + pipelineCount, 300_000)))
    throw new Error('the pipeline timed out');
  const seconds = (performance.now() - clock) / 1000;
  const bulk = {
    perSecond: pipelineCount / seconds,
    ...pipelineFigures(pipelineCount, ...(await reports())),
  };

  const steps = [];
  let expected = WARM_UP + pipelineCount;
  for (const rate of rates) {
    const count = Math.round(rate * steadySeconds);
    await measureAll(roles);
    await writer.request({ kind: 'write', prefix: `r${rate}-`, count, batch: 1, rate });
    expected += count;
    // A rate held drains soon after its last write; one that is not can stop the run here.
    const drained = await handledBy(consumer, expected, Math.max(5, steadySeconds) * 1000);
    const [writerReport, relayReport, consumerReport] = await reports();
    const sorted = [...consumerReport.latencies].sort((a, b) => a - b);
    const step = {
      rate,
      events: sorted.length,
      p50Ms: percentile(sorted, 50),
      p99Ms: drained ? percentile(sorted, 99) : Number.POSITIVE_INFINITY,
      ...pipelineFigures(count, writerReport, relayReport, consumerReport),
    };
    steps.push(step);
    console.log(
      `  steady ${String(rate).padStart(5)} ev/s: p50 ${step.p50Ms} ms, p99 ${drained ? `${step.p99Ms} ms` : 'not drained'}, ` +
        `${step.commandsPerEvent.toFixed(3)} commands/event, ${step.cpuMicrosPerEvent.toFixed(0)} µs CPU/event ${JSON.stringify(step.cpuMicrosPerEventByProcess)}`,
    );
    if (!drained || step.p99Ms >= P99_LIMIT_MS) break;
  }
  await Promise.all(roles.map((role) => role.stop()));
  return { bulk, steps };
}

let figures: Parameters<typeof printBenchSummary>[1];
try {
  const raw = await rawKafka();
  const { bulk, steps } = await pipeline();
  const held = steps.filter((step) => step.p99Ms < P99_LIMIT_MS);
  const highest = held[held.length - 1];
  const cpuRatio = bulk.cpuMicrosPerEvent / raw.cpuMicrosPerMessage;
  // Small rates make small batches, so the most commands per event of any step is the figure.
  const worstSteadyCommands = Math.max(...steps.map((step) => step.commandsPerEvent));
  console.log('');
  console.log(
    `raw kafkajs produce->consume  ${raw.perSecond.toFixed(0).padStart(7)} msg/s  ${raw.cpuMicrosPerMessage.toFixed(1).padStart(6)} µs CPU/msg  (${rawCount} x 1 KB, acks=-1, batches of ${RAW_BATCH}; producer + consumer process)`,
  );
  console.log(
    `writer->relay->consumer       ${bulk.perSecond.toFixed(0).padStart(7)} ev/s   ${bulk.cpuMicrosPerEvent.toFixed(1).padStart(6)} µs CPU/ev   (${pipelineCount} events written ${WRITE_BATCH} per insert inside the clock; writer + relay + consumer process; ${cpuRatio.toFixed(2)}x raw CPU, target <= 3x)`,
  );
  console.log(
    `MongoDB commands per event beyond the state change's write: ${bulk.commandsPerEvent.toFixed(3)} in bulk, at most ${worstSteadyCommands.toFixed(3)} at the steady rates (target <= 1.2)`,
  );
  console.log(
    `  CPU µs/event by process ${JSON.stringify(bulk.cpuMicrosPerEventByProcess)}; commands: relay ${JSON.stringify(bulk.relayCommands)}, consumer ${JSON.stringify(bulk.consumerCommands)}`,
  );
  console.log(
    highest === undefined
      ? `no steady rate held p99 < ${P99_LIMIT_MS} ms`
      : `highest steady rate with p99 < ${P99_LIMIT_MS} ms: ${highest.rate} ev/s (p50 ${highest.p50Ms} ms, p99 ${highest.p99Ms} ms, ${steadySeconds} s per step, one write per event)`,
  );
  const kafkaBound = isLocalStandIn(broker.origin);
  const pipelineBound = kafkaBound || isLocalStandIn(mongo.origin);
  figures = {
    rawMessages: rawCount,
    rawMessagesPerSecond: round(raw.perSecond, 0),
    rawCpuMicrosPerMessage: round(raw.cpuMicrosPerMessage, 1),
    pipelineEvents: pipelineCount,
    pipelineEventsPerSecond: round(bulk.perSecond, 0),
    pipelineCpuMicrosPerEvent: round(bulk.cpuMicrosPerEvent, 1),
    cpuRatioToRawKafka: round(cpuRatio, 2),
    commandsPerEventBulk: round(bulk.commandsPerEvent, 3),
    commandsPerEvent: round(worstSteadyCommands, 3),
    highestSteadyEventsPerSecond: highest?.rate ?? 0,
    steadyP50Ms: highest?.p50Ms ?? null,
    steadyP99Ms: highest?.p99Ms ?? null,
    steadyCpuMicrosPerEvent: highest === undefined ? null : round(highest.cpuMicrosPerEvent, 1),
    steadySecondsPerStep: steadySeconds,
    boundByStandIn: [
      ...(kafkaBound ? ['rawMessagesPerSecond'] : []),
      ...(pipelineBound
        ? ['pipelineEventsPerSecond', 'highestSteadyEventsPerSecond', 'steadyP50Ms', 'steadyP99Ms']
        : []),
    ],
  };
} finally {
  for (const role of started) role.kill();
  const connection = await createConnection(mongo.uri, { dbName }).asPromise();
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
  await servers.stop();
}
printBenchSummary('events', figures, {
  commandsPerEvent: { atMost: 1.2 },
  cpuRatioToRawKafka: { atMost: 3 },
});
