/** scoring's public reads: published awards and the exemplary cases written about them. */
import { getJson, type Page } from './http.js';

export interface PublicAward {
  readonly id: string;
  readonly year: number;
  readonly category: string;
  readonly organizationKind: string | null;
  readonly nomineeKind: string;
  /** An organization's name; a person's comes masked (张*明). */
  readonly name: string;
  readonly jurisdictionPath: readonly string[];
  readonly materialAwardYuan: string;
  readonly publishedAt: string;
}

export interface PublicCase {
  readonly id: string;
  readonly awardId: string;
  readonly year: number;
  readonly category: string;
  readonly name: string;
  readonly title: string;
  readonly body: string;
  readonly publishedAt: string;
}

export const scoring = {
  awards: (year: number | undefined, signal?: AbortSignal) =>
    getJson<Page<PublicAward>>('scoring', '/v1/public/awards', { year }, signal),
  cases: (year: number | undefined, signal?: AbortSignal) =>
    getJson<Page<PublicCase>>('scoring', '/v1/public/cases', { year }, signal),
  case: (id: string, signal?: AbortSignal) =>
    getJson<PublicCase>('scoring', `/v1/public/cases/${encodeURIComponent(id)}`, {}, signal),
};
