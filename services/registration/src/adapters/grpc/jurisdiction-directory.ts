/** learning.registration.v1.JurisdictionDirectoryService: the tree for services that place things in it. */
import { jurisdictionLevelMapping } from '@learning/contracts';
import type { GrpcServer } from '@learning/grpc';
import { registration, type common } from '@learning/proto';
import type { JurisdictionLevel } from '../../domain/jurisdictions.js';
import { jurisdictionNotFound, jurisdictionQueryInvalid } from '../../application/errors.js';
import type {
  JurisdictionRepository,
  StoredJurisdiction,
} from '../../application/jurisdiction-repository.js';

/** The most codes one GetJurisdictions call may ask for. */
export const MAX_CODES = 1_000;
/** Nodes per streamed page. */
const PAGE_SIZE = 500;

const toProto = (node: StoredJurisdiction): registration.Jurisdiction => ({
  ref: {
    code: node.code,
    level: jurisdictionLevelMapping.toProto(node.level),
    // The contract's path is the ancestors only; ours ends with the node itself.
    path: node.path.slice(0, -1),
  },
  name: node.name,
});

function levelsOf(levels: readonly common.JurisdictionLevel[]): JurisdictionLevel[] {
  return levels.map((level) => {
    const mapped = jurisdictionLevelMapping.fromProto(level);
    if (mapped === undefined)
      throw jurisdictionQueryInvalid('The levels asked for hold an unspecified or unknown value.', {
        field: '/levels',
        message: 'holds an unspecified or unknown value',
      });
    return mapped;
  });
}

export function registerJurisdictionDirectory(
  grpc: GrpcServer,
  jurisdictions: JurisdictionRepository,
): void {
  grpc.addService(registration.JurisdictionDirectoryServiceService, {
    async getJurisdictions(request) {
      if (request.codes.length > MAX_CODES)
        throw jurisdictionQueryInvalid(`Ask for at most ${MAX_CODES} codes at a time.`, {
          field: '/codes',
          message: `more than ${MAX_CODES} codes`,
        });
      const found = await jurisdictions.findByCodes([...new Set(request.codes)]);
      return { jurisdictions: found.map(toProto) };
    },
    async streamSubtree(request, call) {
      const levels = levelsOf(request.levels);
      const [root] = await jurisdictions.findByCodes([request.rootCode]);
      if (root === undefined) throw jurisdictionNotFound();
      if (levels.length === 0 || levels.includes(root.level))
        await call.send({ jurisdictions: [toProto(root)] });
      // One query for the whole subtree: a city's few thousand nodes, sent as they are read.
      for await (const batch of jurisdictions.streamDescendants(root.code, levels, PAGE_SIZE)) {
        if (call.signal.aborted) return;
        await call.send({ jurisdictions: batch.map(toProto) });
      }
    },
  });
}
