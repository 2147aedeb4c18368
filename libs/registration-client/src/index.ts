export {
  connectRegistration,
  type RegistrationClientOptions,
  type RegistrationClients,
} from './client.js';
export type {
  Department,
  Departments,
  EnrollmentFigures,
  Enrollments,
  Jurisdiction,
  JurisdictionLevel,
  Jurisdictions,
  Organization,
  Organizations,
  OrganizationStatus,
} from './ports.js';
