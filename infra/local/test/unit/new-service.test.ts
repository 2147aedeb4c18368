import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { generateService } from '../../src/new-service.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
/** What the generator reads and edits outside the new directory. */
const EDITED = [
  'package.json',
  'tsconfig.json',
  'libs/runtime/package.json',
  'libs/events/src/registry.ts',
];
const EXISTING = ['registration', 'activities'];

interface Manifest {
  name: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

describe('pnpm new-service', () => {
  let workspace: string | undefined;
  afterEach(() => {
    if (workspace !== undefined) rmSync(workspace, { recursive: true, force: true });
  });

  /** A workspace root holding the files the generator reads and edits. */
  function scratch(): string {
    workspace = mkdtempSync(join(tmpdir(), 'new-service-'));
    for (const file of EDITED) {
      mkdirSync(dirname(join(workspace, file)), { recursive: true });
      cpSync(join(root, file), join(workspace, file));
    }
    return workspace;
  }
  const read = (base: string, file: string): string => readFileSync(join(base, file), 'utf8');
  const manifest = (base: string, service: string): Manifest =>
    JSON.parse(read(base, `services/${service}/package.json`)) as Manifest;

  it('when a name is given, then services/<name> has the skeleton every service has', () => {
    const base = scratch();
    const { written } = generateService(base, 'book-club');

    expect(written).toEqual([
      'services/book-club/package.json',
      'services/book-club/tsconfig.json',
      'services/book-club/README.md',
      'services/book-club/src/main.ts',
      'services/book-club/src/app.ts',
      'services/book-club/src/config.ts',
      'services/book-club/src/platform.ts',
      'services/book-club/test/unit/config.test.ts',
      'services/book-club/test/integration/app.test.ts',
      'tsconfig.json',
      'libs/events/src/registry.ts',
    ]);
    // The same process files as the services there are, started the same way.
    for (const service of EXISTING) {
      for (const file of ['src/main.ts', 'src/app.ts', 'src/config.ts', 'src/platform.ts'])
        expect(existsSync(join(root, 'services', service, file)), `${service}/${file}`).toBe(true);
      expect(manifest(base, 'book-club').scripts).toEqual({
        start: manifest(root, service).scripts?.['start'],
      });
    }
    expect(read(base, 'services/book-club/src/main.ts')).toContain(
      'await runService(bookClubService, loadBookClubConfig);',
    );
    const app = read(base, 'services/book-club/src/app.ts');
    expect(app).toContain(
      'export const bookClubService: ServiceDefinition<BookClubConfig, Platform> = {',
    );
    expect(app).toContain(
      'audit: { topic: topics.bookClubAudit, group: consumerGroups.bookClubAudit },',
    );
    expect(read(base, 'services/book-club/test/integration/app.test.ts')).toContain(
      'health.HealthCheckResponse_ServingStatus.SERVING',
    );
  });

  it('when the package is written, then every workspace package it uses is a project reference, and its versions are the workspace’s', () => {
    const base = scratch();
    generateService(base, 'book-club');
    const { dependencies = {}, devDependencies = {} } = manifest(base, 'book-club');
    const references = (
      JSON.parse(read(base, 'services/book-club/tsconfig.json')) as {
        references: { path: string }[];
      }
    ).references.map(({ path }) => path);
    const used = Object.keys({ ...dependencies, ...devDependencies })
      .filter((name) => name.startsWith('@learning/'))
      .map((name) => (name === '@learning/proto' ? '../../proto' : `../../libs/${name.slice(10)}`));
    expect([...references].sort()).toEqual([...used].sort());
    expect(dependencies['@learning/runtime']).toBe('workspace:*');
    // Test tools stay out of the image.
    expect(Object.keys(dependencies).filter((name) => /vitest|testing/.test(name))).toEqual([]);
    const rootManifest = JSON.parse(read(root, 'package.json')) as Manifest;
    expect(devDependencies['vitest']).toBe(rootManifest.devDependencies?.['vitest']);
  });

  it('when the service is new to the workspace, then the root tsconfig and the events registry gain it once', () => {
    const base = scratch();
    generateService(base, 'night-school');

    const tsconfig = JSON.parse(read(base, 'tsconfig.json')) as { references: { path: string }[] };
    expect(tsconfig.references.filter(({ path }) => path === 'services/night-school')).toHaveLength(
      1,
    );
    const registry = read(base, 'libs/events/src/registry.ts');
    expect(registry).toContain(
      "  nightSchoolAudit: topic('learning.night-school.audit.v1', 3),\n} as const satisfies",
    );
    expect(registry).toContain("  nightSchoolAudit: 'night-school.audit',\n} as const;");
    expect(read(base, 'services/night-school/src/app.ts')).toContain('nightSchoolService');
  });

  it('when the audit topic is declared already, then the registry is left as it was', () => {
    const base = scratch();
    generateService(base, 'book-club');
    const registry = read(base, 'libs/events/src/registry.ts');
    rmSync(join(base, 'services/book-club'), { recursive: true });

    expect(generateService(base, 'book-club').written).not.toContain('libs/events/src/registry.ts');
    expect(read(base, 'libs/events/src/registry.ts')).toBe(registry);
  });

  it('when the name is not a lower-case hyphenated word, or the service exists, then nothing is written', () => {
    const base = scratch();
    for (const name of ['BookClub', 'book_club', '../book-club', 'book club', ''])
      expect(() => generateService(base, name), name).toThrow(/is not a service name/);
    expect(existsSync(join(base, 'services'))).toBe(false);

    generateService(base, 'book-club');
    expect(() => generateService(base, 'book-club')).toThrow('services/book-club exists already');
  });
});
