import { chmodSync, writeFileSync } from 'node:fs';

/**
 * Writes a file only its owner may read (0600): the signing key and the
 * stack's environment, which holds the personal-data keys. `mode` applies
 * only when the file is created, so a file left by an earlier run is
 * narrowed too.
 */
export function writePrivateFile(path: string, content: string): void {
  writeFileSync(path, content, { mode: 0o600 });
  chmodSync(path, 0o600);
}
