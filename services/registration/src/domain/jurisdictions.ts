/**
 * The jurisdiction tree: city → townships / streets (乡镇/街道) → villages /
 * residential communities (村/居). A node's path (codes from the city down to
 * the node itself) is what scopes officers and audiences.
 */
import { DomainError, type JurisdictionLevel } from '@learning/domain';

export { isWithin } from '@learning/domain';

export { JURISDICTION_LEVELS, type JurisdictionLevel } from '@learning/domain';

export interface JurisdictionNode {
  readonly code: string;
  readonly name: string;
  readonly level: JurisdictionLevel;
  /** null only for the city. */
  readonly parentCode: string | null;
}

export interface JurisdictionTree {
  readonly root: JurisdictionNode;
  readonly nodes: ReadonlyMap<string, JurisdictionNode>;
  /** Each node's children, in input order. */
  readonly children: ReadonlyMap<string, readonly JurisdictionNode[]>;
}

export const JURISDICTION_DUPLICATE_CODE = 'JURISDICTION_DUPLICATE_CODE';
export const JURISDICTION_UNKNOWN_PARENT = 'JURISDICTION_UNKNOWN_PARENT';
export const JURISDICTION_CYCLE = 'JURISDICTION_CYCLE';
export const JURISDICTION_ROOT = 'JURISDICTION_ROOT';
export const JURISDICTION_PARENT_LEVEL = 'JURISDICTION_PARENT_LEVEL';
export const JURISDICTION_UNKNOWN_CODE = 'JURISDICTION_UNKNOWN_CODE';

/** Which levels a node of each level may hang under. */
const PARENT_LEVELS: Readonly<Record<JurisdictionLevel, readonly JurisdictionLevel[]>> = {
  city: [],
  township: ['city'],
  street: ['city'],
  village: ['township', 'street'],
  community: ['township', 'street'],
};

/**
 * A tree the builder refused, naming the list entry and field at fault (when
 * one is) so an import can point the person at the line to fix.
 */
export class JurisdictionTreeError extends DomainError {
  constructor(
    code: string,
    message: string,
    readonly at?: { readonly index: number; readonly field: 'code' | 'parentCode' | 'level' },
  ) {
    super('invalid_argument', code, message);
  }
}

const invalid = (code: string, message: string): DomainError =>
  new DomainError('invalid_argument', code, message);

/**
 * Builds the tree from a flat list (the whole-tree import), rejecting the
 * first problem found. Cycles are checked before levels so a loop is reported
 * as a loop rather than as whichever level mismatch it happens to contain.
 */
export function buildJurisdictionTree(list: readonly JurisdictionNode[]): JurisdictionTree {
  const nodes = new Map<string, JurisdictionNode>();
  for (const [index, node] of list.entries()) {
    if (nodes.has(node.code)) {
      throw new JurisdictionTreeError(
        JURISDICTION_DUPLICATE_CODE,
        `Jurisdiction code ${node.code} appears twice.`,
        { index, field: 'code' },
      );
    }
    nodes.set(node.code, node);
  }

  const children = new Map<string, JurisdictionNode[]>(list.map((node) => [node.code, []]));
  for (const [index, node] of list.entries()) {
    if (node.parentCode === null) continue;
    const siblings = children.get(node.parentCode);
    if (siblings === undefined) {
      throw new JurisdictionTreeError(
        JURISDICTION_UNKNOWN_PARENT,
        `Jurisdiction ${node.code} names parent ${node.parentCode}, which is not in the list.`,
        { index, field: 'parentCode' },
      );
    }
    siblings.push(node);
  }

  for (const [index, node] of list.entries()) assertNoCycle(node, index, nodes);

  const roots = list.filter((node) => node.parentCode === null);
  const [root] = roots;
  if (root === undefined || roots.length > 1 || root.level !== 'city') {
    throw new JurisdictionTreeError(
      JURISDICTION_ROOT,
      `The tree needs exactly one root and it must be the city; found ${roots.length} root(s).`,
    );
  }

  for (const [index, node] of list.entries()) {
    if (node.parentCode === null) continue;
    const parent = nodes.get(node.parentCode);
    if (parent !== undefined && !PARENT_LEVELS[node.level].includes(parent.level)) {
      throw new JurisdictionTreeError(
        JURISDICTION_PARENT_LEVEL,
        `A ${node.level} (${node.code}) cannot sit under a ${parent.level} (${parent.code}).`,
        { index, field: 'level' },
      );
    }
  }

  return { root, nodes, children };
}

function assertNoCycle(
  start: JurisdictionNode,
  index: number,
  nodes: ReadonlyMap<string, JurisdictionNode>,
) {
  const seen = new Set<string>();
  for (let node: JurisdictionNode | undefined = start; node !== undefined;) {
    if (seen.has(node.code)) {
      throw new JurisdictionTreeError(
        JURISDICTION_CYCLE,
        `Jurisdiction ${start.code} is its own ancestor.`,
        { index, field: 'parentCode' },
      );
    }
    seen.add(node.code);
    node = node.parentCode === null ? undefined : nodes.get(node.parentCode);
  }
}

function nodeOf(tree: JurisdictionTree, code: string): JurisdictionNode {
  const node = tree.nodes.get(code);
  if (node === undefined) {
    throw invalid(JURISDICTION_UNKNOWN_CODE, `There is no jurisdiction ${code}.`);
  }
  return node;
}

/** Ancestor codes from the city down to `code` itself. */
export function pathOf(tree: JurisdictionTree, code: string): string[] {
  const path: string[] = [];
  for (let node: JurisdictionNode | undefined = nodeOf(tree, code); node !== undefined;) {
    path.push(node.code);
    node = node.parentCode === null ? undefined : tree.nodes.get(node.parentCode);
  }
  return path.reverse();
}

/** The node and everything under it, parents before children (depth-first, input order). */
export function subtreeOf(tree: JurisdictionTree, code: string): JurisdictionNode[] {
  const result: JurisdictionNode[] = [];
  const pending = [nodeOf(tree, code)];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    result.push(node);
    // Pushed in reverse so the first child is visited next.
    pending.push(...(tree.children.get(node.code) ?? []).toReversed());
  }
  return result;
}
