/** The expert pool: people registration knows, their profiles, availability and sessions. */
import { createPiiVault } from '@learning/pii';
import { registerExpertDirectoryService } from '../adapters/grpc/expert-directory-service.js';
import { registerExpertRoutes } from '../adapters/http/experts.js';
import { MongoExpertRepository, MongoSpeakerSessions } from '../adapters/mongo/expert-store.js';
import { expertModel } from '../adapters/mongo/experts.js';
import { sessionModel } from '../adapters/mongo/sessions.js';
import {
  addExpert,
  changeExpert,
  changeOwnExpert,
  reactivateExpert,
  retireExpert,
} from '../application/experts/manage-experts.js';
import {
  expertSessions,
  getExpert,
  getOwnExpert,
  getPublicExpert,
  listExperts,
  listPublicExperts,
} from '../application/experts/read-experts.js';
import type { Platform, Module } from '../platform.js';

export const expertsModule: Module = (platform: Platform) => {
  const { mongo, logger, http, grpc, audit, clock, participants, piiKeys } = platform;
  const documents = expertModel(mongo);
  // The outbox carries the audit records of the office's and experts' changes.
  platform.publishOutboxOf(documents);
  const experts = new MongoExpertRepository(documents);
  const sessions = new MongoSpeakerSessions(sessionModel(mongo), logger);
  const vault = createPiiVault(piiKeys);
  const deps = { experts, participants, vault, audit, clock };

  registerExpertRoutes(
    http,
    {
      addExpert: addExpert(deps),
      changeExpert: changeExpert(deps),
      changeOwnExpert: changeOwnExpert(deps),
      retireExpert: retireExpert(deps),
      reactivateExpert: reactivateExpert(deps),
      getExpert: getExpert(deps),
      getOwnExpert: getOwnExpert(deps),
      listExperts: listExperts(deps),
      listPublicExperts: listPublicExperts(deps),
      getPublicExpert: getPublicExpert(deps),
      expertSessions: expertSessions({ experts, sessions }),
    },
    vault,
  );
  registerExpertDirectoryService(grpc, experts);
};
