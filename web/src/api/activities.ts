/** activities' public reads (its OpenAPI tag "public portal"): what is on, training classes, campaigns. */
import type { ContentCategory, Tier, TrainingTargetGroup } from '@learning/domain/vocabulary';
import { getJson, type Page } from './http.js';

export interface PublicActivity {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly kind: string;
  readonly jurisdictionCode: string;
  readonly jurisdictionPath: readonly string[];
  readonly venue: {
    readonly id: string;
    readonly name: string;
    readonly address: string | null;
  } | null;
  readonly schedule: {
    readonly kind: string;
    readonly sessions: readonly { readonly start: string; readonly end: string }[];
  } | null;
  readonly startsAt: string | null;
  readonly endsAt: string | null;
  readonly capacity: number | 'unlimited' | null;
  readonly signUpWindow: { readonly opensAt: string; readonly closesAt: string } | null;
  readonly targetTiers: readonly string[];
  readonly categories: readonly string[];
  readonly ageBand: { readonly min: number; readonly max: number } | null;
  readonly campaignId: string | null;
  readonly status: string;
  readonly cancellationReason: string | null;
}

export interface PublicTrainingClass {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly jurisdictionPath: readonly string[];
  readonly venueName: string;
  readonly address: string;
  readonly sessions: readonly {
    readonly id: string;
    readonly start: string;
    readonly end: string;
    readonly topic: string;
    readonly learningMinutes: number;
  }[];
  readonly startsAt: string;
  readonly endsAt: string;
  readonly learningMinutes: number;
  readonly capacity: number | null;
  readonly targetGroups: readonly string[];
  readonly categories: readonly string[];
  readonly trainers: readonly { readonly name: string }[];
  readonly status: string;
  readonly signUpOpensAt: string | null;
  readonly signUpClosesAt: string | null;
  readonly cancellationReason: string | null;
}

export interface Goal {
  readonly metric: string;
  readonly target: number;
}

export interface Campaign {
  readonly id: string;
  readonly year: number;
  readonly title: string;
  readonly description: string;
  readonly ownerDepartment: string;
  readonly startsOn: string;
  readonly endsOn: string;
  readonly targetTiers: readonly string[];
  readonly categories: readonly string[];
  readonly goals: readonly Goal[];
  readonly subCampaigns: readonly {
    readonly tier: string;
    readonly title: string;
    readonly startsOn: string;
    readonly endsOn: string;
  }[];
  readonly status: string;
}

export interface WhatsOnFilter {
  readonly jurisdictionCode?: string;
  readonly from?: string;
  readonly to?: string;
  readonly tier?: Tier;
  readonly category?: ContentCategory;
  readonly q?: string;
  readonly pageToken?: string;
}

export interface ClassFilter {
  readonly jurisdictionCode?: string;
  readonly from?: string;
  readonly to?: string;
  readonly category?: ContentCategory;
  readonly targetGroup?: TrainingTargetGroup;
  readonly pageToken?: string;
}

export const activities = {
  list: (filter: WhatsOnFilter, signal?: AbortSignal) =>
    getJson<Page<PublicActivity>>('activities', '/v1/public/activities', { ...filter }, signal),
  get: (id: string, signal?: AbortSignal) =>
    getJson<PublicActivity>(
      'activities',
      `/v1/public/activities/${encodeURIComponent(id)}`,
      {},
      signal,
    ),
  classes: (filter: ClassFilter, signal?: AbortSignal) =>
    getJson<Page<PublicTrainingClass>>(
      'activities',
      '/v1/public/training/classes',
      { ...filter },
      signal,
    ),
  trainingClass: (id: string, signal?: AbortSignal) =>
    getJson<PublicTrainingClass>(
      'activities',
      `/v1/public/training/classes/${encodeURIComponent(id)}`,
      {},
      signal,
    ),
  campaigns: (pageToken?: string, signal?: AbortSignal) =>
    getJson<Page<Campaign>>('activities', '/v1/campaigns', { pageToken }, signal),
  campaign: (id: string, signal?: AbortSignal) =>
    getJson<Campaign>('activities', `/v1/campaigns/${encodeURIComponent(id)}`, {}, signal),
};
