/** Credits awarded to a person: they are told how many and for what. */
import { creditsAwardedNotice, type CreditsAward } from '../../domain/reactions.js';
import type { Dispatcher } from '../ports.js';
import type { RecipientLanguages } from './ports.js';

export interface CreditsDeps {
  readonly dispatcher: Dispatcher;
  readonly languages: RecipientLanguages;
}

export const creditsAwarded =
  (deps: CreditsDeps) =>
  async (award: CreditsAward): Promise<void> => {
    const languages = await deps.languages.of([award.participantId]);
    await deps.dispatcher.dispatch([
      creditsAwardedNotice(award, languages.get(award.participantId) ?? 'zh-CN'),
    ]);
  };
