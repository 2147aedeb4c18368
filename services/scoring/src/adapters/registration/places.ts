/** Places by code from registration's jurisdiction directory (cached there per node). */
import type { Jurisdictions } from '@learning/registration-client';
import type { Place, Places } from '../../application/funding/ports.js';

export class DirectoryPlaces implements Places {
  constructor(private readonly jurisdictions: Jurisdictions) {}

  async find(codes: readonly string[]): Promise<ReadonlyMap<string, Place>> {
    if (codes.length === 0) return new Map();
    const found = await this.jurisdictions.find([...new Set(codes)]);
    return new Map(
      [...found].map(([code, node]) => [code, { code, name: node.name, path: node.path }]),
    );
  }
}
