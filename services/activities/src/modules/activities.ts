/** Activities: drafts, the life cycle and its events, the public listing, registration's questions and attendance. */
import { publicMaxAgeSeconds } from '@learning/http';
import { enrollmentEvents } from '@learning/contracts';
import { consumerGroups, PermanentEventError, subscribe } from '@learning/events';
import { registerActivityService } from '../adapters/grpc/activity-service.js';
import { registerDirectoryServices } from '../adapters/grpc/directory-services.js';
import { registerSeatedEventSource } from '../adapters/grpc/seated-event-source.js';
import { registerActivityRoutes } from '../adapters/http/activities.js';
import { activityModel, MongoActivityRepository } from '../adapters/mongo/activities.js';
import { MongoVenueRepository, venueModel } from '../adapters/mongo/activity-venues.js';
import { publicActivityPages } from '../adapters/redis/public-activity-pages.js';
import { campaignModel, MongoCampaignDirectory } from '../adapters/mongo/campaigns.js';
import { createActivity } from '../application/activities/create-activity.js';
import { moveActivity } from '../application/activities/move-activity.js';
import { activityReads } from '../application/activities/read-activities.js';
import { recordAttendance } from '../application/activities/record-attendance.js';
import { updateDraft } from '../application/activities/update-draft.js';
import { venueCatalogue } from '../application/activities/venues.js';
import type { Module } from '../platform.js';
import { trainingClassSeats } from './training-classes.js';

export const activitiesModule: Module = (platform) => {
  const { mongo, redis, config, logger, http, grpc, audit, clock } = platform;
  const { jurisdictions, organizations, departments, enrollments } = platform;
  const model = activityModel(mongo);
  const venuesModel = venueModel(mongo);
  platform.publishOutboxOf(model);
  platform.publishOutboxOf(venuesModel);
  const activities = new MongoActivityRepository(model, logger);
  const venues = venueCatalogue({
    venues: new MongoVenueRepository(venuesModel, logger),
    jurisdictions,
    audit,
    clock,
  });
  const campaigns = new MongoCampaignDirectory(campaignModel(mongo));
  const reads = activityReads({ activities, jurisdictions });
  const publicPages = publicActivityPages(redis, config, logger);

  registerActivityRoutes(http, {
    createActivity: createActivity({
      activities,
      jurisdictions,
      organizations,
      departments,
      campaigns,
      venues,
      audit,
      clock,
    }),
    updateDraft: updateDraft({ activities, campaigns, venues, audit, clock }),
    moveActivity: moveActivity({ activities, publicPages, enrollments, audit, clock }),
    reads,
    venues,
    publicPages,
    publicMaxAgeSeconds: publicMaxAgeSeconds(config.PUBLIC_CACHE_TTL_MS),
  });
  // Registration's `training` owner asks the same port: a class's seats are answered here too.
  registerSeatedEventSource(grpc, reads, [trainingClassSeats(platform)]);
  registerActivityService(grpc, reads);
  registerDirectoryServices(grpc, { venues, campaigns });

  const attendance = recordAttendance({ activities });
  platform.consume(
    consumerGroups.activitiesAttendance,
    subscribe(enrollmentEvents.AttendanceRecorded, async (event) => {
      const { event: ref, enrollmentId } = event.data;
      if (ref === undefined || enrollmentId === '')
        throw new PermanentEventError('an attendance record without its event or enrollment');
      await attendance({ owner: ref.owner, eventId: ref.eventId, enrollmentId });
    }),
  );
};
