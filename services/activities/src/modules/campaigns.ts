/** Campaigns: the city's programmes, their yearly editions, launch and progress (lecture sessions included). */
import { lectureEvents } from '@learning/contracts';
import { consumerGroups, subscribe } from '@learning/events';
import { registerCampaignRoutes } from '../adapters/http/campaigns.js';
import {
  campaignModel,
  MongoCampaignActivityFigures,
  MongoCampaignRepository,
} from '../adapters/mongo/campaigns.js';
import {
  lectureSessionModel,
  MongoCampaignLectureFigures,
  MongoLectureSessionRepository,
} from '../adapters/mongo/lecture-sessions.js';
import { getCampaignProgress } from '../application/campaigns/campaign-progress.js';
import {
  lectureSessionChanges,
  recordLectureSessionChange,
} from '../application/campaigns/lecture-sessions.js';
import { changeCampaign } from '../application/campaigns/change-campaign.js';
import { closeCampaign } from '../application/campaigns/close-campaign.js';
import { createCampaign } from '../application/campaigns/create-campaign.js';
import { createNextEdition } from '../application/campaigns/create-next-edition.js';
import { launchCampaign } from '../application/campaigns/launch-campaign.js';
import { getCampaign, listCampaigns } from '../application/campaigns/read-campaigns.js';
import type { Module } from '../platform.js';

export const campaignsModule: Module = (platform) => {
  const { mongo, logger, http, audit, clock, jurisdictions, departments } = platform;
  const model = campaignModel(mongo);
  platform.publishOutboxOf(model);
  const campaigns = new MongoCampaignRepository(model, logger);
  const figures = new MongoCampaignActivityFigures(mongo);
  const sessions = lectureSessionModel(mongo);
  const lectures = new MongoCampaignLectureFigures(sessions);

  registerCampaignRoutes(http, {
    createCampaign: createCampaign({ campaigns, jurisdictions, departments, audit, clock }),
    changeCampaign: changeCampaign({ campaigns, jurisdictions, audit, clock }),
    launchCampaign: launchCampaign({ campaigns, audit, clock }),
    closeCampaign: closeCampaign({ campaigns, audit, clock }),
    createNextEdition: createNextEdition({ campaigns, audit, clock }),
    getCampaign: getCampaign({ campaigns }),
    listCampaigns: listCampaigns({ campaigns, jurisdictions }),
    getCampaignProgress: getCampaignProgress({ campaigns, jurisdictions, figures, lectures }),
  });

  // The lectures service's sessions, counted toward the campaigns they name.
  const record = recordLectureSessionChange({
    sessions: new MongoLectureSessionRepository(sessions),
  });
  platform.consume(
    consumerGroups.activitiesLectureSessions,
    subscribe(lectureEvents.SessionScheduled, async (event) => {
      await record(lectureSessionChanges.scheduled(event.data, event.time));
    }),
    subscribe(lectureEvents.SessionRescheduled, async (event) => {
      await record(lectureSessionChanges.rescheduled(event.data, event.time));
    }),
    subscribe(lectureEvents.SessionCancelled, async (event) => {
      await record(lectureSessionChanges.cancelled(event.data, event.time));
    }),
    subscribe(lectureEvents.SessionHeld, async (event) => {
      await record(lectureSessionChanges.held(event.data, event.time));
    }),
  );
};
