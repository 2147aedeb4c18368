/** A trainee completed a programme: they are told, with the certificate's code to show or verify. */
import { trainingCompletedNotice, type TrainingCompletion } from '../../domain/reactions.js';
import type { Dispatcher } from '../ports.js';

export interface TrainingCompletedDeps {
  readonly dispatcher: Dispatcher;
}

export const trainingCompleted =
  (deps: TrainingCompletedDeps) =>
  async (completion: TrainingCompletion): Promise<void> => {
    await deps.dispatcher.dispatch([trainingCompletedNotice(completion)]);
  };
