/**
 * What a participant record becomes for each reader: the person themself
 * (their own numbers in full), officers and services (masked), the audit
 * trail (masked, the name too, under names the log redaction leaves readable), and the
 * profile events carry (no personal data at all).
 */
import { maskPersonName } from '@learning/domain';
import type { PiiVault } from '@learning/pii';
import {
  CONTACT_CHANNELS,
  type ContactChannel,
  type Language,
  type ParticipantSource,
  type Tier,
} from '../../domain/participants.js';
import type { ParticipantRecord } from './participant-repository.js';

export interface MaskedParticipantView extends ContactMasks {
  readonly id: string;
  readonly name: string;
  readonly tier: Tier;
  readonly jurisdictionPath: string[];
  /** The year alone: the full birth date is part of the ID number, which officers see masked. */
  readonly birthYear: number | null;
  readonly idNumberMasked: string;
  readonly phoneMasked: string | null;
  readonly language: Language;
  readonly consent: ConsentView;
  readonly employer: string | null;
  readonly source: ParticipantSource;
  readonly hasAccount: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

export type ConsentView = {
  readonly notifications: boolean;
  readonly updatedAt: string;
} & Readonly<
  Record<ContactChannel, { readonly given: boolean; readonly changedAt: string | null }>
>;

/** Shown to every reader, the person included: an address's existence, never an openid. */
export interface ContactMasks {
  /** Like z***@example.com. */
  readonly emailMasked: string | null;
  readonly hasWechatOpenId: boolean;
}

export interface OwnParticipantView extends Omit<
  MaskedParticipantView,
  'birthYear' | 'idNumberMasked' | 'phoneMasked'
> {
  readonly birthDate: string | null;
  readonly idNumber: string;
  readonly phone: string | null;
}

/** What every reader sees alike: no personal identifier. */
function consentView(record: ParticipantRecord): ConsentView {
  const channels = Object.fromEntries(
    CONTACT_CHANNELS.map((channel) => {
      const { given, changedAt } = record.consent.channels[channel];
      return [channel, { given, changedAt: changedAt?.toISOString() ?? null }];
    }),
  ) as Record<ContactChannel, { given: boolean; changedAt: string | null }>;
  return {
    notifications: record.consent.notifications,
    updatedAt: record.consent.updatedAt.toISOString(),
    ...channels,
  };
}

function profileView(record: ParticipantRecord) {
  return {
    id: record.id,
    name: record.name,
    tier: record.tier,
    jurisdictionPath: [...record.jurisdictionPath],
    language: record.language,
    consent: consentView(record),
    emailMasked: record.email?.masked ?? null,
    hasWechatOpenId: record.wechatOpenId !== null,
    employer: record.employer,
    source: record.source,
    hasAccount: record.accountSubject !== null,
  };
}

const masks = (record: ParticipantRecord) => ({
  birthYear: record.birthDate === null ? null : Number(record.birthDate.slice(0, 4)),
  idNumberMasked: record.idNumber.masked,
  phoneMasked: record.phone?.masked ?? null,
});

const bookkeeping = (record: ParticipantRecord) => ({
  createdAt: record.createdAt.toISOString(),
  updatedAt: record.updatedAt.toISOString(),
  version: record.version,
});

export const maskedView = (record: ParticipantRecord): MaskedParticipantView => ({
  ...profileView(record),
  ...masks(record),
  ...bookkeeping(record),
});

/** The person's own record: they may see their own numbers, so they are decrypted. */
export const ownView = (record: ParticipantRecord, pii: PiiVault): OwnParticipantView => ({
  ...profileView(record),
  birthDate: record.birthDate,
  idNumber: pii.decrypt(record.idNumber.sealed),
  phone: record.phone === null ? null : pii.decrypt(record.phone.sealed),
  ...bookkeeping(record),
});

/**
 * Before/after of an audit record: masked, the name too, without the bookkeeping fields.
 * Audit records travel on the audit topic and stay in the log after the person's account
 * is closed, so they carry nothing that names the person (issue 18).
 */
export const auditView = (record: ParticipantRecord): Record<string, unknown> => ({
  ...profileView(record),
  name: maskPersonName(record.name),
  ...masks(record),
});
