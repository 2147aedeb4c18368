/** What every part of the scoring service is built on: the shared runtime, plus registration's answers. */
import type { Audience, Jurisdictions, OrganizationDirectory } from '@learning/registration-client';
import type { Module as RuntimeModule, Platform as RuntimePlatform } from '@learning/runtime';
import type { MetricGatherer } from './application/evaluation/ports.js';
import type { Organizations, Participants } from './application/ports.js';
import type { ScoringConfig } from './config.js';

export interface Platform extends RuntimePlatform<ScoringConfig> {
  /** Participants by id, from registration: tier, home and organizations for sources that do not carry them; names for records. */
  readonly participants: Participants;
  /** Learning organizations and their members, from registration. */
  readonly organizations: Organizations;
  /** Organizations in bulk with member counts, and counts per area: who the annual evaluation assesses. */
  readonly organizationDirectory: OrganizationDirectory;
  /** The jurisdiction tree: the townships and streets assessed as areas. */
  readonly jurisdictions: Jurisdictions;
  /** Participant counts by home: an area's registered residents. */
  readonly audience: Audience;
  /** Areas' figures that activities and lectures keep: part of the evaluation inputs. */
  readonly areaGatherers: readonly MetricGatherer[];
}

export type Module = RuntimeModule<Platform>;
