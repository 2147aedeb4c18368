/** The delivery-status routes: translate HTTP to the use cases and back, deciding nothing. */
import {
  DEFAULT_PAGE_SIZE,
  PageOf,
  pageQueryFields,
  principalOf,
  type HttpServer,
} from '@learning/http';
import { Type } from '@sinclair/typebox';
import type { DeliveryRecord } from '../../application/deliveries/ports.js';
import type { DeliveryReads } from '../../application/deliveries/read-deliveries.js';
import {
  CHANNELS,
  DELIVERY_STATUSES,
  NOTICE_KIND_NAMES,
  type DeliveryStatus,
} from '../../domain/notices.js';
import { OWN_ROUTE_ROLES, OWN_ROUTE_TEXT } from './me.js';

const TAG = 'deliveries';

const Delivery = Type.Object({
  id: Type.String(),
  noticeId: Type.String(),
  channel: Type.String({ enum: [...CHANNELS] }),
  kind: Type.String({ enum: [...NOTICE_KIND_NAMES] }),
  status: Type.String({ enum: [...DELIVERY_STATUSES] }),
  reason: Type.Union([Type.String(), Type.Null()], {
    description:
      'Suppressed: opted_out, no_consent, no_contact, channel_disabled. Failed: the gateway code.',
  }),
  attempts: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  deliveredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const SenderDelivery = Type.Object({
  ...Delivery.properties,
  recipient: Type.String({
    description: 'A participant id or officer:<subject>; never an address.',
  }),
  sender: Type.String(),
});

const ownOf = (record: DeliveryRecord) => ({
  id: record.id,
  noticeId: record.noticeId,
  channel: record.channel,
  kind: record.kind,
  status: record.status,
  reason: record.reason,
  attempts: record.attempts,
  createdAt: record.createdAt.toISOString(),
  deliveredAt: record.deliveredAt?.toISOString() ?? null,
});

export function registerDeliveryRoutes(http: HttpServer, reads: DeliveryReads): void {
  http.get(
    '/v1/me/deliveries',
    {
      config: { roles: OWN_ROUTE_ROLES },
      schema: {
        tags: [TAG],
        summary: 'What became of the notices sent to you, per channel',
        description:
          `${OWN_ROUTE_TEXT} Newest first. Errors: 400 CURSOR_INVALID, VALIDATION_FAILED; 403 ` +
          'ROLE_REQUIRED; 404 RECIPIENT_NOT_REGISTERED.',
        querystring: Type.Object({ ...pageQueryFields }, { additionalProperties: false }),
        response: { 200: PageOf(Delivery) },
      },
    },
    async (request) => {
      const { pageSize, pageToken } = request.query;
      const page = await reads.own(principalOf(request), {
        pageSize: pageSize ?? DEFAULT_PAGE_SIZE,
        ...(pageToken === undefined ? {} : { pageToken }),
      });
      return { items: page.items.map(ownOf), nextPageToken: page.nextCursor };
    },
  );

  http.get(
    '/v1/deliveries',
    {
      config: { roles: ['city_admin', 'service'] },
      schema: {
        tags: [TAG],
        summary: 'The delivery log of a sender, a notice or a status',
        description:
          'City admins: every sender. A service: only what it sent (sender service:<name>). ' +
          'Newest first; addresses are never shown. Errors: 400 CURSOR_INVALID, VALIDATION_FAILED; ' +
          '403 ROLE_REQUIRED, DELIVERIES_FORBIDDEN.',
        querystring: Type.Object(
          {
            noticeId: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
            sender: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
            status: Type.Optional(Type.String({ enum: [...DELIVERY_STATUSES] })),
            ...pageQueryFields,
          },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(SenderDelivery) },
      },
    },
    async (request) => {
      const { noticeId, sender, status, pageSize, pageToken } = request.query;
      const page = await reads.bySender(
        principalOf(request),
        {
          ...(noticeId === undefined ? {} : { noticeId }),
          ...(sender === undefined ? {} : { sender }),
          ...(status === undefined ? {} : { status: status as DeliveryStatus }),
        },
        {
          pageSize: pageSize ?? DEFAULT_PAGE_SIZE,
          ...(pageToken === undefined ? {} : { pageToken }),
        },
      );
      return {
        items: page.items.map((record) => ({
          ...ownOf(record),
          recipient: record.recipient,
          sender: record.sender,
        })),
        nextPageToken: page.nextCursor,
      };
    },
  );
}
