/** A person reads and replaces their own preferences; the preference screen lists categories and kinds. */
import type { Principal } from '@learning/auth';
import {
  CATEGORIES,
  CHANNELS,
  NOTICE_KIND_NAMES,
  kindSpecOf,
  type Category,
  type Channel,
  type NoticeKind,
} from '../../domain/notices.js';
import { defaultPreferences, isTimeZone, type Preferences } from '../../domain/preferences.js';
import type { ResolveMe } from '../me.js';
import { quietHoursInvalid, revisionConflict, timeZoneInvalid } from './errors.js';
import type { PreferenceStore, StoredPreferences } from './ports.js';

export interface PreferencesView {
  readonly preferences: Preferences;
  /** True when the time zone is the city's because the person set none. */
  readonly cityTimeZone: boolean;
  /** 0 until the person first saves. */
  readonly revision: number;
}

export interface PreferencesUseCases {
  get(principal: Principal): Promise<PreferencesView>;
  put(
    principal: Principal,
    preferences: StoredPreferences,
    revision: number | undefined,
  ): Promise<PreferencesView>;
}

const viewOf = (
  stored: StoredPreferences,
  revision: number,
  cityTimeZone: string,
): PreferencesView => ({
  preferences: { ...stored, timeZone: stored.timeZone ?? cityTimeZone },
  cityTimeZone: stored.timeZone === null,
  revision,
});

export function preferencesUseCases(deps: {
  readonly me: ResolveMe;
  readonly store: PreferenceStore;
  readonly cityTimeZone: string;
  readonly clock: () => Date;
}): PreferencesUseCases {
  const { me, store, cityTimeZone, clock } = deps;
  return {
    async get(principal) {
      const found = await store.get(await me(principal));
      return found === null
        ? { preferences: defaultPreferences(cityTimeZone), cityTimeZone: true, revision: 0 }
        : viewOf(found.preferences, found.revision, cityTimeZone);
    },
    async put(principal, preferences, revision) {
      if (preferences.timeZone !== null && !isTimeZone(preferences.timeZone))
        throw timeZoneInvalid();
      const { quietHours } = preferences;
      if (quietHours !== null && quietHours.start === quietHours.end) throw quietHoursInvalid();
      const optOuts = uniqueOptOuts(preferences.optOuts);
      const stored = { ...preferences, optOuts };
      const written = await store.put(await me(principal), stored, revision, clock());
      if (written === 'conflict') throw revisionConflict();
      return viewOf(stored, written, cityTimeZone);
    },
  };
}

function uniqueOptOuts(
  optOuts: Preferences['optOuts'],
): { category: Category; channel: Channel }[] {
  const seen = new Set<string>();
  return optOuts.filter(({ category, channel }) => {
    const key = `${category}:${channel}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface CategoryListing {
  readonly category: Category;
  readonly kinds: readonly { readonly kind: NoticeKind; readonly urgent: boolean }[];
}

/** What the preference screen shows: every category with its kinds, and the channels. */
export function notificationCategories(): {
  categories: CategoryListing[];
  channels: readonly Channel[];
} {
  return {
    categories: CATEGORIES.map((category) => ({
      category,
      kinds: NOTICE_KIND_NAMES.filter(
        (kind) => kind !== 'digest' && kindSpecOf(kind).category === category,
      ).map((kind) => ({ kind, urgent: kindSpecOf(kind).urgent })),
    })),
    channels: CHANNELS,
  };
}
