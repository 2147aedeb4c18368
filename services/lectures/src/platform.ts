/** What every part of the lectures service is built on: the shared runtime, plus registration's answers. */
import type { PiiKeys } from '@learning/pii';
import type { Module as RuntimeModule, Platform as RuntimePlatform } from '@learning/runtime';
import type {
  Campaigns,
  Departments,
  Enrollments,
  Jurisdictions,
  Participants,
  Venues,
} from './application/ports.js';
import type { LecturesConfig } from './config.js';

export interface Platform extends RuntimePlatform<LecturesConfig> {
  /** The city's jurisdiction tree, from registration. */
  readonly jurisdictions: Jurisdictions;
  /** The city's departments, from registration (the list reused for a few minutes). */
  readonly departments: Departments;
  /** Participants by their account, from registration: who an expert is. */
  readonly participants: Participants;
  /** Registration's sign-up figures of lecture sessions (a capacity is never cut below them). */
  readonly enrollments: Enrollments;
  /** The venue catalogue, from activities (decision 0015; answers reused for a minute). */
  readonly venues: Venues;
  /** Launched and closed campaigns, from activities. */
  readonly campaigns: Campaigns;
  /** The keys experts' contact data is encrypted with. */
  readonly piiKeys: PiiKeys;
}

export type Module = RuntimeModule<Platform>;
