/** What every part of the activities service is built on: the shared runtime, plus registration's answers. */
import type { Module as RuntimeModule, Platform as RuntimePlatform } from '@learning/runtime';
import type {
  Departments,
  Enrollments,
  Jurisdictions,
  Organizations,
  Participants,
} from './application/ports.js';
import type { ActivitiesConfig } from './config.js';

export interface Platform extends RuntimePlatform<ActivitiesConfig> {
  /** The city's jurisdiction tree, from registration. */
  readonly jurisdictions: Jurisdictions;
  /** Learning organizations (kind, lead department, status), from registration. */
  readonly organizations: Organizations;
  /** The city's departments, from registration (the list reused for a few minutes). */
  readonly departments: Departments;
  /** Participants by their account, from registration: the verified birth date of a contest's entrant. */
  readonly participants: Participants;
  /** Sign-up figures of activities, from registration. */
  readonly enrollments: Enrollments;
  /** Sign-up figures of training classes (registration's owner `training`). */
  readonly classEnrollments: Enrollments;
}

export type Module = RuntimeModule<Platform>;
