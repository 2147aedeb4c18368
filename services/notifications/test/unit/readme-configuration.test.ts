/**
 * The README's "Configuration" section explains every variable the service's
 * own schema adds to the shared ones, and names no variable the schema lacks.
 */
import { readFileSync } from 'node:fs';
import { serviceEnv } from '@learning/runtime';
import { describe, expect, it } from 'vitest';
import { notificationsEnv } from '../../src/config.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const configuration = /^## Configuration\n([\s\S]*?)(?=^## |$(?![\s\S]))/m.exec(readme)?.[1] ?? '';
/** Variables a table row of the section starts with: | `NAME` | default | what |. */
const documented = [...configuration.matchAll(/^\| `([A-Z][A-Z0-9_]*)`/gm)].map(
  ([, name = '']) => name,
);
const own = Object.keys(notificationsEnv.properties).filter((name) => !(name in serviceEnv));

describe('the README’s configuration section', () => {
  it('when the schema adds a variable, then the section has a row explaining it', () => {
    expect(own.length).toBeGreaterThan(0);
    expect([...documented].sort()).toEqual(expect.arrayContaining(own));
  });

  it('when the section has a row, then it names a variable of the schema, once', () => {
    for (const name of documented) expect(notificationsEnv.properties).toHaveProperty(name);
    expect(new Set(documented).size).toBe(documented.length);
  });
});
