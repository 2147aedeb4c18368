/**
 * What one service's image carries: infra/deploy/prune.sh (the Dockerfile's
 * prune stage) run on a copy of the workspace, and the production dependency
 * graph it follows.
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const services = ['registration', 'activities', 'scoring', 'notifications'];
/** Packages that belong in tests and tools, never in a running service. */
const testOnly =
  /^(vitest|@vitest\/.*|@learning\/testing|@learning\/local-infra|testcontainers|@testcontainers\/.*|tsx|typescript)$/;

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
}

const workspacePackages: ReadonlyMap<string, Manifest> = new Map(
  ['libs', 'services']
    .flatMap((group) => readdirSync(join(root, group)).map((name) => join(root, group, name)))
    .concat(join(root, 'proto'))
    .filter((directory) => existsSync(join(directory, 'package.json')))
    .map((directory) => {
      const manifest = JSON.parse(
        readFileSync(join(directory, 'package.json'), 'utf8'),
      ) as Manifest;
      return [manifest.name, manifest];
    }),
);

/** Every production dependency of `name`, through the workspace packages it depends on. */
function productionClosure(name: string, seen = new Set<string>()): Set<string> {
  for (const dependency of Object.keys(workspacePackages.get(name)?.dependencies ?? {})) {
    if (seen.has(dependency)) continue;
    seen.add(dependency);
    if (workspacePackages.has(dependency)) productionClosure(dependency, seen);
  }
  return seen;
}

describe('a service image', () => {
  it.each(services)(
    '%s: no production dependency, direct or through the workspace, is test-only',
    (service) => {
      const closure = [...productionClosure(`@learning/${service}`)];
      expect(closure).toContain('@learning/runtime');
      expect(closure.filter((name) => testOnly.test(name))).toEqual([]);
    },
  );

  describe('pruned by infra/deploy/prune.sh', () => {
    const copies: string[] = [];
    // Each copy holds an installed node_modules: removing them takes longer than a hook's default.
    afterAll(() => {
      for (const copy of copies) rmSync(copy, { recursive: true, force: true });
    }, 60_000);

    const pruned = new Map<string, string>();
    /** A workspace copy pruned for `service`, once per service. */
    function prunedCopy(service: string): string {
      const known = pruned.get(service);
      if (known !== undefined) return known;
      const copy = workspaceCopy();
      execFileSync('bash', ['infra/deploy/prune.sh', service], { cwd: copy, stdio: 'pipe' });
      pruned.set(service, copy);
      return copy;
    }

    /** The tracked files of the workspace, as the Dockerfile's build context has them. */
    function workspaceCopy(): string {
      const copy = mkdtempSync(join(tmpdir(), 'image-'));
      copies.push(copy);
      const files = execFileSync(
        'git',
        ['ls-files', '--cached', '--others', '--exclude-standard'],
        {
          cwd: root,
          encoding: 'utf8',
        },
      )
        .split('\n')
        .filter((file) => file !== '' && existsSync(join(root, file)));
      for (const file of files) {
        mkdirSync(dirname(join(copy, file)), { recursive: true });
        cpSync(join(root, file), join(copy, file));
      }
      return copy;
    }

    it.each(services)(
      '%s: then only it and the workspace packages it runs on are left, with nothing test-only installed',
      (service) => {
        const copy = prunedCopy(service);

        expect(readdirSync(join(copy, 'services'))).toEqual([service]);
        expect(existsSync(join(copy, 'infra'))).toBe(false);
        const libraries = readdirSync(join(copy, 'libs')).map((name) => `@learning/${name}`);
        const closure = productionClosure(`@learning/${service}`);
        expect(libraries.filter((name) => !closure.has(name))).toEqual([]);
        expect(existsSync(join(copy, 'libs/events/src/cli.ts'))).toBe(true);
        expect(existsSync(join(copy, `services/${service}/test`))).toBe(false);
        const installed = readdirSync(join(copy, 'node_modules/.pnpm'));
        expect(installed.some((entry) => entry.startsWith('mongoose@'))).toBe(true);
        expect(
          installed.filter((entry) =>
            /^(vitest|testcontainers|@testcontainers|tsx|typescript)[@+]/.test(entry),
          ),
        ).toEqual([]);
      },
      120_000,
    );

    it('scoring: then the PDF font package keeps only the weight the PDF code names', () => {
      const copy = prunedCopy('scoring');
      const store = join(copy, 'node_modules/.pnpm');
      const entry = readdirSync(store).find((name) =>
        name.startsWith('@expo-google-fonts+noto-sans-sc@'),
      );
      expect(entry).toBeDefined();
      const fontPackage = join(store, entry ?? '', 'node_modules/@expo-google-fonts/noto-sans-sc');

      expect(readdirSync(fontPackage).filter((name) => /^\d00/.test(name))).toEqual(['400Regular']);
      expect(existsSync(join(fontPackage, '400Regular/NotoSansSC_400Regular.ttf'))).toBe(true);
    }, 120_000);
  });
});
