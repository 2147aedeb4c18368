import { describe, expect, it } from 'vitest';
import { jurisdictionTree } from '../../src/factories.js';

describe('jurisdictionTree', () => {
  it('when a tree is made, then it has one city, the townships and their villages, each with its ancestor path', () => {
    const nodes = jurisdictionTree({ townships: 3, villagesPerTownship: 4 });
    expect(nodes).toHaveLength(1 + 3 + 3 * 4);
    expect(nodes.filter((node) => node.level === 'city')).toHaveLength(1);
    const village = nodes.find((node) => node.code === '330281002004');
    expect(village).toMatchObject({
      level: 'village',
      path: ['330281000000', '330281002000', '330281002004'],
    });
    expect(new Set(nodes.map((node) => node.code)).size).toBe(nodes.length);
    for (const node of nodes) expect(node.path.at(-1)).toBe(node.code);
  });

  it('when a level would overflow its three digits, then the tree is refused', () => {
    expect(() => jurisdictionTree({ townships: 1000, villagesPerTownship: 1 })).toThrow(
      /at most 999/,
    );
  });
});
