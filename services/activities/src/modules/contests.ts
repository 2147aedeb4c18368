/** Contests (the children's letter-writing contest as the model): entries, judging and results. */
import { GridFsAttachmentStore } from '@learning/attachments';
import { registerContestRoutes } from '../adapters/http/contests.js';
import {
  contestModel,
  entryModel,
  MongoContestRepository,
  MongoEntryRepository,
} from '../adapters/mongo/contests.js';
import { campaignModel, MongoCampaignDirectory } from '../adapters/mongo/campaigns.js';
import { createContest } from '../application/contests/create-contest.js';
import { submitEntry, uploadAttachment } from '../application/contests/entries.js';
import {
  assignAllJudges,
  assignEntryJudges,
  scoreContestEntry,
} from '../application/contests/judging.js';
import { closeContestEntries, setJudges } from '../application/contests/manage-contest.js';
import {
  getContest,
  listContests,
  listPublicContests,
} from '../application/contests/read-contests.js';
import {
  getEntry,
  getOwnEntry,
  listEntries,
  openEntryAttachment,
} from '../application/contests/read-entries.js';
import { publishContestResults, readPublishedResults } from '../application/contests/results.js';
import { CONTEST_ATTACHMENT_TOO_LARGE } from '../domain/contests.js';
import type { Module } from '../platform.js';

export const contestsModule: Module = (platform) => {
  const { mongo, logger, http, audit, clock } = platform;
  const { jurisdictions, organizations, departments, participants } = platform;
  const contestsModel = contestModel(mongo);
  const entriesModel = entryModel(mongo);
  platform.publishOutboxOf(contestsModel);
  platform.publishOutboxOf(entriesModel);

  const contests = new MongoContestRepository(contestsModel, logger);
  const entries = new MongoEntryRepository(entriesModel, logger);
  const attachments = new GridFsAttachmentStore(mongo, {
    bucket: 'contestAttachments',
    tooLargeCode: CONTEST_ATTACHMENT_TOO_LARGE,
    // The key contest files were stored under before the store was shared.
    attachedToKey: 'contestId',
  });
  const campaigns = new MongoCampaignDirectory(campaignModel(mongo));
  const manage = { contests, audit, clock };
  const entryDeps = { contests, entries, attachments, participants, audit, clock };
  const judging = { contests, entries, audit, clock };

  registerContestRoutes(http, {
    createContest: createContest({
      contests,
      jurisdictions,
      organizations,
      departments,
      campaigns,
      audit,
      clock,
    }),
    listContests: listContests({ contests }),
    listPublicContests: listPublicContests({ contests, jurisdictions, clock }),
    getContest: getContest({ contests }),
    setJudges: setJudges(manage),
    closeEntries: closeContestEntries(manage),
    uploadAttachment: uploadAttachment(entryDeps),
    submitEntry: submitEntry(entryDeps),
    getOwnEntry: getOwnEntry(entryDeps),
    listEntries: listEntries(entryDeps),
    getEntry: getEntry(entryDeps),
    openEntryAttachment: openEntryAttachment(entryDeps),
    assignAllJudges: assignAllJudges(judging),
    assignEntryJudges: assignEntryJudges(judging),
    scoreEntry: scoreContestEntry(judging),
    publishResults: publishContestResults(judging),
    readResults: readPublishedResults({ contests }),
  });
};
