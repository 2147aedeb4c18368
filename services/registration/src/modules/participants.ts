/**
 * Participants: self-service registration, claims and corrections, officers' lookups and claim
 * codes, the directory for services.
 */
import { randomUUID } from 'node:crypto';
import { Scope } from '@learning/auth';
import { registerParticipantDirectory } from '../adapters/grpc/participant-directory.js';
import { registerIdentityAccessRoutes } from '../adapters/http/identity-access.js';
import { registerParticipantRoutes } from '../adapters/http/participants.js';
import { jurisdictionModel, MongoJurisdictionRepository } from '../adapters/mongo/jurisdictions.js';
import { membershipModel, MongoMembershipRepository } from '../adapters/mongo/memberships.js';
import {
  MongoAudienceSource,
  MongoParticipantRepository,
  participantModel,
} from '../adapters/mongo/participants.js';
import {
  getContacts,
  getCurrentOrganizations,
  getDirectoryParticipants,
  getDirectoryParticipantsByAccount,
  resolveAudience,
  countAudience,
} from '../application/participants/directory.js';
import { claimParticipant, issueClaimCode } from '../application/participants/claim-participant.js';
import { getParticipant, searchParticipants } from '../application/participants/officer-reads.js';
import { ownDataAccessLog, revealIdentity } from '../application/participants/identity-access.js';
import {
  correctOwnParticipant,
  getOwnParticipant,
} from '../application/participants/own-participant.js';
import { registerFor, registerSelf } from '../application/participants/register-participant.js';
import { correctParticipant } from '../application/participants/correct-participant.js';
import type { Module, Platform } from '../platform.js';

export const participantsModule: Module = (platform: Platform) => {
  const { mongo, logger, pii, audit, clock } = platform;
  const model = participantModel(mongo);
  // The relay touches only the outbox fields; the string _id is irrelevant to it.
  platform.publishOutboxOf(model);
  const participants = new MongoParticipantRepository(model, logger);
  const jurisdictions = new MongoJurisdictionRepository(jurisdictionModel(mongo), logger);
  // Read only (the organizations module publishes the memberships' outbox).
  const memberships = new MongoMembershipRepository(membershipModel(mongo), logger);
  const audience = new MongoAudienceSource(mongo, Scope.system('audience resolution'));
  const writes = { participants, jurisdictions, pii, audit, clock };
  const claims = {
    participants,
    claims: participants,
    pii,
    audit,
    clock,
    claimCodeValidityDays: platform.config.PARTICIPANT_CLAIM_CODE_VALIDITY_DAYS,
  };

  registerParticipantRoutes(platform.http, {
    registerSelf: registerSelf({ ...writes, newId: randomUUID }),
    registerFor: registerFor({ ...writes, newId: randomUUID }),
    getOwnParticipant: getOwnParticipant({ participants }),
    correctOwnParticipant: correctOwnParticipant(writes),
    searchParticipants: searchParticipants({ participants, pii, clock }),
    getParticipant: getParticipant({ participants }),
    correctParticipant: correctParticipant(writes),
    issueClaimCode: issueClaimCode(claims),
    claimParticipant: claimParticipant(claims),
    pii,
  });
  registerIdentityAccessRoutes(platform.http, {
    revealIdentity: revealIdentity({ participants, pii, audit }),
    ownDataAccessLog: ownDataAccessLog({ participants, auditLog: platform.auditLog }),
  });
  registerParticipantDirectory(platform.grpc, {
    getDirectoryParticipants: getDirectoryParticipants({ participants }),
    getDirectoryParticipantsByAccount: getDirectoryParticipantsByAccount({ participants }),
    getContacts: getContacts({ participants, pii }),
    getCurrentOrganizations: getCurrentOrganizations({ memberships }),
    resolveAudience: resolveAudience({ audience }),
    countAudience: countAudience({ audience }),
  });
};
