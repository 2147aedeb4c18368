/** Where preferences are kept, as the preference routes need them. */
import type { Preferences } from '../../domain/preferences.js';

/** A person's preferences as set; `timeZone` null is the city's. */
export interface StoredPreferences extends Omit<Preferences, 'timeZone'> {
  readonly timeZone: string | null;
}

export interface PreferenceStore {
  /** Null when the person never set any. */
  get(recipient: string): Promise<{ preferences: StoredPreferences; revision: number } | null>;
  /**
   * Replaces the person's preferences. With `expectedRevision` (0: never set),
   * only if it is the stored one; the new revision, or 'conflict'.
   */
  put(
    recipient: string,
    preferences: StoredPreferences,
    expectedRevision: number | undefined,
    now: Date,
  ): Promise<number | 'conflict'>;
}
