/** Registration's consent events in the terms of the consent use case: notifications' purposes only. */
import { PermanentEventError, type ConsumedEvent } from '@learning/events';
import { registration } from '@learning/proto';
import type { ExternalChannel } from '../../domain/broadcasts.js';
import type { ConsentChange } from '../../domain/consents.js';
import { required } from './reactions.js';

const CHANNEL_OF: Partial<Record<registration.ConsentPurpose, ExternalChannel>> = {
  [registration.ConsentPurpose.CONSENT_PURPOSE_NOTIFICATIONS_SMS]: 'sms',
  [registration.ConsentPurpose.CONSENT_PURPOSE_NOTIFICATIONS_EMAIL]: 'email',
  [registration.ConsentPurpose.CONSENT_PURPOSE_NOTIFICATIONS_WECHAT]: 'wechat',
};

/** The change for a notification channel; null for the other services' purposes (publicity, employers). */
export function consentChangeOf(
  event: ConsumedEvent<registration.ParticipantConsentChanged>,
): ConsentChange | null {
  const channel = CHANNEL_OF[event.data.purpose];
  if (channel === undefined) return null;
  const version = Number(required(event.data.version, 'the participant version'));
  if (!Number.isSafeInteger(version) || version < 1)
    throw new PermanentEventError('the consent change has no valid participant version');
  return {
    participantId: required(event.data.participantId, 'the participant'),
    channel,
    given: event.data.given,
    version,
    textVersion: event.data.textVersion,
    changedAt: event.data.changedAt ?? new Date(event.time),
  };
}
