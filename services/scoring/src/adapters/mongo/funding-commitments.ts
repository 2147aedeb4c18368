/**
 * Commitments against a funding line (material awards, decision 0019 §6): one
 * conditional update takes the amount off what remains only when enough
 * remains and the reference is not on the line yet, so two approvals at once
 * cannot spend the same money and a retried one spends once.
 */
import type { Fen } from '@learning/domain';
import type { Model } from 'mongoose';
import { lineExhausted, lineNotFound } from '../../application/funding/errors.js';
import type { FundingCommitments, FundingLine } from '../../application/funding/ports.js';
import type { FundingLineDocument } from './evaluation-models.js';
import { lineOf } from './funding-store.js';

const READ_FIELDS = { outbox: 0, outboxSince: 0 } as const;

export class MongoFundingCommitments implements FundingCommitments {
  constructor(
    private readonly model: Model<FundingLineDocument>,
    private readonly clock: () => Date,
  ) {}

  async commit(lineId: string, amountFen: Fen, reference: string): Promise<FundingLine> {
    if (!Number.isSafeInteger(amountFen) || amountFen <= 0)
      throw new RangeError('A commitment is a whole number of fen above zero.');
    const committed = await this.model
      .findOneAndUpdate(
        {
          _id: lineId,
          remainingFen: { $gte: amountFen },
          'commitments.reference': { $ne: reference },
        },
        {
          $inc: { remainingFen: -amountFen },
          $push: { commitments: { reference, amountFen, committedAt: this.clock() } },
        },
        { new: true, projection: READ_FIELDS },
      )
      .lean<FundingLineDocument>();
    if (committed !== null) return lineOf(committed);
    const line = await this.model.findOne({ _id: lineId }, READ_FIELDS).lean<FundingLineDocument>();
    if (line === null) throw lineNotFound();
    if (line.commitments.some((commitment) => commitment.reference === reference))
      return lineOf(line);
    throw lineExhausted();
  }
}
