/**
 * The personal data activities holds, declared to the privacy kit (decision
 * 0022): what each kind is and why it is kept, the person's copy, erasure
 * when they close their account, the retention sweeps, and what erasure
 * would cut short. The README's "Personal data" section is the same list for
 * people; test/integration/personal-data.test.ts holds the declaration to
 * the collections.
 */
import { hkdfSync } from 'node:crypto';
import { consumerGroups } from '@learning/events';
import { personalDataModule, type ObligationCheck, type PersonalDataKind } from '@learning/privacy';
import { ActivitiesPersonalData } from '../adapters/mongo/personal-data.js';
import type { Platform } from '../platform.js';

/** What the record is kept for beyond the person's account, said once for every pseudonymized kind. */
const keptWithoutPerson = {
  contestResults: 'contest results: the published ranks stay, without the entrant',
  trainingFigures:
    'training programme figures: trained and completed counts per township, group and month stay, under a pseudonym',
  judging: 'contest judging: the scorecards the results rest on stay, under a pseudonym',
} as const;

/** A separate key for pseudonyms, derived from the service's signing key so no new secret is needed. */
const pseudonymKeyOf = (verificationKey: string): Buffer =>
  Buffer.from(
    hkdfSync('sha256', Buffer.from(verificationKey, 'base64'), '', 'activities:pseudonyms', 32),
  );

export const personalDataModuleOfActivities = personalDataModule<Platform>(
  { service: 'activities', erasureGroup: consumerGroups.activitiesErasure },
  (platform) => {
    const { config, participants } = platform;
    const data = new ActivitiesPersonalData(
      platform.mongo,
      pseudonymKeyOf(config.VERIFICATION_KEY),
    );

    // Contest entries, uploads and judging are kept under the person's account, not their
    // participant id: registration's directory names the account while the record exists;
    // erasure takes it from the request, as registration erases its record at the same time.
    const accountOf = async (participantId: string): Promise<string | null> => {
      const found = (await participants.byIds([participantId])).get(participantId);
      return found === undefined || found.accountSubject === '' ? null : found.accountSubject;
    };
    const bySubject =
      (read: (subject: string) => Promise<unknown[]>) => async (participantId: string) => {
        const subject = await accountOf(participantId);
        return subject === null ? [] : read(subject);
      };

    const contestEntries: PersonalDataKind = {
      kind: 'contest-entries',
      title: { zhCn: '竞赛参赛作品', en: 'Contest entries' },
      purpose: {
        zhCn: '评审您提交的参赛作品（如少儿书信大赛）：作品正文、附件、出生日期（核对年龄组）、所在学校或单位、评委评分。',
        en: 'Judging the entries you sent to contests (such as the children’s letter-writing contest): the text, its file, your birth date (for the age band), your school or organization, the judges’ scores.',
      },
      retention: {
        zhCn: `提交后保留 ${config.CONTEST_ENTRY_RETENTION_DAYS} 天；已公布的名次保留，但不再关联到您。`,
        en: `${config.CONTEST_ENTRY_RETENTION_DAYS} days after you sent it; published ranks stay, no longer linked to you.`,
      },
      export: bySubject((subject) => data.contestEntriesOf(subject)),
      async erase(_participantId, context) {
        const subject = context.accountSubject;
        if (subject === null) return { erased: 0 };
        const { erased, keptResults } = await data.eraseContestEntries(subject);
        return {
          erased,
          kept: { count: keptResults, reason: keptWithoutPerson.contestResults },
        };
      },
    };

    const contestFiles: PersonalDataKind = {
      kind: 'contest-files',
      title: { zhCn: '竞赛上传文件', en: 'Files uploaded to contests' },
      purpose: {
        zhCn: '您为参赛作品上传的文件（名称、类型、大小、校验值），供评委阅读。',
        en: 'The files you uploaded for contest entries (name, type, size, checksum), for the judges to read.',
      },
      retention: {
        zhCn: `随参赛作品保留；未用于作品的文件保留 ${config.CONTEST_UPLOAD_RETENTION_DAYS} 天。`,
        en: `As long as the entry that uses it; a file never used in an entry ${config.CONTEST_UPLOAD_RETENTION_DAYS} days.`,
      },
      export: bySubject((subject) => data.contestFilesOf(subject)),
      async erase(_participantId, context) {
        const subject = context.accountSubject;
        return { erased: subject === null ? 0 : await data.eraseContestFiles(subject) };
      },
    };

    const contestJudging: PersonalDataKind = {
      kind: 'contest-judging',
      title: { zhCn: '竞赛评审', en: 'Contest judging' },
      purpose: {
        zhCn: '您担任评委的竞赛、回避的单位及您给出的评分，用于形成竞赛结果。',
        en: 'The contests you judge, the organizations you stand aside for, and the scores you gave, from which the results are made.',
      },
      retention: {
        zhCn: '随竞赛保留；注销后评分保留，但以化名记录。',
        en: 'As long as the contest; after you close your account your scores stay under a pseudonym.',
      },
      export: bySubject((subject) => data.contestJudgingOf(subject)),
      async erase(_participantId, context) {
        const subject = context.accountSubject;
        const count = subject === null ? 0 : await data.pseudonymizeJudge(subject);
        return { erased: 0, kept: { count, reason: keptWithoutPerson.judging } };
      },
    };

    const libraryKeeper: PersonalDataKind = {
      kind: 'library-keeper',
      title: { zhCn: '农家书屋管理员', en: 'Farmhouse library keeper' },
      purpose: {
        zhCn: '您担任管理员的农家书屋或求知超市，用于接收捐赠图书。',
        en: 'The farmhouse libraries or knowledge supermarkets you keep, so you can receive donated books.',
      },
      retention: {
        zhCn: '在您担任管理员期间保留；由乡镇干部更换。',
        en: 'While you keep the place; an area officer names someone else.',
      },
      export: (participantId) => data.keptLibrariesOf(participantId),
      async erase(participantId, context) {
        const subject = context.accountSubject;
        return { erased: await data.eraseKeeper(participantId, subject) };
      },
    };

    const trainingRecords: PersonalDataKind = {
      kind: 'training-records',
      title: { zhCn: '培训学时记录', en: 'Training records' },
      purpose: {
        zhCn: '按培训项目和年度累计您的培训学时、技能考核和结业情况，并计入项目在各乡镇的培训任务完成数。',
        en: 'Your training minutes, skills tests and completion per programme and year, counted towards the programme’s quota in each township.',
      },
      retention: {
        zhCn: `培训年度结束后 ${config.TRAINING_RECORD_RETENTION_DAYS} 天改为化名记录；各乡镇的培训人数保留。`,
        en: `${config.TRAINING_RECORD_RETENTION_DAYS} days after the training year ends, then kept under a pseudonym; the townships’ counts stay.`,
      },
      export: (participantId) => data.trainingRecordsOf(participantId),
      async erase(participantId) {
        const count = await data.pseudonymizeTrainingRecords({ participantId });
        return { erased: 0, kept: { count, reason: keptWithoutPerson.trainingFigures } };
      },
    };

    const trainingCertificates: PersonalDataKind = {
      kind: 'training-certificates',
      title: { zhCn: '培训结业证书', en: 'Training certificates' },
      purpose: {
        zhCn: '您的结业证书（编号、项目、班级、学时、姓名掩码），供用人单位核验。',
        en: 'Your training certificates (code, programme, class, minutes, masked name), for employers to check.',
      },
      retention: {
        zhCn: `结业后 ${config.TRAINING_CERTIFICATE_RETENTION_DAYS} 天，之后证书无法再核验。`,
        en: `${config.TRAINING_CERTIFICATE_RETENTION_DAYS} days after the completion; after that the code no longer checks.`,
      },
      export: (participantId) => data.certificatesOf(participantId),
      async erase(participantId) {
        return { erased: await data.eraseCertificates(participantId) };
      },
    };

    const openContestEntries: ObligationCheck = async (participantId) => {
      const subject = await accountOf(participantId);
      if (subject === null) return [];
      return (await data.openContestsEnteredBy(subject)).map((contest) => ({
        code: 'CONTEST_ENTRY_AWAITING_RESULTS',
        explanation: {
          zhCn: `您在竞赛“${contest.title}”中的作品尚在评审，注销将撤回作品，不再参与评比。结果公布后即可无影响地注销。`,
          en: `Your entry in the contest “${contest.title}” is still being judged: closing your account withdraws it from the ranking. Once the results are published, closing changes nothing for it.`,
        },
      }));
    };
    const openJudging: ObligationCheck = async (participantId) => {
      const subject = await accountOf(participantId);
      if (subject === null) return [];
      return (await data.openContestsJudgedBy(subject)).map((contest) => ({
        code: 'CONTEST_JUDGING_OPEN',
        explanation: {
          zhCn: `您是竞赛“${contest.title}”的评委，结果尚未公布；注销后您将无法继续评分，请先完成评审或请主办方更换评委。`,
          en: `You judge the contest “${contest.title}”, whose results are not yet published: after closing your account you can no longer score. Finish judging first, or ask the organizer to replace you.`,
        },
      }));
    };

    return {
      kinds: [
        contestEntries,
        contestFiles,
        contestJudging,
        libraryKeeper,
        trainingRecords,
        trainingCertificates,
      ],
      // Entries before files: an entry's file is swept as an unused upload once the entry is gone.
      retention: [
        {
          kind: 'contest-entries',
          keepDays: config.CONTEST_ENTRY_RETENTION_DAYS,
          sweep: (cutoff) => data.sweepContestEntries(cutoff),
        },
        {
          kind: 'contest-files',
          keepDays: config.CONTEST_UPLOAD_RETENTION_DAYS,
          sweep: (cutoff) => data.sweepUnusedUploads(cutoff),
        },
        {
          kind: 'training-records',
          keepDays: config.TRAINING_RECORD_RETENTION_DAYS,
          sweep: (cutoff, signal) => data.sweepTrainingRecords(cutoff, signal),
        },
        {
          kind: 'training-certificates',
          keepDays: config.TRAINING_CERTIFICATE_RETENTION_DAYS,
          sweep: (cutoff) => data.sweepCertificates(cutoff),
        },
      ],
      obligations: [openContestEntries, openJudging],
    };
  },
);
