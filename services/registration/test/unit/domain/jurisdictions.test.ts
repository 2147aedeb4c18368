import { describe, expect, it } from 'vitest';
import { DomainError } from '@learning/domain';
import {
  buildJurisdictionTree,
  JurisdictionTreeError,
  isWithin,
  pathOf,
  subtreeOf,
  type JurisdictionNode,
} from '../../../src/domain/jurisdictions.js';

const city: JurisdictionNode = { code: 'C', name: '玉海市', level: 'city', parentCode: null };
const township: JurisdictionNode = {
  code: 'T1',
  name: '塘下镇',
  level: 'township',
  parentCode: 'C',
};
const street: JurisdictionNode = { code: 'S1', name: '安阳街道', level: 'street', parentCode: 'C' };
const village: JurisdictionNode = { code: 'V1', name: '东村', level: 'village', parentCode: 'T1' };
const village2: JurisdictionNode = { code: 'V2', name: '西村', level: 'village', parentCode: 'T1' };
const community: JurisdictionNode = {
  code: 'M1',
  name: '北门社区',
  level: 'community',
  parentCode: 'S1',
};
const all = [city, township, street, village, village2, community];

function codeOfFailure(nodes: readonly JurisdictionNode[]): string {
  try {
    buildJurisdictionTree(nodes);
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error('expected the tree to be refused');
}

describe('buildJurisdictionTree', () => {
  it('when an entry breaks a rule, then the error names its list index and field', () => {
    const failures = [
      [[city, city], { index: 1, field: 'code' }],
      [[city, { ...village, parentCode: 'T9' }], { index: 1, field: 'parentCode' }],
      [[city, { ...township, parentCode: 'T1' }], { index: 1, field: 'parentCode' }],
      [[city, { ...village, parentCode: 'C' }], { index: 1, field: 'level' }],
    ] as const;
    for (const [nodes, at] of failures) {
      let caught: unknown;
      try {
        buildJurisdictionTree(nodes);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(JurisdictionTreeError);
      expect((caught as JurisdictionTreeError).at).toEqual(at);
    }
  });

  it('when the list is a valid tree in any order, then the city is the root and children keep input order', () => {
    const tree = buildJurisdictionTree([village2, community, village, street, township, city]);
    expect(tree.root.code).toBe('C');
    expect(tree.nodes.size).toBe(6);
    expect(tree.children.get('T1')?.map((node) => node.code)).toEqual(['V2', 'V1']);
    expect(tree.children.get('V1')).toEqual([]);
  });

  it('when a code appears twice, then it is refused as a duplicate', () => {
    expect(codeOfFailure([...all, { ...village, name: 'again' }])).toBe(
      'JURISDICTION_DUPLICATE_CODE',
    );
  });

  it('when a node names a parent not in the list, then it is refused as an unknown parent', () => {
    expect(codeOfFailure([...all, { ...village, code: 'V9', parentCode: 'T9' }])).toBe(
      'JURISDICTION_UNKNOWN_PARENT',
    );
  });

  it('when nodes form a loop, then it is refused as a cycle', () => {
    const a: JurisdictionNode = { code: 'A', name: 'a', level: 'township', parentCode: 'B' };
    const b: JurisdictionNode = { code: 'B', name: 'b', level: 'village', parentCode: 'A' };
    expect(codeOfFailure([city, a, b])).toBe('JURISDICTION_CYCLE');
  });

  it('when a node is its own parent, then it is refused as a cycle', () => {
    expect(codeOfFailure([city, { ...township, parentCode: 'T1' }])).toBe('JURISDICTION_CYCLE');
  });

  it('when there is no root, two roots, or a root that is not a city, then the root is refused', () => {
    expect(codeOfFailure([])).toBe('JURISDICTION_ROOT');
    expect(codeOfFailure([city, { ...city, code: 'C2' }])).toBe('JURISDICTION_ROOT');
    expect(codeOfFailure([{ ...township, parentCode: null }])).toBe('JURISDICTION_ROOT');
  });

  it('when a level sits under the wrong level, then the parent level is refused', () => {
    expect(codeOfFailure([city, { ...village, parentCode: 'C' }])).toBe(
      'JURISDICTION_PARENT_LEVEL',
    );
    expect(codeOfFailure([city, township, { ...street, parentCode: 'T1' }])).toBe(
      'JURISDICTION_PARENT_LEVEL',
    );
    expect(codeOfFailure([...all, { ...village, code: 'V9', parentCode: 'V1' }])).toBe(
      'JURISDICTION_PARENT_LEVEL',
    );
    expect(codeOfFailure([city, { ...city, code: 'C2', parentCode: 'C' }])).toBe(
      'JURISDICTION_PARENT_LEVEL',
    );
  });

  it('when villages sit under a street and communities under a township, then both are accepted', () => {
    const tree = buildJurisdictionTree([
      city,
      township,
      street,
      { ...village, parentCode: 'S1' },
      { ...community, parentCode: 'T1' },
    ]);
    expect(pathOf(tree, 'V1')).toEqual(['C', 'S1', 'V1']);
    expect(pathOf(tree, 'M1')).toEqual(['C', 'T1', 'M1']);
  });

  it('when refused, then the error is an invalid-argument domain error with a message', () => {
    expect(() => buildJurisdictionTree([city, city])).toThrow(
      expect.objectContaining({
        kind: 'invalid_argument',
        message: 'Jurisdiction code C appears twice.',
      }),
    );
  });
});

describe('pathOf', () => {
  const tree = buildJurisdictionTree(all);

  it('when asked for a village, then the path runs city → township → village', () => {
    expect(pathOf(tree, 'V1')).toEqual(['C', 'T1', 'V1']);
  });

  it('when asked for the city, then the path is the city alone', () => {
    expect(pathOf(tree, 'C')).toEqual(['C']);
  });

  it('when the code is unknown, then it is refused', () => {
    expect(() => pathOf(tree, 'X')).toThrow(
      expect.objectContaining({ code: 'JURISDICTION_UNKNOWN_CODE' }),
    );
  });
});

describe('isWithin', () => {
  it('when a root is the node itself or an ancestor, then the node is within', () => {
    expect(isWithin(['C', 'T1', 'V1'], ['V1'])).toBe(true);
    expect(isWithin(['C', 'T1', 'V1'], ['S1', 'T1'])).toBe(true);
    expect(isWithin(['C', 'T1', 'V1'], ['C'])).toBe(true);
  });

  it('when no root is on the path, or there are no roots, then the node is outside', () => {
    expect(isWithin(['C', 'T1', 'V1'], ['S1', 'V2'])).toBe(false);
    expect(isWithin(['C', 'T1', 'V1'], [])).toBe(false);
  });
});

describe('subtreeOf', () => {
  const tree = buildJurisdictionTree(all);

  it('when asked for the city, then every node is listed parents first in input order', () => {
    expect(subtreeOf(tree, 'C').map((node) => node.code)).toEqual([
      'C',
      'T1',
      'V1',
      'V2',
      'S1',
      'M1',
    ]);
  });

  it('when asked for a township, then only it and its villages are listed', () => {
    expect(subtreeOf(tree, 'T1').map((node) => node.code)).toEqual(['T1', 'V1', 'V2']);
  });

  it('when asked for a leaf, then only the leaf is listed', () => {
    expect(subtreeOf(tree, 'M1')).toEqual([community]);
  });

  it('when the code is unknown, then it is refused', () => {
    expect(() => subtreeOf(tree, 'X')).toThrow(
      expect.objectContaining({ code: 'JURISDICTION_UNKNOWN_CODE' }),
    );
  });
});
