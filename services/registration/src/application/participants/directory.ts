/**
 * What other services may know about participants: masked records by id,
 * contacts for the notifications service alone (each address only for a
 * channel its person consented to), and audiences streamed page by page. Services act for the
 * platform, so they read city-wide.
 */
import { AppError } from '@learning/errors';
import { type Principal, Scope } from '@learning/auth';
import { isJurisdictionCode, isUuid } from '@learning/http';
import type { PiiVault } from '@learning/pii';
import type { CurrentMemberships } from '../memberships/membership-repository.js';
import type { AudienceFilter, AudienceMember, AudienceSource } from './audience-source.js';
import { AUDIENCE_FILTER_INVALID, CONTACTS_FORBIDDEN, PARTICIPANT_IDS_INVALID } from './errors.js';
import type {
  ParticipantRecord,
  ParticipantRepository,
  ProtectedValue,
} from './participant-repository.js';

export const MAX_IDS = 500;
/** Fewer by account: each is its own indexed lookup. */
export const MAX_ACCOUNT_SUBJECTS = 100;
/** A token's `sub`, as @learning/auth accepts it. */
const MAX_SUBJECT_LENGTH = 128;
export const MAX_AUDIENCE_PAGE = 1000;
const MAX_FILTER_VALUES = 1000;
/** The only service that may read phone numbers in full: it sends the SMS. */
export const CONTACTS_READER = 'notifications';

const directoryScope = Scope.system('participant directory');
const EVENT_KEY_PATTERN = /^[a-z][a-z0-9-]{0,31}:[A-Za-z0-9_-]{1,128}$/;

const invalidIds = (message: string): AppError =>
  new AppError('invalid_argument', PARTICIPANT_IDS_INVALID, message, {
    details: [{ field: '/ids', message }],
  });

/** The distinct ids, or INVALID_ARGUMENT for none, too many, or one that is not a participant id. */
function validIds(ids: readonly string[]): string[] {
  if (ids.length === 0 || ids.length > MAX_IDS)
    throw invalidIds(`Send 1 to ${MAX_IDS} participant ids.`);
  if (!ids.every(isUuid)) throw invalidIds('Every participant id is a lower-case UUID.');
  return [...new Set(ids)];
}

export interface DirectoryDeps {
  readonly participants: ParticipantRepository;
  readonly audience: AudienceSource;
  readonly pii: PiiVault;
  readonly memberships: CurrentMemberships;
}

export function getDirectoryParticipants(deps: Pick<DirectoryDeps, 'participants'>) {
  return async (ids: readonly string[]): Promise<ParticipantRecord[]> =>
    deps.participants.byIds(directoryScope, validIds(ids));
}

/** The organizations each of the participants (already found) is a member of now, in one read. */
export function getCurrentOrganizations(deps: Pick<DirectoryDeps, 'memberships'>) {
  return async (
    participantIds: readonly string[],
  ): Promise<ReadonlyMap<string, readonly string[]>> =>
    deps.memberships.organizationsOf(directoryScope, participantIds);
}

/** The distinct subjects, or INVALID_ARGUMENT for none, too many, or one no token could carry. */
function validSubjects(subjects: readonly string[]): string[] {
  const invalid = (message: string) =>
    new AppError('invalid_argument', PARTICIPANT_IDS_INVALID, message, {
      details: [{ field: '/accountSubjects', message }],
    });
  if (subjects.length === 0 || subjects.length > MAX_ACCOUNT_SUBJECTS)
    throw invalid(`Send 1 to ${MAX_ACCOUNT_SUBJECTS} account subjects.`);
  if (!subjects.every((subject) => subject.length > 0 && subject.length <= MAX_SUBJECT_LENGTH))
    throw invalid(`Every account subject has 1 to ${MAX_SUBJECT_LENGTH} characters.`);
  return [...new Set(subjects)];
}

/** The records whose own accounts are `subjects` (a service acting for a signed-in person knows only that). */
export function getDirectoryParticipantsByAccount(deps: Pick<DirectoryDeps, 'participants'>) {
  return async (subjects: readonly string[]): Promise<ParticipantRecord[]> => {
    const found = await Promise.all(
      validSubjects(subjects).map((subject) =>
        deps.participants.byAccount(directoryScope, subject),
      ),
    );
    return found.filter((record): record is ParticipantRecord => record !== null);
  };
}

/** Each address empty unless on record and its channel consented to. */
export interface ContactView {
  readonly participantId: string;
  readonly phone: string;
  readonly email: string;
  readonly wechatOpenId: string;
  readonly language: string;
}

function contactOf(pii: PiiVault, record: ParticipantRecord): ContactView | null {
  const { channels } = record.consent;
  const reveal = (consented: boolean, value: ProtectedValue | null): string =>
    consented && value !== null ? pii.decrypt(value.sealed) : '';
  const contact = {
    participantId: record.id,
    phone: reveal(channels.sms.given, record.phone),
    email: reveal(channels.email.given, record.email),
    wechatOpenId: reveal(channels.wechat.given, record.wechatOpenId),
    language: record.language,
  };
  return contact.phone === '' && contact.email === '' && contact.wechatOpenId === ''
    ? null
    : contact;
}

export function getContacts(deps: Pick<DirectoryDeps, 'participants' | 'pii'>) {
  return async (principal: Principal, ids: readonly string[]): Promise<ContactView[]> => {
    if (principal.service !== CONTACTS_READER)
      throw new AppError(
        'permission_denied',
        CONTACTS_FORBIDDEN,
        'Only the notifications service may read contact details.',
      );
    const records = await deps.participants.byIds(directoryScope, validIds(ids));
    return records.flatMap((record) => {
      const contact = contactOf(deps.pii, record);
      return contact === null ? [] : [contact];
    });
  };
}

export interface AudienceRequest extends AudienceFilter {
  /** 0 means the maximum. */
  readonly pageSize: number;
}

const invalidFilter = (field: string, message: string): AppError =>
  new AppError(
    'invalid_argument',
    AUDIENCE_FILTER_INVALID,
    `The audience filter is not valid: ${message}`,
    {
      details: [{ field, message }],
    },
  );

function validFilter(request: AudienceFilter): AudienceFilter {
  for (const [field, values] of [
    ['/tiers', request.tiers],
    ['/jurisdictionCodes', request.jurisdictionRoots],
    ['/organizationKinds', request.organizationKinds],
  ] as const) {
    if (values.length > MAX_FILTER_VALUES)
      throw invalidFilter(field, `at most ${MAX_FILTER_VALUES} values`);
  }
  if (!request.jurisdictionRoots.every(isJurisdictionCode))
    throw invalidFilter('/jurisdictionCodes', 'a jurisdiction code has 12 digits');
  if (request.eventKey !== undefined && !EVENT_KEY_PATTERN.test(request.eventKey))
    throw invalidFilter('/eventKey', 'an event key reads <owner>:<eventId>');
  if (request.afterId !== undefined && !isUuid(request.afterId))
    throw invalidFilter('/afterId', 'a participant id is a lower-case UUID');
  return {
    tiers: request.tiers,
    jurisdictionRoots: request.jurisdictionRoots,
    organizationKinds: request.organizationKinds,
    ...(request.eventKey === undefined ? {} : { eventKey: request.eventKey }),
    ...(request.afterId === undefined ? {} : { afterId: request.afterId }),
  };
}

/** Checks the filter before anything is read; the stream itself is lazy. */
export function resolveAudience(deps: Pick<DirectoryDeps, 'audience'>) {
  return (request: AudienceRequest, signal: AbortSignal): AsyncIterable<AudienceMember[]> => {
    const pageSize = request.pageSize === 0 ? MAX_AUDIENCE_PAGE : request.pageSize;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_AUDIENCE_PAGE)
      throw invalidFilter('/pageSize', `a page holds 1 to ${MAX_AUDIENCE_PAGE} participants`);
    return deps.audience.pages(validFilter(request), pageSize, signal);
  };
}

/** The size of the audience `resolveAudience` would stream now, `afterId` aside. */
export function countAudience(deps: Pick<DirectoryDeps, 'audience'>) {
  return async (request: Omit<AudienceFilter, 'afterId'>, signal: AbortSignal): Promise<number> =>
    deps.audience.count(validFilter(request), signal);
}

export type GetDirectoryParticipants = ReturnType<typeof getDirectoryParticipants>;
export type GetDirectoryParticipantsByAccount = ReturnType<
  typeof getDirectoryParticipantsByAccount
>;
export type GetCurrentOrganizations = ReturnType<typeof getCurrentOrganizations>;
export type GetContacts = ReturnType<typeof getContacts>;
export type ResolveAudience = ReturnType<typeof resolveAudience>;
export type CountAudience = ReturnType<typeof countAudience>;
