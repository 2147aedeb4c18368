/** An in-memory JurisdictionRepository for the use-case tests; the port is ours, so faking it is safe. */
import type {
  DescendantsQuery,
  JurisdictionPage,
  JurisdictionRepository,
  JurisdictionWrite,
  StoredJurisdiction,
} from '../../../src/application/jurisdiction-repository.js';
import type { JurisdictionLevel, JurisdictionNode } from '../../../src/domain/jurisdictions.js';
import { jurisdictionTree, type JurisdictionTreeOptions } from '@learning/testing';

export class FakeJurisdictionRepository implements JurisdictionRepository {
  readonly stored = new Map<string, StoredJurisdiction>();
  /** Each saveAll call's writes, to assert what an import wrote. */
  readonly batches: JurisdictionWrite[][] = [];

  async listAll(): Promise<StoredJurisdiction[]> {
    return [...this.stored.values()];
  }

  async findByCodes(codes: readonly string[]): Promise<StoredJurisdiction[]> {
    return codes.flatMap((code) => {
      const node = this.stored.get(code);
      return node === undefined ? [] : [node];
    });
  }

  async saveAll(writes: readonly JurisdictionWrite[]): Promise<void> {
    this.batches.push([...writes]);
    for (const { node, path, expectedVersion } of writes) {
      const version = expectedVersion === null ? 1 : expectedVersion + 1;
      this.stored.set(node.code, { ...node, path: [...path], version });
    }
  }

  async descendants(query: DescendantsQuery): Promise<JurisdictionPage> {
    const matching = [...this.stored.values()]
      .filter(
        (node) =>
          node.path.includes(query.ancestorCode) &&
          node.code !== query.ancestorCode &&
          (query.level === undefined || node.level === query.level) &&
          (query.pageToken === undefined || node.code > query.pageToken),
      )
      .sort((a, b) => a.code.localeCompare(b.code));
    const items = matching.slice(0, query.pageSize);
    const more = matching.length > query.pageSize;
    return { items, nextPageToken: more ? (items.at(-1)?.code ?? null) : null };
  }

  async *streamDescendants(
    ancestorCode: string,
    levels: readonly JurisdictionLevel[],
    batchSize: number,
  ): AsyncIterable<StoredJurisdiction[]> {
    const matching = [...this.stored.values()]
      .filter(
        (node) =>
          node.path.includes(ancestorCode) &&
          node.code !== ancestorCode &&
          (levels.length === 0 || levels.includes(node.level)),
      )
      .sort((a, b) => a.code.localeCompare(b.code));
    for (let first = 0; first < matching.length; first += batchSize)
      yield matching.slice(first, first + batchSize);
  }
}

/** The harness's tree as an import list: each node's parent is the second-last code of its path. */
export function importList(options: JurisdictionTreeOptions): JurisdictionNode[] {
  return jurisdictionTree(options).map(({ code, name, level, path }) => ({
    code,
    name,
    level,
    parentCode: path.at(-2) ?? null,
  }));
}
