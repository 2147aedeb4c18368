import { consumerGroups, topics } from '@learning/events';
import { Type } from '@sinclair/typebox';
import {
  loadServiceConfig,
  serviceEnv,
  type Platform,
  type ServiceDefinition,
} from '../../src/index.js';

export type BareConfig = ReturnType<typeof loadBareConfig>;

export function loadBareConfig(environment: Readonly<Record<string, string | undefined>>) {
  return loadServiceConfig(Type.Object(serviceEnv), environment);
}

/** The smallest service: no modules, only what the runtime gives every service. */
export const bareService: ServiceDefinition<BareConfig, Platform<BareConfig>> = {
  name: 'bare',
  version: '0.0.0',
  eventSource: '/learning/bare',
  audit: { topic: topics.registrationAudit, group: consumerGroups.registrationAudit },
  openapi: { title: 'Bare', description: 'A service with nothing of its own.' },
  extend: (platform) => platform,
  modules: [],
};
