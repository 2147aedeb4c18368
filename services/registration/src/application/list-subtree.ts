/** A jurisdiction's descendants, optionally of one level, a page at a time in code order. */
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '@learning/http';
import type { JurisdictionLevel } from '../domain/jurisdictions.js';
import { jurisdictionNotFound } from './errors.js';
import type { JurisdictionPage, JurisdictionRepository } from './jurisdiction-repository.js';

export interface ListSubtreeRequest {
  readonly code: string;
  readonly level?: JurisdictionLevel;
  readonly pageSize?: number;
  readonly pageToken?: string;
}

export interface ListSubtreeDeps {
  readonly jurisdictions: JurisdictionRepository;
}

export function listSubtree(deps: ListSubtreeDeps) {
  return async (request: ListSubtreeRequest): Promise<JurisdictionPage> => {
    // An unknown node is a 404, not an empty list: the caller most likely mistyped the code.
    const [node] = await deps.jurisdictions.findByCodes([request.code]);
    if (node === undefined) throw jurisdictionNotFound();
    const pageSize = Math.min(
      MAX_PAGE_SIZE,
      Math.max(1, Math.trunc(request.pageSize ?? DEFAULT_PAGE_SIZE)),
    );
    return deps.jurisdictions.descendants({
      ancestorCode: node.code,
      pageSize,
      ...(request.level === undefined ? {} : { level: request.level }),
      ...(request.pageToken === undefined ? {} : { pageToken: request.pageToken }),
    });
  };
}

export type ListSubtree = ReturnType<typeof listSubtree>;
