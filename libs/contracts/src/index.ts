/**
 * The platform's event catalogue: every published event's type, topic and
 * payload codec, defined once here so producer and consumers cannot disagree.
 * One file per aggregate; payloads are protobuf messages from @learning/proto.
 */
export * as participantEvents from './registration/participants.js';
export * as organizationEvents from './registration/organizations.js';
export * as enrollmentEvents from './registration/enrollments.js';
export * as activityEvents from './activities.js';
export * as lectureEvents from './lectures.js';
export * as creditEvents from './scoring.js';
export * as evaluationEvents from './evaluation.js';
export * as notificationEvents from './notifications.js';
export * as privacyEvents from './privacy.js';
export { erasureCompletedBy, type ErasingService } from './privacy.js';
export {
  eventCatalogue,
  eventNamespaces,
  renderEventCatalogue,
  type CatalogueEntry,
} from './catalogue.js';
export {
  awardCategoryMapping,
  contentCategoryMapping,
  jurisdictionLevelMapping,
  organizationKindMapping,
  tierMapping,
  trainingTargetGroupMapping,
} from './mapping.js';
