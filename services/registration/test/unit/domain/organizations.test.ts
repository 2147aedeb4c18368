import { describe, expect, it } from 'vitest';
import {
  applicationOf,
  assertMayManage,
  decide,
  endMembership,
  mayDecide,
  mayManage,
  membershipIdOf,
  parseCreditCode,
  setMembership,
  type MembershipState,
  type OrganizationActor,
  type Decider,
  type OrganizationAction,
  type OrganizationRecord,
  type OrganizationStatus,
} from '../../../src/domain/organizations.js';
import { refusalOf } from '@learning/testing';

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

describe('parseCreditCode: 统一社会信用代码 (GB 32100)', () => {
  const valid = ['91110000600037341L', '911100007109311097', '91440300708461136T'];
  for (const code of valid) {
    it(`when ${code} is given, then it is accepted`, () => {
      expect(parseCreditCode(code)).toBe(code);
    });
  }

  it('when a valid code is given in lower case with spaces around, then it is stored upper-cased and trimmed', () => {
    expect(parseCreditCode(' 91110000600037341l ')).toBe('91110000600037341L');
  });

  const invalid: [string, string][] = [
    ['the check character is wrong', '91110000600037341M'],
    ['a character is outside the alphabet (I, O, S, V, Z)', '9111000060003734IL'],
    ['the division code has a letter', '911A0000600037341L'],
    ['it has 17 characters', '91110000600037341'],
    ['it has 19 characters', '91110000600037341LL'],
    ['it is empty', ''],
  ];
  for (const [what, code] of invalid) {
    it(`when ${what}, then ORGANIZATION_CREDIT_CODE_INVALID`, () => {
      expect(refusalOf(() => parseCreditCode(code)).code).toBe('ORGANIZATION_CREDIT_CODE_INVALID');
    });
  }
});

describe('mayManage: who may edit an organization and its members', () => {
  const actor = (decider: Decider, organizations: string[] = []): OrganizationActor => ({
    ...decider,
    organizations,
  });
  const orgAdmin = actor(
    { subject: 'u-org', roles: ['org_admin'], cityWide: false, jurisdictions: [] },
    ['org-1'],
  );

  it('when its own admin acts, then it is allowed', () => {
    expect(mayManage(orgAdmin, org('applied'))).toBe(true);
  });

  it('when the admin of another organization acts, then it is refused', () => {
    const other = { ...orgAdmin, organizations: ['org-2'] };
    expect(mayManage(other, org('applied'))).toBe(false);
    expect(
      refusalOf(() => {
        assertMayManage(other, org('applied'));
      }).code,
    ).toBe('ORGANIZATION_MANAGE_FORBIDDEN');
  });

  it('when the city admin, the lead department or the area officer acts, then it is allowed', () => {
    for (const decider of [cityAdmin, leadOfficer, streetOfficer])
      expect(mayManage(actor(decider), org('recognized'))).toBe(true);
  });

  it('when a co-responsible department acts, then it is refused', () => {
    const co = actor({ ...leadOfficer, department: 'jiaoyu-ju' });
    expect(mayManage(co, org('recognized'))).toBe(false);
  });
});

describe('applicationOf', () => {
  it('when someone applies, then the history starts with applied, by them, now, with no reason', () => {
    expect(applicationOf('u-a', now)).toEqual({
      status: 'applied',
      reason: null,
      decidedBy: 'u-a',
      decidedAt: now,
    });
  });
});

describe('memberships', () => {
  const later = new Date('2025-05-01T00:00:00Z');
  const active: MembershipState = { role: 'member', status: 'active', since: now, endedAt: null };
  const ended: MembershipState = { ...active, status: 'ended', endedAt: now };

  it('when the pair is named, then the id is organization:participant', () => {
    expect(membershipIdOf('org-1', 'p-1')).toBe('org-1:p-1');
  });

  it('when someone without a membership is added, then they join from now', () => {
    expect(setMembership(null, 'member', 'applied', later)).toEqual({
      change: 'joined',
      state: { role: 'member', status: 'active', since: later, endedAt: null },
    });
  });

  it('when an active member is given the role they have, then nothing changes', () => {
    expect(setMembership(active, 'member', 'recognized', later)).toEqual({
      change: null,
      state: active,
    });
  });

  it('when an active member becomes admin, then only the role changes (since is kept)', () => {
    expect(setMembership(active, 'admin', 'recognized', later)).toEqual({
      change: 'role_changed',
      state: { ...active, role: 'admin' },
    });
  });

  it('when an ended membership is set again, then it is a new joining from now', () => {
    expect(setMembership(ended, 'admin', 'recognized', later)).toEqual({
      change: 'joined',
      state: { role: 'admin', status: 'active', since: later, endedAt: null },
    });
  });

  it('when someone joins a rejected organization, then MEMBERSHIP_ORGANIZATION_CLOSED', () => {
    expect(refusalOf(() => setMembership(null, 'member', 'rejected', later)).code).toBe(
      'MEMBERSHIP_ORGANIZATION_CLOSED',
    );
  });

  it('when an active member of a rejected organization changes role, then it is allowed (the membership exists)', () => {
    expect(setMembership(active, 'admin', 'rejected', later).change).toBe('role_changed');
  });

  it('when an active membership ends, then it is ended now and keeps its role', () => {
    expect(endMembership(active, later)).toEqual({
      change: 'ended',
      state: { ...active, status: 'ended', endedAt: later },
    });
  });

  it('when an ended or absent membership is ended, then nothing changes', () => {
    expect(endMembership(ended, later)).toEqual({ change: null, state: ended });
    expect(endMembership(null, later)).toBeNull();
  });
});
