/**
 * Scoring's personal data declared to the privacy kit (decision 0022): each
 * kind it holds about a person with why and how long, the person's copy of
 * it, what closing their account erases or keeps unlinked, the retention
 * sweeps, and what erasure would cut short. The inventory, with the reasons,
 * is the README's "Personal data".
 */
import { consumerGroups } from '@learning/events';
import {
  personalDataModule,
  type LocalizedText,
  type ObligationCheck,
  type PersonalDataKind,
} from '@learning/privacy';
import {
  awardModel,
  awardRoundModel,
  caseModel,
  nominationModel,
} from '../adapters/mongo/awards-models.js';
import { certificateModel } from '../adapters/mongo/certificates.js';
import { consentModel, MongoConsents } from '../adapters/mongo/consents.js';
import { factModel } from '../adapters/mongo/facts.js';
import { ledgerEntryModel } from '../adapters/mongo/ledger.js';
import { ErasurePseudonyms, MongoPersonalData } from '../adapters/mongo/personal-data.js';
import { RedisBoards } from '../adapters/redis/boards.js';
import { forgetMaskedName } from '../adapters/redis/masked-names.js';
import type { Platform } from '../platform.js';
import { publicPagesOf } from './public-pages.js';

const text = (zhCn: string, en: string): LocalizedText => ({ zhCn, en });

/** Ledger entries stay for the sums, unlinked: the completion's tally says why. */
const LEDGER_KEPT =
  'credits ledger: amounts, areas and organizations stay for the areas’ and organizations’ totals and the annual evaluation, under a random id';
const AWARDS_KEPT =
  'granted awards: the round’s places and the funding line’s commitments stay, under a random id without a name';

/** Open nominations: erasure withdraws them, which the person should know before asking. */
function pendingNominations(data: MongoPersonalData): ObligationCheck {
  return async (participantId) =>
    (await data.pendingNominationsOf(participantId)).map((round) => ({
      code: 'AWARD_NOMINATION_PENDING',
      explanation: text(
        `您在“${round.title}”（${String(round.year)}年度）评选中被提名，评选尚未公布。注销账户将撤回该提名，之后无法恢复。评选结果公布后，提名即告结束。`,
        `You are nominated in “${round.title}” (${String(round.year)}), whose results are not published yet. Closing your account withdraws the nomination for good. It ends when the round’s results are published.`,
      ),
      // No resolvesBy: results follow at the office's publication, on no fixed date.
    }));
}

function kindsOf(platform: Platform, data: MongoPersonalData): PersonalDataKind[] {
  const { mongo, redis, config } = platform;
  const consents = new MongoConsents(consentModel(mongo));
  const boards = new RedisBoards(redis, config.MONGODB_DATABASE);
  const leaderboardPages = publicPagesOf(platform, 'leaderboards');
  const awardPages = publicPagesOf(platform, 'awards');
  const casePages = publicPagesOf(platform, 'cases');
  const verificationPages = publicPagesOf(platform, 'verifications');

  return [
    {
      kind: 'credit-sources',
      title: text('学分来源记录', 'What earned you credits'),
      purpose: text(
        '记录您参加的讲座、活动、培训、课程和竞赛，据此按学分规则计算学分。',
        'The lectures, activities, training sessions, lessons and contests you took part in, from which your credits are computed under the credit rules.',
      ),
      retention: text(
        '账户存续期间保留；注销账户时删除。',
        'Kept while your account exists; deleted when you close it.',
      ),
      export: (participantId) => data.creditSources(participantId),
      erase: async (participantId) => ({ erased: await data.eraseCreditSources(participantId) }),
    },
    {
      kind: 'credits',
      title: text('学分账户', 'Your learning credits'),
      purpose: text(
        '您的终身学习学分记录（学习档案），也计入所在区域和组织的学分合计及年度评估。',
        'Your lifelong learning record of credits, also counted in your area’s and organizations’ totals and in the annual evaluation.',
      ),
      retention: text(
        '账户存续期间保留；注销账户后学分条目去标识化保留（仅保留分值、区域和组织，不再与您关联），以保证区域合计和年度评估不变。',
        'Kept while your account exists; when you close it, the entries stay de-identified (amounts, areas and organizations only, no longer linked to you) so that the areas’ totals and the annual evaluation still add up.',
      ),
      export: (participantId) => data.credits(participantId),
      erase: async (participantId, { requestId }) => {
        const kept = await data.pseudonymizeCredits(participantId, requestId);
        return { erased: 0, kept: { count: kept, reason: LEDGER_KEPT } };
      },
    },
    {
      kind: 'certificates',
      title: text('学习档案导出凭证', 'Certificates of your exported records'),
      purpose: text(
        '您每次导出学习档案时签发的核验码、导出的合计和脱敏姓名，供您交给的单位核验真伪。',
        'The verification code, totals and masked name issued with each export of your record, so whoever you give it to can check it is genuine.',
      ),
      retention: text(
        `签发后保留 ${String(config.CERTIFICATES_RETENTION_DAYS)} 天，到期后核验码不再有效；注销账户时删除。`,
        `Kept ${String(config.CERTIFICATES_RETENTION_DAYS)} days after issue, after which the code no longer verifies; deleted when you close your account.`,
      ),
      export: (participantId) => data.certificatesOf(participantId),
      erase: async (participantId) => {
        const erased = await data.eraseCertificates(participantId);
        // A verification answer cached meanwhile goes with the certificates.
        await verificationPages.invalidate();
        return { erased };
      },
    },
    {
      kind: 'leaderboard-standings',
      title: text('排行榜名次', 'Your places on the leaderboards'),
      purpose: text(
        '按学分排列的公开排行榜（只显示脱敏姓名），由学分账户生成。',
        'The public leaderboards by credits (masked names only), derived from the credits ledger.',
      ),
      retention: text(
        '随学分账户更新；注销账户时从所有排行榜移除。',
        'Follows the credits ledger; you are removed from every board when you close your account.',
      ),
      export: async (participantId) =>
        (await boards.standingsOf(await data.ledgerYears(), participantId)).map(
          ({ year, board, score }) => ({ year, board, credits: score / 100 }),
        ),
      erase: async (participantId) => {
        const removed = await boards.removeFromAll(await data.ledgerYears(), participantId);
        await forgetMaskedName(redis, config.MONGODB_DATABASE, participantId);
        await leaderboardPages.invalidate();
        return { erased: removed };
      },
    },
    {
      kind: 'nominations',
      title: text('评选提名', 'Award nominations'),
      purpose: text(
        '年度评选中对您的提名：推荐理由、当时的学分证据和专家评分意见。',
        'Your nominations in the annual awards: the statement, the credit evidence at the time, and the experts’ scores and comments.',
      ),
      retention: text(
        `未获奖的提名在评选公布后保留 ${String(config.NOMINATIONS_RETENTION_DAYS)} 天；获奖提名作为授奖依据保留。注销账户时删除未获奖提名，获奖提名去标识化保留。`,
        `A nomination that was not awarded is kept ${String(config.NOMINATIONS_RETENTION_DAYS)} days after its round was published; an awarded one stays as the award’s basis. When you close your account the ones not awarded are deleted and the awarded ones stay de-identified.`,
      ),
      export: (participantId) => data.nominationsOf(participantId),
      erase: async (participantId, { requestId }) => {
        const { deleted, kept } = await data.eraseNominations(participantId, requestId);
        return {
          erased: deleted,
          kept: {
            count: kept,
            reason:
              'awarded nominations: the award’s basis (scores, evidence figures) stays, without name, statement or comments',
          },
        };
      },
    },
    {
      kind: 'awards',
      title: text('获奖记录', 'Your awards'),
      purpose: text(
        '授予您的年度表彰及物质奖励，公开名单中只显示脱敏姓名。',
        'The annual honours and material awards granted to you; public lists show your name masked.',
      ),
      retention: text(
        '长期保留（表彰和经费记录）；注销账户后去标识化保留，不再显示姓名。',
        'Kept for good (honours and funding records); after you close your account they stay de-identified, without your name.',
      ),
      export: (participantId) => data.awardsOf(participantId),
      erase: async (participantId, { requestId }) => {
        const kept = await data.pseudonymizeAwards(participantId, requestId);
        await awardPages.invalidate();
        return { erased: 0, kept: { count: kept, reason: AWARDS_KEPT } };
      },
    },
    {
      kind: 'exemplary-cases',
      title: text('典型案例', 'Your exemplary case'),
      purpose: text(
        '经您书面同意后公开的先进事迹：标题、正文、图片和同意记录。',
        'The story of your award published with your written consent: title, text, images and the consent record.',
      ),
      retention: text(
        '撤回同意后不再公开；注销账户时删除。',
        'No longer published once you withdraw consent; deleted when you close your account.',
      ),
      export: (participantId) => data.casesOf(participantId),
      erase: async (participantId) => {
        const erased = await data.eraseCases(participantId);
        await casePages.invalidate();
        return { erased };
      },
    },
    {
      kind: 'consents',
      title: text('同意记录', 'Your consents'),
      purpose: text(
        '您对公开典型案例和用人单位核验学习档案的同意或撤回（由登记服务记录），撤回后立即停止相应使用。',
        'Whether you agreed to publicity as an exemplary case and to employers verifying your record (recorded by registration); a withdrawal stops the use at once.',
      ),
      retention: text(
        '账户存续期间保留；注销账户时删除。',
        'Kept while your account exists; deleted when you close it.',
      ),
      export: (participantId) => consents.of(participantId),
      erase: async (participantId) => ({ erased: await consents.erase(participantId) }),
    },
  ];
}

export const personalDataModuleOfScoring = personalDataModule<Platform>(
  { service: 'scoring', erasureGroup: consumerGroups.scoringErasure },
  (platform) => {
    const { config, mongo } = platform;
    const data = new MongoPersonalData(
      {
        facts: factModel(mongo),
        ledger: ledgerEntryModel(mongo),
        certificates: certificateModel(mongo),
        rounds: awardRoundModel(mongo),
        nominations: nominationModel(mongo),
        awards: awardModel(mongo),
        cases: caseModel(mongo),
      },
      new ErasurePseudonyms(Buffer.from(config.VERIFICATION_KEY, 'base64')),
    );
    return {
      kinds: kindsOf(platform, data),
      retention: [
        {
          kind: 'certificates',
          keepDays: config.CERTIFICATES_RETENTION_DAYS,
          sweep: (cutoff) => data.sweepCertificates(cutoff),
        },
        {
          kind: 'nominations',
          keepDays: config.NOMINATIONS_RETENTION_DAYS,
          sweep: (cutoff) => data.sweepNominations(cutoff),
        },
      ],
      obligations: [pendingNominations(data)],
    };
  },
);
