/**
 * A batch's reports (decision 0017, point 6): per channel, one
 * NoticesDelivered and, when some failed, one NoticesFailed, keyed by the
 * batch id, written in the batch document's outbox with the outcome.
 */
import { notificationEvents } from '@learning/contracts';
import { newEvent, type OutboxEntry } from '@learning/events';
import { notifications } from '@learning/proto';
import type { Channel, NoticeKind } from '../../domain/notices.js';
import type { ChannelFailure } from './ports.js';

const PROTO_CHANNELS: Readonly<Record<Channel, notifications.Channel>> = {
  inbox: notifications.Channel.CHANNEL_INBOX,
  sms: notifications.Channel.CHANNEL_SMS,
  email: notifications.Channel.CHANNEL_EMAIL,
  wechat: notifications.Channel.CHANNEL_WECHAT,
};

export interface BatchReportInput {
  readonly batchId: string;
  readonly broadcastId: string;
  readonly sourceEventId: string | null;
  readonly kind: NoticeKind;
  readonly channel: Channel;
  readonly delivered: readonly string[];
  readonly failed: readonly ChannelFailure[];
  readonly at: Date;
}

export function batchReports(input: BatchReportInput): OutboxEntry[] {
  const common = {
    batchId: input.batchId,
    kind: input.kind,
    channel: PROTO_CHANNELS[input.channel],
    sourceEventId: input.sourceEventId ?? '',
    broadcastId: input.broadcastId,
  };
  const events: OutboxEntry[] = [];
  if (input.delivered.length > 0)
    events.push(
      newEvent(notificationEvents.NoticesDelivered, input.batchId, {
        ...common,
        delivered: input.delivered.length,
        participantIds: [...input.delivered],
        deliveredAt: input.at,
      }),
    );
  if (input.failed.length > 0)
    events.push(
      newEvent(notificationEvents.NoticesFailed, input.batchId, {
        ...common,
        failed: input.failed.length,
        failures: input.failed.map(({ id, code }) => ({ participantId: id, code })),
        failedAt: input.at,
      }),
    );
  return events;
}
