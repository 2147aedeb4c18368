/**
 * The city admin imports the whole jurisdiction tree. Importing the same tree
 * again writes nothing; a renamed or moved node is updated; a stored node the
 * list leaves out is kept (people, organizations and scopes may refer to it)
 * and reported, so the admin can see what the source no longer has.
 */
import { buildJurisdictionTree, pathOf, type JurisdictionNode } from '../domain/jurisdictions.js';
import { domainCall } from './errors.js';
import type {
  JurisdictionRepository,
  JurisdictionWrite,
  StoredJurisdiction,
} from './jurisdiction-repository.js';

/** Enough kept codes for a person to act on; the count says how many there are in all. */
export const KEPT_CODES_SHOWN = 100;

export interface ImportJurisdictionsResult {
  /** Listed nodes that were not stored before. */
  readonly created: number;
  /** Stored nodes whose name, level, parent or path changed (a kept node moves with its ancestors). */
  readonly updated: number;
  /** Listed nodes already stored exactly so. */
  readonly unchanged: number;
  /** Stored nodes the list left out: kept, not deleted. */
  readonly kept: { readonly count: number; readonly codes: string[] };
}

export interface ImportJurisdictionsDeps {
  readonly jurisdictions: JurisdictionRepository;
}

const nodeOf = (stored: StoredJurisdiction): JurisdictionNode => ({
  code: stored.code,
  name: stored.name,
  level: stored.level,
  parentCode: stored.parentCode,
});

const samePath = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((code, index) => code === b[index]);

const isUnchanged = (
  stored: StoredJurisdiction,
  node: JurisdictionNode,
  path: readonly string[],
): boolean =>
  stored.name === node.name &&
  stored.level === node.level &&
  stored.parentCode === node.parentCode &&
  samePath(stored.path, path);

export function importJurisdictions(deps: ImportJurisdictionsDeps) {
  return async (items: readonly JurisdictionNode[]): Promise<ImportJurisdictionsResult> => {
    // The list alone must be a whole tree: an import is never a fragment.
    domainCall(() => buildJurisdictionTree(items), items.length);

    const stored = await deps.jurisdictions.listAll();
    const listed = new Set(items.map((node) => node.code));
    const kept = stored.filter((node) => !listed.has(node.code));
    // With the kept nodes hanging where they were, the result must still be one valid tree.
    const merged = [...items, ...kept.map(nodeOf)];
    const tree = domainCall(() => buildJurisdictionTree(merged), items.length);

    const storedByCode = new Map(stored.map((node) => [node.code, node]));
    const writes: JurisdictionWrite[] = [];
    let created = 0;
    let unchanged = 0;
    for (const node of merged) {
      const path = pathOf(tree, node.code);
      const before = storedByCode.get(node.code);
      if (before === undefined) {
        created += 1;
        writes.push({ node, path, expectedVersion: null });
      } else if (!isUnchanged(before, node, path)) {
        writes.push({ node, path, expectedVersion: before.version });
      } else if (listed.has(node.code)) {
        unchanged += 1;
      }
    }
    if (writes.length > 0) await deps.jurisdictions.saveAll(writes);

    return {
      created,
      updated: writes.length - created,
      unchanged,
      kept: {
        count: kept.length,
        codes: kept
          .map((node) => node.code)
          .sort()
          .slice(0, KEPT_CODES_SHOWN),
      },
    };
  };
}

export type ImportJurisdictions = ReturnType<typeof importJurisdictions>;
