export {
  connectRegistration,
  type RegistrationClientOptions,
  type RegistrationClients,
} from './client.js';
export type {
  Department,
  Departments,
  DirectoryParticipant,
  EnrollmentFigures,
  Enrollments,
  Jurisdiction,
  JurisdictionLevel,
  Jurisdictions,
  MembersPage,
  Organization,
  OrganizationMember,
  Organizations,
  OrganizationStatus,
  Participants,
} from './ports.js';
