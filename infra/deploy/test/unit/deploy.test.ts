/**
 * What can drift between the deployment files and the code: the services
 * that exist, the variables their configuration schemas need, the probes, the
 * ports, the pinned server images, the shutdown grace and the topics job.
 * Reads Dockerfile, docker-compose.yml, infra/compose/init-env.sh and k8s/
 * (base and every overlay) as files; runs nothing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { notificationsEnv } from '../../../../services/notifications/src/config.js';
import { images } from '../../../../libs/testing/src/images.js';
import { serviceEnvironments } from '../../src/configuration.js';
import { GRPC_CALLS } from '../../../local/src/wiring.js';
import { render } from './kustomize.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const read = (path: string): string => readFileSync(`${root}${path}`, 'utf8');

// ---------------------------------------------------------------------------
// The services and their schemas

/** The part of a TypeBox object schema this test reads. */
interface EnvSchema {
  readonly properties: Readonly<Record<string, { readonly default?: unknown }>>;
  readonly required?: readonly string[];
}

/** Each service's environment schema (a new service adds its own in src/configuration.ts). */
const serviceEnvs: Readonly<Record<string, EnvSchema>> = serviceEnvironments;

/**
 * Secrets a service reads that init-env.sh cannot make: a provider's account
 * (notifications' mail relay, SMS and WeChat gateways), created out of band.
 * Every reference to one is optional, so the service starts without it.
 */
const OUT_OF_BAND_SECRETS: Readonly<Record<string, string>> = {
  notifications: 'notifications-gateways',
};

/** Every services/<name> whose package.json has a "start" script, as infra/local/src/stack.ts finds them. */
const services: readonly string[] = readdirSync(`${root}services`)
  .filter((name) => existsSync(`${root}services/${name}/package.json`))
  .filter((name) => {
    const manifest = JSON.parse(read(`services/${name}/package.json`)) as {
      scripts?: Record<string, string>;
    };
    return manifest.scripts?.['start'] !== undefined;
  })
  .sort();

function schemaOf(service: string): EnvSchema {
  const schema = serviceEnvs[service];
  if (schema === undefined)
    throw new Error(`services/${service} has a start script: add its env schema to serviceEnvs`);
  return schema;
}

/** Required: neither optional (absent from `required`) nor defaulted. */
const requiredOf = (schema: EnvSchema): string[] =>
  (schema.required ?? []).filter((name) => schema.properties[name]?.default === undefined);

/**
 * Variables whose defaults only make sense on a developer's machine: a
 * loopback address or "any free port". In a container they must be set.
 */
const machineLocalOf = (schema: EnvSchema): string[] =>
  Object.entries(schema.properties)
    .filter(([name, property]) => {
      const fallback = property.default;
      if (typeof fallback === 'string') return /127\.0\.0\.1|localhost/.test(fallback);
      return /_PORT$/.test(name) && fallback === 0;
    })
    .map(([name]) => name);

/** One of the two must be set; the schema cannot say so (services/registration/src/config.ts). */
const JWT_KEY_SOURCES = ['JWT_PUBLIC_KEY', 'JWT_JWKS_URL'];

// ---------------------------------------------------------------------------
// Reading YAML and env files without trusting their shapes

type Node = Record<string, unknown>;

function record(value: unknown, where: string): Node {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new Error(`${where}: expected a mapping`);
  return value as Node;
}
function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${where}: expected a list`);
  return value as unknown[];
}
function text(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`${where}: expected a scalar`);
}
const optionalList = (value: unknown, where: string): unknown[] =>
  value === undefined ? [] : list(value, where);

/** KEY=VALUE lines, # comments: kustomize's env files. */
function envFile(path: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const line of read(path).split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const separator = trimmed.indexOf('=');
    if (separator <= 0) throw new Error(`${path}: "${trimmed}" is not KEY=VALUE`);
    entries[trimmed.slice(0, separator)] = trimmed.slice(separator + 1);
  }
  return entries;
}

/** Compose's `environment`, either form. */
function composeEnvironment(value: unknown, where: string): Record<string, string> {
  if (value === undefined) return {};
  if (Array.isArray(value))
    return Object.fromEntries(
      value.map((item) => {
        const [name = '', ...rest] = text(item, where).split('=');
        return [name, rest.join('=')];
      }),
    );
  return Object.fromEntries(
    Object.entries(record(value, where)).map(([name, item]) => [
      name,
      text(item, `${where}.${name}`),
    ]),
  );
}

/** Docker's duration strings as compose writes them: 30s, 1m30s, 500ms. */
function durationMs(value: string): number {
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== value)
    throw new Error(`"${value}" is not a duration`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
  return parts.reduce(
    (total, [, amount = '0', name = 's']) =>
      total + Number(amount) * unit[name as keyof typeof unit],
    0,
  );
}

// ---------------------------------------------------------------------------
// The files

const compose = record(parse(read('docker-compose.yml'), { merge: true }), 'docker-compose.yml');
const composeServices = record(compose['services'], 'docker-compose.yml services');
const composeService = (name: string): Node =>
  record(composeServices[name], `docker-compose.yml services.${name}`);

/**
 * What init-env.sh writes where (its `layout`): env file name → variables.
 * `keys` is read by every service, `<service>` by that service alone.
 */
const SECRETS_DIRECTORY = 'infra/compose/.secrets';
const SHARED_KEYS = 'keys';
const initEnvScript = read('infra/compose/init-env.sh');
const generatedFiles: Readonly<Record<string, readonly string[]>> = (() => {
  const block = /const layout = \{([\s\S]*?)\n\};/.exec(initEnvScript)?.[1];
  if (block === undefined) throw new Error('infra/compose/init-env.sh: no `const layout = {…};`');
  return Object.fromEntries(
    [...block.matchAll(/^\s*(\w+): \[([^\]]*)\]/gm)].map(([, file = '', names = '']) => [
      file,
      [...names.matchAll(/'([A-Z][A-Z0-9_]*)'/g)].map((match) => match[1] ?? ''),
    ]),
  );
})();
/** The generated values a service may get: the shared ones and its own. */
const generatedFor = (service: string): string[] => [
  ...(generatedFiles[SHARED_KEYS] ?? []),
  ...(generatedFiles[service] ?? []),
];

/** The generated env files a compose service reads, by their `layout` names. */
function composeEnvFiles(name: string): string[] {
  return optionalList(composeService(name)['env_file'], `compose ${name}.env_file`).map((entry) => {
    const path =
      typeof entry === 'string' ? entry : text(record(entry, 'env_file')['path'], 'path');
    const file = new RegExp(`^${SECRETS_DIRECTORY}/(\\w+)\\.env$`).exec(path)?.[1];
    expect(
      file === SHARED_KEYS || file === name,
      `compose ${name} reads ${path}: only ${SECRETS_DIRECTORY}/{${SHARED_KEYS},${name}}.env`,
    ).toBe(true);
    expect(generatedFiles, `init-env.sh makes ${path}`).toHaveProperty(file ?? '');
    return file ?? '';
  });
}

/** What a compose service's process sees: environment plus the generated env files. */
function composeProvided(name: string): Record<string, string> {
  const service = composeService(name);
  const provided = composeEnvironment(service['environment'], `compose ${name}.environment`);
  for (const file of composeEnvFiles(name))
    for (const key of generatedFiles[file] ?? []) provided[key] = '<generated>';
  return provided;
}

interface Kustomization {
  readonly directory: string;
  readonly resources: readonly string[];
  readonly configEnvFiles: readonly string[];
  readonly secretFiles: Readonly<Record<string, readonly string[]>>;
}

function kustomization(directory: string): Kustomization {
  const where = `${directory}/kustomization.yaml`;
  const document = record(parse(read(where)), where);
  const resources = optionalList(document['resources'], `${where} resources`).map((item) =>
    text(item, `${where} resources`),
  );
  const configEnvFiles: string[] = [];
  for (const generator of optionalList(document['configMapGenerator'], where)) {
    const entry = record(generator, `${where} configMapGenerator`);
    expect(text(entry['name'], where), `${where}: the one ConfigMap is platform-config`).toBe(
      'platform-config',
    );
    for (const file of optionalList(entry['envs'], where))
      configEnvFiles.push(`${directory}/${text(file, where)}`);
  }
  const secretFiles: Record<string, string[]> = {};
  for (const generator of optionalList(document['secretGenerator'], where)) {
    const entry = record(generator, `${where} secretGenerator`);
    secretFiles[text(entry['name'], where)] = optionalList(entry['files'], where).map((file) =>
      text(file, where).replace(/^.*\//, ''),
    );
  }
  return { directory, resources, configEnvFiles, secretFiles };
}

const base = kustomization('k8s/base');
const overlayNames = readdirSync(`${root}k8s/overlays`).sort();
const overlays = overlayNames.map((name) => kustomization(`k8s/overlays/${name}`));

/** The objects k8s/base renders to (kustomize build). */
const k8sObjects: Node[] = render('base').map((object, index) =>
  record(object, `k8s/base object ${index + 1}`),
);
const kindOf = (object: Node): string => text(object['kind'], 'kind');
const nameOf = (object: Node): string =>
  text(record(object['metadata'], 'metadata')['name'], 'metadata.name');
function k8sObject(kind: string, name: string): Node {
  const found = k8sObjects.find((object) => kindOf(object) === kind && nameOf(object) === name);
  if (found === undefined) throw new Error(`k8s/base has no ${kind} ${name}`);
  return found;
}
const podSpecOf = (workload: Node): Node =>
  record(
    record(record(workload['spec'], 'spec')['template'], 'spec.template')['spec'],
    'spec.template.spec',
  );
const containersOf = (workload: Node): Node[] =>
  list(podSpecOf(workload)['containers'], 'containers').map((item) => record(item, 'container'));

/** platform-config as an overlay renders it: base values, then the overlay's. */
const platformConfig = (overlay?: Kustomization): Record<string, string> =>
  Object.assign(
    {},
    ...base.configEnvFiles.map(envFile),
    ...(overlay?.configEnvFiles ?? []).map(envFile),
  ) as Record<string, string>;

interface ContainerEnv {
  /** Every variable the container gets, with its value if it is in the manifests. */
  readonly values: Record<string, string>;
  /** Secret name → keys referenced, and whether the reference may be missing. */
  readonly secretRefs: { secret: string; key: string; optional: boolean; variable: string }[];
}

function containerEnv(container: Node, config: Record<string, string>): ContainerEnv {
  const values: Record<string, string> = {};
  const secretRefs: ContainerEnv['secretRefs'] = [];
  for (const source of optionalList(container['envFrom'], 'envFrom')) {
    const from = record(source, 'envFrom');
    const configMap = from['configMapRef'];
    if (configMap === undefined) throw new Error('envFrom: only configMapRef is expected');
    // Rendered, the generated ConfigMap's name carries its content hash.
    expect(text(record(configMap, 'configMapRef')['name'], 'configMapRef.name')).toMatch(
      /^platform-config(-[a-z0-9]+)?$/,
    );
    Object.assign(values, config);
  }
  for (const item of optionalList(container['env'], 'env')) {
    const variable = record(item, 'env');
    const name = text(variable['name'], 'env.name');
    if (variable['value'] !== undefined) {
      values[name] = text(variable['value'], `env ${name}`);
      continue;
    }
    const secret = record(
      record(variable['valueFrom'], `env ${name}.valueFrom`)['secretKeyRef'],
      `env ${name}.valueFrom.secretKeyRef`,
    );
    values[name] = '<secret>';
    secretRefs.push({
      secret: text(secret['name'], 'secretKeyRef.name'),
      key: text(secret['key'], 'secretKeyRef.key'),
      optional: secret['optional'] === true,
      variable: name,
    });
  }
  return { values, secretRefs };
}

const deploymentOf = (service: string): Node => k8sObject('Deployment', service);
const mainContainerOf = (service: string): Node => {
  const container = containersOf(deploymentOf(service)).find(
    (item) => text(item['name'], 'container name') === service,
  );
  if (container === undefined) throw new Error(`Deployment ${service} has no container ${service}`);
  return container;
};

/** The ports of infra/local/src/ports.ts (the local stack's), which the compose host ports repeat. */
const stackPorts: Record<string, { http: number; grpc: number }> = Object.fromEntries(
  [
    ...read('infra/local/src/ports.ts').matchAll(/^\s*(\w+): \{ http: (\d+), grpc: (\d+) \},?$/gm),
  ].map(([, name = '', http = '', grpc = '']) => [
    name,
    { http: Number(http), grpc: Number(grpc) },
  ]),
);

const podLabelsOf = (service: string): Record<string, string> =>
  record(
    record(
      record(record(deploymentOf(service)['spec'], 'spec')['template'], 'template')['metadata'],
      'metadata',
    )['labels'],
    'labels',
  ) as Record<string, string>;

/** A Kubernetes label selector (matchLabels, matchExpressions with In) against pod labels. */
function selects(selector: unknown, labels: Record<string, string>): boolean {
  const { matchLabels, matchExpressions } = record(selector, 'selector');
  const byLabel = Object.entries(record(matchLabels ?? {}, 'matchLabels')).every(
    ([key, value]) => labels[key] === value,
  );
  const byExpression = optionalList(matchExpressions, 'matchExpressions').every((item) => {
    const expression = record(item, 'matchExpression');
    expect(expression['operator'], 'only In is read here').toBe('In');
    const value = labels[text(expression['key'], 'key')];
    return value !== undefined && list(expression['values'], 'values').includes(value);
  });
  return byLabel && byExpression;
}

const networkPolicies = k8sObjects
  .filter((object) => kindOf(object) === 'NetworkPolicy')
  .map((policy) => record(policy['spec'], 'NetworkPolicy spec'));
const portAllowed = (rule: Node, port: number): boolean => {
  const ports = optionalList(rule['ports'], 'ports');
  return ports.length === 0 || ports.some((item) => Number(record(item, 'port')['port']) === port);
};

/** Whether a policy of the namespace lets a pod with `from` labels open `port` on a pod with `to` labels. */
function egressAllows(
  from: Record<string, string>,
  to: Record<string, string>,
  port: number,
): boolean {
  return networkPolicies.some(
    (policy) =>
      selects(policy['podSelector'], from) &&
      optionalList(policy['egress'], 'egress').some((item) => {
        const rule = record(item, 'egress rule');
        return (
          portAllowed(rule, port) &&
          optionalList(rule['to'], 'to').some((peer) => {
            const selector = record(peer, 'to')['podSelector'];
            return (
              record(peer, 'to')['namespaceSelector'] === undefined &&
              selector !== undefined &&
              selects(selector, to)
            );
          })
        );
      }),
  );
}
function ingressAllows(
  from: Record<string, string>,
  to: Record<string, string>,
  port: number,
): boolean {
  return networkPolicies.some(
    (policy) =>
      selects(policy['podSelector'], to) &&
      optionalList(policy['ingress'], 'ingress').some((item) => {
        const rule = record(item, 'ingress rule');
        return (
          portAllowed(rule, port) &&
          optionalList(rule['from'], 'from').some((peer) => {
            const selector = record(peer, 'from')['podSelector'];
            return (
              record(peer, 'from')['namespaceSelector'] === undefined &&
              selector !== undefined &&
              selects(selector, from)
            );
          })
        );
      }),
  );
}

/** The events CLI, as libs/events' package.json names it, at its path in the image. */
const eventsCli = (() => {
  const manifest = JSON.parse(read('libs/events/package.json')) as { bin: Record<string, string> };
  const bin = manifest.bin['learning-events'];
  if (bin === undefined) throw new Error('libs/events has no learning-events bin');
  return `/app/libs/events/${bin.replace(/^\.\//, '')}`;
})();

// ---------------------------------------------------------------------------

describe('the services that exist', () => {
  it('are found (services/* with a start script)', () => {
    expect(services).toContain('registration');
    expect(stackPorts['registration'], 'ports.ts SERVICE_PORTS could not be read').toEqual({
      http: 8101,
      grpc: 9101,
    });
  });

  it.each(services)('%s runs in compose, built from the Dockerfile for itself', (service) => {
    const entry = composeService(service);
    const build = record(entry['build'], `compose ${service}.build`);
    expect(text(build['context'], 'build.context')).toBe('.');
    expect(record(build['args'], 'build.args')['SERVICE']).toBe(service);
  });

  it.each(services)('%s has its k8s objects, image and network rule', (service) => {
    expect(() => deploymentOf(service)).not.toThrow();
    for (const kind of ['Service', 'PodDisruptionBudget', 'HorizontalPodAutoscaler'])
      expect(() => k8sObject(kind, service), `${kind} ${service}`).not.toThrow();
    const hpa = record(k8sObject('HorizontalPodAutoscaler', service)['spec'], 'hpa spec');
    expect(record(hpa['scaleTargetRef'], 'scaleTargetRef')).toMatchObject({
      kind: 'Deployment',
      name: service,
    });
    const deployment = record(deploymentOf(service)['spec'], 'deployment spec');
    expect(deployment['replicas']).toBe(hpa['minReplicas']);

    const imageName = `learning-society/${service}`;
    expect(text(mainContainerOf(service)['image'], 'image')).toBe(`${imageName}:latest`);
    for (const directory of ['k8s/base', ...overlays.map((overlay) => overlay.directory)]) {
      const document = record(parse(read(`${directory}/kustomization.yaml`)), directory);
      const names = optionalList(document['images'], directory).map((item) =>
        text(record(item, 'images')['name'], 'images.name'),
      );
      expect(names, `${directory}/kustomization.yaml images`).toContain(imageName);
    }

    const ingress = k8sObject('NetworkPolicy', 'platform-services-ingress');
    expect(JSON.stringify(ingress['spec']), 'platform-services-ingress selects it').toContain(
      `"${service}"`,
    );
  });

  it('and nothing else: compose and k8s run no service that does not exist', () => {
    const composeApps = Object.keys(composeServices).filter(
      (name) => record(composeServices[name], name)['build'] !== undefined && name !== 'topics',
    );
    expect(composeApps.sort()).toEqual([...services]);
    const deployments = k8sObjects.filter((object) => kindOf(object) === 'Deployment');
    expect(deployments.map(nameOf).sort()).toEqual([...services]);
  });
});

describe('configuration: every variable a service needs is set', () => {
  it.each(services)('%s in compose', (service) => {
    const schema = schemaOf(service);
    const provided = composeProvided(service);
    for (const name of [...requiredOf(schema), ...machineLocalOf(schema)])
      expect(provided, `compose ${service} sets ${name}`).toHaveProperty(name);
    expect(
      JWT_KEY_SOURCES.some((name) => name in provided),
      `compose ${service} sets one of ${JWT_KEY_SOURCES.join(', ')}`,
    ).toBe(true);
    for (const name of Object.keys(provided))
      expect(
        schema.properties,
        `compose ${service}: ${name} is a variable of its schema`,
      ).toHaveProperty(name);
    expect(provided['HTTP_HOST']).toBe('0.0.0.0');
    expect(provided['GRPC_HOST']).toBe('0.0.0.0');
  });

  it.each(services)('%s in k8s, for the base and every overlay', (service) => {
    const schema = schemaOf(service);
    for (const overlay of [undefined, ...overlays]) {
      const where = `k8s ${overlay?.directory ?? 'k8s/base'} ${service}`;
      const { values, secretRefs } = containerEnv(
        mainContainerOf(service),
        platformConfig(overlay),
      );
      for (const name of [...requiredOf(schema), ...machineLocalOf(schema)])
        expect(values, `${where} sets ${name}`).toHaveProperty(name);
      expect(
        JWT_KEY_SOURCES.some((name) => name in values),
        `${where} sets one of ${JWT_KEY_SOURCES.join(', ')}`,
      ).toBe(true);
      expect(values['HTTP_HOST']).toBe('0.0.0.0');
      expect(values['GRPC_HOST']).toBe('0.0.0.0');
      // Required variables never hang on an optional Secret key.
      for (const ref of secretRefs)
        if (requiredOf(schema).includes(ref.variable)) expect(ref.optional, where).toBe(false);
    }
    // The Deployment's own env holds only variables of the service's schema.
    for (const item of optionalList(mainContainerOf(service)['env'], 'env')) {
      const name = text(record(item, 'env')['name'], 'env.name');
      expect(
        schema.properties,
        `k8s ${service}: ${name} is a variable of its schema`,
      ).toHaveProperty(name);
    }
  });

  it('platform-config (every overlay) and compose hold no variable that no schema knows', () => {
    const known = new Set(
      Object.values(serviceEnvs).flatMap((schema) => Object.keys(schema.properties)),
    );
    for (const overlay of [undefined, ...overlays])
      for (const name of Object.keys(platformConfig(overlay)))
        expect(
          known.has(name),
          `${overlay?.directory ?? 'k8s/base'} platform-config: ${name}`,
        ).toBe(true);
    for (const name of Object.keys(
      composeEnvironment(composeService('topics')['environment'], 'topics'),
    ))
      expect(known.has(name), `compose topics: ${name}`).toBe(true);
  });

  it('every Secret key a Deployment uses is one init-env.sh makes and the local overlay generates', () => {
    const local = overlays.find((overlay) => overlay.directory === 'k8s/overlays/local');
    expect(local, 'k8s/overlays/local exists').toBeDefined();
    for (const service of services) {
      const { secretRefs } = containerEnv(mainContainerOf(service), platformConfig());
      for (const ref of secretRefs) {
        if (ref.secret === OUT_OF_BAND_SECRETS[service]) {
          expect(ref, `${service} reads ${ref.secret} ${ref.key} optionally`).toMatchObject({
            optional: true,
            key: ref.variable,
          });
          expect(generatedFor(service), `init-env.sh does not make ${ref.key}`).not.toContain(
            ref.key,
          );
          continue;
        }
        expect(ref.secret).toBe(`${service}-keys`);
        expect(generatedFor(service), `init-env.sh makes ${ref.key} for ${service}`).toContain(
          ref.key,
        );
        expect(
          local?.secretFiles[ref.secret] ?? [],
          `local overlay generates ${ref.key}`,
        ).toContain(ref.key);
      }
      // A Secret holds only what its service may read: no keys or tokens of another.
      for (const key of local?.secretFiles[`${service}-keys`] ?? [])
        expect(generatedFor(service), `local ${service}-keys holds ${key}`).toContain(key);
    }
  });

  it('the local overlay takes each service’s own values from secrets/<service>/, the shared ones from secrets/', () => {
    // Two services may hold a value of one name (registration's and lectures' PII_HASH_KEY):
    // one file per name would hand both the same key.
    const document = record(
      parse(read('k8s/overlays/local/kustomization.yaml')),
      'k8s/overlays/local/kustomization.yaml',
    );
    for (const generator of optionalList(document['secretGenerator'], 'secretGenerator')) {
      const entry = record(generator, 'secretGenerator');
      const service = text(entry['name'], 'name').replace(/-keys$/, '');
      for (const file of optionalList(entry['files'], 'files').map((item) => text(item, 'file'))) {
        const key = file.replace(/^.*\//, '');
        const shared = (generatedFiles[SHARED_KEYS] ?? []).includes(key);
        expect(file, `${service}-keys ${key}`).toBe(
          shared ? `secrets/${key}` : `secrets/${service}/${key}`,
        );
      }
    }
  });

  it('init-env.sh makes env files only for services that exist, and each reads its own', () => {
    for (const file of Object.keys(generatedFiles).filter((name) => name !== SHARED_KEYS))
      expect(services, `init-env.sh makes ${SECRETS_DIRECTORY}/${file}.env`).toContain(file);
    for (const service of services) {
      const files = composeEnvFiles(service);
      expect(files, `compose ${service} reads ${SHARED_KEYS}.env`).toContain(SHARED_KEYS);
      if (generatedFiles[service] !== undefined)
        expect(files, `compose ${service} reads ${service}.env`).toContain(service);
    }
  });

  it('no Secret object with keys is committed under k8s/', () => {
    for (const object of k8sObjects) expect(kindOf(object)).not.toBe('Secret');
    for (const overlay of overlays)
      for (const file of readdirSync(`${root}${overlay.directory}`).filter((name) =>
        /\.ya?ml$/.test(name),
      ))
        expect(read(`${overlay.directory}/${file}`)).not.toMatch(/^kind:\s*Secret\s*$/m);
  });
});

describe('service to service', () => {
  /** Seat owners that are not services of their own: who serves their seated events. */
  const seatOwnerServices: Readonly<Record<string, string>> = { training: 'activities' };
  /** Schema variables naming another service's gRPC server, with that service: REGISTRATION_GRPC_ADDRESS, SEATING_ACTIVITIES_GRPC_ADDRESS, SEATING_TRAINING_GRPC_ADDRESS (activities). */
  const peersOf = (service: string): { variable: string; peer: string }[] =>
    Object.keys(schemaOf(service).properties).flatMap((variable) => {
      const named = /(?:^|_)([A-Z]+)_GRPC_ADDRESS$/.exec(variable)?.[1]?.toLowerCase();
      const peer = named === undefined ? undefined : (seatOwnerServices[named] ?? named);
      return peer !== undefined && services.includes(peer) ? [{ variable, peer }] : [];
    });
  const byVariable = (a: { variable: string }, b: { variable: string }): number =>
    a.variable.localeCompare(b.variable);
  const tokensOf = (service: string): string[] =>
    Object.keys(schemaOf(service).properties).filter((name) => name.endsWith('_SERVICE_TOKEN'));

  it('registration and activities call each other (registration for activities’ and training’s seats), lectures and registration too, scoring asks registration, activities and lectures, and notifications registration', () => {
    expect(peersOf('registration')).toContainEqual({
      variable: 'SEATING_ACTIVITIES_GRPC_ADDRESS',
      peer: 'activities',
    });
    expect(peersOf('activities')).toContainEqual({
      variable: 'REGISTRATION_GRPC_ADDRESS',
      peer: 'registration',
    });
    expect(peersOf('registration')).toContainEqual({
      variable: 'SEATING_LECTURES_GRPC_ADDRESS',
      peer: 'lectures',
    });
    expect(peersOf('registration')).toContainEqual({
      variable: 'SEATING_TRAINING_GRPC_ADDRESS',
      peer: 'activities',
    });
    expect(peersOf('lectures')).toEqual(
      expect.arrayContaining([
        { variable: 'REGISTRATION_GRPC_ADDRESS', peer: 'registration' },
        { variable: 'ACTIVITIES_GRPC_ADDRESS', peer: 'activities' },
      ]),
    );
    expect(peersOf('scoring')).toEqual(
      expect.arrayContaining([
        { variable: 'REGISTRATION_GRPC_ADDRESS', peer: 'registration' },
        { variable: 'ACTIVITIES_GRPC_ADDRESS', peer: 'activities' },
        { variable: 'LECTURES_GRPC_ADDRESS', peer: 'lectures' },
      ]),
    );
    expect(peersOf('notifications')).toEqual([
      { variable: 'REGISTRATION_GRPC_ADDRESS', peer: 'registration' },
    ]);
  });

  it('the local stack wires every peer a schema names, with variables of the caller’s schema', () => {
    for (const service of services) {
      const calls = GRPC_CALLS.filter((call) => call.caller === service);
      expect(
        calls
          .flatMap((call) => call.addresses.map((variable) => ({ variable, peer: call.callee })))
          .sort(byVariable),
        `infra/local/src/wiring.ts GRPC_CALLS of ${service}`,
      ).toEqual(peersOf(service).sort(byVariable));
      for (const call of calls) expect(tokensOf(service)).toContain(call.token);
    }
  });

  it.each(services)('%s in compose: its peers at <name>:GRPC_PORT, with its token', (service) => {
    const provided = composeProvided(service);
    for (const { variable, peer } of peersOf(service))
      expect(provided[variable], `compose ${service} ${variable}`).toBe(
        `${peer}:${composeProvided(peer)['GRPC_PORT'] ?? ''}`,
      );
    for (const token of tokensOf(service))
      expect(provided, `compose ${service} gets ${token}`).toHaveProperty(token);
  });

  it.each(services)(
    '%s in k8s: its peers at their Service’s grpc port, reachable, with its token',
    (service) => {
      const { values, secretRefs } = containerEnv(mainContainerOf(service), platformConfig());
      for (const { variable, peer } of peersOf(service)) {
        const grpc = list(record(k8sObject('Service', peer)['spec'], 'spec')['ports'], 'ports')
          .map((port) => record(port, 'port'))
          .find((port) => port['name'] === 'grpc');
        expect(values[variable], `k8s ${service} ${variable}`).toBe(
          `${peer}:${text(grpc?.['port'], 'grpc port')}`,
        );
        const port = Number(grpc?.['targetPort'] === 'grpc' ? values['GRPC_PORT'] : NaN);
        expect(
          egressAllows(podLabelsOf(service), podLabelsOf(peer), port),
          `${service} → ${peer}`,
        ).toBe(true);
        expect(
          ingressAllows(podLabelsOf(service), podLabelsOf(peer), port),
          `${peer} ← ${service}`,
        ).toBe(true);
      }
      // Without its token every call is refused: the pod must not start without one.
      for (const token of tokensOf(service))
        expect(
          secretRefs.find((ref) => ref.variable === token),
          `k8s ${service} reads ${token} from a Secret it cannot start without`,
        ).toMatchObject({ optional: false });
    },
  );
});

describe('notifications’ egress: registration’s gRPC, the data stores, mail and outside HTTPS, nothing else', () => {
  const notifications = (): Record<string, string> => podLabelsOf('notifications');
  /** Every egress rule of every policy that selects notifications' pods. */
  const egressRules = (): Node[] =>
    networkPolicies
      .filter((policy) => selects(policy['podSelector'], notifications()))
      .flatMap((policy) =>
        optionalList(policy['egress'], 'egress').map((rule) => record(rule, 'egress rule')),
      );
  const portsOf = (rule: Node): number[] =>
    optionalList(rule['ports'], 'ports').map((port) => Number(record(port, 'port')['port']));
  const rulesFor = (port: number): Node[] =>
    egressRules().filter((rule) => portsOf(rule).includes(port));
  const DATA_STORES = [27017, 9092, 6379];
  const MAIL = [25, 465, 587];
  const HTTPS = 443;
  /** What a webhook must never reach: the cluster's and the host's own ranges, and cloud metadata. */
  const INSIDE = [
    '10.0.0.0/8',
    '172.16.0.0/12',
    '192.168.0.0/16',
    '127.0.0.0/8',
    '169.254.0.0/16',
    'fc00::/7',
    'fe80::/10',
    '::1/128',
  ];

  it('when its rules are listed, then each names its ports and together they open only DNS, the data stores, gRPC, mail and HTTPS', () => {
    const rules = egressRules();
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) expect(portsOf(rule), JSON.stringify(rule)).not.toEqual([]);
    expect([...new Set(rules.flatMap(portsOf))].sort((a, b) => a - b)).toEqual(
      [53, ...DATA_STORES, 9090, ...MAIL, HTTPS].sort((a, b) => a - b),
    );
  });

  it('when it calls a service, then only registration’s gRPC is open to it', () => {
    for (const callee of services) {
      const reachable = egressAllows(notifications(), podLabelsOf(callee), 9090);
      expect(reachable, `notifications → ${callee}:9090`).toBe(callee === 'registration');
      expect(egressAllows(notifications(), podLabelsOf(callee), 8080), `${callee}:8080`).toBe(
        false,
      );
    }
    for (const rule of rulesFor(9090))
      for (const peer of optionalList(rule['to'], 'to'))
        expect(record(peer, 'to'), 'gRPC only to registration’s pods').toEqual({
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'registration' } },
        });
  });

  it('when it sends mail, then the relay’s ports are open to any address, as the data stores’ are', () => {
    for (const port of [...MAIL, ...DATA_STORES])
      expect(
        rulesFor(port).some((rule) => rule['to'] === undefined),
        `egress to port ${port} anywhere`,
      ).toBe(true);
  });

  it('when it calls HTTPS, then only addresses outside the private, loopback and link-local ranges are open', () => {
    const rules = rulesFor(HTTPS);
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      const peers = optionalList(rule['to'], 'to').map((peer) => record(peer, 'to'));
      expect(peers.length, 'HTTPS names its destinations').toBeGreaterThan(0);
      const blocks = peers.map((peer) => record(peer['ipBlock'], 'only ipBlock peers'));
      const excluded = blocks.flatMap((block) =>
        optionalList(block['except'], 'except').map((cidr) => text(cidr, 'except')),
      );
      expect(blocks.map((block) => block['cidr']).sort()).toEqual(['0.0.0.0/0', '::/0']);
      expect(excluded).toEqual(expect.arrayContaining(INSIDE));
    }
  });

  it('when a webhook is registered, then the service itself refuses private targets in compose and k8s', () => {
    expect(notificationsEnv.properties.WEBHOOK_TARGET_POLICY.default).toBe('production');
    expect(composeProvided('notifications')['WEBHOOK_TARGET_POLICY']).toBe('production');
    for (const overlay of [undefined, ...overlays]) {
      const { values } = containerEnv(mainContainerOf('notifications'), platformConfig(overlay));
      expect(values['WEBHOOK_TARGET_POLICY'] ?? 'production').toBe('production');
    }
  });

  it('when any service’s policies are read, then exactly the gRPC calls of wiring.ts pass, and no HTTP between services', () => {
    for (const caller of services)
      for (const callee of services.filter((name) => name !== caller)) {
        const called = GRPC_CALLS.some((call) => call.caller === caller && call.callee === callee);
        const labels = [podLabelsOf(caller), podLabelsOf(callee)] as const;
        expect(egressAllows(...labels, 9090), `${caller} → ${callee}:9090`).toBe(called);
        expect(ingressAllows(...labels, 9090), `${callee}:9090 ← ${caller}`).toBe(called);
        expect(egressAllows(...labels, 8080), `${caller} → ${callee}:8080`).toBe(false);
        expect(ingressAllows(...labels, 8080), `${callee}:8080 ← ${caller}`).toBe(false);
      }
  });
});

describe('probes, ports and shutdown', () => {
  it.each(services)(
    '%s: k8s readiness is grpc.health.v1 on GRPC_PORT, liveness and startup /healthz on the http port',
    (service) => {
      const container = mainContainerOf(service);
      const probe = (kind: string, handler: string): Node =>
        record(
          record(container[kind], `${service} ${kind}`)[handler],
          `${service} ${kind}.${handler}`,
        );
      const { values } = containerEnv(container, platformConfig());
      expect(probe('readinessProbe', 'grpc')).toEqual({ port: Number(values['GRPC_PORT']) });
      expect(probe('livenessProbe', 'httpGet')).toMatchObject({ path: '/healthz', port: 'http' });
      expect(probe('startupProbe', 'httpGet')).toMatchObject({ path: '/healthz', port: 'http' });
    },
  );

  it.each(services)(
    '%s: container ports are HTTP_PORT and GRPC_PORT, and the Service targets them',
    (service) => {
      const { values } = containerEnv(mainContainerOf(service), platformConfig());
      const ports = list(mainContainerOf(service)['ports'], 'ports').map((item) =>
        record(item, 'port'),
      );
      expect(ports).toEqual([
        { name: 'http', containerPort: Number(values['HTTP_PORT']) },
        { name: 'grpc', containerPort: Number(values['GRPC_PORT']) },
      ]);
      const servicePorts = list(
        record(k8sObject('Service', service)['spec'], 'spec')['ports'],
        'ports',
      );
      expect(servicePorts.map((item) => record(item, 'port')['targetPort']).sort()).toEqual([
        'grpc',
        'http',
      ]);
      for (const overlay of overlays) {
        const config = platformConfig(overlay);
        expect(config['HTTP_PORT'], overlay.directory).toBe(values['HTTP_PORT']);
        expect(config['GRPC_PORT'], overlay.directory).toBe(values['GRPC_PORT']);
      }
    },
  );

  it.each(services)(
    '%s: compose publishes the local stack ports on 127.0.0.1 only, and checks /readyz',
    (service) => {
      const entry = composeService(service);
      const env = composeProvided(service);
      const fixed = stackPorts[service];
      expect(fixed, `infra/local/src/ports.ts has ports for ${service}`).toBeDefined();
      expect(
        optionalList(entry['ports'], 'ports')
          .map((port) => text(port, 'port'))
          .sort(),
      ).toEqual(
        [
          `127.0.0.1:${fixed?.http}:${env['HTTP_PORT']}`,
          `127.0.0.1:${fixed?.grpc}:${env['GRPC_PORT']}`,
        ].sort(),
      );
      const healthcheck = list(record(entry['healthcheck'], 'healthcheck')['test'], 'test')
        .map((part) => text(part, 'test'))
        .join(' ');
      expect(healthcheck).toContain(`127.0.0.1:${env['HTTP_PORT']}/readyz`);
    },
  );

  it('no compose service publishes a port beyond 127.0.0.1', () => {
    for (const [name, entry] of Object.entries(composeServices))
      for (const port of optionalList(record(entry, name)['ports'], `${name}.ports`))
        expect(text(port, 'port'), `compose ${name}`).toMatch(/^127\.0\.0\.1:/);
  });

  it.each(services)(
    '%s: the grace period outlasts SHUTDOWN_GRACE_MS (k8s, every overlay, compose)',
    (service) => {
      const schemaDefault = Number(schemaOf(service).properties['SHUTDOWN_GRACE_MS']?.default);
      const podSpec = podSpecOf(deploymentOf(service));
      const terminationGrace = Number(podSpec['terminationGracePeriodSeconds']);
      const preStop = record(mainContainerOf(service)['lifecycle'] ?? {}, 'lifecycle')['preStop'];
      const pauseSeconds =
        preStop === undefined
          ? 0
          : Number(
              list(record(record(preStop, 'preStop')['exec'], 'preStop.exec')['command'], 'command')
                .map((part) => text(part, 'command'))
                .join(' ')
                .match(/^sleep (\d+)$/)?.[1] ?? NaN,
            );
      for (const overlay of [undefined, ...overlays]) {
        const { values } = containerEnv(mainContainerOf(service), platformConfig(overlay));
        const graceMs = Number(values['SHUTDOWN_GRACE_MS'] ?? schemaDefault);
        expect(
          terminationGrace,
          `${overlay?.directory ?? 'k8s/base'}: terminationGracePeriodSeconds > ${pauseSeconds} s preStop + ${graceMs} ms`,
        ).toBeGreaterThan(pauseSeconds + graceMs / 1000);
      }
      const composeGrace = Number(composeProvided(service)['SHUTDOWN_GRACE_MS'] ?? schemaDefault);
      expect(
        durationMs(text(composeService(service)['stop_grace_period'], 'stop_grace_period')),
      ).toBeGreaterThan(composeGrace);
    },
  );

  it('the data stores of every overlay are reachable through platform-egress', () => {
    const egress = list(
      record(k8sObject('NetworkPolicy', 'platform-egress')['spec'], 'spec')['egress'],
      'egress',
    );
    const allowed = new Set(
      egress.flatMap((rule) =>
        optionalList(record(rule, 'egress rule')['ports'], 'ports').map((port) =>
          Number(record(port, 'port')['port']),
        ),
      ),
    );
    const portsOf = (value: string, fallback: number): number[] =>
      value
        .replace(/^[a-z+]+:\/\//, '')
        .replace(/[/?].*$/, '')
        .split(',')
        .map((host) => Number(/:(\d+)$/.exec(host)?.[1] ?? fallback));
    for (const overlay of [undefined, ...overlays]) {
      const config = platformConfig(overlay);
      const where = overlay?.directory ?? 'k8s/base';
      const mongo = config['MONGODB_URI'] ?? '';
      const wanted = [
        ...(mongo.startsWith('mongodb+srv://') ? [27017] : portsOf(mongo, 27017)),
        ...portsOf(config['KAFKA_BROKERS'] ?? '', 9092),
        ...portsOf(config['REDIS_URL'] ?? '', 6379),
      ];
      for (const port of wanted)
        expect(allowed.has(port), `${where}: egress to port ${port}`).toBe(true);
      if (config['JWT_JWKS_URL'] !== undefined)
        expect(allowed.has(443), `${where}: JWT_JWKS_URL needs egress to 443`).toBe(true);
    }
  });
});

describe('security', () => {
  it.each(services)('%s: k8s pod runs non-root on a read-only root file system', (service) => {
    const podSpec = podSpecOf(deploymentOf(service));
    expect(record(podSpec['securityContext'], 'pod securityContext')).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
    });
    expect(record(mainContainerOf(service)['securityContext'], 'securityContext')).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
  });

  it.each(services)('%s: compose container is read-only without capabilities', (service) => {
    expect(composeService(service)).toMatchObject({ read_only: true, cap_drop: ['ALL'] });
  });
});

describe('server images and the topics job', () => {
  it('compose pins MongoDB, Kafka and Redis at the tags of libs/testing/src/images.ts', () => {
    expect(composeService('mongo')['image']).toBe(images.mongo);
    expect(composeService('kafka')['image']).toBe(images.kafka);
    expect(composeService('redis')['image']).toBe(images.redis);
  });

  it('MongoDB is a replica set the services name, and every service waits for the servers and topics', () => {
    const command = list(composeService('mongo')['command'], 'mongo command').map((part) =>
      text(part, 'command'),
    );
    const replicaSet = command[command.indexOf('--replSet') + 1];
    expect(replicaSet).toBeDefined();
    for (const service of services) {
      // Each service's own user and password: init-env.sh writes the URI, compose.test.ts runs it
      // and checks the URI names this replica set.
      expect(generatedFor(service), `init-env.sh makes ${service}'s MONGODB_URI`).toContain(
        'MONGODB_URI',
      );
      expect(record(composeService(service)['depends_on'], 'depends_on')).toMatchObject({
        mongo: { condition: 'service_healthy' },
        kafka: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
        topics: { condition: 'service_completed_successfully' },
      });
    }
    for (const server of ['mongo', 'kafka', 'redis'])
      expect(composeService(server)['healthcheck'], `${server} has a healthcheck`).toBeDefined();
  });

  // Renders the local overlay with kustomize in a child process: seconds on a busy machine.
  it(
    'compose and k8s provision topics with the events CLI against the services’ brokers',
    { timeout: 30_000 },
    () => {
      const topics = composeService('topics');
      expect(list(topics['command'], 'command')).toEqual(['node', eventsCli, 'provision']);
      expect(composeEnvironment(topics['environment'], 'topics')['KAFKA_BROKERS']).toBe(
        composeProvided(services[0] ?? 'registration')['KAFKA_BROKERS'],
      );
      const job = record(
        render('overlays/local').find(
          (object) => kindOf(object) === 'Job' && nameOf(object) === 'topics-provision',
        ),
        'k8s/overlays/local Job topics-provision',
      );
      const [container] = containersOf(job);
      expect(container?.['command']).toEqual(['node', eventsCli, 'provision']);
      expect(containerEnv(container ?? {}, platformConfig()).values).toHaveProperty(
        'KAFKA_BROKERS',
      );
    },
  );
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const arg = (name: string): string | undefined =>
    new RegExp(`^ARG ${name}=(\\S+)$`, 'm').exec(dockerfile)?.[1];

  it('installs the pnpm of package.json "packageManager" and a Node that satisfies "engines"', () => {
    const manifest = JSON.parse(read('package.json')) as {
      packageManager: string;
      engines: { node: string };
    };
    expect(`pnpm@${arg('PNPM_VERSION') ?? ''}`).toBe(manifest.packageManager);
    const node = /^node:(\d+)\.(\d+)\.(\d+)-bookworm-slim$/.exec(arg('NODE_IMAGE') ?? '');
    expect(node, 'NODE_IMAGE is a pinned node:X.Y.Z-bookworm-slim').not.toBeNull();
    const minimum = /^>=(\d+)\.(\d+)\.(\d+)$/.exec(manifest.engines.node);
    const version = (match: RegExpExecArray | null): number[] =>
      (match?.slice(1) ?? []).map(Number);
    const [major = 0, minor = 0, patch = 0] = version(node);
    const [minMajor = 0, minMinor = 0, minPatch = 0] = version(minimum);
    expect(major).toBe(minMajor);
    expect(minor * 10_000 + patch).toBeGreaterThanOrEqual(minMinor * 10_000 + minPatch);
  });

  it.each(services)(
    '%s: the image runs what its start script runs, as non-root, under tini',
    (service) => {
      const manifest = JSON.parse(read(`services/${service}/package.json`)) as {
        scripts: { start: string };
      };
      const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
      expect((JSON.parse(cmd ?? '[]') as string[]).join(' ')).toBe(manifest.scripts.start);
      expect(dockerfile).toMatch(/^WORKDIR \/app\/services\/\$\{SERVICE\}$/m);
      expect(dockerfile).toMatch(/^USER 1000:1000$/m);
      expect(dockerfile).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
    },
  );
});

describe('k8s/ kustomizations', () => {
  it('base lists every manifest and service directory it holds, and every file a kustomization names exists', () => {
    const entries = readdirSync(`${root}k8s/base`, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() || /\.ya?ml$/.test(entry.name))
      .map((entry) => entry.name)
      .filter((name) => name !== 'kustomization.yaml');
    expect([...base.resources].sort()).toEqual(entries.sort());
    expect(entries, 'a directory per service').toEqual(expect.arrayContaining([...services]));
    // Without the namespace an overlay's generated Secret is not renamed in the base's references.
    const namespaceOf = (directory: string): unknown =>
      record(parse(read(`${directory}/kustomization.yaml`)), directory)['namespace'];
    expect(namespaceOf('k8s/base')).toBe('learning-society');
    for (const overlay of overlays)
      expect(namespaceOf(overlay.directory), overlay.directory).toBe('learning-society');
    for (const kustomization of [base, ...overlays]) {
      for (const file of kustomization.configEnvFiles)
        expect(existsSync(`${root}${file}`), file).toBe(true);
      for (const resource of kustomization.resources)
        expect(existsSync(`${root}${kustomization.directory}/${resource}`), resource).toBe(true);
    }
  });
});
