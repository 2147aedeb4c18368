/** One jurisdiction by code, with its ancestors from the city down, for any signed-in person. */
import type { JurisdictionLevel } from '../domain/jurisdictions.js';
import { jurisdictionNotFound } from './errors.js';
import type { JurisdictionRepository, StoredJurisdiction } from './jurisdiction-repository.js';

export interface AncestorView {
  readonly code: string;
  readonly name: string;
  readonly level: JurisdictionLevel;
}

export interface JurisdictionView extends StoredJurisdiction {
  /** From the city down to the parent; empty for the city. */
  readonly ancestors: AncestorView[];
}

export interface GetJurisdictionDeps {
  readonly jurisdictions: JurisdictionRepository;
}

export function getJurisdiction(deps: GetJurisdictionDeps) {
  return async (code: string): Promise<JurisdictionView> => {
    const [node] = await deps.jurisdictions.findByCodes([code]);
    if (node === undefined) throw jurisdictionNotFound();
    const ancestorCodes = node.path.slice(0, -1);
    const found = new Map(
      (await deps.jurisdictions.findByCodes(ancestorCodes)).map((stored) => [stored.code, stored]),
    );
    const ancestors = ancestorCodes.map((ancestorCode) => {
      const ancestor = found.get(ancestorCode);
      // Imports write whole trees, so a missing ancestor means the store was changed by hand.
      if (ancestor === undefined)
        throw new Error(
          `Jurisdiction ${code} names ancestor ${ancestorCode}, which is not stored.`,
        );
      return { code: ancestor.code, name: ancestor.name, level: ancestor.level };
    });
    return { ...node, ancestors };
  };
}

export type GetJurisdiction = ReturnType<typeof getJurisdiction>;
