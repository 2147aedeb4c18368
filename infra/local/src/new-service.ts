/**
 * Starts the next service shaped like the others (docs/new-service.md):
 *
 *   pnpm new-service lectures
 *
 * writes services/<name>/ (package.json, tsconfig.json, README.md,
 * src/{main,app,config,platform}.ts, a config unit test and an app test that
 * checks health, readiness and gRPC health), adds the service to the root
 * tsconfig.json, and declares its audit topic and consumer group in libs/events'
 * registry when they are missing. It prints what is left to do by hand.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** A services/ directory name: lower-case words joined by hyphens, as the event types need them. */
const NAME_PATTERN = /^[a-z][a-z]*(?:-[a-z]+)*$/;

/** The workspace packages the skeleton uses at run time, and in its tests. */
const RUNTIME_PACKAGES = ['config', 'events', 'runtime'];
const TEST_PACKAGES = ['grpc', 'testing'];

export interface GeneratedService {
  /** Paths written or changed, relative to the workspace root. */
  readonly written: readonly string[];
  /** What the generator cannot do, in order. */
  readonly nextSteps: readonly string[];
}

const camelOf = (name: string): string =>
  name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
const pascalOf = (name: string): string => {
  const camel = camelOf(name);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
};

const readJson = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

/** A specifier of `dependency` as the workspace already uses it, so the lockfile gains no new version. */
function specifierOf(root: string, dependency: string): string {
  for (const manifest of ['libs/runtime/package.json', 'package.json']) {
    const { dependencies, devDependencies } = readJson(join(root, manifest)) as {
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    const specifier = dependencies?.[dependency] ?? devDependencies?.[dependency];
    if (specifier !== undefined) return specifier;
  }
  throw new Error(`no workspace package depends on ${dependency}: cannot choose its version`);
}

const workspace = (packages: readonly string[]): Record<string, string> =>
  Object.fromEntries(packages.map((name) => [`@learning/${name}`, 'workspace:*']));

function files(root: string, name: string): Record<string, string> {
  const camel = camelOf(name);
  const pascal = pascalOf(name);
  const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
  return {
    'package.json': json({
      name: `@learning/${name}`,
      version: '0.1.0',
      private: true,
      type: 'module',
      scripts: { start: 'node dist/src/main.js' },
      dependencies: {
        ...workspace(RUNTIME_PACKAGES),
        '@sinclair/typebox': specifierOf(root, '@sinclair/typebox'),
      },
      devDependencies: {
        '@learning/grpc': 'workspace:*',
        '@learning/proto': 'workspace:*',
        '@learning/testing': 'workspace:*',
        vitest: specifierOf(root, 'vitest'),
      },
    }),
    // Prettier's layout: a short array of strings on one line.
    'tsconfig.json': json({
      extends: '../../tsconfig.base.json',
      compilerOptions: { rootDir: '.', outDir: 'dist' },
      include: ['src', 'test', 'package.json'],
      references: [
        ...[...RUNTIME_PACKAGES, ...TEST_PACKAGES].sort().map((lib) => ({
          path: `../../libs/${lib}`,
        })),
        { path: '../../proto' },
      ],
    }).replace(/"include": \[[^\]]*\]/, '"include": ["src", "test", "package.json"]'),
    'README.md': `# @learning/${name}

What ${name} does for the city, who uses it, and what it owns (see
[docs/domain.md](../../docs/domain.md)).

\`\`\`
src/domain/        rules only, no I/O (ESLint keeps it so)
src/application/   use cases, one folder per slice, with their ports
src/adapters/      mongo, http, grpc: translate, decide nothing
src/modules/       one per slice: wires its adapters onto the platform (src/platform.ts)
src/app.ts         the service declared on @learning/runtime (decision 0008)
\`\`\`

## Run

\`bash infra/local/up.sh\` starts it with the rest of the platform; its ports
are in \`infra/local/src/stack.ts\`.

## Configuration

The variables every service reads (libs/runtime's \`serviceEnv\`), and:

- \`MONGODB_DATABASE\` (default \`${name}\`): its own database.
`,
    'src/main.ts': `/** The ${name} process. */
import { runService } from '@learning/runtime';
import { ${camel}Service } from './app.js';
import { load${pascal}Config } from './config.js';

await runService(${camel}Service, load${pascal}Config);
`,
    'src/app.ts': `/** The ${name} service: its modules on the shared runtime. */
import { consumerGroups, topics } from '@learning/events';
import { buildServiceApp, type App, type AppDeps, type ServiceDefinition } from '@learning/runtime';
import packageJson from '../package.json' with { type: 'json' };
import type { ${pascal}Config } from './config.js';
import type { Platform } from './platform.js';

export const ${camel}Service: ServiceDefinition<${pascal}Config, Platform> = {
  name: '${name}',
  version: packageJson.version,
  eventSource: '/learning/${name}',
  audit: { topic: topics.${camel}Audit, group: consumerGroups.${camel}Audit },
  openapi: {
    title: '${pascal}',
    description: 'What ${name} offers the city, in one sentence.',
  },
  // The service's own shared parts (a peer's gRPC client, a vault) join the platform here.
  extend: (platform) => platform,
  // One module per slice (src/modules/), each wiring its adapters onto the platform.
  modules: [],
};

export const buildApp = (config: ${pascal}Config, deps?: AppDeps): App =>
  buildServiceApp(${camel}Service, config, deps);
`,
    'src/config.ts': `/** The ${name} service's environment: one schema, validated once at start. */
import { env, type Config } from '@learning/config';
import { loadServiceConfig, serviceEnv } from '@learning/runtime';
import { Type } from '@sinclair/typebox';

export const ${camel}Env = Type.Object({
  ...serviceEnv,
  MONGODB_DATABASE: env.string({ default: '${name}' }),
});

export type ${pascal}Config = Config<typeof ${camel}Env>;

export const load${pascal}Config = (
  environment: Readonly<Record<string, string | undefined>>,
): ${pascal}Config => loadServiceConfig(${camel}Env, environment);
`,
    'src/platform.ts': `/** What every part of the ${name} service is built on: the shared runtime, and its own parts once it has some. */
import type { Module as RuntimeModule, Platform as RuntimePlatform } from '@learning/runtime';
import type { ${pascal}Config } from './config.js';

export type Platform = RuntimePlatform<${pascal}Config>;

export type Module = RuntimeModule<Platform>;
`,
    'test/unit/config.test.ts': `import { ConfigError } from '@learning/config';
import { describe, expect, it } from 'vitest';
import { load${pascal}Config } from '../../src/config.js';

describe('load${pascal}Config', () => {
  it('when only a token key is given, then the defaults make a complete config', () => {
    const config = load${pascal}Config({ JWT_JWKS_URL: 'https://id.example/jwks.json' });

    expect(config.MONGODB_DATABASE).toBe('${name}');
  });

  it('when no token key is given, then it names the two variables that could give one', () => {
    expect(() => load${pascal}Config({})).toThrow(ConfigError);
    expect(() => load${pascal}Config({})).toThrow(/JWT_PUBLIC_KEY or JWT_JWKS_URL/);
  });
});
`,
    'test/integration/app.test.ts': `import { createGrpcClient } from '@learning/grpc';
import { health } from '@learning/proto';
import { useServiceApp } from '@learning/runtime/testing';
import { describeWithServers } from '@learning/testing';
import { expect, it } from 'vitest';
import { ${camel}Service } from '../../src/app.js';
import { load${pascal}Config } from '../../src/config.js';

describeWithServers(['mongo', 'kafka', 'redis'], '${name} app', (servers) => {
  const running = useServiceApp(${camel}Service, servers, { loadConfig: load${pascal}Config });

  it('when /healthz is asked, then it answers 200', async () => {
    expect((await fetch(\`\${running.base}/healthz\`)).status).toBe(200);
  });

  it('when /readyz is asked, then MongoDB, Kafka and Redis are each reported ok', async () => {
    const response = await fetch(\`\${running.base}/readyz\`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ok',
      checks: { mongo: 'ok', kafka: 'ok', redis: 'ok' },
    });
  });

  it('when gRPC health is checked, then the server answers SERVING', async () => {
    const client = createGrpcClient(health.HealthClient, {
      address: \`127.0.0.1:\${running.ports.grpcPort}\`,
      logger: running.logs.logger,
      idempotentMethods: ['check'],
    });
    try {
      await expect(client.call.check({ service: '' })).resolves.toEqual({
        status: health.HealthCheckResponse_ServingStatus.SERVING,
      });
    } finally {
      client.close();
    }
  });

  it('when /openapi.json is asked, then the document is titled ${pascal}', async () => {
    const response = await fetch(\`\${running.base}/openapi.json\`);

    expect(response.status).toBe(200);
    expect(((await response.json()) as { info: { title: string } }).info.title).toBe('${pascal}');
  });
});
`,
  };
}

/** Adds the service to the root tsconfig.json's references; false when it is there already. */
function addReference(root: string, name: string): boolean {
  const path = join(root, 'tsconfig.json');
  const tsconfig = readJson(path) as { references: { path: string }[] };
  const reference = `services/${name}`;
  if (tsconfig.references.some((entry) => entry.path === reference)) return false;
  tsconfig.references.push({ path: reference });
  writeFileSync(path, `${JSON.stringify(tsconfig, null, 2)}\n`);
  return true;
}

/**
 * Declares `<name>Audit` in the events registry (topic learning.<name>.audit.v1
 * and group <name>.audit) unless it is there; false when nothing changed.
 */
function addAuditToRegistry(root: string, name: string): boolean {
  const path = join(root, 'libs/events/src/registry.ts');
  const camel = camelOf(name);
  const registry = readFileSync(path, 'utf8');
  const topicsEnd = '} as const satisfies Record<string, TopicSpec>;';
  const groupsEnd = /(export const consumerGroups = \{[^}]*)(\} as const;)/;
  if (registry.includes(`${camel}Audit:`)) return false;
  if (!registry.includes(topicsEnd) || !groupsEnd.test(registry)) {
    throw new Error(
      `${path} no longer has the shape this generator edits: add ${camel}Audit by hand`,
    );
  }
  writeFileSync(
    path,
    registry
      .replace(topicsEnd, `  ${camel}Audit: topic('learning.${name}.audit.v1', 3),\n${topicsEnd}`)
      .replace(groupsEnd, `$1  ${camel}Audit: '${name}.audit',\n$2`),
  );
  return true;
}

/** Writes the skeleton of services/<name> under the workspace at `root`. */
export function generateService(root: string, name: string): GeneratedService {
  if (!NAME_PATTERN.test(name)) {
    throw new Error(
      `"${name}" is not a service name: lower-case letters, words joined by hyphens (e.g. lectures)`,
    );
  }
  const directory = join(root, 'services', name);
  if (existsSync(directory)) throw new Error(`services/${name} exists already`);
  const written: string[] = [];
  for (const [file, content] of Object.entries(files(root, name))) {
    const path = join(directory, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    written.push(`services/${name}/${file}`);
  }
  if (addReference(root, name)) written.push('tsconfig.json');
  if (addAuditToRegistry(root, name)) written.push('libs/events/src/registry.ts');
  return {
    written,
    nextSteps: [
      'pnpm install   (links the new package; commit the lockfile with it)',
      `pnpm exec prettier --write services/${name} tsconfig.json libs/events/src/registry.ts`,
      `ports: add ${name} to SERVICE_PORTS in infra/local/src/ports.ts if it is not there`,
      `deploy: pnpm exec vitest run --project unit infra/deploy lists what compose and k8s need for ${name} (infra/deploy/README.md, "Adding a service")`,
      `tests: pnpm exec tsc -b && pnpm exec vitest run --project integration services/${name}`,
    ],
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const usage = 'usage: pnpm new-service <name>   (e.g. pnpm new-service lectures)';
  try {
    const { positionals, values } = parseArgs({
      allowPositionals: true,
      options: { help: { type: 'boolean', short: 'h', default: false } },
    });
    const [name, ...extra] = positionals;
    if (values.help) {
      process.stdout.write(`${usage}\n`);
    } else if (name === undefined || extra.length > 0) {
      throw new Error(usage);
    } else {
      const root = fileURLToPath(new URL('../../../', import.meta.url));
      const { written, nextSteps } = generateService(root, name);
      process.stdout.write(
        `wrote:\n${written.map((path) => `  ${path}`).join('\n')}\nnext:\n${nextSteps
          .map((step, index) => `  ${index + 1}. ${step}`)
          .join('\n')}\n`,
      );
    }
  } catch (error) {
    process.stderr.write(
      `new-service: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  }
}
