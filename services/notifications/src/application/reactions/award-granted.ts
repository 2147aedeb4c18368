/** A person won an award of the annual evaluation: they are told which, in their language. */
import { awardGrantedNotice, type AwardGrant } from '../../domain/reactions.js';
import type { Dispatcher } from '../ports.js';
import type { RecipientLanguages } from './ports.js';

export interface AwardGrantedDeps {
  readonly dispatcher: Dispatcher;
  readonly languages: RecipientLanguages;
}

export const awardGranted =
  (deps: AwardGrantedDeps) =>
  async (grant: AwardGrant): Promise<void> => {
    const languages = await deps.languages.of([grant.participantId]);
    await deps.dispatcher.dispatch([
      awardGrantedNotice(grant, languages.get(grant.participantId) ?? 'zh-CN'),
    ]);
  };
