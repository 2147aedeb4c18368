/** registration's reads for the signed-in person: their own sign-ups. */
import { getJson, type Page } from './http.js';

export interface OwnEnrollment {
  readonly id: string;
  readonly owner: 'activities' | 'lectures' | 'training';
  readonly eventId: string;
  readonly status: 'confirmed' | 'waitlisted' | 'cancelled';
  /** Place in line counting from 1 while waitlisted. */
  readonly waitlistPosition: number | null;
  readonly checkInCode: string;
  readonly createdAt: string;
}

export const registration = {
  myEnrollments: (pageToken?: string, signal?: AbortSignal) =>
    getJson<Page<OwnEnrollment>>('registration', '/v1/me/enrollments', { pageToken }, signal),
};

export interface Place {
  readonly code: string;
  readonly name: string;
  readonly level: 'city' | 'township' | 'street' | 'village' | 'community';
  readonly parentCode: string | null;
}

/** The places below `code` of one level, every page of them (a city has some tens of townships and streets). */
export async function placesBelow(
  code: string,
  level: Place['level'],
  signal?: AbortSignal,
): Promise<Place[]> {
  const places: Place[] = [];
  let pageToken: string | undefined;
  do {
    const page = await getJson<Page<Place>>(
      'registration',
      `/v1/public/jurisdictions/${encodeURIComponent(code)}/descendants`,
      { level, pageSize: 200, pageToken },
      signal,
    );
    places.push(...page.items);
    pageToken = page.nextPageToken ?? undefined;
  } while (pageToken !== undefined);
  return places;
}
