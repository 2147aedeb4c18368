/**
 * vitest globalSetup of the integration projects: one set of servers for the
 * whole run, however many projects list this file.
 */
import type { TestProject } from 'vitest/node';
import {
  describeServers,
  obtainServers,
  type HarnessInfo,
  type ObtainedServers,
} from './servers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    harness: HarnessInfo;
  }
}

interface SharedServers {
  servers: Promise<ObtainedServers>;
  users: number;
}

// vitest loads a project's globalSetup through that project's own module graph, so a
// module-level variable would be one per project; the process-wide registry is one per run.
const SHARED = Symbol.for('@learning/testing:harness-servers');
const registry = globalThis as typeof globalThis & { [SHARED]?: SharedServers | undefined };

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let shared = registry[SHARED];
  if (shared === undefined) {
    shared = {
      servers: obtainServers().then((servers) => {
        process.stdout.write(`${describeServers(servers.info)}\n`);
        return servers;
      }),
      users: 0,
    };
    registry[SHARED] = shared;
  }
  shared.users += 1;
  const servers = await shared.servers;
  project.provide('harness', servers.info);
  return async () => {
    const current = registry[SHARED];
    if (current === undefined) return;
    current.users -= 1;
    if (current.users > 0) return;
    registry[SHARED] = undefined;
    await servers.stop();
  };
}
