import { describe, expect, it } from 'vitest';
import { entryBudget } from '../../build/entry-budget.js';

/** A bundle as rolldown hands it to generateBundle: an entry, what it imports, and a lazy page. */
function bundleOf(entryCode: string) {
  const chunk = (fileName: string, code: string, isEntry: boolean, imports: string[] = []) => ({
    type: 'chunk' as const,
    fileName,
    code,
    isEntry,
    imports,
  });
  return {
    'index.js': chunk('index.js', entryCode, true, ['vendor.js']),
    'vendor.js': chunk('vendor.js', 'export const v = 1;', false),
    'Page.js': chunk('Page.js', 'x'.repeat(100_000), false),
  };
}

function run(limitBytes: number, entryCode: string) {
  const plugin = entryBudget(limitBytes);
  const errors: string[] = [];
  const infos: string[] = [];
  const context = {
    error: (message: string) => {
      errors.push(message);
      throw new Error(message);
    },
    info: (message: string) => infos.push(message),
  };
  const hook = plugin.generateBundle as (this: unknown, options: unknown, bundle: unknown) => void;
  try {
    hook.call(context, {}, bundleOf(entryCode));
  } catch {
    // The error is recorded above.
  }
  return { errors, infos };
}

describe('the entry budget', () => {
  it('when the entry and its static imports fit, then the build goes on and says how much they weigh', () => {
    const { errors, infos } = run(1024, 'console.log("portal")');
    expect(errors).toEqual([]);
    expect(infos[0]).toMatch(/initial JavaScript .* in index\.js, vendor\.js$/);
  });

  it('when the entry is over budget, then the build fails naming it; a lazy page does not count', () => {
    const random = Array.from({ length: 4000 }, (_, i) => ((i * 7919) % 65_521).toString(36)).join(
      '',
    );
    const { errors } = run(1024, random);
    expect(errors[0]).toMatch(/^over budget/);
    expect(errors[0]).not.toContain('Page.js');
  });
});
