/**
 * The port the jurisdiction use cases store the tree through. Jurisdictions
 * are reference data every authenticated person may read, so the port takes
 * no caller scope; the adapter decides how that is expressed in storage.
 */
import type { JurisdictionLevel, JurisdictionNode } from '../domain/jurisdictions.js';

export interface StoredJurisdiction extends JurisdictionNode {
  /** Codes from the city down to this node itself. */
  readonly path: string[];
  /** Incremented by every change; 1 when first imported. */
  readonly version: number;
}

/** One node to write: new (`expectedVersion` null) or a change to the stored version given. */
export interface JurisdictionWrite {
  readonly node: JurisdictionNode;
  readonly path: string[];
  readonly expectedVersion: number | null;
}

export interface DescendantsQuery {
  readonly ancestorCode: string;
  readonly level?: JurisdictionLevel;
  readonly pageSize: number;
  /** The previous page's `nextPageToken`, unchanged. */
  readonly pageToken?: string;
}

export interface JurisdictionPage {
  /** In code order. */
  readonly items: StoredJurisdiction[];
  /** Null on the last page. */
  readonly nextPageToken: string | null;
}

export interface JurisdictionRepository {
  /** Every stored node: a city's tree is a few thousand nodes, read once per import. */
  listAll(): Promise<StoredJurisdiction[]>;
  /** The stored nodes among `codes`, in no particular order; unknown codes are left out. */
  findByCodes(codes: readonly string[]): Promise<StoredJurisdiction[]>;
  /**
   * Applies the writes as one batch. A change whose node is no longer at its
   * expected version (a concurrent import) fails with an `aborted` AppError.
   */
  saveAll(writes: readonly JurisdictionWrite[]): Promise<void>;
  /** The nodes strictly below `ancestorCode`, optionally of one level. */
  descendants(query: DescendantsQuery): Promise<JurisdictionPage>;
  /**
   * Every node strictly below `ancestorCode` (only of `levels` when any are
   * given), in code order, in batches of `batchSize`, read by one query: for
   * streaming a whole subtree to another service.
   */
  streamDescendants(
    ancestorCode: string,
    levels: readonly JurisdictionLevel[],
    batchSize: number,
  ): AsyncIterable<StoredJurisdiction[]>;
}
