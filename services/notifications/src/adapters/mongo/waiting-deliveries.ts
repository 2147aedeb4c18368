/** Deliveries still to go out on a channel, suppressed when the person withdraws consent to it. */
import type { Model } from 'mongoose';
import type { WaitingDeliveries } from '../../application/consents/ports.js';
import type { ExternalChannel } from '../../domain/broadcasts.js';
import type { DeliveryDocument } from './deliveries.js';

export class MongoWaitingDeliveries implements WaitingDeliveries {
  constructor(private readonly deliveries: Model<DeliveryDocument>) {}

  async suppressForWithdrawnConsent(
    recipient: string,
    channel: ExternalChannel,
    now: Date,
  ): Promise<number> {
    const result = await this.deliveries.updateMany(
      { recipient, channel, status: { $in: ['held', 'pending'] } },
      {
        $set: { status: 'suppressed', reason: 'no_consent', updatedAt: now },
        // The sealed address was kept only to send; the scheduler finds nothing due.
        $unset: { sealedAddress: '', dueAt: '', claim: '' },
      },
    );
    return result.modifiedCount;
  }
}
