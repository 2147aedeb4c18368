/**
 * Who "me" is on a person's own routes: the participant their account is
 * registered as, else — for an officer, who is not a participant —
 * `officer:<subject>`, the key their notices are sent to.
 */
import { hasRole, ORGANIZER_ROLES, type Principal } from '@learning/auth';
import { defineErrorCodes, type AppError } from '@learning/errors';
import type { Participants } from '@learning/registration-client';

export const RECIPIENT_NOT_REGISTERED = 'RECIPIENT_NOT_REGISTERED';

/** Shared by the slices of a person's own routes (each lists it in its catalogue). */
export const recipientErrors = defineErrorCodes({
  [RECIPIENT_NOT_REGISTERED]: {
    kind: 'not_found',
    when: 'your account is neither a registered participant nor an officer, so nothing is sent to it',
  },
});

export const recipientNotRegistered = (): AppError =>
  recipientErrors.error(
    RECIPIENT_NOT_REGISTERED,
    'Your account is not a registered participant yet, so it has no notifications.',
  );

export type ResolveMe = (principal: Principal) => Promise<string>;

export const officerRecipient = (subject: string): string => `officer:${subject}`;

export function resolveMe(participants: Pick<Participants, 'byAccounts'>): ResolveMe {
  return async (principal) => {
    const person = (await participants.byAccounts([principal.subject])).get(principal.subject);
    if (person !== undefined) return person.id;
    if (hasRole(principal, ...ORGANIZER_ROLES)) return officerRecipient(principal.subject);
    throw recipientNotRegistered();
  };
}
