/**
 * Traces reach a collector only if the default-deny NetworkPolicies let the
 * services out to it: in every rendered overlay, a service whose environment
 * turns OTLP export on (libs/tracing's own rule, otlpTracesUrl) may reach
 * exactly the collector its OTEL_EXPORTER_OTLP_ENDPOINT names (the Service's
 * namespace and pods, on the endpoint's port), and a service that exports
 * nothing has no way out to a collector.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { otlpTracesUrl, type TracingConfig } from '@learning/tracing';
import { render, type K8sObject } from './kustomize.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const overlays = readdirSync(`${root}k8s/overlays`).sort();
/** Rendered once, while the file is collected: kustomize takes seconds per overlay on a busy machine. */
const rendered = new Map(overlays.map((overlay) => [overlay, render(`overlays/${overlay}`)]));
const renderedOf = (overlay: string): K8sObject[] => {
  const objects = rendered.get(overlay);
  if (objects === undefined) throw new Error(`no k8s/overlays/${overlay}`);
  return objects;
};
const services = ['registration', 'activities', 'lectures', 'scoring', 'notifications'];
/** The platform's namespace: a collector named without one is looked up there. */
const NAMESPACE = 'learning-society';
/** OTLP's standard ports (gRPC, HTTP): a way out to either is a way out to a collector. */
const OTLP_PORTS = [4317, 4318];

type Labels = Record<string, string>;
interface Selector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}
interface Peer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: unknown;
}
interface EgressRule {
  to?: Peer[];
  ports?: { protocol?: string; port?: number | string }[];
}
interface Container {
  name: string;
  env?: { name: string; value?: string }[];
  envFrom?: { configMapRef?: { name: string } }[];
}
interface Deployment {
  kind: 'Deployment';
  metadata: { name: string };
  spec: { template: { metadata: { labels: Labels }; spec: { containers: Container[] } } };
}

const nameOf = (object: K8sObject): string =>
  String((object['metadata'] as { name?: unknown } | undefined)?.name);

/** A label selector (matchLabels, matchExpressions with In) against a pod's labels. */
function selects(selector: Selector, labels: Labels): boolean {
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(
    ([key, value]) => labels[key] === value,
  );
  const byExpression = (selector.matchExpressions ?? []).every((expression) => {
    if (expression.operator !== 'In')
      throw new Error(`selector operator ${expression.operator}: only In is read here`);
    const value = labels[expression.key];
    return value !== undefined && (expression.values ?? []).includes(value);
  });
  return byLabel && byExpression;
}

/** What the service's container gets: its ConfigMaps' values, then its own env. */
function environmentOf(objects: K8sObject[], container: Container): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const configMap = objects.find(
      (object) => object['kind'] === 'ConfigMap' && nameOf(object) === source.configMapRef?.name,
    );
    Object.assign(environment, configMap?.['data'] ?? {});
  }
  for (const variable of container.env ?? [])
    if (variable.value !== undefined) environment[variable.name] = variable.value;
  return environment;
}

/** Where the collector is, from an endpoint of the form http(s)://<service>[.<namespace>[.svc…]]:<port>. */
function collectorOf(endpoint: string): { namespace: string; service: string; port: number } {
  const url = new URL(endpoint);
  const [service = '', namespace = NAMESPACE, ...rest] = url.hostname.split('.');
  if (rest.length > 0 && !/^svc(\.cluster\.local)?$/.test(rest.join('.')))
    throw new Error(
      `${endpoint}: not a Service of the cluster (<service>.<namespace>.svc); egress to it needs a rule this test does not read`,
    );
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return { namespace, service, port };
}

/** Whether one egress rule lets a pod out to `port`, on any peer. */
const opensPort = (rule: EgressRule, port: number): boolean =>
  rule.ports === undefined || rule.ports.some((item) => Number(item.port) === port);

/**
 * What is wrong with the way out from each service to its collector in one
 * rendered overlay: [] when every service exporting traces may reach exactly
 * its collector, and no service that exports none may reach one.
 */
function collectorEgressProblems(objects: K8sObject[]): string[] {
  const policies = objects
    .filter((object) => object['kind'] === 'NetworkPolicy')
    .map((policy) => policy['spec'] as { podSelector: Selector; egress?: EgressRule[] });
  const problems: string[] = [];
  for (const service of services) {
    const deployment = objects.find(
      (object): object is K8sObject & Deployment =>
        object['kind'] === 'Deployment' && nameOf(object) === service,
    );
    const container = deployment?.spec.template.spec.containers.find(
      (item) => item.name === service,
    );
    if (deployment === undefined || container === undefined) {
      problems.push(`${service}: no Deployment with its container`);
      continue;
    }
    const labels = deployment.spec.template.metadata.labels;
    const rules = policies
      .filter((policy) => selects(policy.podSelector, labels))
      .flatMap((policy) => policy.egress ?? []);
    const environment = environmentOf(objects, container);
    // Only the variables otlpTracesUrl reads; the others keep their defaults.
    const tracing = {
      ...(environment['OTEL_EXPORTER_OTLP_ENDPOINT'] === undefined
        ? {}
        : { OTEL_EXPORTER_OTLP_ENDPOINT: environment['OTEL_EXPORTER_OTLP_ENDPOINT'] }),
      ...(environment['OTEL_TRACES_EXPORTER'] === undefined
        ? {}
        : { OTEL_TRACES_EXPORTER: environment['OTEL_TRACES_EXPORTER'] }),
    } as TracingConfig;
    const exporting = otlpTracesUrl(tracing) !== undefined;
    const endpoint = tracing.OTEL_EXPORTER_OTLP_ENDPOINT;
    if (!exporting || endpoint === undefined) {
      // Off, or the standard localhost endpoint (a collector in the pod): no way out is needed.
      for (const port of OTLP_PORTS)
        if (rules.some((rule) => rule.ports !== undefined && opensPort(rule, port)))
          problems.push(`${service}: egress to a collector on ${port}, but it exports no traces`);
      continue;
    }
    const collector = collectorOf(endpoint);
    const wanted: EgressRule = {
      to: [
        {
          namespaceSelector: {
            matchLabels: { 'kubernetes.io/metadata.name': collector.namespace },
          },
          podSelector: { matchLabels: { 'app.kubernetes.io/name': collector.service } },
        },
      ],
      ports: [{ protocol: 'TCP', port: collector.port }],
    };
    const toCollector = rules.filter((rule) =>
      [...OTLP_PORTS, collector.port].some(
        (port) => rule.ports !== undefined && opensPort(rule, port),
      ),
    );
    if (!toCollector.some((rule) => isDeepStrictEqual(rule, wanted)))
      problems.push(
        `${service}: exports traces to ${endpoint}, but no egress rule opens exactly ${collector.namespace}/${collector.service}:${collector.port}`,
      );
    for (const rule of toCollector)
      if (!isDeepStrictEqual(rule, wanted))
        problems.push(
          `${service}: egress to a collector other than ${endpoint}: ${JSON.stringify(rule)}`,
        );
  }
  return problems;
}

/** The production overlay with `change` applied to a copy of its objects. */
const productionWith = (change: (objects: K8sObject[]) => K8sObject[]): K8sObject[] =>
  change(structuredClone(renderedOf('production')));
const platformConfigOf = (objects: K8sObject[]): Record<string, string> => {
  const configMap = objects.find(
    (object) => object['kind'] === 'ConfigMap' && nameOf(object).startsWith('platform-config'),
  );
  if (configMap === undefined) throw new Error('no platform-config');
  return configMap['data'] as Record<string, string>;
};
const withoutCollectorEgress = (objects: K8sObject[]): K8sObject[] =>
  objects.filter(
    (object) => !(object['kind'] === 'NetworkPolicy' && nameOf(object) === 'otel-collector-egress'),
  );

describe('traces reach their collector through the NetworkPolicies', () => {
  it.each(overlays)(
    '%s: each service exporting traces may reach exactly its collector',
    (overlay) => {
      expect(collectorEgressProblems(renderedOf(overlay))).toEqual([]);
    },
  );

  it('production sends every service’s traces to the city’s collector, named once in platform-config', () => {
    const objects = renderedOf('production');
    expect(platformConfigOf(objects)['OTEL_EXPORTER_OTLP_ENDPOINT']).toBe(
      'http://otel-collector.observability.svc:4318',
    );
    for (const service of services) {
      const deployment = objects.find(
        (object) => object['kind'] === 'Deployment' && nameOf(object) === service,
      ) as Deployment | undefined;
      const own = deployment?.spec.template.spec.containers
        .flatMap((container) => container.env ?? [])
        .map((variable) => variable.name);
      expect(own, `${service} does not set its own endpoint`).not.toContain(
        'OTEL_EXPORTER_OTLP_ENDPOINT',
      );
    }
  });

  it('local exports no traces, and so opens no way to a collector', () => {
    const objects = renderedOf('local');
    expect(platformConfigOf(objects)['OTEL_EXPORTER_OTLP_ENDPOINT']).toBeUndefined();
    expect(objects.some((object) => nameOf(object) === 'otel-collector-egress')).toBe(false);
  });

  it('when a service exports traces and no policy lets it out to the collector, then it is reported', () => {
    const problems = collectorEgressProblems(productionWith(withoutCollectorEgress));
    expect(problems).toHaveLength(services.length);
    for (const service of services)
      expect(problems.some((problem) => problem.startsWith(`${service}: exports traces`))).toBe(
        true,
      );
  });

  it('when the egress is open but no endpoint is set (or tracing is off), then it is reported', () => {
    const off: ((config: Record<string, string>) => void)[] = [
      (config) => delete config['OTEL_EXPORTER_OTLP_ENDPOINT'],
      (config) => (config['OTEL_TRACES_EXPORTER'] = 'none'),
    ];
    for (const turnOff of off) {
      const problems = collectorEgressProblems(
        productionWith((objects) => {
          turnOff(platformConfigOf(objects));
          return objects;
        }),
      );
      expect(problems).toEqual(
        services.map(
          (service) => `${service}: egress to a collector on 4318, but it exports no traces`,
        ),
      );
    }
  });

  it('when the endpoint names another collector, port or namespace than the policy, then it is reported', () => {
    for (const endpoint of [
      'http://otel-collector.observability.svc:4317',
      'http://otel-collector.monitoring.svc:4318',
      'http://tempo.observability.svc:4318',
    ]) {
      const problems = collectorEgressProblems(
        productionWith((objects) => {
          platformConfigOf(objects)['OTEL_EXPORTER_OTLP_ENDPOINT'] = endpoint;
          return objects;
        }),
      );
      expect(problems.length, endpoint).toBeGreaterThanOrEqual(services.length);
    }
  });

  it('when a second policy opens another collector beside the named one, then it is reported', () => {
    const problems = collectorEgressProblems(
      productionWith((objects) => {
        const policy = structuredClone(
          objects.find((object) => nameOf(object) === 'otel-collector-egress'),
        ) as K8sObject & { metadata: { name: string }; spec: { egress: EgressRule[] } };
        policy.metadata.name = 'another-collector';
        policy.spec.egress = [{ ports: [{ protocol: 'TCP', port: 4317 }] }];
        return [...objects, policy];
      }),
    );
    expect(problems.filter((problem) => problem.includes('other than'))).toHaveLength(
      services.length,
    );
  });

  it('when the endpoint is outside the cluster, then the test says it cannot judge it', () => {
    expect(() =>
      collectorEgressProblems(
        productionWith((objects) => {
          platformConfigOf(objects)['OTEL_EXPORTER_OTLP_ENDPOINT'] =
            'https://otel.municipal-it.example:4318';
          return objects;
        }),
      ),
    ).toThrow(/not a Service of the cluster/);
  });
});
