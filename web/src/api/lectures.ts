/** lectures' public reads: the programme of 玉海大讲坛's sessions. */
import type { ContentCategory, Tier } from '@learning/domain/vocabulary';
import { getJson, type Page } from './http.js';

export interface PublicSession {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly lectureType: string;
  readonly forum: { readonly id: string; readonly name: string };
  readonly speakers: readonly {
    readonly id: string;
    readonly name: string;
    readonly title: string;
  }[];
  readonly jurisdictionPath: readonly string[];
  readonly venue: {
    readonly name: string;
    readonly address: string | null;
    readonly setting: 'city' | 'countryside';
  };
  readonly startsAt: string;
  readonly endsAt: string;
  readonly capacity: number | 'unlimited';
  readonly signUpWindow: { readonly opensAt: string; readonly closesAt: string };
  readonly targetTiers: readonly string[];
  readonly categories: readonly string[];
  readonly liveStreamUrl: string | null;
  readonly status: string;
  readonly cancellationReason: string | null;
}

export interface ProgrammeFilter {
  readonly jurisdictionCode?: string;
  readonly from?: string;
  readonly to?: string;
  readonly tier?: Tier;
  readonly category?: ContentCategory;
  readonly setting?: 'city' | 'countryside';
  readonly q?: string;
  readonly pageToken?: string;
}

export const lectures = {
  programme: (filter: ProgrammeFilter, signal?: AbortSignal) =>
    getJson<Page<PublicSession>>('lectures', '/v1/public/sessions', { ...filter }, signal),
  session: (id: string, signal?: AbortSignal) =>
    getJson<PublicSession>('lectures', `/v1/public/sessions/${encodeURIComponent(id)}`, {}, signal),
};
