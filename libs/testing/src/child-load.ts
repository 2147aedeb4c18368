/**
 * Benchmarks generate load from a child process, so the load generator's work
 * is neither counted as the service's CPU time nor queued on its event loop.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs `script --load <file>` (TypeScript, with the workspace's source
 * condition) where the file holds `plan` as JSON; resolves with what the child
 * printed, rejects when it exits with a failure.
 */
export async function runLoadInChild(script: string, plan: unknown): Promise<string> {
  const file = join(tmpdir(), `load-plan-${randomUUID()}.json`);
  writeFileSync(file, JSON.stringify(plan));
  try {
    return await new Promise<string>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--conditions=@learning/source', '--import', 'tsx', script, '--load', file],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.on('error', reject);
      child.on('exit', (code) => {
        if (code === 0) resolve(text);
        else reject(new Error(`load generator exited with ${String(code)}`));
      });
    });
  } finally {
    rmSync(file, { force: true });
  }
}
