// `pnpm proto:check`: lint, fail if src/gen is stale, and fail on breaking changes.
import { spawnSync } from 'node:child_process';
import console from 'node:console';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import process from 'node:process';

const protoDir = join(import.meta.dirname, '..');
const committedGen = join(protoDir, 'src', 'gen');

function buf(...args) {
  const result = spawnSync(join(protoDir, 'node_modules', '.bin', 'buf'), args, {
    cwd: protoDir,
    stdio: 'inherit',
  });
  if (result.error) {
    console.error(`Cannot run buf (is pnpm install done?): ${result.error.message}`);
  }
  return result.status === 0;
}
const git = (...args) => spawnSync('git', args, { cwd: protoDir, encoding: 'utf8' });

const listFiles = (dir) =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    : [];

/** Generated files that differ from a fresh `buf generate`, are missing or extra; null if it fails. */
function driftedFiles() {
  const out = mkdtempSync(join(tmpdir(), 'proto-check-'));
  try {
    if (!buf('generate', '--output', out)) return null;
    const fresh = join(out, 'src', 'gen');
    const paths = new Set([...listFiles(committedGen), ...listFiles(fresh)]);
    return [...paths].sort().filter((path) => {
      const [a, b] = [join(committedGen, path), join(fresh, path)];
      return !existsSync(a) || !existsSync(b) || !readFileSync(a).equals(readFileSync(b));
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (!buf('lint')) process.exit(1);

const drifted = driftedFiles();
if (drifted === null) process.exit(1);
if (drifted.length > 0) {
  console.error(`proto/src/gen does not match the .proto files: ${drifted.join(', ')}`);
  console.error('Run `pnpm proto:gen` and commit the result.');
  process.exit(1);
}

// Uncommitted .proto edits are compared with HEAD, a clean tree (CI) with the
// commit before it; PROTO_BASE_REF overrides, e.g. with the branch a change targets.
const protoEdited = (git('status', '--porcelain', '--', '*.proto').stdout ?? '').trim() !== '';
const base = process.env.PROTO_BASE_REF ?? (protoEdited ? 'HEAD' : 'HEAD~1');
const comparable = git('cat-file', '-e', `${base}:proto/buf.yaml`).status === 0;
if (!comparable) {
  console.log(`Breaking-change check skipped: ${base} has no proto/buf.yaml to compare against.`);
} else if (!buf('breaking', '--against', `../.git#subdir=proto,ref=${base}`)) {
  process.exit(1);
}

console.log(
  `proto: lint clean, generated code up to date${comparable ? `, no breaking change against ${base}` : ''}.`,
);
