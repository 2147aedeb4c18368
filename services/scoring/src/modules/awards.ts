/** The annual awards: rounds, nominations with gathered evidence, expert review with recusal, approval against funding lines, publication. */
import { publicMaxAgeSeconds } from '@learning/http';
import { registerAwardsRoutes } from '../adapters/http/awards.js';
import { MongoAssessmentSummaries } from '../adapters/mongo/assessment-summaries.js';
import { awardModel, awardRoundModel, nominationModel } from '../adapters/mongo/awards-models.js';
import { MongoAwardsStore } from '../adapters/mongo/awards-store.js';
import { assessmentModel, fundingLineModel } from '../adapters/mongo/evaluation-models.js';
import { MongoFundingCommitments } from '../adapters/mongo/funding-commitments.js';
import { MongoFundingLines } from '../adapters/mongo/funding-store.js';
import { ledgerEntryModel } from '../adapters/mongo/ledger.js';
import { MongoPersonYears } from '../adapters/mongo/person-years.js';
import { RegistrationNomineeDirectory } from '../adapters/registration/nominee-directory.js';
import { approveNominations } from '../application/awards/approve.js';
import type { AwardsDeps } from '../application/awards/deps.js';
import { nominate } from '../application/awards/nominate.js';
import { publicAwards, publishRound } from '../application/awards/publish.js';
import {
  declareRecusal,
  listNominations,
  reviewNomination,
} from '../application/awards/reviews.js';
import { createRound, getRound, listRounds } from '../application/awards/rounds.js';
import { publicPagesOf } from './public-pages.js';
import type { Module } from '../platform.js';

export const awardsModule: Module = (platform) => {
  const { mongo, config, http, audit, clock } = platform;
  const rounds = awardRoundModel(mongo);
  const awards = awardModel(mongo);
  // Rounds carry the office's audit records; awards their AwardGranted events and audit records.
  platform.publishOutboxOf(rounds);
  platform.publishOutboxOf(awards);
  const store = new MongoAwardsStore(rounds, nominationModel(mongo), awards);
  const fundingLines = fundingLineModel(mongo);
  const publicPages = publicPagesOf(platform, 'awards');
  const deps: AwardsDeps = {
    store,
    directory: new RegistrationNomineeDirectory(platform.organizations, platform.participants),
    personYears: new MongoPersonYears(ledgerEntryModel(mongo)),
    assessments: new MongoAssessmentSummaries(assessmentModel(mongo)),
    funding: new MongoFundingCommitments(fundingLines, clock),
    fundingLines: new MongoFundingLines(fundingLines),
    publicPages,
    audit,
    clock,
  };
  registerAwardsRoutes(http, {
    createRound: createRound(deps),
    getRound: getRound(store),
    listRounds: listRounds(store),
    nominate: nominate(deps),
    listNominations: listNominations(deps),
    reviewNomination: reviewNomination(deps),
    declareRecusal: declareRecusal(deps),
    approveNominations: approveNominations(deps),
    publishRound: publishRound(deps),
    publicAwards: publicAwards(store),
    publicPages,
    publicMaxAgeSeconds: publicMaxAgeSeconds(config.PUBLIC_CACHE_TTL_MS),
  });
};
