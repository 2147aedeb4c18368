/** Each recipient's language, read from their preferences (the city's default for those who set none). */
import type { Language } from '../../domain/preferences.js';
import type { PreferenceReader } from '../ports.js';
import type { RecipientLanguages } from './ports.js';

export const languagesFromPreferences = (preferences: PreferenceReader): RecipientLanguages => ({
  async of(recipients: readonly string[]): Promise<ReadonlyMap<string, Language>> {
    const read = await preferences.of(recipients);
    return new Map([...read].map(([recipient, { language }]) => [recipient, language] as const));
  },
});
