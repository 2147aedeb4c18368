/**
 * What the lectures slices ask outside themselves: registration, the system
 * of record for places, departments and people (its ports are
 * `@learning/registration-client`'s).
 */
export type {
  Department,
  Departments,
  DirectoryParticipant,
  Jurisdiction,
  JurisdictionLevel,
  Jurisdictions,
  Participants,
} from '@learning/registration-client';
