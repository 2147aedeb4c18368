/**
 * A person's rights over their personal information (PIPL; decision 0022):
 * consent per purpose against a versioned text, the copy of their data
 * gathered from every service, and closing their account. Rules only; the
 * stores and the calls to other services are adapters' concerns.
 */
import { invalid } from '@learning/domain';
import type { Language } from './participants.js';

/** What a person may agree to, each separately (the `ConsentPurpose` enum of the contract). */
export const CONSENT_PURPOSES = [
  'notifications_sms',
  'notifications_email',
  'notifications_wechat',
  'publicity',
  'employer_sharing',
] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** The purposes that are a notification channel, kept also in the record's channel consents. */
export const CHANNEL_OF_PURPOSE = {
  notifications_sms: 'sms',
  notifications_email: 'email',
  notifications_wechat: 'wechat',
} as const satisfies Partial<Record<ConsentPurpose, string>>;

export interface LocalizedText {
  readonly 'zh-CN': string;
  readonly en: string;
}

export interface ConsentText {
  readonly purpose: ConsentPurpose;
  /** Changes whenever the wording does: a consent is to one version of the text. */
  readonly version: string;
  readonly title: LocalizedText;
  readonly text: LocalizedText;
}

/**
 * The texts people agree to now. A new wording gets a new version; consents
 * given to an older one stay recorded with it, and a change of consent must
 * name the version shown to the person, so nobody agrees to words they did not see.
 */
export const CONSENT_TEXTS: readonly ConsentText[] = [
  {
    purpose: 'notifications_sms',
    version: '2026-12',
    title: { 'zh-CN': '短信通知', en: 'Notices by text message' },
    text: {
      'zh-CN':
        '我同意平台向我登记的手机号码发送与我报名的活动、讲座和学分相关的通知。我可以随时撤回。',
      en: 'I agree that the platform sends notices about my sign-ups, lectures and credits to the mobile number on my record. I may withdraw at any time.',
    },
  },
  {
    purpose: 'notifications_email',
    version: '2026-12',
    title: { 'zh-CN': '电子邮件通知', en: 'Notices by email' },
    text: {
      'zh-CN': '我同意平台向我登记的电子邮箱发送与我的学习活动相关的通知。我可以随时撤回。',
      en: 'I agree that the platform sends notices about my learning to the email address on my record. I may withdraw at any time.',
    },
  },
  {
    purpose: 'notifications_wechat',
    version: '2026-12',
    title: { 'zh-CN': '微信公众号通知', en: 'Notices through WeChat' },
    text: {
      'zh-CN':
        '我同意平台通过市学习型社会微信公众号向我发送与我的学习活动相关的通知。我可以随时撤回。',
      en: "I agree that the platform sends notices about my learning through the city's WeChat official account. I may withdraw at any time.",
    },
  },
  {
    purpose: 'publicity',
    version: '2026-12',
    title: { 'zh-CN': '典型宣传', en: 'Publicity as an exemplary case' },
    text: {
      'zh-CN':
        '如我获评学习典型，我同意平台公开我的姓名、照片和学习故事用于宣传。未经同意不会公开；撤回后不再新增宣传。',
      en: 'If I am named an exemplary learner, I agree that the platform publishes my name, photo and learning story. Nothing is published without this consent; after I withdraw, nothing more is published.',
    },
  },
  {
    purpose: 'employer_sharing',
    version: '2026-12',
    title: { 'zh-CN': '向用人单位提供学习记录', en: 'Sharing my learning record with an employer' },
    text: {
      'zh-CN':
        '我同意用人单位凭我提供的验证码核验我的学习记录（学分和参加的活动）。撤回后验证码立即失效。',
      en: 'I agree that an employer may verify my learning record (credits and activities attended) with a code I give them. When I withdraw, the codes stop working at once.',
    },
  },
];

export const currentConsentText = (purpose: ConsentPurpose): ConsentText => {
  const text = CONSENT_TEXTS.find((candidate) => candidate.purpose === purpose);
  if (text === undefined) throw new Error(`no consent text for ${purpose}`);
  return text;
};

export const CONSENT_TEXT_OUTDATED = 'CONSENT_TEXT_OUTDATED';
export const CONSENT_PURPOSE_REPEATED = 'CONSENT_PURPOSE_REPEATED';

export interface ConsentChoice {
  readonly purpose: ConsentPurpose;
  readonly given: boolean;
  readonly textVersion: string;
}

/**
 * Checks the choices a person sends: each purpose once, each against the
 * text shown now. A stale version is refused (the person saw other words).
 */
export function checkConsentChoices(choices: readonly ConsentChoice[]): void {
  const seen = new Set<ConsentPurpose>();
  for (const choice of choices) {
    if (seen.has(choice.purpose))
      throw invalid(CONSENT_PURPOSE_REPEATED, `The purpose ${choice.purpose} is sent twice.`);
    seen.add(choice.purpose);
  }
}

/** The purposes whose text version the person saw is not the current one. */
export const outdatedChoices = (choices: readonly ConsentChoice[]): ConsentChoice[] =>
  choices.filter((choice) => choice.textVersion !== currentConsentText(choice.purpose).version);

/** One service's part of a person's copy of their data, as the export job tracks it. */
export const EXPORT_PART_STATUSES = ['pending', 'done', 'failed'] as const;
export type ExportPartStatus = (typeof EXPORT_PART_STATUSES)[number];

/**
 * How long to wait before asking a service that failed again: doubling from
 * `baseMs` per attempt, at most `maxMs`, so a service that is down is not
 * hammered and one that is back is asked again soon.
 */
export function retryDelayMs(attempts: number, baseMs: number, maxMs: number): number {
  const exponent = Math.max(0, Math.min(attempts - 1, 30));
  return Math.min(maxMs, baseMs * 2 ** exponent);
}

/** Words of a readable summary, in the person's language. */
export const pick = (text: LocalizedText | { zhCn: string; en: string }, language: Language) =>
  'zhCn' in text ? (language === 'en' ? text.en : text.zhCn) : text[language];
