/**
 * What lectures holds about a person, declared to the personal-information
 * kit (decision 0022): each kind with what it is, why it is held and for how
 * long, the person's records for their copy, and what closing their account
 * does to them. The README's "Personal data" section says the same for people.
 *
 * The order is erasure's: kinds found only through the person's account
 * subjects (forums, the audit log, older feedback) come before the records
 * that name both the participant and the subject (attendance, progress, the
 * expert record), so a redelivery after a crash midway still finds the subjects.
 */
import { consumerGroups } from '@learning/events';
import { createPiiVault } from '@learning/pii';
import {
  personalDataModule,
  type ObligationCheck,
  type PersonalDataKind,
  type RetentionRule,
} from '@learning/privacy';
import { MongoPersonalData } from '../adapters/mongo/personal-data.js';
import type { Platform } from '../platform.js';

const days = (count: number) => ({
  zhCn: `${String(count)} 天`,
  en: `${String(count)} days`,
});

function kindsOf(platform: Platform, data: MongoPersonalData): PersonalDataKind[] {
  const { config, clock } = platform;
  const attendanceDays = days(config.ATTENDANCE_RETENTION_DAYS);
  const feedbackDays = days(config.FEEDBACK_RETENTION_DAYS);
  const progressDays = days(config.LESSON_PROGRESS_RETENTION_DAYS);
  const expertDays = days(config.EXPERT_CONTACT_RETENTION_DAYS);
  const auditDays = days(config.AUDIT_RETENTION_DAYS);
  return [
    {
      kind: 'forum-management',
      title: { zhCn: '管理的讲坛', en: 'Forums you manage' },
      purpose: {
        zhCn: '讲坛负责人可查看和调整本讲坛的讲座、资料和评价。',
        en: 'A forum manager runs the forum’s sessions, materials and feedback.',
      },
      retention: {
        zhCn: '担任负责人期间保留；注销账号时从讲坛负责人中移除。',
        en: 'While you manage the forum; closing your account takes you off its managers.',
      },
      export: async (participantId) => data.managedForums(await data.subjectsOf(participantId)),
      erase: async (participantId) => ({
        erased: await data.leaveForums(await data.subjectsOf(participantId), clock()),
      }),
    },
    {
      kind: 'material-uploads',
      title: { zhCn: '上传的讲座资料', en: 'Session materials you uploaded' },
      purpose: {
        zhCn: '您作为主讲专家或讲坛负责人上传的讲稿、课件等讲座资料，以及上传人。',
        en: 'Slides and hand-outs you uploaded to sessions as their speaker or forum manager, with you as the uploader.',
      },
      retention: {
        zhCn: '资料随讲座保留；注销账号时删除上传人信息，资料仍作为讲座资料保留。',
        en: 'The files stay with their sessions; closing your account removes you as their uploader.',
      },
      export: async (participantId) => data.uploads(await data.subjectsOf(participantId)),
      erase: async (participantId) => ({
        erased: 0,
        kept: {
          count: await data.unlinkUploads(await data.subjectsOf(participantId)),
          reason: 'the files stay the sessions’ public materials, without their uploader',
        },
      }),
    },
    {
      kind: 'audit-records',
      title: { zhCn: '操作审计记录', en: 'Audit records' },
      purpose: {
        zhCn: '记录谁在何时修改了什么（网络安全等级保护要求），包括您本人所做的修改和对您的专家档案、评价所做的修改。',
        en: 'Who changed what and when (the classified-protection rules), including your own changes and changes to your expert record and feedback.',
      },
      retention: {
        zhCn: `保留 ${auditDays.zhCn}（不少于六个月）；注销账号时删除记录中关于您档案的内容，“谁在何时做了什么”按法规保留至期满。`,
        en: `${auditDays.en} (six months at least); closing your account empties what the records showed of your records, while who did what and when stays until then, as the rules require.`,
      },
      export: async (participantId) =>
        data.auditRecords(participantId, await data.subjectsOf(participantId)),
      erase: async (participantId) => {
        const { redacted, kept } = await data.redactAudit(
          participantId,
          await data.subjectsOf(participantId),
        );
        return {
          erased: redacted,
          kept: {
            count: kept,
            reason: `audit log: who changed what and when is kept ${String(config.AUDIT_RETENTION_DAYS)} days, as the classified-protection rules require`,
          },
        };
      },
    },
    {
      kind: 'session-feedback',
      title: { zhCn: '讲座评价', en: 'Feedback on sessions' },
      purpose: {
        zhCn: '您对参加过的讲座的评分和留言，用于讲座、讲坛和专家的评价汇总。',
        en: 'Your ratings and comments on sessions you attended, summed up per session, forum and speaker.',
      },
      retention: {
        zhCn: `留言和评价人保留 ${feedbackDays.zhCn}，之后（或注销账号时）只保留不具名的评分。`,
        en: `The comment and its author are kept ${feedbackDays.en}; after that, or when you close your account, only the anonymous rating stays.`,
      },
      export: async (participantId) =>
        data.feedback(participantId, await data.subjectsOf(participantId)),
      erase: async (participantId) => {
        const { ratings, comments } = await data.anonymizeFeedback(
          participantId,
          await data.subjectsOf(participantId),
          clock(),
        );
        return {
          erased: comments,
          kept: {
            count: ratings,
            reason:
              'ratings stay in the sessions’, forums’ and speakers’ aggregates, without comment or author',
          },
        };
      },
    },
    {
      kind: 'lecture-attendance',
      title: { zhCn: '讲座出席记录', en: 'Lecture attendance' },
      purpose: {
        zhCn: '登记系统记录的您出席的讲座：用于确认您可以评价该讲座，并计入各乡镇街道的讲座覆盖统计。',
        en: 'The sessions registration recorded you attending: who may rate a session, and the coverage figures of each township and street.',
      },
      retention: {
        zhCn: `与您关联保留 ${attendanceDays.zhCn}；之后（或注销账号时）只保留不具名的讲座、乡镇和时间，用于覆盖统计。`,
        en: `Linked to you for ${attendanceDays.en}; after that, or when you close your account, only the session, township and time stay, for the coverage figures.`,
      },
      export: (participantId) => data.attendance(participantId),
      erase: async (participantId) => ({
        erased: 0,
        kept: {
          count: await data.unlinkAttendance(participantId),
          reason: 'coverage figures: the attendance count per township and session stays, unlinked',
        },
      }),
    },
    {
      kind: 'lesson-progress',
      title: { zhCn: '学习网课程进度', en: 'Library lesson progress' },
      purpose: {
        zhCn: '您在学习网观看或阅读课程的进度，用于如实计算完成情况和学分。',
        en: 'How far you are through the library’s lessons, so completions (and credits) are counted honestly.',
      },
      retention: {
        zhCn: `最后一次学习后保留 ${progressDays.zhCn}；注销账号时删除（已获得的学分记录由积分服务保管）。`,
        en: `${progressDays.en} after your last heartbeat; deleted when you close your account (credits earned are the scoring service’s).`,
      },
      export: (participantId) => data.progress(participantId),
      erase: async (participantId) => ({ erased: await data.removeProgress(participantId) }),
    },
    {
      kind: 'expert-profile',
      title: { zhCn: '专家库档案', en: 'Expert pool record' },
      purpose: {
        zhCn: '作为玉海大讲坛专家：公开的姓名、职称、单位和专长，联系方式（加密保存，仅讲坛办公室和您本人可见），可讲时段，以及您主讲的讲座。',
        en: 'As a speaker of the lecture series: your public name, title, employer and specialties, contacts (encrypted; the office and you only), availability, and the sessions you speak at.',
      },
      retention: {
        zhCn: `在专家库期间保留；退出专家库 ${expertDays.zhCn} 后删除联系方式和可讲时段。注销账号时删除姓名、联系方式和档案内容，仅保留讲座引用的匿名专家编号。`,
        en: `While you are in the pool; contacts and availability are removed ${expertDays.en} after you retire. Closing your account removes your name, contacts and profile; only an anonymous speaker id stays, which past sessions name.`,
      },
      export: (participantId) => data.expert(participantId),
      erase: async (participantId) => ({
        erased: 0,
        kept: {
          count: await data.pseudonymizeExpert(participantId, clock()),
          reason:
            'sessions name their speaker’s record: kept retired, without name, contacts or account',
        },
      }),
    },
  ];
}

function retentionOf(platform: Platform, data: MongoPersonalData): RetentionRule[] {
  const { config, clock } = platform;
  return [
    {
      kind: 'lecture-attendance',
      keepDays: config.ATTENDANCE_RETENTION_DAYS,
      sweep: (cutoff, signal) => data.sweepAttendance(cutoff, signal),
    },
    {
      kind: 'session-feedback',
      keepDays: config.FEEDBACK_RETENTION_DAYS,
      sweep: (cutoff, signal) => data.sweepFeedback(cutoff, clock(), signal),
    },
    {
      kind: 'lesson-progress',
      keepDays: config.LESSON_PROGRESS_RETENTION_DAYS,
      sweep: (cutoff) => data.sweepProgress(cutoff),
    },
    {
      kind: 'expert-profile',
      keepDays: config.EXPERT_CONTACT_RETENTION_DAYS,
      sweep: (cutoff) => data.sweepRetiredExperts(cutoff),
    },
  ];
}

/** Sessions the person is still to speak at: erasing their expert record would leave them without a named speaker. */
function scheduledTalks(platform: Platform, data: MongoPersonalData): ObligationCheck {
  return async (participantId) => {
    const now = platform.clock();
    const talks = (
      await Promise.all(
        (await data.expertIds(participantId)).map((expertId) =>
          data.engagements(expertId, { status: 'scheduled', endsAt: { $gt: now } }),
        ),
      )
    ).flat();
    if (talks.length === 0) return [];
    const lastEnd = new Date(Math.max(...talks.map((talk) => talk.endsAt.getTime())));
    const count = String(talks.length);
    return [
      {
        code: 'EXPERT_SESSIONS_SCHEDULED',
        explanation: {
          zhCn: `您是 ${count} 场尚未举办的讲座的主讲专家（最后一场于 ${lastEnd.toISOString()} 结束）。注销后这些讲座将不再显示您的姓名；请先联系讲坛办公室另行安排主讲人，或在讲座结束后再注销。`,
          en: `You are the speaker of ${count} session(s) not yet held (the last ends ${lastEnd.toISOString()}). Once your account is closed they no longer show your name: ask the forum’s office to arrange another speaker first, or close your account after they end.`,
        },
        resolvesBy: lastEnd,
      },
    ];
  };
}

export const personalInformationModule = personalDataModule<Platform>(
  { service: 'lectures', erasureGroup: consumerGroups.lecturesErasure },
  (platform) => {
    const data = new MongoPersonalData(
      platform.mongo,
      platform.auditLog,
      createPiiVault(platform.piiKeys),
    );
    return {
      kinds: kindsOf(platform, data),
      retention: retentionOf(platform, data),
      obligations: [scheduledTalks(platform, data)],
    };
  },
);
