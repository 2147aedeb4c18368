import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/**
 * Fails the build when the JavaScript loaded before the first page shows
 * (the entry chunk and the chunks it imports statically) is over the budget,
 * gzipped as a phone receives it. Lazy routes' chunks do not count.
 */
export function entryBudget(limitBytes: number): Plugin {
  return {
    name: 'learning:entry-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map(
        Object.values(bundle).flatMap((output) =>
          output.type === 'chunk' ? [[output.fileName, output] as const] : [],
        ),
      );
      const entry = [...chunks.values()].find((chunk) => chunk.isEntry);
      if (entry === undefined) return;
      const initial = new Set<string>();
      const visit = (fileName: string): void => {
        if (initial.has(fileName)) return;
        initial.add(fileName);
        for (const imported of chunks.get(fileName)?.imports ?? []) visit(imported);
      };
      visit(entry.fileName);
      const gzipped = [...initial].reduce(
        (total, fileName) => total + gzipSync(chunks.get(fileName)?.code ?? '').length,
        0,
      );
      const summary = `initial JavaScript ${kib(gzipped)} gzip (budget ${kib(limitBytes)}) in ${[...initial].join(', ')}`;
      if (gzipped > limitBytes) this.error(`over budget: ${summary}`);
      this.info(summary);
    },
  };
}

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
