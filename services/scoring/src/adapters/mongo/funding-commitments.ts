/**
 * Material awards committed against the city's funding lines
 * (evaluation-models.ts): a conditional decrement that applies only while
 * enough remains (decision 0019, 6). The funding slice, built beside this
 * one, owns the lines; until it offers its own commitments seam, awards
 * write the conditional update here.
 */
import type { Model } from 'mongoose';
import type { FundingCommitments } from '../../application/awards/ports.js';
import type { FundingLineDocument } from './evaluation-models.js';

export class MongoFundingCommitments implements FundingCommitments {
  constructor(
    private readonly lines: Model<FundingLineDocument>,
    private readonly clock: () => Date,
  ) {}

  async commit(fundingLineId: string, amountFen: number): Promise<boolean> {
    const updated = await this.lines.updateOne(
      { _id: fundingLineId, remainingFen: { $gte: amountFen } },
      { $inc: { remainingFen: -amountFen }, $set: { updatedAt: this.clock() } },
    );
    return updated.modifiedCount === 1;
  }

  async release(fundingLineId: string, amountFen: number): Promise<void> {
    await this.lines.updateOne(
      { _id: fundingLineId },
      { $inc: { remainingFen: amountFen }, $set: { updatedAt: this.clock() } },
    );
  }

  async exists(fundingLineId: string, year: number): Promise<boolean> {
    return (await this.lines.exists({ _id: fundingLineId, year })) !== null;
  }
}
