import { schemaViolations } from '@learning/mongo';
import mongoose from 'mongoose';
import { describe, expect, it } from 'vitest';
import {
  importedMembershipDocument,
  importedOrganizationDocument,
  importedParticipantDocument,
} from '../../../src/adapters/mongo/imports.js';
import { enrollmentModel, newEnrollmentDocument } from '../../../src/adapters/mongo/enrollments.js';
import { membershipModel } from '../../../src/adapters/mongo/memberships.js';
import { organizationModel } from '../../../src/adapters/mongo/organizations.js';
import { participantModel } from '../../../src/adapters/mongo/participants.js';

// Models compile and validate without a server: nothing here is written.
const connection = mongoose.createConnection();
const at = new Date('2026-04-01T08:00:00Z');
const path = ['330999000000', '330999001000'];
const protectedValue = { hash: 'h'.repeat(64), sealed: 'v1:sealed', masked: '3309**********0011' };

const participant = {
  id: 'c0a80101-0000-4000-8000-000000000001',
  accountSubject: null,
  name: '张三',
  tier: 'ordinary_citizen' as const,
  jurisdictionPath: path,
  birthDate: '1980-01-01',
  idNumber: protectedValue,
  phone: null,
  email: null,
  wechatOpenId: null,
  language: 'zh-CN' as const,
  consent: {
    notifications: true,
    updatedAt: at,
    channels: {
      sms: { given: true, changedAt: at },
      email: { given: false, changedAt: null },
      wechat: { given: false, changedAt: null },
    },
  },
  employer: null,
  source: 'import' as const,
  createdAt: at,
  updatedAt: at,
};

const organization = {
  id: 'c0a80101-0000-4000-8000-000000000002',
  kind: 'community' as const,
  name: '示范社区',
  creditCode: null,
  jurisdictionPath: path,
  leadDepartment: 'civilization_office',
  coDepartments: ['education'],
  learningSystem: null,
  status: 'applied' as const,
  history: [{ status: 'applied' as const, reason: null, decidedBy: 'import', decidedAt: at }],
  createdBy: 'import',
  createdAt: at,
  updatedAt: at,
  events: [],
};

const membership = {
  id: 'c0a80101-0000-4000-8000-000000000003',
  organizationId: organization.id,
  participantId: participant.id,
  organizationKind: 'community' as const,
  role: 'member' as const,
  since: at,
  jurisdictionPath: path,
};

const enrollment = {
  id: 'c0a80101-0000-4000-8000-000000000004',
  eventKey: 'activities:a-reading-night',
  owner: 'activities' as const,
  eventId: 'a-reading-night',
  participantId: participant.id,
  accountSubject: 'account-1',
  status: 'confirmed' as const,
  sequence: 1,
  seat: 1,
  checkInCode: 'K7M2P9QX',
  jurisdictionPath: path,
  organizerOrganizationId: null,
  confirmedAt: at,
  checkedInAt: null,
  attendedAt: null,
  attendanceBasis: null,
  attendanceWithdrawnAt: null,
  cancelledAt: null,
  cancellationReason: null,
  rescheduled: null,
  createdAt: at,
  updatedAt: at,
};

describe('documents written through the driver, past mongoose', () => {
  it('when a participant row is built, then the participants schema accepts it', () => {
    const doc = importedParticipantDocument({ record: participant, events: [] });
    expect(schemaViolations(participantModel(connection), doc)).toBeUndefined();
  });

  it('when an organization row is built, then the organizations schema accepts it', () => {
    const doc = importedOrganizationDocument({ organization, events: [] });
    expect(schemaViolations(organizationModel(connection), doc)).toBeUndefined();
  });

  it('when a membership row is built, then the memberships schema accepts it', () => {
    const doc = importedMembershipDocument({ membership, events: [] });
    expect(schemaViolations(membershipModel(connection), doc)).toBeUndefined();
  });

  it('when a sign-up is built, then the enrollments schema accepts it, seat token included', () => {
    const doc = newEnrollmentDocument(enrollment, []);
    expect(doc.seatToken).toBeDefined();
    expect(schemaViolations(enrollmentModel(connection), doc)).toBeUndefined();
  });

  it('when a waitlisted sign-up is built, then it has no seat token and the schema accepts it', () => {
    const doc = newEnrollmentDocument(
      { ...enrollment, status: 'waitlisted', seat: null, confirmedAt: null },
      [],
    );
    expect(doc).not.toHaveProperty('seatToken');
    expect(schemaViolations(enrollmentModel(connection), doc)).toBeUndefined();
  });

  it('when a built document breaks the schema, then the check names the field', () => {
    const doc = importedParticipantDocument({
      record: { ...participant, tier: 'astronaut' as never },
      events: [],
    });
    expect(schemaViolations(participantModel(connection), doc)).toEqual(['tier']);
  });
});
