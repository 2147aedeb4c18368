/**
 * Learning organizations and their memberships, on the registration
 * organizations topic. Every payload carries the organization's routing (kind,
 * lead and co-responsible departments, jurisdiction path), so a department or
 * an area filters what it owns without calling back.
 */
import { defineEvent, topics } from '@learning/events';
import { registration } from '@learning/proto';

const topic = topics.registrationOrganizations;

/** Applied for registration (status applied). */
export const organizationRegistered = defineEvent(
  'registration.organization.registered.v1',
  topic,
  registration.OrganizationRegistered,
);

/** An officer began reviewing it (applied → under_review). */
export const organizationReviewStarted = defineEvent(
  'registration.organization.review-started.v1',
  topic,
  registration.OrganizationDecided,
);

/** It counts as a learning organization now: recognized, or reinstated after a suspension (from_status says which). */
export const organizationRecognized = defineEvent(
  'registration.organization.recognized.v1',
  topic,
  registration.OrganizationDecided,
);

/** Rejected after review, with the reason; final. */
export const organizationRejected = defineEvent(
  'registration.organization.rejected.v1',
  topic,
  registration.OrganizationDecided,
);

/** Recognition suspended, with the reason. */
export const organizationSuspended = defineEvent(
  'registration.organization.suspended.v1',
  topic,
  registration.OrganizationDecided,
);

/** A participant joined, changed role in, or left an organization. */
export const membershipChanged = defineEvent(
  'registration.membership.changed.v1',
  topic,
  registration.MembershipChanged,
);
