import { describe, expect, it } from 'vitest';
import {
  decide,
  mayDecide,
  type Decider,
  type OrganizationAction,
  type OrganizationRecord,
  type OrganizationStatus,
} from '../../../src/domain/organizations.js';
import { refusalOf } from './refusal.js';

const now = new Date('2025-04-10T02:00:00Z');

const org = (status: OrganizationStatus): OrganizationRecord => ({
  id: 'org-1',
  kind: 'community',
  jurisdictionPath: ['C', 'S1', 'M1'],
  leadDepartment: 'wenming-ban',
  status,
});

const cityAdmin: Decider = {
  subject: 'u-admin',
  roles: ['city_admin'],
  cityWide: true,
  jurisdictions: [],
};
const leadOfficer: Decider = {
  subject: 'u-lead',
  roles: ['department_officer'],
  cityWide: false,
  jurisdictions: [],
  department: 'wenming-ban',
};
const streetOfficer: Decider = {
  subject: 'u-street',
  roles: ['area_officer'],
  cityWide: false,
  jurisdictions: ['S1'],
};

describe('decide: the life cycle', () => {
  const allowed: [OrganizationAction, OrganizationStatus, OrganizationStatus, string][] = [
    ['start_review', 'applied', 'under_review', 'OrganizationReviewStarted'],
    ['recognize', 'under_review', 'recognized', 'OrganizationRecognized'],
    ['reject', 'under_review', 'rejected', 'OrganizationRejected'],
    ['suspend', 'recognized', 'suspended', 'OrganizationSuspended'],
    ['reinstate', 'suspended', 'recognized', 'OrganizationRecognized'],
  ];

  for (const [action, from, to, eventType] of allowed) {
    it(`when ${action} is applied to a ${from} organization, then it becomes ${to} and ${eventType} is emitted`, () => {
      const { change, event } = decide(
        org(from),
        { action, reason: 'checked on site' },
        leadOfficer,
        now,
      );
      expect(change).toEqual({
        status: to,
        reason: 'checked on site',
        decidedBy: 'u-lead',
        decidedAt: now,
      });
      expect(event).toEqual({
        type: eventType,
        organizationId: 'org-1',
        data: {
          kind: 'community',
          leadDepartment: 'wenming-ban',
          jurisdictionPath: ['C', 'S1', 'M1'],
          from,
          to,
          reason: 'checked on site',
          decidedBy: 'u-lead',
          decidedAt: '2025-04-10T02:00:00.000Z',
        },
      });
    });
  }

  it('when any other action is applied to any status, then the transition is refused', () => {
    const statuses: OrganizationStatus[] = [
      'applied',
      'under_review',
      'recognized',
      'rejected',
      'suspended',
    ];
    let refused = 0;
    for (const status of statuses) {
      for (const action of [
        'start_review',
        'recognize',
        'reject',
        'suspend',
        'reinstate',
      ] as const) {
        if (allowed.some(([a, from]) => a === action && from === status)) continue;
        const error = refusalOf(() => decide(org(status), { action, reason: 'r' }, cityAdmin, now));
        expect(error.code).toBe('ORGANIZATION_TRANSITION_NOT_ALLOWED');
        expect(error.kind).toBe('failed_precondition');
        refused += 1;
      }
    }
    // 25 pairs, 5 allowed: a rejected organization can do nothing more.
    expect(refused).toBe(20);
  });

  it('when recognizing without a reason, then the change records a null reason', () => {
    const { change, event } = decide(org('under_review'), { action: 'recognize' }, cityAdmin, now);
    expect(change.reason).toBeNull();
    expect(event.data.reason).toBeNull();
  });

  for (const [action, status] of [
    ['reject', 'under_review'],
    ['suspend', 'recognized'],
  ] as const) {
    it(`when ${action} has no reason, an empty one or only spaces, then it is refused`, () => {
      for (const reason of [undefined, '', '   ']) {
        const error = refusalOf(() => decide(org(status), { action, reason }, cityAdmin, now));
        expect(error.code).toBe('ORGANIZATION_REASON_REQUIRED');
        expect(error.kind).toBe('invalid_argument');
      }
    });
  }

  it('when a reason has surrounding spaces, then it is stored trimmed', () => {
    const { change } = decide(
      org('recognized'),
      { action: 'suspend', reason: '  no activity in 2024 ' },
      cityAdmin,
      now,
    );
    expect(change.reason).toBe('no activity in 2024');
  });
});

describe('mayDecide and decide: who may decide', () => {
  it('when a city admin decides, then anything in the city is allowed', () => {
    expect(mayDecide(cityAdmin, org('applied'))).toBe(true);
  });

  it('when an officer of the lead department decides, then it is allowed wherever the organization is', () => {
    expect(mayDecide(leadOfficer, { ...org('applied'), jurisdictionPath: ['C', 'T9', 'V9'] })).toBe(
      true,
    );
  });

  it('when an officer of a co-responsible department decides, then it is refused', () => {
    const coOwner: Decider = { ...leadOfficer, department: 'jiaoyu-ju' };
    const error = refusalOf(() =>
      decide(org('under_review'), { action: 'recognize' }, coOwner, now),
    );
    expect(error.code).toBe('ORGANIZATION_DECISION_FORBIDDEN');
    expect(error.kind).toBe('permission_denied');
  });

  it('when an area officer covers the organization’s jurisdiction or an ancestor, then it is allowed', () => {
    expect(mayDecide(streetOfficer, org('applied'))).toBe(true);
    expect(mayDecide({ ...streetOfficer, jurisdictions: ['M1'] }, org('applied'))).toBe(true);
    expect(mayDecide({ ...streetOfficer, jurisdictions: [], cityWide: true }, org('applied'))).toBe(
      true,
    );
  });

  it('when an area officer of another township decides, then it is refused', () => {
    const other: Decider = { ...streetOfficer, jurisdictions: ['T1'] };
    expect(mayDecide(other, org('applied'))).toBe(false);
    expect(
      refusalOf(() => decide(org('applied'), { action: 'start_review' }, other, now)).code,
    ).toBe('ORGANIZATION_DECISION_FORBIDDEN');
  });

  it('when someone has the lead department or the area but not the officer role, then it is refused', () => {
    const participant: Decider = {
      subject: 'u-p',
      roles: ['participant', 'org_admin'],
      cityWide: false,
      jurisdictions: ['S1'],
      department: 'wenming-ban',
    };
    expect(mayDecide(participant, org('applied'))).toBe(false);
  });

  it('when the decider lacks permission and the transition is also invalid, then permission is reported first', () => {
    const other: Decider = { ...streetOfficer, jurisdictions: ['T1'] };
    expect(refusalOf(() => decide(org('rejected'), { action: 'recognize' }, other, now)).code).toBe(
      'ORGANIZATION_DECISION_FORBIDDEN',
    );
  });
});
