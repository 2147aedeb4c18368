/** The jurisdiction tree: import, lookups, subtrees, and the directory other services ask over gRPC. */
import { registerJurisdictionDirectory } from '../adapters/grpc/jurisdiction-directory.js';
import { registerJurisdictionRoutes } from '../adapters/http/jurisdictions.js';
import { jurisdictionModel, MongoJurisdictionRepository } from '../adapters/mongo/jurisdictions.js';
import { getJurisdiction } from '../application/get-jurisdiction.js';
import { importJurisdictions } from '../application/import-jurisdictions.js';
import { listSubtree } from '../application/list-subtree.js';
import type { Module } from '../platform.js';

export const jurisdictionsModule: Module = ({ mongo, logger, http, grpc }) => {
  const jurisdictions = new MongoJurisdictionRepository(jurisdictionModel(mongo), logger);
  registerJurisdictionRoutes(http, {
    importJurisdictions: importJurisdictions({ jurisdictions }),
    getJurisdiction: getJurisdiction({ jurisdictions }),
    listSubtree: listSubtree({ jurisdictions }),
  });
  registerJurisdictionDirectory(grpc, jurisdictions);
};
