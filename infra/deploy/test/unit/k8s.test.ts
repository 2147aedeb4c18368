/**
 * k8s/ as a cluster would receive it: every overlay rendered by kustomize and
 * every object validated offline against its schema (built-in kinds by the
 * kubernetes-models package, custom resources by the CRD schemas vendored in
 * infra/deploy/schemas); the KafkaTopics against libs/events' registry and
 * the consumers' autoscaling; production's operators, Secrets, Ingress and
 * client credentials.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import * as core from 'kubernetes-models/v1';
import * as apps from 'kubernetes-models/apps/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as batch from 'kubernetes-models/batch/v1';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as policy from 'kubernetes-models/policy/v1';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { consumerGroups, topics, topicsToProvision } from '@learning/events';
import * as contracts from '@learning/contracts';
import { KAFKA_TOPICS_FILE, kafkaTopic } from '../../src/kafka-topics.js';
import { WEBHOOK_CATALOGUE } from '../../../../services/notifications/src/application/webhooks/catalogue.js';
import { render, type K8sObject } from './kustomize.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const read = (path: string): string => readFileSync(`${root}${path}`, 'utf8');

const overlays = readdirSync(`${root}k8s/overlays`).sort();
/** Rendered once, while the file is collected: kustomize takes a second or more per overlay. */
const rendered = new Map(overlays.map((overlay) => [overlay, render(`overlays/${overlay}`)]));
const renderedOf = (overlay: string): K8sObject[] => {
  const objects = rendered.get(overlay);
  if (objects === undefined) throw new Error(`no k8s/overlays/${overlay}`);
  return objects;
};
const services = ['registration', 'activities', 'lectures', 'scoring', 'notifications'];

// ---------------------------------------------------------------------------
// Schemas

/** A model class of kubernetes-models: its static type meta and a validating constructor. */
interface ModelClass {
  readonly apiVersion: string;
  readonly kind: string;
  new (data: unknown): { validate(): void };
}
const isModelClass = (value: unknown): value is ModelClass =>
  typeof value === 'function' &&
  typeof (value as Partial<ModelClass>).apiVersion === 'string' &&
  typeof (value as Partial<ModelClass>).kind === 'string';

const builtIn = new Map<string, ModelClass>(
  [core, apps, autoscaling, batch, networking, policy]
    .flatMap((group) => Object.values(group).filter(isModelClass))
    .map((model) => [`${model.apiVersion}/${model.kind}`, model]),
);

/**
 * CRD patterns are Go regular expressions: Prometheus Operator's use Go's
 * (?i) (as in ^(?i)(abort|warn)?$), which JavaScript spells as the `i` flag.
 */
const goRegExp = Object.assign(
  (pattern: string, flags: string): RegExp =>
    pattern.includes('(?i)')
      ? new RegExp(pattern.replaceAll('(?i)', ''), `${flags}i`)
      : new RegExp(pattern, flags),
  { code: 'new RegExp' },
);
// strict: false, since CRD schemas carry Kubernetes' own keywords (x-kubernetes-*);
// formats such as int32 are Kubernetes' too, not JSON Schema's.
const ajv = new Ajv({
  strict: false,
  validateFormats: false,
  logger: false,
  code: { regExp: goRegExp },
});
/** apiVersion/kind → the vendored schema's file (infra/deploy/schemas/README.md). */
const CUSTOM_RESOURCES: Readonly<Record<string, string>> = {
  'kafka.strimzi.io/v1/Kafka': 'kafka.strimzi.io_kafka_v1.json',
  'kafka.strimzi.io/v1/KafkaNodePool': 'kafka.strimzi.io_kafkanodepool_v1.json',
  'kafka.strimzi.io/v1/KafkaTopic': 'kafka.strimzi.io_kafkatopic_v1.json',
  'mongodbcommunity.mongodb.com/v1/MongoDBCommunity':
    'mongodbcommunity.mongodb.com_mongodbcommunity_v1.json',
  'monitoring.coreos.com/v1/ServiceMonitor': 'monitoring.coreos.com_servicemonitor_v1.json',
  'monitoring.coreos.com/v1/PodMonitor': 'monitoring.coreos.com_podmonitor_v1.json',
  'monitoring.coreos.com/v1/PrometheusRule': 'monitoring.coreos.com_prometheusrule_v1.json',
};
const customValidators = new Map<string, ValidateFunction>();
function customValidator(type: string): ValidateFunction | undefined {
  const file = CUSTOM_RESOURCES[type];
  if (file === undefined) return undefined;
  let validator = customValidators.get(type);
  if (validator === undefined) {
    validator = ajv.compile(JSON.parse(read(`infra/deploy/schemas/${file}`)) as object);
    customValidators.set(type, validator);
  }
  return validator;
}

const typeOf = (object: K8sObject): string =>
  `${String(object['apiVersion'])}/${String(object['kind'])}`;
const nameOf = (object: K8sObject): string =>
  String((object['metadata'] as { name?: unknown } | undefined)?.name);

/** The schema's complaints about one object; [] when it is valid. */
function problemsOf(object: K8sObject): string[] {
  const type = typeOf(object);
  const model = builtIn.get(type);
  if (model !== undefined) {
    try {
      new model(object).validate();
      return [];
    } catch (error) {
      return [String(error)];
    }
  }
  const validator = customValidator(type);
  if (validator === undefined) return [`no schema for ${type}: add it to CUSTOM_RESOURCES`];
  return validator(object)
    ? []
    : (validator.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
}

describe('every overlay, rendered, is valid against the Kubernetes and CRD schemas', () => {
  it('finds the overlays', () => {
    expect(overlays).toEqual(expect.arrayContaining(['local', 'production']));
  });

  it.each(overlays)('%s', { timeout: 30_000 }, (overlay) => {
    const objects = renderedOf(overlay);
    expect(objects.length).toBeGreaterThan(0);
    for (const object of objects)
      expect(problemsOf(object), `${overlay}: ${typeOf(object)} ${nameOf(object)}`).toEqual([]);
  });

  it('when an object breaks its schema, then it is reported (built-in and custom)', () => {
    const deployment = renderedOf('production').find((object) => object['kind'] === 'Deployment');
    expect(problemsOf({ ...deployment, spec: { replicas: 'two' } })).not.toEqual([]);
    const topic = kafkaTopic({ name: 'x', partitions: 1 });
    expect(problemsOf(topic)).toEqual([]);
    expect(problemsOf({ ...topic, spec: { partitions: 'six' } })).not.toEqual([]);
    expect(problemsOf({ apiVersion: 'example.com/v1', kind: 'Unknown' })).not.toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// Topics

const kafkaTopicsOf = (objects: K8sObject[]): K8sObject[] =>
  objects.filter((object) => object['kind'] === 'KafkaTopic');

describe('KafkaTopics', () => {
  it('the checked-in file is the registry, topic for topic (pnpm --filter @learning/deploy kafka-topics)', () => {
    const checkedIn: unknown[] = parseAllDocuments(read(KAFKA_TOPICS_FILE)).map(
      (document) => document.toJS() as unknown,
    );
    expect(checkedIn).toEqual(topicsToProvision().map(kafkaTopic));
  });

  it('production declares them, for its Kafka; local provisions with the Job instead', () => {
    const production = renderedOf('production');
    const kafka = production.filter((object) => object['kind'] === 'Kafka').map(nameOf);
    expect(kafka).toHaveLength(1);
    const declared = kafkaTopicsOf(production);
    expect(declared).toHaveLength(topicsToProvision().length);
    for (const topic of declared)
      expect(
        (topic['metadata'] as { labels: Record<string, string> }).labels['strimzi.io/cluster'],
      ).toBe(kafka[0]);
    expect(production.some((object) => object['kind'] === 'Job')).toBe(false);
    const local = renderedOf('local');
    expect(kafkaTopicsOf(local)).toEqual([]);
    expect(local.filter((object) => object['kind'] === 'Job').map(nameOf)).toEqual([
      'topics-provision',
    ]);
  });
});

/**
 * What each consumer group reads, found in the services' code: the events
 * named in its `platform.consume(consumerGroups.<group>, …)` call, the audit
 * group's topic in app.ts, and notifications' webhook catalogue.
 */
function consumedTopics(): Map<string, Set<string>> {
  const groupKeyOf = new Map<string, string>(Object.entries(consumerGroups));
  const eventTopic = (namespace: string, event: string): string | undefined => {
    const definitions = (contracts as Record<string, unknown>)[namespace] as
      Record<string, { topic?: { name: string } } | undefined> | undefined;
    return definitions?.[event]?.topic?.name;
  };
  const found = new Map<string, Set<string>>();
  const add = (group: string, topic: string): void => {
    found.set(group, (found.get(group) ?? new Set()).add(topic));
  };
  for (const service of services) {
    const files = readdirSync(`${root}services/${service}/src`, { recursive: true })
      .map(String)
      .filter((file) => file.endsWith('.ts'));
    for (const file of files) {
      const source = read(`services/${service}/src/${file}`);
      for (const call of source.matchAll(/platform\.consume\(\s*consumerGroups\.(\w+)/g)) {
        const group = groupKeyOf.get(call[1] ?? '');
        expect(group, `${file}: consumerGroups.${call[1] ?? ''}`).toBeDefined();
        // The call's arguments: up to its closing parenthesis.
        let depth = 0;
        let end = call.index + 'platform.consume'.length;
        for (; end < source.length; end += 1) {
          if (source[end] === '(') depth += 1;
          if (source[end] === ')' && --depth === 0) break;
        }
        for (const [, namespace = '', event = ''] of source
          .slice(call.index, end)
          .matchAll(/\b(\w+Events)\.(\w+)\b/g)) {
          const topic = eventTopic(namespace, event);
          expect(topic, `${file}: ${namespace}.${event} has a topic`).toBeDefined();
          add(group ?? '', topic ?? '');
        }
        // Every service's erasure completion, subscribed to by service (registration's progress).
        if (source.slice(call.index, end).includes('erasureCompletedBy['))
          add(group ?? '', contracts.privacyEvents.erasureRequested.topic.name);
      }
      const audit = /audit: \{ topic: topics\.(\w+), group: consumerGroups\.(\w+) \}/.exec(source);
      if (audit !== null) {
        const topic = (topics as Record<string, { name: string } | undefined>)[audit[1] ?? ''];
        add(groupKeyOf.get(audit[2] ?? '') ?? '', topic?.name ?? '');
      }
      // The privacy kit consumes the erasure requests in the group the service names.
      const erasure = /erasureGroup: consumerGroups\.(\w+)/.exec(source);
      if (erasure !== null)
        add(
          groupKeyOf.get(erasure[1] ?? '') ?? '',
          contracts.privacyEvents.erasureRequested.topic.name,
        );
    }
  }
  for (const entry of WEBHOOK_CATALOGUE)
    add(consumerGroups.notificationsWebhooks, entry.definition.topic.name);
  return found;
}

describe('partitions and autoscaling', () => {
  const consumed = consumedTopics();

  it('every consumer group of the registry is found consuming, and only those', () => {
    expect([...consumed.keys()].sort()).toEqual(Object.values(consumerGroups).sort());
  });

  it.each(overlays)(
    '%s: each topic has at least as many partitions as any deployment consuming it may have replicas',
    (overlay) => {
      const objects = renderedOf(overlay);
      const partitions = new Map(topicsToProvision().map((spec) => [spec.name, spec.partitions]));
      for (const topic of kafkaTopicsOf(objects)) {
        const spec = topic['spec'] as { topicName: string; partitions: number };
        expect(spec.partitions, spec.topicName).toBe(partitions.get(spec.topicName));
      }
      const maxReplicas = new Map(
        objects
          .filter((object) => object['kind'] === 'HorizontalPodAutoscaler')
          .map((hpa) => {
            const spec = hpa['spec'] as { scaleTargetRef: { name: string }; maxReplicas: number };
            return [spec.scaleTargetRef.name, spec.maxReplicas];
          }),
      );
      for (const [group, names] of consumed) {
        // Groups are named <service>.<purpose>: the service's deployment consumes.
        const deployment = group.split('.')[0] ?? '';
        const replicas = maxReplicas.get(deployment);
        expect(replicas, `${overlay}: an autoscaler for ${deployment}`).toBeDefined();
        for (const name of names)
          expect(
            partitions.get(name),
            `${overlay}: ${name} (read by ${group}) partitions ≥ ${deployment}'s maxReplicas`,
          ).toBeGreaterThanOrEqual(replicas ?? Infinity);
      }
    },
  );
});

// ---------------------------------------------------------------------------
// Production

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}
interface Container {
  name: string;
  env?: EnvVar[];
}
const containerOf = (objects: K8sObject[], service: string): Container => {
  const deployment = objects.find(
    (object) => object['kind'] === 'Deployment' && nameOf(object) === service,
  ) as { spec: { template: { spec: { containers: Container[] } } } } | undefined;
  const container = deployment?.spec.template.spec.containers.find((item) => item.name === service);
  if (container === undefined) throw new Error(`no Deployment ${service} with its container`);
  return container;
};
const platformConfigOf = (objects: K8sObject[]): Record<string, string> =>
  (objects.find(
    (object) => object['kind'] === 'ConfigMap' && nameOf(object).startsWith('platform-config'),
  )?.['data'] ?? {}) as Record<string, string>;

describe('production', () => {
  const production = renderedOf('production');

  it('holds no Secret, and no overlay sets a secret-looking variable to a literal', () => {
    expect(production.filter((object) => object['kind'] === 'Secret')).toEqual([]);
    for (const overlay of overlays)
      for (const service of services)
        for (const variable of containerOf(renderedOf(overlay), service).env ?? [])
          if (/SECRET|PASSWORD|TOKEN$|_KEYS?$/.test(variable.name))
            expect(variable.value, `${overlay} ${service} ${variable.name}`).toBeUndefined();
  });

  it('MongoDB is a replica set of three with one user per service, allowed its own database only', () => {
    const mongo = production.filter((object) => object['kind'] === 'MongoDBCommunity');
    expect(mongo).toHaveLength(1);
    const spec = mongo[0]?.['spec'] as {
      members: number;
      type: string;
      users: {
        name: string;
        passwordSecretRef: { name: string };
        roles: { name: string; db: string }[];
        connectionStringSecretName: string;
      }[];
    };
    expect(spec).toMatchObject({ members: 3, type: 'ReplicaSet' });
    expect(spec.users.map((user) => user.name).sort()).toEqual([...services].sort());
    for (const user of spec.users) {
      expect(user.roles, user.name).toEqual([{ name: 'readWrite', db: user.name }]);
      expect(user.passwordSecretRef.name).toBe(`mongodb-${user.name}-password`);
      // Each service connects as its own user, with the string the operator writes.
      const uri = containerOf(production, user.name).env?.find(
        (variable) => variable.name === 'MONGODB_URI',
      );
      expect(uri?.valueFrom?.secretKeyRef, user.name).toEqual({
        name: user.connectionStringSecretName,
        key: 'connectionString.standard',
      });
    }
  });

  it('Kafka is a KRaft Strimzi cluster of three nodes, and the services bootstrap from it', () => {
    const kafka = production.find((object) => object['kind'] === 'Kafka');
    const pools = production.filter((object) => object['kind'] === 'KafkaNodePool');
    const replicas = pools.reduce(
      (total, pool) => total + (pool['spec'] as { replicas: number }).replicas,
      0,
    );
    expect(replicas).toBe(3);
    for (const pool of pools)
      expect((pool['spec'] as { roles: string[] }).roles.sort()).toEqual(['broker', 'controller']);
    const listener = (
      kafka?.['spec'] as { kafka: { listeners: { port: number; type: string }[] } }
    ).kafka.listeners.find((item) => item.type === 'internal');
    expect(platformConfigOf(production)['KAFKA_BROKERS']).toBe(
      `${nameOf(kafka ?? {})}-kafka-bootstrap:${String(listener?.port)}`,
    );
  });

  it.each(services)(
    '%s gets its token by client credentials from Secrets, and keeps no static token',
    (service) => {
      const env = containerOf(production, service).env ?? [];
      for (const name of ['SERVICE_CLIENT_ID', 'SERVICE_CLIENT_SECRET'])
        expect(env.find((variable) => variable.name === name)?.valueFrom?.secretKeyRef).toEqual({
          name: `${service}-oauth-client`,
          key: name,
        });
      expect(
        env.map((variable) => variable.name).filter((name) => name.endsWith('_SERVICE_TOKEN')),
      ).toEqual([]);
      expect(platformConfigOf(production)['SERVICE_TOKEN_URL']).toMatch(/^https:\/\//);
    },
  );

  it.each(services)('%s’s public API is routed at /api/%s/ to its HTTP port', (service) => {
    const ingresses = production.filter((object) => object['kind'] === 'Ingress');
    const paths = ingresses.flatMap((ingress) =>
      (
        ingress['spec'] as {
          rules: {
            http: {
              paths: {
                path: string;
                backend: { service: { name: string; port: { name?: string } } };
              }[];
            };
          }[];
        }
      ).rules.flatMap((rule) => rule.http.paths),
    );
    const route = paths.find((path) => path.path.startsWith(`/api/${service}(`));
    expect(route?.backend.service).toEqual({ name: service, port: { name: 'http' } });
  });
});

describe("production: the citizens' portal", () => {
  const production = renderedOf('production');
  const ofKind = (kind: string) => production.filter((object) => object['kind'] === kind);
  const named = (kind: string, name: string) =>
    ofKind(kind).find(
      (object) => (object['metadata'] as { name?: string } | undefined)?.name === name,
    );

  it('is routed at / to the web Service, in an Ingress of its own without the APIs’ rewrite', () => {
    const portal = ofKind('Ingress').filter((ingress) =>
      (ingress['spec'] as { rules: { http: { paths: { path: string }[] } }[] }).rules.some((rule) =>
        rule.http.paths.some((path) => path.path === '/'),
      ),
    );
    expect(portal).toHaveLength(1);
    const [ingress] = portal;
    const annotations =
      (ingress?.['metadata'] as { annotations?: Record<string, string> }).annotations ?? {};
    expect(annotations['nginx.ingress.kubernetes.io/rewrite-target']).toBeUndefined();
    const spec = ingress?.['spec'] as {
      rules: {
        host: string;
        http: { paths: { pathType: string; backend: { service: unknown } }[] };
      }[];
    };
    expect(spec.rules[0]?.http.paths[0]).toMatchObject({
      pathType: 'Prefix',
      backend: { service: { name: 'web', port: { name: 'http' } } },
    });
    // The same host as the APIs: one origin, no CORS.
    const apiHosts = ofKind('Ingress')
      .filter((other) => other !== ingress)
      .flatMap((other) => (other['spec'] as { rules: { host: string }[] }).rules)
      .map((rule) => rule.host);
    expect(apiHosts).toContain(spec.rules[0]?.host);
  });

  it('runs the registry’s web image as a non-root user on a read-only root file system, reached only from ingress-nginx', () => {
    const deployment = named('Deployment', 'web') as
      { spec: { template: { spec: Record<string, unknown> } } } | undefined;
    expect(deployment).toBeDefined();
    const pod = deployment?.spec.template.spec as {
      securityContext: { runAsNonRoot: boolean };
      containers: {
        image: string;
        ports: { name: string; containerPort: number }[];
        securityContext: { readOnlyRootFilesystem: boolean; allowPrivilegeEscalation: boolean };
      }[];
    };
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    const [container] = pod.containers;
    expect(container?.image).toBe('registry.municipal-it.invalid/learning-society/web:0.1.0');
    expect(container?.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    const service = named('Service', 'web') as
      { spec: { ports: { name: string; targetPort: string }[] } } | undefined;
    expect(service?.spec.ports).toEqual([
      expect.objectContaining({ name: 'http', targetPort: 'http' }),
    ]);
    const policy = named('NetworkPolicy', 'web-ingress') as
      | {
          spec: {
            ingress: {
              from: { namespaceSelector: { matchLabels: Record<string, string> } }[];
              ports: { port: number }[];
            }[];
          };
        }
      | undefined;
    expect(policy?.spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
          },
        ],
        ports: [{ protocol: 'TCP', port: container?.ports[0]?.containerPort }],
      },
    ]);
  });
});

describe('components', () => {
  it('every component under k8s/components is used, and the topics come one way per overlay', () => {
    const componentsOf = (directory: string): string[] =>
      (
        (parse(read(`k8s/${directory}/kustomization.yaml`)) as { components?: string[] })
          .components ?? []
      ).map((path) => path.replace(/^(\.\.\/)+/, '').replace(/\/$/, ''));
    const used = new Set([
      ...readdirSync(`${root}k8s/base`, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .flatMap((entry) => componentsOf(`base/${entry.name}`)),
      ...overlays.flatMap((overlay) => componentsOf(`overlays/${overlay}`)),
    ]);
    for (const component of readdirSync(`${root}k8s/components`))
      expect(used, `k8s/components/${component} is listed somewhere`).toContain(
        `components/${component}`,
      );
    for (const overlay of overlays)
      expect(
        componentsOf(`overlays/${overlay}`).filter((path) =>
          ['components/kafka-topics', 'components/topics-job'].includes(path),
        ),
        `${overlay} picks one way to make topics`,
      ).toHaveLength(1);
  });
});

describe('the vendored CRD schemas', () => {
  it.each(Object.keys(CUSTOM_RESOURCES))('%s compiles', (type) => {
    expect(customValidator(type)).toBeTypeOf('function');
  });
});
