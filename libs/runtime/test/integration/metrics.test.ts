/**
 * Every runtime app's /metrics carries the process's own metrics (CPU, resident memory,
 * event-loop lag) beside the service's: the dashboards' process panels read them.
 */
import { describeWithServers } from '@learning/testing';
import { expect, it } from 'vitest';
import { useServiceApp } from '../../src/testing.js';
import { bareService, loadBareConfig } from '../support/bare-service.js';

describeWithServers(['mongo', 'kafka', 'redis'], '/metrics of a runtime app', (servers) => {
  const running = useServiceApp(bareService, servers, { loadConfig: loadBareConfig });

  it('when scraped, then it carries process CPU, resident memory and event-loop lag', async () => {
    const response = await fetch(`${running.base}/metrics`);

    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
    expect(text).toMatch(/^process_resident_memory_bytes [1-9]/m);
    expect(text).toContain('# TYPE nodejs_eventloop_lag_p99_seconds gauge');
  });
});
