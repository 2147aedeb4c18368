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
