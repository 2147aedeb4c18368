import * as contracts from '@learning/contracts';
import { describe, expect, it } from 'vitest';
import { routingOf, WEBHOOK_CATALOGUE } from '../../src/application/webhooks/catalogue.js';
import type { EventRouting } from '../../src/domain/webhooks.js';

const PATH = ['330281', '330281001', '330281001002'];
const DEPARTMENT = 'jingmao-ju';

/**
 * Every routing field any event type might carry, each where that type
 * carries it; a type reads only its own, so what it answers shows which.
 */
const everything = {
  routing: {
    kind: 'ORGANIZATION_KIND_ENTERPRISE',
    organizationKind: 'ORGANIZATION_KIND_ENTERPRISE',
    leadDepartment: DEPARTMENT,
    jurisdictionPath: PATH,
  },
  organizationKind: 'ORGANIZATION_KIND_ENTERPRISE',
  leadDepartment: DEPARTMENT,
  jurisdictionPath: PATH,
  session: { leadDepartment: DEPARTMENT, jurisdictionPath: PATH },
  profile: { jurisdictionPath: PATH },
  attendedEvent: { jurisdictionPath: PATH },
  eventSummary: {
    organizationKind: 'ORGANIZATION_KIND_ENTERPRISE',
    leadDepartment: DEPARTMENT,
    jurisdictionPath: PATH,
  },
  ownerDepartment: DEPARTMENT,
  scopePath: PATH,
};

const full: EventRouting = {
  organizationKind: 'enterprise',
  leadDepartment: DEPARTMENT,
  jurisdictionPath: PATH,
};
const departmentAndPlace: EventRouting = { leadDepartment: DEPARTMENT, jurisdictionPath: PATH };
const place: EventRouting = { jurisdictionPath: PATH };
const kindAndPlace: EventRouting = { organizationKind: 'enterprise', jurisdictionPath: PATH };
const nothing: EventRouting = { jurisdictionPath: [] };

const expected: Record<string, EventRouting> = {
  'registration.participant.registered.v1': place,
  'registration.participant.updated.v1': place,
  'registration.organization.registered.v1': full,
  'registration.organization.review-started.v1': full,
  'registration.organization.recognized.v1': full,
  'registration.organization.rejected.v1': full,
  'registration.organization.suspended.v1': full,
  'registration.membership.changed.v1': full,
  'registration.enrollment.confirmed.v1': full,
  'registration.enrollment.waitlisted.v1': full,
  'registration.enrollment.waitlist-promoted.v1': full,
  'registration.enrollment.cancelled.v1': full,
  'registration.enrollment.checked-in.v1': nothing,
  'registration.enrollment.session-checked-in.v1': nothing,
  'registration.enrollment.attendance-recorded.v1': place,
  'registration.enrollment.check-in-invalidated.v1': nothing,
  'registration.enrollment.attendance-withdrawn.v1': nothing,
  'activities.campaign.launched.v1': departmentAndPlace,
  'activities.activity.published.v1': full,
  'activities.activity.rescheduled.v1': full,
  'activities.activity.cancelled.v1': full,
  'activities.activity.started.v1': full,
  'activities.activity.completed.v1': full,
  'activities.contest.results-published.v1': departmentAndPlace,
  'activities.pairing.donation-recorded.v1': place,
  'activities.library.standard-reached.v1': place,
  'activities.network.gap-detected.v1': place,
  'activities.training-programme.launched.v1': full,
  'activities.training-class.published.v1': full,
  'activities.training-class.rescheduled.v1': full,
  'activities.training-class.cancelled.v1': full,
  'activities.training-class.session-attended.v1': full,
  'activities.training-class.skills-test-recorded.v1': full,
  'activities.training-programme.completed.v1': full,
  'activities.enterprise-training.reported.v1': full,
  'lectures.session.scheduled.v1': departmentAndPlace,
  'lectures.session.cancelled.v1': departmentAndPlace,
  'lectures.session.rescheduled.v1': departmentAndPlace,
  'lectures.session.held.v1': departmentAndPlace,
  'lectures.session.materials-published.v1': departmentAndPlace,
  'lectures.feedback.submitted.v1': departmentAndPlace,
  'lectures.coverage.gap-detected.v1': departmentAndPlace,
  'lectures.lesson.completed.v1': departmentAndPlace,
  'scoring.credits.awarded.v1': place,
  'scoring.credits.reversed.v1': place,
  'scoring.assessment.computed.v1': full,
  'scoring.assessment.locked.v1': full,
  'scoring.award.granted.v1': full,
  'scoring.case.published.v1': kindAndPlace,
  'notifications.notices.delivered.v1': nothing,
  'notifications.notices.failed.v1': nothing,
};

/** Every event definition exported by libs/contracts' namespaces (and its lookup tables), once. */
const contractTypes = [
  ...new Set(
    Object.values(contracts)
      .flatMap((namespace) =>
        typeof namespace === 'object' ? (Object.values(namespace) as unknown[]) : [],
      )
      .filter(
        (value): value is { type: string } =>
          typeof value === 'object' && value !== null && 'type' in value && 'codec' in value,
      )
      .map((definition) => definition.type),
  ),
];

/**
 * A person's rights, coordinated among the services (decision 0022), are not
 * a department's business: their consent changes, erasure requests and each
 * service's completion are not offered to webhooks.
 */
const PERSONAL_INFORMATION_RIGHTS = [
  'registration.participant.consent-changed.v1',
  'registration.erasure.requested.v1',
  ...Object.values(contracts.erasureCompletedBy).map((definition) => definition.type),
];

describe('webhook routing extraction', () => {
  it('when the contracts are read, then every event is in the catalogue but the webhooks’ own failure events and the personal-information rights', () => {
    expect(contractTypes.filter((type) => !(type in expected)).sort()).toEqual(
      [
        'notifications.subscriptions.paused.v1',
        'notifications.webhooks.delivery-failed.v1',
        ...PERSONAL_INFORMATION_RIGHTS,
      ].sort(),
    );
  });

  it('when the catalogue is listed, then every type has its expected routing here and none is extra', () => {
    expect(WEBHOOK_CATALOGUE.map((entry) => entry.definition.type).sort()).toEqual(
      Object.keys(expected).sort(),
    );
  });

  it.each(WEBHOOK_CATALOGUE.map((entry) => [entry.definition.type, entry] as const))(
    'when a %s payload carries routing fields, then its own are read',
    (type, entry) => {
      const payload = entry.definition.codec.fromJSON(everything);

      expect(routingOf(type, payload)).toEqual(expected[type]);
    },
  );

  it.each(WEBHOOK_CATALOGUE.map((entry) => [entry.definition.type, entry] as const))(
    'when a %s payload carries none, then it routes nowhere',
    (type, entry) => {
      expect(routingOf(type, entry.definition.codec.fromJSON({}))).toEqual(nothing);
    },
  );

  it('when the type is not in the catalogue, then routing refuses it', () => {
    expect(() => routingOf('notifications.webhooks.delivery-failed.v1', {})).toThrow(TypeError);
  });
});
