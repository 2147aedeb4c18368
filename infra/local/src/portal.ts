/**
 * The citizens' portal (web/) built for the gateway to serve: `vite build`
 * runs only when what goes into the bundle changed since the last build, so
 * starting the stack again costs nothing when the portal did not change.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const PORTAL_DIRECTORY = join(repositoryRoot, 'web');
/** What `vite build` writes and the gateway serves. */
export const PORTAL_DIST = join(PORTAL_DIRECTORY, 'dist');
/** The hash of the inputs the files in dist/ were built from. */
const STAMP_FILE = join(PORTAL_DIST, '.inputs-hash');
/** Everything that changes the bundle: the portal's sources and configs and the vocabulary it imports. */
const INPUTS = [
  join(PORTAL_DIRECTORY, 'src'),
  join(PORTAL_DIRECTORY, 'build'),
  join(PORTAL_DIRECTORY, 'index.html'),
  join(PORTAL_DIRECTORY, 'vite.config.ts'),
  join(PORTAL_DIRECTORY, 'package.json'),
  join(repositoryRoot, 'libs', 'domain', 'src', 'vocabulary.ts'),
];

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => filesUnder(join(path, name)));
}

export function portalInputsHash(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(filesUnder)) {
    hash.update(file.slice(repositoryRoot.length));
    hash.update(readFileSync(file));
  }
  return hash.digest('hex');
}

/** Builds the portal unless dist/ already holds a build of the same inputs; says which it did. */
export async function buildPortal(): Promise<'built' | 'unchanged'> {
  const inputs = portalInputsHash();
  if (existsSync(STAMP_FILE) && readFileSync(STAMP_FILE, 'utf8') === inputs) return 'unchanged';
  // Through pnpm, as a person would run it: the web package's own vite and vue-tsc.
  const build = spawn('pnpm', ['--silent', '--filter', '@learning/web', 'build'], {
    cwd: repositoryRoot,
    // A test runner's NODE_ENV=test would give Vue's development build, slower and over the budget.
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  for (const stream of [build.stdout, build.stderr])
    stream.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const [code] = (await once(build, 'close')) as [number | null];
  if (code !== 0) throw new Error(`the portal's build failed:\n${output.join('')}`);
  writeFileSync(STAMP_FILE, inputs);
  return 'built';
}
