/**
 * What infra/observability generates, as file path (from the repository root) → content:
 * the dashboards' JSON and the PrometheusRule built from rules/platform.yml. `pnpm --filter
 * @learning/observability generate` writes them; infra/deploy's test checks the committed files
 * are these.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { parse, stringify } from 'yaml';
import { dashboards, grafanaJson } from './dashboards.js';

export { dashboards, grafanaJson, SERVICES, type Dashboard } from './dashboards.js';

export const root = fileURLToPath(new URL('../../../', import.meta.url));
export const RULES_FILE = 'infra/observability/rules/platform.yml';
export const PROMETHEUS_RULE_FILE = 'k8s/components/monitoring/prometheus-rule.yaml';
export const dashboardFile = (uid: string): string =>
  `infra/observability/dashboards/${uid.replace(/^learning-society-/, '')}.json`;

/** The rule groups of rules/platform.yml, as Prometheus and the PrometheusRule's spec hold them. */
export const ruleGroups = (): unknown =>
  (parse(readFileSync(`${root}${RULES_FILE}`, 'utf8')) as { groups: unknown }).groups;

function prometheusRule(): string {
  const resource = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: 'learning-society',
      labels: { 'app.kubernetes.io/part-of': 'learning-society' },
    },
    spec: { groups: ruleGroups() },
  };
  return `# Generated from ${RULES_FILE} by infra/observability (pnpm --filter @learning/observability generate): edit that file.\n${stringify(resource, { lineWidth: 0 })}`;
}

export async function generatedFiles(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  // As `pnpm format` would write them, so format:check and the equality test agree.
  const formatted = async (path: string, text: string) => {
    const filepath = `${root}${path}`;
    files.set(path, await format(text, { ...(await resolveConfig(filepath)), filepath }));
  };
  await formatted(PROMETHEUS_RULE_FILE, prometheusRule());
  for (const dashboard of dashboards)
    await formatted(dashboardFile(dashboard.uid), JSON.stringify(grafanaJson(dashboard)));
  return files;
}
