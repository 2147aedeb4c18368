/** vitest globalSetup of the integration project: one set of servers for the run. */
import type { TestProject } from 'vitest/node';
import { describeServers, obtainServers, type HarnessInfo } from './servers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    harness: HarnessInfo;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const servers = await obtainServers();
  process.stdout.write(`${describeServers(servers.info)}\n`);
  project.provide('harness', servers.info);
  return () => servers.stop();
}
