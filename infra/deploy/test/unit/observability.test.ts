/**
 * The alert rules, dashboards and monitoring component agree with the code and with each other:
 * promtool checks the rules and runs their tests, the committed generated files are what
 * infra/observability generates, the PrometheusRule carries exactly rules/platform.yml, every
 * metric a rule or a panel reads is one the services define, and every alert has a test case and
 * a runbook section.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import {
  dashboards,
  generatedFiles,
  grafanaJson,
  PROMETHEUS_RULE_FILE,
  root,
  RULES_FILE,
  ruleGroups,
  SERVICES,
} from '../../../observability/src/index.js';

const read = (path: string): string => readFileSync(join(root, path), 'utf8');
const RULE_TESTS_FILE = 'infra/observability/rules/tests/platform.test.yml';

interface Rule {
  readonly alert: string;
  readonly expr: string;
  readonly annotations: Readonly<Record<string, string>>;
}
const rules = (ruleGroups() as { rules: Rule[] }[]).flatMap((group) => group.rules);

// ---------------------------------------------------------------------------
// The metric names the code defines

/** Every `.ts` file under a directory, recursively. */
function sourceFiles(directory: string): string[] {
  return readdirSync(join(root, directory), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Names given to prom-client metrics in the services and libraries (`name: '…'` in a file that
 * imports prom-client), a histogram's series with their suffixes, prom-client's default process
 * metrics, and Prometheus' own `up`.
 */
const definedMetrics: ReadonlySet<string> = (() => {
  const names = new Set<string>(['up']);
  const roots = ['libs', 'services'].flatMap((top) =>
    readdirSync(join(root, top)).map((name) => `${top}/${name}/src`),
  );
  for (const file of roots.flatMap((directory) => {
    try {
      return sourceFiles(directory);
    } catch {
      return [];
    }
  })) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes("from 'prom-client'")) continue;
    for (const match of text.matchAll(
      /new (Counter|Gauge|Histogram|Summary)\(\{\s*name: '(\w+)'/g,
    )) {
      const [, kind = '', name = ''] = match;
      names.add(name);
      if (kind === 'Histogram')
        for (const suffix of ['_bucket', '_count', '_sum']) names.add(`${name}${suffix}`);
    }
  }
  const defaults = new Registry();
  collectDefaultMetrics({ register: defaults });
  for (const metric of defaults.getMetricsAsArray()) names.add(metric.name);
  return names;
})();

const PROMQL_WORDS = new Set([
  'sum',
  'max',
  'min',
  'avg',
  'count',
  'rate',
  'irate',
  'increase',
  'histogram_quantile',
  'and',
  'or',
  'unless',
  'by',
  'without',
  'bool',
  'offset',
  'abs',
  'clamp_min',
  'topk',
]);

/** The metric names a PromQL expression reads: what is left once labels, ranges, groupings and strings are gone. */
function metricsIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, '');
  return [...bare.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)]
    .map(([word]) => word)
    .filter((word) => !PROMQL_WORDS.has(word));
}
const unknownMetricsIn = (expr: string): string[] =>
  metricsIn(expr).filter((name) => !definedMetrics.has(name));

const panelQueries = dashboards.flatMap((dashboard) =>
  dashboard.rows.flatMap((row) =>
    row.panels.flatMap((panel) =>
      panel.queries.map((query) => ({
        where: `${dashboard.uid}: ${panel.title}`,
        expr: query.expr,
      })),
    ),
  ),
);

describe('metric names', () => {
  it('the code defines the metrics the rules and dashboards are built on', () => {
    for (const name of [
      'http_request_duration_seconds_bucket',
      'grpc_server_handling_seconds_count',
      'kafka_consumer_lag',
      'events_consumed_total',
      'outbox_oldest_pending_seconds',
      'notifications_broadcast_seconds_without_progress',
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
    ])
      expect(definedMetrics.has(name), name).toBe(true);
  });

  it('the reader finds metric names and only those (an unknown one is reported)', () => {
    expect(
      metricsIn('sum by (service, le) (rate(a_total{route!~"/x|y"}[5m])) / on (service) b > 1'),
    ).toEqual(['a_total', 'b']);
    expect(unknownMetricsIn('rate(http_requests_total[5m])')).toEqual(['http_requests_total']);
  });

  it.each(rules.map((rule) => [rule.alert, rule.expr]))(
    'alert %s reads only metrics the services expose',
    (_alert, expr) => {
      expect(metricsIn(expr).length).toBeGreaterThan(0);
      expect(unknownMetricsIn(expr)).toEqual([]);
    },
  );

  it('every dashboard panel reads only metrics the services expose', () => {
    expect(panelQueries.length).toBeGreaterThan(30);
    for (const { where, expr } of panelQueries) {
      expect(metricsIn(expr).length, where).toBeGreaterThan(0);
      expect(unknownMetricsIn(expr), where).toEqual([]);
    }
  });
});

// ---------------------------------------------------------------------------
// promtool

const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
const promtoolMissing = promtool.error !== undefined || promtool.status !== 0;
if (promtoolMissing)
  console.warn(
    'observability.test.ts: promtool is not installed (Debian package `prometheus`, installed by scripts/setup.sh): the promtool checks are skipped',
  );

describe.skipIf(promtoolMissing)('promtool', () => {
  const run = (args: string[]): string =>
    execFileSync('promtool', args, { cwd: root, encoding: 'utf8', stdio: 'pipe' });

  it('check rules: the rules file is valid', () => {
    expect(run(['check', 'rules', RULES_FILE])).toContain(
      `SUCCESS: ${String(rules.length)} rules found`,
    );
  });

  it('test rules: every alert fires on its case and stays quiet on its near miss', () => {
    expect(run(['test', 'rules', RULE_TESTS_FILE])).toContain('SUCCESS');
  });

  it('every dashboard query is valid PromQL (checked as recording rules)', () => {
    const directory = mkdtempSync(join(tmpdir(), 'panels-'));
    try {
      const file = join(directory, 'panels.yml');
      const recorded = panelQueries.map((query, index) => ({
        record: `panel:query:${String(index)}`,
        // Grafana's interval variable, as Grafana would fill it in.
        expr: query.expr.replaceAll('$__rate_interval', '5m'),
      }));
      writeFileSync(file, stringify({ groups: [{ name: 'panels', rules: recorded }] }));
      expect(run(['check', 'rules', file])).toContain(
        `SUCCESS: ${String(recorded.length)} rules found`,
      );
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('every alert', () => {
  const tests = read(RULE_TESTS_FILE);
  const runbook = read('docs/operations/runbook.md');

  it.each(rules.map((rule) => [rule.alert, rule]))(
    '%s has a test case and a runbook section',
    (alert, rule) => {
      expect(tests, `${RULE_TESTS_FILE} tests ${alert}`).toContain(`alertname: ${alert}`);
      expect(runbook, `runbook.md has "## ${alert}"`).toMatch(new RegExp(`^## ${alert}$`, 'm'));
      expect(rule.annotations['runbook_url']).toBe(
        `docs/operations/runbook.md#${alert.toLowerCase()}`,
      );
      expect(rule.annotations['summary']).toBeTruthy();
    },
  );
});

// ---------------------------------------------------------------------------
// Generated files and the monitoring component

describe('generated files', () => {
  it('the committed dashboards and PrometheusRule are what infra/observability generates (pnpm --filter @learning/observability generate)', async () => {
    const files = await generatedFiles();
    expect(files.size).toBe(SERVICES.length + 2);
    for (const [path, content] of files) expect(read(path), path).toBe(content);
  });

  it('the PrometheusRule carries exactly the rules of rules/platform.yml', () => {
    const resource = parse(read(PROMETHEUS_RULE_FILE)) as {
      kind: string;
      spec: { groups: unknown };
    };
    expect(resource.kind).toBe('PrometheusRule');
    expect(resource.spec.groups).toEqual((parse(read(RULES_FILE)) as { groups: unknown }).groups);
  });

  it('each dashboard has unique panel ids, a query per target and the Prometheus data source variable', () => {
    for (const dashboard of dashboards) {
      const json = grafanaJson(dashboard) as {
        panels: { id: number; type: string; targets?: { refId: string; expr: string }[] }[];
        templating: { list: { name: string; type: string }[] };
      };
      const ids = json.panels.map((panel) => panel.id);
      expect(new Set(ids).size, dashboard.uid).toBe(ids.length);
      for (const panel of json.panels.filter((item) => item.type !== 'row')) {
        expect(panel.targets?.length, `${dashboard.uid} panel ${String(panel.id)}`).toBeGreaterThan(
          0,
        );
        const refIds = panel.targets?.map((target) => target.refId) ?? [];
        expect(new Set(refIds).size).toBe(refIds.length);
      }
      expect(json.templating.list).toContainEqual(
        expect.objectContaining({ name: 'datasource', type: 'datasource' }),
      );
    }
  });

  it('one dashboard per service and one for the programme', () => {
    expect(dashboards.map((dashboard) => dashboard.uid).sort()).toEqual(
      [
        ...SERVICES.map((service) => `learning-society-${service}`),
        'learning-society-programme',
      ].sort(),
    );
  });
});

describe('k8s/components/monitoring', () => {
  const directory = 'k8s/components/monitoring';
  const services = readdirSync(join(root, 'services')).filter((name) =>
    readFileSync(join(root, 'services', name, 'package.json'), 'utf8').includes('"start"'),
  );

  it('is a kustomize Component listing its PodMonitors and the PrometheusRule', () => {
    const kustomization = parse(read(`${directory}/kustomization.yaml`)) as {
      kind: string;
      resources: string[];
    };
    expect(kustomization.kind).toBe('Component');
    expect(kustomization.resources.sort()).toEqual(['pod-monitors.yaml', 'prometheus-rule.yaml']);
  });

  it('scrapes every service that exists, at the port and path libs/http serves /metrics on, labelled by service', () => {
    expect([...SERVICES].sort()).toEqual([...services].sort());
    const monitors = parseAllDocuments(read(`${directory}/pod-monitors.yaml`)).map(
      (document) =>
        document.toJS() as {
          kind: string;
          metadata: { name: string };
          spec: {
            selector: { matchLabels: Record<string, string> };
            podMetricsEndpoints: {
              port: string;
              path: string;
              relabelings: { sourceLabels: string[]; targetLabel: string }[];
            }[];
          };
        },
    );
    expect(monitors.map((monitor) => monitor.metadata.name).sort()).toEqual([...services].sort());
    expect(read('libs/http/src/ops.ts')).toContain("app.get('/metrics'");
    for (const monitor of monitors) {
      expect(monitor.kind).toBe('PodMonitor');
      expect(monitor.spec.selector.matchLabels).toEqual({
        'app.kubernetes.io/name': monitor.metadata.name,
      });
      const [endpoint] = monitor.spec.podMetricsEndpoints;
      expect(endpoint?.port).toBe('http');
      expect(endpoint?.path).toBe('/metrics');
      expect(endpoint?.relabelings).toContainEqual({
        sourceLabels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'],
        targetLabel: 'service',
      });
    }
  });
});
