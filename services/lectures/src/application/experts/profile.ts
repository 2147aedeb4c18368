/**
 * A profile as a request gives it, checked by the domain's rules and put in
 * the form that is stored: availability sorted, languages canonical,
 * contacts normalized and sealed by the vault as registration seals phones.
 */
import { domainCall, type ContentCategory } from '@learning/domain';
import type { PiiVault } from '@learning/pii';
import {
  normalizeAvailability,
  normalizeEmail,
  normalizeLanguages,
  normalizePhone,
} from '../../domain/expert-profile.js';
import type { TravelRadius } from '../../domain/experts.js';
import type { ExpertFields, ExpertProfile, SealedContacts } from './ports.js';

export interface WindowInput {
  readonly startsAt: Date;
  readonly endsAt: Date;
}

/** Every field optional: a change names some of them; a new expert the required ones too. */
export interface ProfileInput {
  readonly displayName?: string;
  readonly title?: string;
  readonly employer?: string;
  readonly fields?: readonly ContentCategory[];
  readonly specialties?: readonly string[];
  readonly languages?: readonly string[];
  readonly availability?: readonly WindowInput[];
  readonly travelRadius?: TravelRadius;
  /** null or blank: none (a change clears it). */
  readonly phone?: string | null;
  readonly email?: string | null;
}

type Settable = Partial<ExpertProfile & SealedContacts>;

/** The stored form of each field `input` names; the rules' refusals as AppErrors. */
export function profileFields(input: ProfileInput, vault: PiiVault): Partial<ExpertFields> {
  const seal = (value: string | null): string | null =>
    value === null ? null : vault.encrypt(value);
  return domainCall((): Settable => ({
    ...(input.displayName === undefined ? {} : { displayName: input.displayName.trim() }),
    ...(input.title === undefined ? {} : { title: input.title.trim() }),
    ...(input.employer === undefined ? {} : { employer: input.employer.trim() }),
    ...(input.fields === undefined ? {} : { fields: [...new Set(input.fields)] }),
    ...(input.specialties === undefined
      ? {}
      : { specialties: [...new Set(input.specialties.map((item) => item.trim()))] }),
    ...(input.languages === undefined ? {} : { languages: normalizeLanguages(input.languages) }),
    ...(input.availability === undefined
      ? {}
      : { availability: normalizeAvailability(input.availability) }),
    ...(input.travelRadius === undefined ? {} : { travelRadius: input.travelRadius }),
    ...(input.phone === undefined ? {} : { phoneSealed: seal(normalizePhone(input.phone)) }),
    ...(input.email === undefined ? {} : { emailSealed: seal(normalizeEmail(input.email)) }),
  }));
}
