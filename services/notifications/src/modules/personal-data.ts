/**
 * The personal data this service holds, declared to the privacy kit
 * (decision 0022): per kind what it is, why and for how long (shown to the
 * person in both languages), the person's records for their copy, erasure
 * when they close their account, and the retention sweeps. README "Personal
 * data" is the same inventory for the data-protection officer; a test holds
 * every collection naming a participant to this list or to its list of
 * collections without personal data.
 */
import { consumerGroups } from '@learning/events';
import { personalDataModule as privacyModule, type PersonalDataKind } from '@learning/privacy';
import { MongoPersonalData, type Erased } from '../adapters/mongo/personal-data.js';
import type { Platform } from '../platform.js';

/** The collections each kind covers: what the declaration test holds the database to. */
export const PERSONAL_DATA_COLLECTIONS = {
  preferences: ['preferences'],
  'channel-consents': ['channel_consents'],
  notices: ['deliveries'],
  'read-marks': ['inbox_reads'],
  'broadcast-receipts': ['broadcast_batches'],
  reminders: ['reminders'],
} as const satisfies Record<string, readonly string[]>;

export type PersonalDataKindName = keyof typeof PERSONAL_DATA_COLLECTIONS;

type Texts = Pick<PersonalDataKind, 'title' | 'purpose' | 'retention'>;

const days = (count: number): { zhCn: string; en: string } => ({
  zhCn: `${count}天`,
  en: `${count} days`,
});

function kindsOf(platform: Platform, data: MongoPersonalData): PersonalDataKind[] {
  const { config } = platform;
  const notices = days(config.NOTICE_RETENTION_DAYS);
  const broadcasts = days(config.BROADCAST_RETENTION_DAYS);
  const reminders = days(config.REMINDER_RETENTION_DAYS);
  const declare = (
    kind: PersonalDataKindName,
    texts: Texts,
    exportOf: (participantId: string) => Promise<readonly unknown[]>,
    erase: (participantId: string, requestId: string) => Promise<Erased>,
  ): PersonalDataKind => ({
    kind,
    ...texts,
    export: exportOf,
    erase: (participantId, context) => erase(participantId, context.requestId),
  });

  return [
    declare(
      'preferences',
      {
        title: { zhCn: '通知偏好', en: 'Notification preferences' },
        purpose: {
          zhCn: '按您的设置发送通知：语言、时区、免打扰时段、退订的类别和渠道、摘要方式。',
          en: 'To send notices as you set: language, time zone, quiet hours, the categories and channels you opted out of, and digests.',
        },
        retention: {
          zhCn: '账户存续期间保存；注销账户时删除。',
          en: 'Kept while your account exists; deleted when you close it.',
        },
      },
      (id) => data.preferencesOf(id),
      (id) => data.erasePreferences(id),
    ),
    declare(
      'channel-consents',
      {
        title: { zhCn: '通知渠道同意记录', en: 'Consent to notification channels' },
        purpose: {
          zhCn: '记录您对短信、电子邮件、微信通知的同意或撤回（及同意文本版本），撤回后立即停止该渠道的发送。',
          en: 'Your consent to notices by SMS, email and WeChat, or its withdrawal (with the text version), so a withdrawn channel stops at once.',
        },
        retention: {
          zhCn: '账户存续期间保存；注销账户时删除（登记服务另存同意记录）。',
          en: 'Kept while your account exists; deleted when you close it (registration keeps the consent record itself).',
        },
      },
      (id) => data.consentsOf(id),
      (id) => data.eraseConsents(id),
    ),
    declare(
      'notices',
      {
        title: { zhCn: '个人通知及送达记录', en: 'Your notices and their delivery' },
        purpose: {
          zhCn: '站内信箱中发给您的通知，以及每条通知在各渠道的送达情况（已送达、暂缓、摘要、失败或未发送的原因）。',
          en: 'The notices sent to you in the in-app inbox, and what became of each on every channel (delivered, held, in a digest, failed, or why it was not sent).',
        },
        retention: {
          zhCn: `通知生成后保存${notices.zhCn}；注销账户时删除。`,
          en: `Kept ${notices.en} after the notice was made; deleted when you close your account.`,
        },
      },
      (id) => data.noticesOf(id),
      (id) => data.eraseNotices(id),
    ),
    declare(
      'read-marks',
      {
        title: { zhCn: '已读标记', en: 'Read marks' },
        purpose: {
          zhCn: '记录您在信箱中读过哪些通知，用于显示未读数。',
          en: 'Which inbox entries you have read, to show what is unread.',
        },
        retention: {
          zhCn: `随所标记的通知保存，最长${days(Math.max(config.NOTICE_RETENTION_DAYS, config.BROADCAST_RETENTION_DAYS)).zhCn}；注销账户时删除。`,
          en: `Kept as long as the entries they mark, at most ${days(Math.max(config.NOTICE_RETENTION_DAYS, config.BROADCAST_RETENTION_DAYS)).en}; deleted when you close your account.`,
        },
      },
      (id) => data.readMarksOf(id),
      (id) => data.eraseReadMarks(id),
    ),
    declare(
      'broadcast-receipts',
      {
        title: { zhCn: '公告接收记录', en: 'Announcements that reached you' },
        purpose: {
          zhCn: '您所在受众收到的公告及活动推送，显示在您的信箱中，并记录各渠道副本的结果。',
          en: 'The announcements and event broadcasts your audience received, shown in your inbox, and what became of their copies on each channel.',
        },
        retention: {
          zhCn: `公告发送后保存${broadcasts.zhCn}；注销账户时将您从受众名单中移除，公告的统计数字保留但不指向任何人。`,
          en: `Kept ${broadcasts.en} after the broadcast; closing your account takes you out of its audience lists, and its counts stay without naming anyone.`,
        },
      },
      (id) => data.broadcastReceiptsOf(id),
      (id, requestId) => data.eraseBroadcastReceipts(id, requestId),
    ),
    declare(
      'reminders',
      {
        title: { zhCn: '活动提醒', en: 'Reminders' },
        purpose: {
          zhCn: '您报名的活动、讲座、培训开始前一天和一小时的提醒（标题、时间、地点）。',
          en: 'Reminders a day and an hour before what you signed up for (its title, times and venue).',
        },
        retention: {
          zhCn: `提醒到期（发送、跳过或取消）后保存${reminders.zhCn}；注销账户时删除。`,
          en: `Kept ${reminders.en} after falling due (sent, skipped or dropped); deleted when you close your account.`,
        },
      },
      (id) => data.remindersOf(id),
      (id) => data.eraseReminders(id),
    ),
  ];
}

/**
 * No obligation checks: nothing here is owed to anyone else. Notices still
 * waiting and planned reminders exist for the person alone, and closing the
 * account is their wish that they stop.
 */
export const personalDataModule = privacyModule<Platform>(
  { service: 'notifications', erasureGroup: consumerGroups.notificationsErasure },
  (platform) => {
    const data = new MongoPersonalData(platform.mongo);
    const { config } = platform;
    return {
      kinds: kindsOf(platform, data),
      retention: [
        {
          kind: 'notices',
          keepDays: config.NOTICE_RETENTION_DAYS,
          sweep: (cutoff) => data.sweepNotices(cutoff),
        },
        {
          kind: 'read-marks',
          keepDays: Math.max(config.NOTICE_RETENTION_DAYS, config.BROADCAST_RETENTION_DAYS),
          sweep: (cutoff) => data.sweepReadMarks(cutoff),
        },
        {
          kind: 'broadcast-receipts',
          keepDays: config.BROADCAST_RETENTION_DAYS,
          sweep: (cutoff) => data.sweepBroadcastReceipts(cutoff),
        },
        {
          kind: 'reminders',
          keepDays: config.REMINDER_RETENTION_DAYS,
          sweep: (cutoff) => data.sweepReminders(cutoff),
        },
        {
          kind: 'webhook-deliveries',
          keepDays: config.WEBHOOK_DELIVERY_RETENTION_DAYS,
          sweep: (cutoff) => data.sweepWebhookDeliveries(cutoff),
        },
      ],
    };
  },
);
