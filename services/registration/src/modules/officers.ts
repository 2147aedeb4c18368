/** The officer directory: officers' own duty contacts, and who to tell for a place or department. */
import { registerOfficerDirectory } from '../adapters/grpc/officer-directory.js';
import { registerOfficerRoutes } from '../adapters/http/officers.js';
import { jurisdictionModel, MongoJurisdictionRepository } from '../adapters/mongo/jurisdictions.js';
import { MongoOfficerRepository, officerModel } from '../adapters/mongo/officers.js';
import { findOfficers } from '../application/officers/find-officers.js';
import { listOfficers } from '../application/officers/list-officers.js';
import {
  getOwnOfficer,
  putOwnOfficer,
  removeOwnOfficer,
} from '../application/officers/own-officer.js';
import type { Module } from '../platform.js';

export const officersModule: Module = (platform) => {
  const { mongo, logger, pii, clock } = platform;
  const officers = new MongoOfficerRepository(officerModel(mongo));
  const jurisdictions = new MongoJurisdictionRepository(jurisdictionModel(mongo), logger);
  registerOfficerRoutes(platform.http, {
    putOwn: putOwnOfficer({ officers, pii, clock }),
    getOwn: getOwnOfficer({ officers }),
    removeOwn: removeOwnOfficer({ officers }),
    list: listOfficers({ officers }),
  });
  registerOfficerDirectory(platform.grpc, findOfficers({ officers, jurisdictions, pii }));
};
