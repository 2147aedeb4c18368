/** What every part of the activities service is built on: the shared runtime, plus registration's answers. */
import type { Module as RuntimeModule, Platform as RuntimePlatform } from '@learning/runtime';
import type {
  Departments,
  Enrollments,
  Jurisdictions,
  Organizations,
} from './application/ports.js';
import type { ActivitiesConfig } from './config.js';

export interface Platform extends RuntimePlatform<ActivitiesConfig> {
  /** The city's jurisdiction tree, from registration. */
  readonly jurisdictions: Jurisdictions;
  /** Learning organizations (kind, lead department, status), from registration. */
  readonly organizations: Organizations;
  /** The city's departments, from registration (the list reused for a few minutes). */
  readonly departments: Departments;
  /** Sign-up figures of activities, from registration. */
  readonly enrollments: Enrollments;
}

export type Module = RuntimeModule<Platform>;
