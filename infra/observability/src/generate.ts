/** Writes the dashboards and the PrometheusRule (index.ts says what and where). */
import { writeFileSync } from 'node:fs';
import { generatedFiles, root } from './index.js';

for (const [path, content] of await generatedFiles()) {
  writeFileSync(`${root}${path}`, content);
  process.stdout.write(`wrote ${path}\n`);
}
