/**
 * Participants, on the registration participants topic, keyed by participant
 * id. Payloads carry where a person belongs and how to address them, never
 * their name, phone or ID number: those are asked of the participant
 * directory by the services allowed to see them.
 */
import { defineEvent, topics } from '@learning/events';
import { registration } from '@learning/proto';

const topic = topics.registrationParticipants;

/** A person was registered: by themself, by an officer, or by an import. */
export const participantRegistered = defineEvent(
  'registration.participant.registered.v1',
  topic,
  registration.ParticipantRegistered,
);

/** A participant's record was corrected; `changedFields` names what changed. */
export const participantUpdated = defineEvent(
  'registration.participant.updated.v1',
  topic,
  registration.ParticipantUpdated,
);

/** A consent for one purpose was given or withdrawn; services relying on it stop at once when withdrawn. */
export const participantConsentChanged = defineEvent(
  'registration.participant.consent-changed.v1',
  topic,
  registration.ParticipantConsentChanged,
);
