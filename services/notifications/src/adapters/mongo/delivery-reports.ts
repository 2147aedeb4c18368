/**
 * `delivery_reports`: one document per dispatch or scheduler batch whose
 * outbox carries its aggregated NoticesDelivered / NoticesFailed events
 * (decision 0017 point 6), so the reports leave exactly when recorded.
 */
import { notificationEvents } from '@learning/contracts';
import { insertWithEvents, newEvent, outboxPlugin, type WithOutbox } from '@learning/events';
import { notifications } from '@learning/proto';
import { randomUUID } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import type { BatchReport, DeliveryReports } from '../../application/dispatch/ports.js';
import type { Channel } from '../../domain/notices.js';

/** The most participant ids an event lists; its count is the figure beyond them. */
const IDS_PER_EVENT = 1_000;

export interface DeliveryReportDocument extends WithOutbox {
  _id: string;
  createdAt: Date;
}

const reportSchema = new Schema<DeliveryReportDocument>(
  { _id: { type: String, required: true }, createdAt: { type: Date, required: true } },
  { collection: 'delivery_reports', versionKey: false },
);
reportSchema.plugin(outboxPlugin);

export const deliveryReportModel = (connection: Connection): Model<DeliveryReportDocument> =>
  connection.model<DeliveryReportDocument>('DeliveryReport', reportSchema);

const CHANNEL_OF: Record<Channel, notifications.Channel> = {
  inbox: notifications.Channel.CHANNEL_INBOX,
  sms: notifications.Channel.CHANNEL_SMS,
  email: notifications.Channel.CHANNEL_EMAIL,
  wechat: notifications.Channel.CHANNEL_WECHAT,
};

export class OutboxDeliveryReports implements DeliveryReports {
  constructor(private readonly model: Model<DeliveryReportDocument>) {}

  async publish(reports: readonly BatchReport[], now: Date): Promise<void> {
    const batchId = randomUUID();
    const events = reports.flatMap((report) => {
      const common = {
        batchId,
        kind: report.kind,
        channel: CHANNEL_OF[report.channel],
        sourceEventId: report.sourceEventId,
        broadcastId: '',
      };
      return [
        ...(report.delivered.length === 0
          ? []
          : [
              newEvent(notificationEvents.NoticesDelivered, batchId, {
                ...common,
                delivered: report.delivered.length,
                participantIds: report.delivered.slice(0, IDS_PER_EVENT),
                deliveredAt: now,
              }),
            ]),
        ...(report.failed.length === 0
          ? []
          : [
              newEvent(notificationEvents.NoticesFailed, batchId, {
                ...common,
                failed: report.failed.length,
                failures: report.failed
                  .slice(0, IDS_PER_EVENT)
                  .map(({ recipient, code }) => ({ participantId: recipient, code })),
                failedAt: now,
              }),
            ]),
      ];
    });
    if (events.length === 0) return;
    await this.model.create({ _id: batchId, createdAt: now, ...insertWithEvents(events) });
  }
}
