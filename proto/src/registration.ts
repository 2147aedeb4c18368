/** learning.registration.v1, one generated file per slice, seen as one namespace. */
export * from './gen/learning/registration/v1/enrollments.js';
export * from './gen/learning/registration/v1/enrollment_service.js';
export * from './gen/learning/registration/v1/organizations.js';
export * from './gen/learning/registration/v1/participants.js';
export * from './gen/learning/registration/v1/participant_directory.js';
export * from './gen/learning/registration/v1/jurisdiction_directory.js';
export * from './gen/learning/registration/v1/organization_directory.js';
export * from './gen/learning/registration/v1/officer_directory.js';
