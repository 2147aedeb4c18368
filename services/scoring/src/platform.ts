/** What every part of the scoring service is built on: the shared runtime, plus registration's answers. */
import type { Module as RuntimeModule, Platform as RuntimePlatform } from '@learning/runtime';
import type { MetricGatherer } from './application/evaluation/ports.js';
import type { Organizations, Participants } from './application/ports.js';
import type { ScoringConfig } from './config.js';

export interface Platform extends RuntimePlatform<ScoringConfig> {
  /** Participants by id, from registration: tier, home and organizations for sources that do not carry them; names for records. */
  readonly participants: Participants;
  /** Learning organizations and their members, from registration. */
  readonly organizations: Organizations;
  /** Areas' figures that activities and lectures keep, for the evaluation inputs' `extraGatherers`. */
  readonly areaGatherers: readonly MetricGatherer[];
}

export type Module = RuntimeModule<Platform>;
