/** Sessions: scheduling under the rules, rescheduling and cancelling, and registration's seating questions. */
import { registerSeatedEventSource } from '../adapters/grpc/seated-event-source.js';
import { registerSessionRoutes } from '../adapters/http/sessions.js';
import { forumModel, seriesModel } from '../adapters/mongo/catalogue.js';
import { expertModel } from '../adapters/mongo/experts.js';
import {
  MongoExpertDirectory,
  MongoForumDirectory,
  MongoSessionRepository,
} from '../adapters/mongo/session-calendar.js';
import { sessionModel } from '../adapters/mongo/sessions.js';
import { cancelSession, rescheduleSession } from '../application/sessions/change-session.js';
import { sessionReads } from '../application/sessions/read-sessions.js';
import { scheduleSession } from '../application/sessions/schedule-session.js';
import { DEFAULT_SCHEDULING_RULES, type SchedulingRules } from '../domain/scheduling.js';
import type { LecturesConfig } from '../config.js';
import type { Module } from '../platform.js';

export const schedulingRulesOf = (config: LecturesConfig): SchedulingRules => ({
  ...DEFAULT_SCHEDULING_RULES,
  sameTownshipMinutes: config.TRAVEL_MINUTES_SAME_TOWNSHIP,
  cityMinutes: config.TRAVEL_MINUTES_CITY,
  countrysideMinutes: config.TRAVEL_MINUTES_COUNTRYSIDE,
});

export const sessionsModule: Module = (platform) => {
  const { mongo, logger, http, grpc, audit, clock, config } = platform;
  const { jurisdictions, venues, campaigns, enrollments } = platform;
  const model = sessionModel(mongo);
  // The one relay of the sessions outbox: the programme and held slices write events there too.
  platform.publishOutboxOf(model);
  const sessions = new MongoSessionRepository(model, logger);
  const forums = new MongoForumDirectory(forumModel(mongo), seriesModel(mongo));
  const experts = new MongoExpertDirectory(expertModel(mongo));
  const scheduling = {
    sessions,
    forums,
    experts,
    venues,
    campaigns,
    jurisdictions,
    rules: schedulingRulesOf(config),
    audit,
    clock,
  };
  const reads = sessionReads({ sessions, forums });

  registerSessionRoutes(http, {
    scheduleSession: scheduleSession(scheduling),
    rescheduleSession: rescheduleSession({ ...scheduling, enrollments }),
    cancelSession: cancelSession(scheduling),
    reads,
  });
  registerSeatedEventSource(grpc, reads);
};
