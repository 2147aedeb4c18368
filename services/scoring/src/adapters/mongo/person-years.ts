/** A nominated person's year from the ledger: credits, learning time and completed trainings, in one aggregation. */
import type { Model } from 'mongoose';
import type { PersonYear, PersonYears } from '../../application/awards/ports.js';
import type { LedgerEntryDocument } from './ledger.js';

interface YearRow {
  credits: number;
  minutes: number;
  trainingCompletions: number;
}

export class MongoPersonYears implements PersonYears {
  constructor(private readonly ledger: Model<LedgerEntryDocument>) {}

  async of(participantId: string, year: number): Promise<PersonYear> {
    const [row] = await this.ledger.aggregate<YearRow>([
      { $match: { holderKind: 'person', holderId: participantId, year } },
      {
        $group: {
          _id: null,
          credits: { $sum: '$amount' },
          minutes: { $sum: '$minutes' },
          // A withdrawn completion is an entry too: count the completions that still stand
          // (a cap re-evaluation changes an amount, not whether the training was completed).
          trainingCompletions: {
            $sum: {
              $switch: {
                branches: [
                  { case: { $ne: ['$source', 'training_completed'] }, then: 0 },
                  { case: { $eq: ['$reason', 'awarded'] }, then: 1 },
                  { case: { $eq: ['$reason', 'source_withdrawn'] }, then: -1 },
                ],
                default: 0,
              },
            },
          },
        },
      },
    ]);
    return {
      credits: row?.credits ?? 0,
      minutes: row?.minutes ?? 0,
      trainingCompletions: Math.max(0, row?.trainingCompletions ?? 0),
    };
  }
}
