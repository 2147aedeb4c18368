/** The delivery log as the status routes read it: never an address. */
import type { Page } from '@learning/domain';
import type { Channel, DeliveryStatus, NoticeKind } from '../../domain/notices.js';

export interface DeliveryRecord {
  readonly id: string;
  readonly noticeId: string;
  readonly recipient: string;
  readonly channel: Channel;
  readonly kind: NoticeKind;
  readonly sender: string;
  readonly status: DeliveryStatus;
  /** Suppressed: why; failed or retrying: the gateway's code. */
  readonly reason: string | null;
  readonly attempts: number;
  readonly createdAt: Date;
  readonly deliveredAt: Date | null;
}

export interface DeliveryFilter {
  readonly recipient?: string;
  readonly noticeId?: string;
  readonly sender?: string;
  readonly status?: DeliveryStatus;
}

export interface DeliveryLog {
  /** Newest first. */
  page(
    filter: DeliveryFilter,
    page: { readonly pageSize: number; readonly pageToken?: string },
  ): Promise<Page<DeliveryRecord>>;
}
