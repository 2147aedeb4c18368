/**
 * What registration holds about a person, declared to the privacy kit one
 * kind at a time (decision 0022): how each kind is read for the person's own
 * copy (unmasked: the copy goes to the person only) and how it is erased when
 * they close their account. The participant record goes last: the kinds
 * before it clear their fields of it, then it is deleted. Sign-ups and
 * memberships stay, under the participant id alone, which links to nobody
 * once the record is gone: events' seat counts and organizations' histories
 * depend on them.
 */
import type { PiiVault } from '@learning/pii';
import type { ErasureOutcome, PersonalDataKind, RetentionRule } from '@learning/privacy';
import type { Connection, Model } from 'mongoose';
import { enrollmentModel, type EnrollmentDocument } from './enrollments.js';
import { membershipModel, type MembershipDocument } from './memberships.js';
import { participantModel, type ParticipantDocument, type ProtectedField } from './participants.js';
import { dataExportModel, erasureRequestModel } from './privacy.js';

const text = (zhCn: string, en: string) => ({ zhCn, en });

/** The account subject of a sign-up whose person closed their account: nobody's. */
export const erasedSubject = (participantId: string): string => `erased:${participantId}`;

export interface PersonalDataModels {
  readonly participants: Model<ParticipantDocument>;
  readonly enrollments: Model<EnrollmentDocument>;
  readonly memberships: Model<MembershipDocument>;
  readonly connection: Connection;
}

export const personalDataModels = (connection: Connection): PersonalDataModels => ({
  participants: participantModel(connection),
  enrollments: enrollmentModel(connection),
  memberships: membershipModel(connection),
  connection,
});

export function registrationKinds(
  models: PersonalDataModels,
  pii: PiiVault,
  clock: () => Date,
): PersonalDataKind[] {
  const { participants, enrollments, memberships, connection } = models;
  const exports = dataExportModel(connection);
  const erasures = erasureRequestModel(connection);
  const record = (participantId: string) =>
    participants.findById(participantId, { outbox: 0 }).lean<ParticipantDocument>();
  const open = (field: ProtectedField | null | undefined): string | null =>
    field === null || field === undefined ? null : pii.decrypt(field.sealed);

  return [
    {
      kind: 'contacts',
      title: text('联系方式', 'Contacts'),
      purpose: text(
        '按您同意的渠道向您发送通知；工作人员在活动变动时联系您。',
        'Sending you notices on the channels you agreed to; officers reaching you when an activity changes.',
      ),
      retention: text('至您删除或注销账户为止。', 'Until you remove them or close your account.'),
      async export(participantId) {
        const doc = await record(participantId);
        if (doc === null) return [];
        return [
          { phone: open(doc.phone), email: open(doc.email), wechatOpenId: open(doc.wechatOpenId) },
        ];
      },
      async erase(participantId): Promise<ErasureOutcome> {
        const doc = await record(participantId);
        if (doc === null) return { erased: 0 };
        const held = [doc.phone, doc.email, doc.wechatOpenId].filter(
          (field) => field !== null && field !== undefined,
        ).length;
        await participants.updateOne(
          { _id: participantId },
          { $set: { phone: null, email: null, wechatOpenId: null } },
        );
        return { erased: held };
      },
    },
    {
      kind: 'account',
      title: text('账户关联与认领码', 'Account link and claim code'),
      purpose: text(
        '让您用自己的账户查看和更正记录；工作人员为您建档后，凭认领码认领。',
        'Letting you read and correct your record with your own account; claiming a record an officer made for you.',
      ),
      retention: text(
        '账户关联至注销为止；认领码过期后按配置期限删除。',
        'The link until you close your account; a claim code is removed a set time after it expires.',
      ),
      async export(participantId) {
        const doc = await record(participantId);
        if (doc === null) return [];
        return [
          {
            accountSubject: doc.accountSubject ?? null,
            claimCodeExpiresAt: doc.claimCode?.expiresAt.toISOString() ?? null,
          },
        ];
      },
      async erase(participantId): Promise<ErasureOutcome> {
        const doc = await record(participantId);
        if (doc === null) return { erased: 0 };
        const held =
          (doc.accountSubject === undefined ? 0 : 1) + (doc.claimCode === undefined ? 0 : 1);
        await participants.updateOne(
          { _id: participantId },
          { $unset: { accountSubject: 1, claimCode: 1 } },
        );
        return { erased: held };
      },
    },
    {
      kind: 'consents',
      title: text('同意记录', 'Consents'),
      purpose: text(
        '记录您对各项用途的同意或撤回，以及所同意的文本版本。',
        'The record of what you agreed to or withdrew from, and which text version.',
      ),
      retention: text('至注销账户为止。', 'Until you close your account.'),
      async export(participantId) {
        const doc = await record(participantId);
        if (doc === null) return [];
        return [{ channels: doc.consent, purposes: doc.consentRecords ?? {} }];
      },
      async erase(participantId): Promise<ErasureOutcome> {
        const doc = await record(participantId);
        if (doc === null) return { erased: 0 };
        await participants.updateOne({ _id: participantId }, { $unset: { consentRecords: 1 } });
        return { erased: Object.keys(doc.consentRecords ?? {}).length };
      },
    },
    {
      kind: 'enrollments',
      title: text('报名与签到', 'Sign-ups and check-ins'),
      purpose: text(
        '为您保留活动、讲座、培训的名额，签到并记录出勤，作为学分依据。',
        'Holding your seat at activities, lectures and training, checking you in and recording attendance, on which credits are based.',
      ),
      retention: text(
        '保留；注销后不再与您关联（活动的名额和出勤统计依赖它们）。',
        "Kept; after you close your account they no longer link to you (events' seat and attendance counts depend on them).",
      ),
      async export(participantId) {
        const docs = await enrollments
          .find({ participantId }, { outbox: 0, seatToken: 0 })
          .sort({ createdAt: 1 })
          .lean<EnrollmentDocument[]>();
        return docs.map((doc) => ({
          id: doc._id,
          owner: doc.owner,
          eventId: doc.eventId,
          status: doc.status,
          seat: doc.seat,
          checkInCode: doc.checkInCode,
          confirmedAt: doc.confirmedAt,
          checkedInAt: doc.checkedInAt,
          attendedAt: doc.attendedAt,
          cancelledAt: doc.cancelledAt,
          createdAt: doc.createdAt,
        }));
      },
      async erase(participantId): Promise<ErasureOutcome> {
        const result = await enrollments.updateMany(
          { participantId, accountSubject: { $ne: erasedSubject(participantId) } },
          { $set: { accountSubject: erasedSubject(participantId) } },
        );
        return {
          erased: 0,
          kept: {
            count: result.modifiedCount,
            reason: "sign-ups: events' seat and attendance counts; the account link removed",
          },
        };
      },
    },
    {
      kind: 'memberships',
      title: text('学习组织成员身份', 'Memberships of learning organizations'),
      purpose: text(
        '记录您所在的学习团队、社团等，以及您的角色。',
        'The learning teams and clubs you belong to, and your role.',
      ),
      retention: text(
        '保留；注销后结束并不再与您关联（组织的历史依赖它们）。',
        "Kept; ended and no longer linked to you when you close your account (organizations' histories depend on them).",
      ),
      async export(participantId) {
        const docs = await memberships
          .find({ participantId }, { outbox: 0 })
          .lean<MembershipDocument[]>();
        return docs.map((doc) => ({
          organizationId: doc.organizationId,
          organizationKind: doc.organizationKind,
          role: doc.role,
          status: doc.status,
          since: doc.since,
          endedAt: doc.endedAt,
        }));
      },
      async erase(participantId): Promise<ErasureOutcome> {
        const ended = await memberships.updateMany(
          { participantId, status: 'active' },
          { $set: { status: 'ended', endedAt: clock() }, $inc: { version: 1 } },
        );
        return {
          erased: 0,
          kept: {
            count: ended.modifiedCount,
            reason: "memberships: organizations' histories; ended, linked to no person",
          },
        };
      },
    },
    {
      kind: 'data-exports',
      title: text('个人信息副本', 'Copies of your data'),
      purpose: text(
        '您申请的个人信息副本，供您下载。',
        'The copies of your data you asked for, to download.',
      ),
      retention: text(
        '申请后按配置天数保存，然后删除。',
        'Kept a set number of days after you ask, then removed.',
      ),
      async export(participantId) {
        const docs = await exports
          .find({ participantId }, { _id: 1, requestedAt: 1, completedAt: 1, expiresAt: 1 })
          .lean();
        return docs.map((doc) => ({
          id: doc._id,
          requestedAt: doc.requestedAt,
          completedAt: doc.completedAt,
          expiresAt: doc.expiresAt,
        }));
      },
      async erase(participantId): Promise<ErasureOutcome> {
        const removed = await exports.deleteMany({ participantId });
        return { erased: removed.deletedCount };
      },
    },
    {
      kind: 'erasure-requests',
      title: text('注销申请', 'Requests to close your account'),
      purpose: text(
        '跟踪各服务删除您信息的进度，并证明申请已办结。',
        "Following each service's erasure of your data, and showing the request was honoured.",
      ),
      retention: text(
        '保留；全部服务确认后不再与您的账户关联。',
        'Kept; no longer linked to your account once every service has confirmed.',
      ),
      async export(participantId) {
        const docs = await erasures
          .find({ participantId }, { _id: 1, requestedAt: 1, completedAt: 1 })
          .lean();
        return docs.map((doc) => ({
          id: doc._id,
          requestedAt: doc.requestedAt,
          completedAt: doc.completedAt,
        }));
      },
      async erase(participantId): Promise<ErasureOutcome> {
        // The request's account link goes when every service has confirmed (erasure.ts).
        const count = await erasures.countDocuments({ participantId });
        return {
          erased: 0,
          kept: { count, reason: 'erasure requests: proof the request was honoured' },
        };
      },
    },
    {
      kind: 'participant',
      title: text('参与者档案', 'Participant record'),
      purpose: text(
        '确认您的身份（姓名、身份证号）、所属地区和人员类别，以确定您可参加的活动并统计各地区的学习情况。',
        'Establishing who you are (name, ID number), your home area and tier, to know what you may take part in and to count learning per area.',
      ),
      retention: text('至注销账户为止。', 'Until you close your account.'),
      async export(participantId) {
        const doc = await record(participantId);
        if (doc === null) return [];
        return [
          {
            id: doc._id,
            name: doc.name,
            idNumber: pii.decrypt(doc.idNumber.sealed),
            birthDate: doc.birthDate,
            tier: doc.tier,
            jurisdictionPath: doc.jurisdictionPath,
            language: doc.language,
            employer: doc.employer,
            source: doc.source,
            createdAt: doc.createdAt,
            updatedAt: doc.updatedAt,
          },
        ];
      },
      async erase(participantId): Promise<ErasureOutcome> {
        const removed = await participants.deleteOne({ _id: participantId });
        return { erased: removed.deletedCount };
      },
    },
  ];
}

export function registrationRetention(
  models: PersonalDataModels,
  days: { readonly dataExports: number; readonly claimCodes: number },
): RetentionRule[] {
  const exports = dataExportModel(models.connection);
  return [
    {
      kind: 'data-exports',
      keepDays: days.dataExports,
      async sweep(cutoff) {
        const removed = await exports.deleteMany({ requestedAt: { $lt: cutoff } });
        return removed.deletedCount;
      },
    },
    {
      kind: 'claim-codes',
      keepDays: days.claimCodes,
      async sweep(cutoff) {
        const lapsed = await models.participants.updateMany(
          { 'claimCode.expiresAt': { $lt: cutoff } },
          { $unset: { claimCode: 1 } },
        );
        return lapsed.modifiedCount;
      },
    },
  ];
}
