/**
 * docker-compose.yml as Docker Compose would read it, without a Docker engine: init-env.sh runs
 * in a temporary copy of the files compose reads, then the file (merge keys resolved) is
 * validated against the Compose Specification's JSON schema (vendored in
 * infra/compose/schema/, README there), every file it names must exist, each service's
 * environment must load through its own configuration schema, and each service reaches MongoDB
 * only as its own user on its own database.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../../../libs/config/src/index.js';
import { activitiesEnv } from '../../../../services/activities/src/config.js';
import { lecturesEnv } from '../../../../services/lectures/src/config.js';
import { notificationsEnv } from '../../../../services/notifications/src/config.js';
import { registrationEnv } from '../../../../services/registration/src/config.js';
import { scoringEnv } from '../../../../services/scoring/src/config.js';

/** A service's environment schema, as loadConfig takes it. */
type EnvSchema = Parameters<typeof loadConfig>[0];

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

const serviceEnvs: Readonly<Record<string, EnvSchema>> = {
  registration: registrationEnv,
  activities: activitiesEnv,
  lectures: lecturesEnv,
  scoring: scoringEnv,
  notifications: notificationsEnv,
};
const services = Object.keys(serviceEnvs);

/** What compose reads from the repository; init-env.sh adds infra/compose/.secrets. */
const COMPOSE_INPUTS = [
  'docker-compose.yml',
  'infra/compose/init-env.sh',
  'infra/compose/mongo/create-users.js',
];

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
function node(value: unknown, where: string): Node {
  if (!isNode(value)) throw new Error(`${where}: expected a mapping`);
  return value;
}

/** Compose's env-file lines as init-env.sh writes them: NAME="value", \n for a newline. */
function envFile(path: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)="(.*)"$/.exec(line);
    if (match?.[1] !== undefined) values[match[1]] = (match[2] ?? '').replaceAll('\\n', '\n');
  }
  return values;
}

/** Compose's interpolation with nothing set in the shell: ${NAME:-default} is its default. */
const interpolate = (value: string): string =>
  value.replace(
    /\$\{\w+(?::?-([^}]*))?\}/g,
    (_whole, fallback: string | undefined) => fallback ?? '',
  );

let project = '';
let compose: Node = {};
const composeService = (name: string): Node =>
  node(node(compose['services'], 'services')[name], `services.${name}`);

/** Paths of env files a service reads, relative to the project. */
const envFilesOf = (service: Node): string[] =>
  ((service['env_file'] ?? []) as unknown[]).map((entry) =>
    typeof entry === 'string' ? entry : String(node(entry, 'env_file')['path']),
  );

/** What the service's process sees: its env files, then `environment` over them. */
function processEnvironment(name: string): Record<string, string> {
  const service = composeService(name);
  const values: Record<string, string> = {};
  for (const file of envFilesOf(service)) Object.assign(values, envFile(join(project, file)));
  for (const [key, value] of Object.entries(node(service['environment'] ?? {}, 'environment')))
    values[key] = interpolate(String(value));
  return values;
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'compose-'));
  for (const path of COMPOSE_INPUTS) {
    mkdirSync(dirname(join(project, path)), { recursive: true });
    cpSync(join(root, path), join(project, path));
  }
  execFileSync('bash', [join(project, 'infra/compose/init-env.sh')], { stdio: 'pipe' });
  compose = node(parse(read('docker-compose.yml'), { merge: true }), 'docker-compose.yml');
});
afterAll(() => {
  if (project !== '') rmSync(project, { recursive: true, force: true });
});

describe('docker-compose.yml against the Compose Specification', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  // The schema names draft-07 by its https address; ajv knows it as http://…/schema#.
  ajv.addMetaSchema(
    createRequire(import.meta.url)('ajv/dist/refs/json-schema-draft-07.json') as object,
    'https://json-schema.org/draft-07/schema',
  );
  const validate = ajv.compile(
    JSON.parse(read('infra/compose/schema/compose-spec.json')) as Record<string, unknown>,
  );

  it('is valid, merge keys resolved', () => {
    const valid = validate(compose);
    expect(validate.errors ?? [], 'schema errors').toEqual([]);
    expect(valid).toBe(true);
  });

  it('and the validator refuses what compose would refuse (a misspelt key, a wrong type)', () => {
    const misspelt = structuredClone(compose);
    node(node(misspelt['services'], 'services')['mongo'], 'mongo')['healtcheck'] = {};
    expect(validate(misspelt)).toBe(false);
    const wrongType = structuredClone(compose);
    node(node(wrongType['services'], 'services')['redis'], 'redis')['ports'] = 6379;
    expect(validate(wrongType)).toBe(false);
  });

  it('names only files that exist once init-env.sh has run', () => {
    const named: string[] = [];
    for (const [name, value] of Object.entries(node(compose['services'], 'services'))) {
      const service = node(value, name);
      named.push(...envFilesOf(service));
      for (const volume of (service['volumes'] ?? []) as unknown[]) {
        const source = String(volume).split(':')[0] ?? '';
        if (source.startsWith('./')) named.push(source);
      }
    }
    for (const value of Object.values(node(compose['secrets'] ?? {}, 'secrets')))
      named.push(String(node(value, 'secret')['file']));
    expect(named.length).toBeGreaterThan(services.length);
    for (const path of named) expect(existsSync(join(project, path)), path).toBe(true);
  });
});

describe('each service in compose', () => {
  it.each(services)('%s: its environment loads through its configuration schema', (service) => {
    const schema: EnvSchema | undefined = serviceEnvs[service];
    if (schema === undefined) throw new Error(service);
    const environment = processEnvironment(service);
    expect(() => loadConfig(schema, environment)).not.toThrow();
  });

  it.each(services)(
    '%s: reaches MongoDB as its own user, on the database of its name, with mongo.env’s password',
    (service) => {
      const environment = processEnvironment(service);
      const uri = new URL(environment['MONGODB_URI'] ?? '');
      const password = envFile(join(project, 'infra/compose/.secrets/mongo.env'))[
        `${service.toUpperCase()}_MONGODB_PASSWORD`
      ];
      expect(uri.username).toBe(service);
      expect(password?.length ?? 0).toBeGreaterThanOrEqual(32);
      expect(decodeURIComponent(uri.password)).toBe(password);
      expect(uri.host).toBe('mongo:27017');
      expect(uri.searchParams.get('authSource')).toBe(service);
      const command = composeService('mongo')['command'] as string[];
      expect(uri.searchParams.get('replicaSet')).toBe(command[command.indexOf('--replSet') + 1]);
      // The user's database is the one the service uses: its schema's default, not overridden.
      const config = loadConfig(serviceEnvs[service] as EnvSchema, environment) as {
        MONGODB_DATABASE?: unknown;
      };
      expect(config.MONGODB_DATABASE).toBe(service);
    },
  );

  it('each has a password of its own', () => {
    const mongo = envFile(join(project, 'infra/compose/.secrets/mongo.env'));
    const passwords = services.map((service) => mongo[`${service.toUpperCase()}_MONGODB_PASSWORD`]);
    expect(new Set(passwords).size).toBe(services.length);
    expect(mongo['MONGO_INITDB_ROOT_PASSWORD']).toBeTruthy();
  });

  it('init-env.sh keeps the passwords on a second run (the volume holds the users)', () => {
    const before = readFileSync(join(project, 'infra/compose/.secrets/mongo.env'), 'utf8');
    const uriBefore = processEnvironment('scoring')['MONGODB_URI'];
    execFileSync('bash', [join(project, 'infra/compose/init-env.sh')], { stdio: 'pipe' });
    expect(readFileSync(join(project, 'infra/compose/.secrets/mongo.env'), 'utf8')).toBe(before);
    expect(processEnvironment('scoring')['MONGODB_URI']).toBe(uriBefore);
  });

  it('MONGODB_URI stays out of the local Kubernetes secrets (their MongoDB is another)', () => {
    for (const service of services)
      expect(existsSync(join(project, `k8s/overlays/local/secrets/${service}/MONGODB_URI`))).toBe(
        false,
      );
  });
});

describe('MongoDB users (infra/compose/mongo/create-users.js, as the mongo entrypoint runs it)', () => {
  it('gives each service readWrite on its own database and nothing else', () => {
    const created: { database: string; user: Node }[] = [];
    // mongosh's globals the script uses, recording what it would ask the server for.
    const db = {
      getSiblingDB: (database: string) => ({
        createUser: (user: Node) => created.push({ database, user }),
      }),
    };
    const mongo = envFile(join(project, 'infra/compose/.secrets/mongo.env'));
    runInNewContext(read('infra/compose/mongo/create-users.js'), {
      db,
      print: () => undefined,
      process: { env: { ...mongo, PATH: '/usr/bin', HOME: '/root' } },
    });
    expect(created.map((entry) => entry.database).sort()).toEqual([...services].sort());
    for (const { database, user } of created) {
      expect(user['user']).toBe(database);
      expect(user['pwd']).toBe(mongo[`${database.toUpperCase()}_MONGODB_PASSWORD`]);
      expect(user['roles']).toEqual([{ role: 'readWrite', db: database }]);
    }
  });

  it('the mongo container gets the script, the key file and access control', () => {
    const mongo = composeService('mongo');
    expect(mongo['volumes']).toContain(
      './infra/compose/mongo/create-users.js:/docker-entrypoint-initdb.d/create-users.js:ro',
    );
    expect(mongo['command']).toEqual(expect.arrayContaining(['--keyFile', '--replSet']));
    expect(envFilesOf(mongo)).toEqual(['infra/compose/.secrets/mongo.env']);
    // Its health check authenticates: with access control an anonymous rs.initiate is refused.
    expect(JSON.stringify(node(mongo['healthcheck'], 'healthcheck')['test'])).toContain(
      'MONGO_INITDB_ROOT_PASSWORD',
    );
  });
});
