/**
 * What integration tests use: the servers the harness picked (or a printed
 * reason to skip), topic creation on any broker, and small helpers.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import { describe, inject } from 'vitest';
import { createRootLogger, type Logger } from '@learning/logger';
import type { HarnessInfo, ServerName } from './servers.js';

export type { HarnessInfo, ServerName } from './servers.js';
export { brokerSwitch, createTopic, ensureTopics, sendControl } from './kafka-control.js';

export type Servers<N extends ServerName> = { [K in N]: NonNullable<HarnessInfo[K]> };

/**
 * Declares a suite that needs real servers. When one is missing the suite's
 * tests are registered as skipped and the reason is printed, so a skip is
 * never silent.
 */
export function describeWithServers<N extends ServerName>(
  names: readonly N[],
  title: string,
  body: (servers: Servers<N>) => void,
): void {
  const info = inject('harness');
  const reasons = names.flatMap((name) =>
    info[name] === undefined ? [`${name}: ${info.missing[name] ?? 'not provided'}`] : [],
  );
  const servers = {} as Servers<N>;
  for (const name of names) {
    Object.defineProperty(servers, name, {
      enumerable: true,
      get() {
        const server = info[name];
        if (server === undefined)
          throw new Error(
            `${title}: server ${name} is missing (${info.missing[name] ?? 'not provided'})`,
          );
        return server;
      },
    });
  }
  if (reasons.length > 0) {
    process.stdout.write(`SKIPPED "${title}": ${reasons.join('; ')}\n`);
    describe.skip(`${title} (skipped: ${reasons.join('; ')})`, () => {
      body(servers);
    });
    return;
  }
  describe(title, () => {
    body(servers);
  });
}

/** A name no other test or run will use: topics, groups, databases, key prefixes. */
export const uniqueName = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

/** A logger whose lines are kept for assertions (and that prints nothing). */
export function captureLogger(service = 'test'): {
  logger: Logger;
  lines: Record<string, unknown>[];
  text: () => string;
} {
  const raw: string[] = [];
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const text = chunk.toString();
      raw.push(text);
      lines.push(JSON.parse(text) as Record<string, unknown>);
      callback();
    },
  });
  return {
    logger: createRootLogger({ service, version: 'test', level: 'debug', destination }),
    lines,
    text: () => raw.join(''),
  };
}

/**
 * Resolves with the promise's rejection reason, for assertions on the error
 * itself; a promise that resolves instead fails the test with what it gave.
 */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  let value: unknown;
  try {
    value = await promise;
  } catch (reason) {
    return reason;
  }
  throw new Error(`expected the promise to reject, but it resolved with ${inspect(value)}`);
}

export { eventually } from './eventually.js';
export { watchTopics, type TopicWatch, type WatchedMessage } from './topic-watch.js';

export {
  jurisdictionTree,
  residentIdNumber,
  type JurisdictionNode,
  type JurisdictionLevel,
  type JurisdictionTreeOptions,
} from './factories.js';
export { refusalOf } from './refusal.js';
export { runLoadInChild } from './child-load.js';
export { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
export { printBenchSummary, type BenchFigure } from './bench-summary.js';
export {
  parseProcessStat,
  parseProcessStatus,
  processCpuMs,
  processMemory,
  sampleProcessMemory,
  type ProcessMemory,
} from '@learning/local-infra';
export { isLocalStandIn } from './servers.js';
export { openApiProblems } from './openapi.js';
export {
  hostileRequests,
  LONG_STRING_LENGTH,
  MALFORMED_PATH_VALUES,
  type HostileRequest,
  type HostileRequestOptions,
} from './hostile-requests.js';
