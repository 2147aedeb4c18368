/**
 * The rules of an expert's profile: the availability windows a session must
 * fall inside, the languages they lecture in (BCP 47 tags) and their
 * contacts (the kernel's phone and e-mail rules). Messages never echo a
 * contact they refuse.
 */
import { invalid, parseEmail, parseMobilePhone } from '@learning/domain';
import type { AvailabilityWindow } from './experts.js';

export const EXPERT_AVAILABILITY_WINDOW_INVALID = 'EXPERT_AVAILABILITY_WINDOW_INVALID';
export const EXPERT_AVAILABILITY_OVERLAP = 'EXPERT_AVAILABILITY_OVERLAP';
export const EXPERT_AVAILABILITY_TOO_MANY = 'EXPERT_AVAILABILITY_TOO_MANY';
export const EXPERT_LANGUAGE_INVALID = 'EXPERT_LANGUAGE_INVALID';
export const EXPERT_LANGUAGE_DUPLICATE = 'EXPERT_LANGUAGE_DUPLICATE';

/** Enough for a year of weekly windows; more is a calendar, not a profile. */
export const MAX_AVAILABILITY_WINDOWS = 100;

/**
 * The windows sorted by start, each starting before it ends, none
 * overlapping another (one may start when the previous ends), at most
 * MAX_AVAILABILITY_WINDOWS.
 */
export function normalizeAvailability(
  windows: readonly AvailabilityWindow[],
): AvailabilityWindow[] {
  if (windows.length > MAX_AVAILABILITY_WINDOWS)
    throw invalid(
      EXPERT_AVAILABILITY_TOO_MANY,
      `An expert gives at most ${MAX_AVAILABILITY_WINDOWS} availability windows.`,
    );
  for (const window of windows) {
    if (Number.isNaN(window.startsAt.getTime()) || Number.isNaN(window.endsAt.getTime()))
      throw invalid(
        EXPERT_AVAILABILITY_WINDOW_INVALID,
        'An availability window starts and ends at real instants.',
      );
    if (window.startsAt >= window.endsAt)
      throw invalid(
        EXPERT_AVAILABILITY_WINDOW_INVALID,
        `The window starting ${window.startsAt.toISOString()} must end after it starts.`,
      );
  }
  const sorted = [...windows]
    .map((window) => ({ startsAt: window.startsAt, endsAt: window.endsAt }))
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  for (let i = 1; i < sorted.length; i += 1) {
    const previous = sorted[i - 1];
    const current = sorted[i];
    if (previous !== undefined && current !== undefined && current.startsAt < previous.endsAt)
      throw invalid(
        EXPERT_AVAILABILITY_OVERLAP,
        `The windows starting ${previous.startsAt.toISOString()} and ` +
          `${current.startsAt.toISOString()} overlap; give each span of time once.`,
      );
  }
  return sorted;
}

/** Whether one window holds the whole of [startsAt, endsAt). */
export const availabilityCovers = (
  windows: readonly AvailabilityWindow[],
  startsAt: Date,
  endsAt: Date,
): boolean => windows.some((window) => window.startsAt <= startsAt && endsAt <= window.endsAt);

/** Whether `instant` falls inside a window (its start included, its end not). */
export const availableAt = (windows: readonly AvailabilityWindow[], instant: Date): boolean =>
  windows.some((window) => window.startsAt <= instant && instant < window.endsAt);

/** At most this many languages, each tag at most 35 characters (RFC 5646's practical bound). */
export const MAX_LANGUAGES = 10;
const MAX_TAG_LENGTH = 35;

/**
 * The tags in canonical form (`zh-cn` → `zh-CN`), each a well-formed BCP 47
 * language tag, none twice.
 */
export function normalizeLanguages(tags: readonly string[]): string[] {
  const canonical = tags.map((tag) => {
    let form: string | undefined;
    try {
      // Private-use-only tags (x-…) are well-formed but name no language a programme can print.
      form =
        tag.length <= MAX_TAG_LENGTH && !/^x-/i.test(tag)
          ? Intl.getCanonicalLocales(tag)[0]
          : undefined;
    } catch {
      form = undefined;
    }
    if (form === undefined)
      throw invalid(
        EXPERT_LANGUAGE_INVALID,
        `"${tag.slice(0, MAX_TAG_LENGTH)}" is not a BCP 47 language tag such as zh-CN or en.`,
      );
    return form;
  });
  const seen = new Set<string>();
  for (const tag of canonical) {
    if (seen.has(tag))
      throw invalid(EXPERT_LANGUAGE_DUPLICATE, `The language ${tag} is given twice.`);
    seen.add(tag);
  }
  return canonical;
}

/** A contact as stored: null when none, otherwise normalized (PHONE_FORMAT / EMAIL_FORMAT). */
export const normalizePhone = (raw: string | null): string | null =>
  raw === null || raw.trim() === '' ? null : parseMobilePhone(raw);

export const normalizeEmail = (raw: string | null): string | null =>
  raw === null || raw.trim() === '' ? null : parseEmail(raw);
