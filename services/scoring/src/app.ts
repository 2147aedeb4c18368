/** The scoring service: its modules on the shared runtime. */
import { consumerGroups, topics } from '@learning/events';
import { buildServiceApp, type App, type AppDeps, type ServiceDefinition } from '@learning/runtime';
import packageJson from '../package.json' with { type: 'json' };
import type { ScoringConfig } from './config.js';
import type { Platform } from './platform.js';

export const scoringService: ServiceDefinition<ScoringConfig, Platform> = {
  name: 'scoring',
  version: packageJson.version,
  eventSource: '/learning/scoring',
  audit: { topic: topics.scoringAudit, group: consumerGroups.scoringAudit },
  openapi: {
    title: 'Scoring',
    description: 'What scoring offers the city, in one sentence.',
  },
  // The service's own shared parts (a peer's gRPC client, a vault) join the platform here.
  extend: (platform) => platform,
  // One module per slice (src/modules/), each wiring its adapters onto the platform.
  modules: [],
};

export const buildApp = (config: ScoringConfig, deps?: AppDeps): App =>
  buildServiceApp(scoringService, config, deps);
