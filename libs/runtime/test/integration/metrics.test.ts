/**
 * Every runtime app's /metrics carries the process's own metrics (CPU, resident memory,
 * event-loop lag) beside the service's: the dashboards' process panels read them.
 */
import { consumerGroups, topics } from '@learning/events';
import { describeWithServers, uniqueName } from '@learning/testing';
import { Type } from '@sinclair/typebox';
import { expect, it } from 'vitest';
import {
  loadServiceConfig,
  serviceEnv,
  type Platform,
  type ServiceDefinition,
} from '../../src/index.js';
import { useServiceApp } from '../../src/testing.js';

type BareConfig = ReturnType<typeof loadBareConfig>;
const bareService: ServiceDefinition<BareConfig, Platform<BareConfig>> = {
  name: 'bare',
  version: '0.0.0',
  eventSource: '/learning/bare',
  audit: { topic: topics.registrationAudit, group: consumerGroups.registrationAudit },
  openapi: { title: 'Bare', description: 'A service with nothing of its own.' },
  extend: (platform) => platform,
  modules: [],
};

function loadBareConfig(environment: Readonly<Record<string, string | undefined>>) {
  return loadServiceConfig(Type.Object(serviceEnv), environment);
}

describeWithServers(['mongo', 'kafka', 'redis'], '/metrics of a runtime app', (servers) => {
  const running = useServiceApp(bareService, servers, {
    loadConfig: loadBareConfig,
    environment: () => ({ KAFKA_GROUP_NAMESPACE: uniqueName('metrics') }),
  });

  it('when scraped, then it carries process CPU, resident memory and event-loop lag', async () => {
    const response = await fetch(`${running.base}/metrics`);

    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
    expect(text).toMatch(/^process_resident_memory_bytes [1-9]/m);
    expect(text).toContain('# TYPE nodejs_eventloop_lag_p99_seconds gauge');
  });
});
