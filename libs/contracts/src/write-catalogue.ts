/** Writes docs/events.md from the code (`pnpm --filter @learning/contracts docs`). */
import { writeFileSync } from 'node:fs';
import { renderEventCatalogue } from './catalogue.js';

const target = new URL('../../../docs/events.md', import.meta.url);
writeFileSync(target, renderEventCatalogue());
process.stdout.write(`wrote ${target.pathname}\n`);
