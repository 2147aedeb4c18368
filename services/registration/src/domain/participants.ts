/**
 * Participants' tiers and the rules for their personal identifiers. Only
 * format rules and masking live here; encryption and keyed hashing are
 * adapter concerns. Error messages never echo the value they reject.
 */
import { invalid, isRealDate, maskMiddle, type CalendarDate } from '@learning/domain';
import { isShortCode, normalizeShortCode, SHORT_CODE_LENGTH } from './short-codes.js';

// The kernel's vocabulary and contact rules, offered with the participant rules that use them.
export {
  ageOn,
  chinaDateOf,
  EMAIL_FORMAT,
  maskEmail,
  maskPhone,
  parseEmail,
  parseMobilePhone,
  PHONE_FORMAT,
  TIERS,
  type CalendarDate,
  type Tier,
} from '@learning/domain';

export const ID_NUMBER_FORMAT = 'ID_NUMBER_FORMAT';
export const ID_NUMBER_CHECK_DIGIT = 'ID_NUMBER_CHECK_DIGIT';
export const ID_NUMBER_BIRTH_DATE = 'ID_NUMBER_BIRTH_DATE';

// GB 11643-1999: weights 2^(17-i) mod 11 and the ISO 7064 MOD 11-2 check characters.
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARACTERS = '10X98765432';

export interface ResidentId {
  /** Upper-case, without surrounding spaces: the form to hash and store. */
  readonly idNumber: string;
  readonly birthDate: CalendarDate;
}

/**
 * Validates an 18-character resident ID number (居民身份证号码): 17 digits and
 * a check character, a real birth date not after `today`. The legacy
 * 15-digit form is refused: first-generation cards stopped being valid in 2013.
 */
export function parseIdNumber(raw: string, today: CalendarDate): ResidentId {
  const idNumber = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(idNumber)) {
    throw invalid(ID_NUMBER_FORMAT, 'An ID number has 17 digits followed by a digit or X.');
  }
  const sum = ID_WEIGHTS.reduce((total, weight, i) => total + weight * Number(idNumber[i]), 0);
  if (ID_CHECK_CHARACTERS[sum % 11] !== idNumber[17]) {
    throw invalid(ID_NUMBER_CHECK_DIGIT, 'The ID number does not match its check character.');
  }
  const year = Number(idNumber.slice(6, 10));
  const month = Number(idNumber.slice(10, 12));
  const day = Number(idNumber.slice(12, 14));
  const birthDate = `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
  if (year < 1900 || !isRealDate(year, month, day) || birthDate > today) {
    throw invalid(ID_NUMBER_BIRTH_DATE, 'The ID number does not contain a valid birth date.');
  }
  return { idNumber, birthDate };
}

/**
 * First 6 (the region of issue, useful to officers) and last 4 kept, the
 * 8 birth-date digits hidden: `110101********1234`. Values too short to keep
 * anything hidden are masked entirely.
 */
export const maskIdNumber = (idNumber: string): string => maskMiddle(idNumber, 6, 4);

/** The languages the platform writes to people in. */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** How a record came to be: the person themself, an officer for them, or a bulk import. */
export const PARTICIPANT_SOURCES = ['self', 'officer', 'import'] as const;
export type ParticipantSource = (typeof PARTICIPANT_SOURCES)[number];

export const NAME_MAX_LENGTH = 50;
export const EMPLOYER_MAX_LENGTH = 100;
export const PARTICIPANT_NAME_INVALID = 'PARTICIPANT_NAME_INVALID';
export const EMPLOYER_INVALID = 'EMPLOYER_INVALID';

// Control and invisible formatting characters would let two names look alike or break CSV exports.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/u;

function normalizeText(raw: string, maxLength: number, code: string, what: string): string {
  const text = raw.normalize('NFC').trim().replace(/\s+/gu, ' ');
  if (text.length === 0 || text.length > maxLength || UNPRINTABLE.test(text)) {
    throw invalid(code, `${what} has 1 to ${maxLength} printable characters.`);
  }
  return text;
}

/** A person's name as shown and searched: NFC, trimmed, inner whitespace collapsed. */
export const normalizeName = (raw: string): string =>
  normalizeText(raw, NAME_MAX_LENGTH, PARTICIPANT_NAME_INVALID, 'A name');

/** An employer's name, free text; blank means none. */
export const normalizeEmployer = (raw: string | null): string | null =>
  raw === null || raw.trim() === ''
    ? null
    : normalizeText(raw, EMPLOYER_MAX_LENGTH, EMPLOYER_INVALID, "An employer's name");

/** What is already stored that a new registration could collide with. */
export interface RegistrationClash {
  /** The record holding the same ID number, with the account it belongs to (null: none). */
  readonly sameIdNumber: { readonly accountSubject: string | null } | null;
  /** Whether the registering account already has a record. */
  readonly accountHasRecord: boolean;
}

/**
 * One person is registered once. The same account sending its own ID number
 * again gets its record back (a retried or repeated sign-up is not an error);
 * an ID number held by any other record, or an account that already has a
 * record under another number, is a conflict. A record an officer made has no
 * account: nobody claims it by knowing an ID number alone.
 */
export type RegistrationOutcome = 'new' | 'existing' | 'id_number_taken' | 'account_taken';

export function registrationOutcome(
  clash: RegistrationClash,
  subject: string,
): RegistrationOutcome {
  if (clash.sameIdNumber !== null)
    return clash.sameIdNumber.accountSubject === subject ? 'existing' : 'id_number_taken';
  return clash.accountHasRecord ? 'account_taken' : 'new';
}

/** The channels a person may consent to be notified on, beyond the in-app inbox. */
export const CONTACT_CHANNELS = ['sms', 'email', 'wechat'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

/** A channel's consent, and when it was last given or withdrawn (null: never asked). */
export interface ChannelConsent {
  readonly given: boolean;
  readonly changedAt: Date | null;
}
export type ChannelConsents = Readonly<Record<ContactChannel, ChannelConsent>>;

export const NO_CHANNEL_CONSENTS: ChannelConsents = {
  sms: { given: false, changedAt: null },
  email: { given: false, changedAt: null },
  wechat: { given: false, changedAt: null },
};

/** What a person (or the officer registering them) says; absent channels stay as they are. */
export type ConsentRequest = Partial<Record<ContactChannel | 'notifications', boolean>>;

export const CONSENT_CONTRADICTORY = 'CONSENT_CONTRADICTORY';

export const consentsToAnyChannel = (consents: ChannelConsents): boolean =>
  CONTACT_CHANNELS.some((channel) => consents[channel].given);

/**
 * The consents after a request. The channels named are set; a channel whose
 * answer changes is stamped `now`. `notifications` is the older, single
 * answer, kept meaning "consents to at least one channel": alone, `true`
 * gives SMS (the one channel it covered) unless some channel is consented
 * already, and `false` withdraws every channel. Sent with channels, it must
 * agree with them.
 */
export function consentsAfter(
  before: ChannelConsents,
  request: ConsentRequest,
  now: Date,
): ChannelConsents {
  const named = CONTACT_CHANNELS.filter((channel) => request[channel] !== undefined);
  const wanted: Record<ContactChannel, boolean> = {
    sms: before.sms.given,
    email: before.email.given,
    wechat: before.wechat.given,
  };
  if (named.length > 0) {
    for (const channel of named) wanted[channel] = request[channel] === true;
    const any = CONTACT_CHANNELS.some((channel) => wanted[channel]);
    if (request.notifications !== undefined && request.notifications !== any)
      throw invalid(
        CONSENT_CONTRADICTORY,
        'notifications says whether any channel is consented to; it contradicts the channels sent.',
      );
  } else if (request.notifications === false) {
    for (const channel of CONTACT_CHANNELS) wanted[channel] = false;
  } else if (request.notifications === true && !CONTACT_CHANNELS.some((c) => wanted[c])) {
    wanted.sms = true;
  }
  const next = (channel: ContactChannel): ChannelConsent =>
    wanted[channel] === before[channel].given
      ? before[channel]
      : { given: wanted[channel], changedAt: now };
  return { sms: next('sms'), email: next('email'), wechat: next('wechat') };
}

/** The consented channels, in a fixed order, as a record's fields compare and events name them. */
export const consentedChannels = (consents: ChannelConsents): ContactChannel[] =>
  CONTACT_CHANNELS.filter((channel) => consents[channel].given);

export const WECHAT_OPENID_FORMAT = 'WECHAT_OPENID_FORMAT';
const WECHAT_OPENID = /^[A-Za-z0-9_-]{16,64}$/;

/** The person's openid at the city's WeChat official account, as WeChat issues them. */
export function parseWechatOpenId(raw: string): string {
  const openId = raw.trim();
  if (!WECHAT_OPENID.test(openId))
    throw invalid(
      WECHAT_OPENID_FORMAT,
      'A WeChat openid has 16 to 64 letters, digits, "_" or "-", as the official account gives it.',
    );
  return openId;
}

/** The fields a participant's correction may change, as the domain compares them. */
export interface CorrectableFields {
  readonly name: string;
  /** The normalized 11 digits; null when none. */
  readonly phone: string | null;
  /** Compared by keyed hash, like the phone; null when none. */
  readonly email: string | null;
  readonly wechatOpenId: string | null;
  readonly language: Language;
  readonly notificationsConsent: boolean;
  /** The consented channels (`consentedChannels`). */
  readonly notificationConsents: readonly ContactChannel[];
  readonly employer: string | null;
  /** The home jurisdiction's path from the city down. */
  readonly jurisdictionPath: readonly string[];
}

export type CorrectableField = keyof CorrectableFields;

/** What only an officer may correct (the person asks one). */
export type OfficerCorrectableField = 'idNumber' | 'tier';

const CORRECTABLE_FIELDS: readonly CorrectableField[] = [
  'name',
  'phone',
  'email',
  'wechatOpenId',
  'language',
  'notificationsConsent',
  'notificationConsents',
  'employer',
  'jurisdictionPath',
];

const sameValue = (a: unknown, b: unknown): boolean =>
  Array.isArray(a) && Array.isArray(b)
    ? a.length === b.length && a.every((item, index) => item === b[index])
    : a === b;

/** The names of the fields whose value differs, in a fixed order; empty when nothing changed. */
export const changedFields = (
  before: CorrectableFields,
  after: CorrectableFields,
): CorrectableField[] =>
  CORRECTABLE_FIELDS.filter((field) => !sameValue(before[field], after[field]));

/**
 * Claim codes (short codes, see short-codes.ts): how a person takes over the
 * record an officer (or an import) made for them without an account; useless
 * without the matching ID number.
 */
export const CLAIM_CODE_FORMAT = 'CLAIM_CODE_FORMAT';
const DAY_MS = 24 * 60 * 60 * 1000;

export function parseClaimCode(raw: string): string {
  const code = normalizeShortCode(raw);
  if (!isShortCode(code)) {
    throw invalid(
      CLAIM_CODE_FORMAT,
      `A claim code has ${SHORT_CODE_LENGTH} letters and digits, as printed on the slip.`,
    );
  }
  return code;
}

/** When a code issued at `issuedAt` stops working. */
export const claimCodeExpiry = (issuedAt: Date, validityDays: number): Date =>
  new Date(issuedAt.getTime() + validityDays * DAY_MS);

/** A record without an account waits for its person to claim it with a code from an officer. */
export const awaitsClaim = (record: { readonly accountSubject: string | null }): boolean =>
  record.accountSubject === null;

/** The code a record waits with: only its keyed hash is kept. */
export interface PendingClaimCode {
  readonly hash: string;
  readonly expiresAt: Date;
}

export interface ClaimAttempt {
  /** The record holding the ID number given, with its account and pending code; null when none. */
  readonly holder: {
    readonly accountSubject: string | null;
    readonly claimCode: PendingClaimCode | null;
  } | null;
  /** Whether the claiming account already has a record. */
  readonly accountHasRecord: boolean;
  /** Whether the code given hashes to the holder's pending code (compared by the caller in constant time). */
  readonly codeMatches: boolean;
  readonly now: Date;
}

/**
 * A person claims the record waiting for them with its ID number and a live
 * code. The account that already holds the record gets it back (a retried
 * claim); an account with a record of its own is a conflict. Everything else
 * (no such record, claimed by another account, no code, a wrong or expired
 * code) is one refusal, so a refusal says nothing about any record.
 */
export type ClaimOutcome = 'claim' | 'existing' | 'account_taken' | 'refused';

export function claimOutcome(attempt: ClaimAttempt, subject: string): ClaimOutcome {
  const { holder } = attempt;
  if (holder !== null && holder.accountSubject === subject) return 'existing';
  if (attempt.accountHasRecord) return 'account_taken';
  if (holder === null || !awaitsClaim(holder) || holder.claimCode === null) return 'refused';
  const live = holder.claimCode.expiresAt.getTime() > attempt.now.getTime();
  return live && attempt.codeMatches ? 'claim' : 'refused';
}
