import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { isJurisdictionCode, isUuid, JurisdictionCode, Uuid } from '../../src/index.js';

const SERVICES = fileURLToPath(new URL('../../../../services/', import.meta.url));

/** Every TypeScript source file of every service, by path. */
function serviceSources(): Map<string, string> {
  const sources = new Map<string, string>();
  for (const service of readdirSync(SERVICES)) {
    const src = join(SERVICES, service, 'src');
    let entries: string[];
    try {
      entries = readdirSync(src, { recursive: true, encoding: 'utf8' });
    } catch {
      continue;
    }
    for (const entry of entries.filter((name) => name.endsWith('.ts')))
      sources.set(join(service, 'src', entry), readFileSync(join(src, entry), 'utf8'));
  }
  return sources;
}

describe('shared schemas', () => {
  it('when ids and codes are checked, then only lower-case UUIDs and 12-digit codes pass', () => {
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect([isUuid(id), isUuid(id.toUpperCase()), isUuid(`${id}x`)]).toEqual([true, false, false]);
    expect(Value.Check(Uuid, id)).toBe(true);
    expect([isJurisdictionCode('330281001000'), isJurisdictionCode('330281')]).toEqual([
      true,
      false,
    ]);
    expect(Value.Check(JurisdictionCode, '33028100100a')).toBe(false);
  });

  it.each([
    ['the UUID pattern', /\[0-9a-f\]\{8\}-/],
    ['the jurisdiction code pattern', /\\d\{12\}/],
    ['a default page size', /DEFAULT_PAGE_SIZE\s*=|Type\.Integer\([^)]*default:\s*50\s*[,}]/],
    ['a role list of officers', /\[\s*'city_admin',\s*'department_officer',\s*'area_officer'/],
  ])('when the services are read, then none defines %s of its own', (_what, copy) => {
    const copies = [...serviceSources()]
      .filter(([, text]) => copy.test(text))
      .map(([path]) => path);

    expect(copies).toEqual([]);
  });
});
