import * as auth from '@learning/auth';
import { platformErrors } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import * as http from '../../src/index.js';

/** The error codes a module exports as constants: `NAME = 'NAME'`. */
const exportedCodes = (module: Record<string, unknown>): string[] =>
  Object.entries(module)
    .filter(([name, value]) => name === value && /^[A-Z][A-Z0-9_]+$/.test(name))
    .map(([name]) => name);

describe('the codes the shared libraries give', () => {
  it.each([
    ['@learning/http', exportedCodes(http)],
    ['@learning/auth', exportedCodes(auth)],
  ])('when %s exports a code, then the platform catalogue defines it', (_library, codes) => {
    expect(codes.length).toBeGreaterThan(3);
    expect(codes.filter((code) => !platformErrors.has(code))).toEqual([]);
  });
});
