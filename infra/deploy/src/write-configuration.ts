/** Writes docs/configuration.md from the services' config schemas. */
import { writeFileSync } from 'node:fs';
import { renderConfigurationReference } from './configuration.js';

const target = new URL('../../../docs/configuration.md', import.meta.url);
writeFileSync(target, renderConfigurationReference());
process.stdout.write(`wrote ${target.pathname}\n`);
