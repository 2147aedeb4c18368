/** What every part of the scoring service is built on: the shared runtime, plus registration's answers. */
import type { Jurisdictions } from '@learning/registration-client';
import type { Module as RuntimeModule, Platform as RuntimePlatform } from '@learning/runtime';
import type { Organizations, Participants } from './application/ports.js';
import type { ScoringConfig } from './config.js';

export interface Platform extends RuntimePlatform<ScoringConfig> {
  /** Participants by id, from registration: tier, home and organizations for sources that do not carry them; names for records. */
  readonly participants: Participants;
  /** Learning organizations and their members, from registration. */
  readonly organizations: Organizations;
  /** The city's jurisdiction tree, from registration: the places funding names by code. */
  readonly jurisdictions: Jurisdictions;
}

export type Module = RuntimeModule<Platform>;
