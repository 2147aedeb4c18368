/** The inbox routes: translate HTTP to the use cases and back, deciding nothing. */
import { AppError } from '@learning/errors';
import {
  DEFAULT_PAGE_SIZE,
  PageOf,
  pageQueryFields,
  principalOf,
  type HttpServer,
} from '@learning/http';
import { Type } from '@sinclair/typebox';
import type { InboxUseCases } from '../../application/inbox/inbox.js';
import type { InboxPosition } from '../../application/ports.js';
import { NOTICE_KIND_NAMES } from '../../domain/notices.js';
import { OWN_ROUTE_ROLES, OWN_ROUTE_TEXT } from './me.js';

const TAG = 'inbox';

const InboxItem = Type.Object({
  id: Type.String(),
  source: Type.String({ enum: ['personal', 'broadcast'] }),
  kind: Type.String({ enum: [...NOTICE_KIND_NAMES] }),
  title: Type.String(),
  body: Type.String(),
  urgent: Type.Boolean(),
  at: Type.String({ format: 'date-time' }),
  read: Type.Boolean(),
});

const EntryParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 512 }) },
  { additionalProperties: false },
);

/** The page token is where the page ended; tampering with it only moves the start of your own inbox. */
const tokenOf = (position: InboxPosition): string =>
  Buffer.from(JSON.stringify({ at: position.at.toISOString(), id: position.id })).toString(
    'base64url',
  );

function positionOf(token: string): InboxPosition {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'at' in parsed && 'id' in parsed) {
      const { at, id } = parsed;
      const when = typeof at === 'string' ? new Date(at) : new Date(Number.NaN);
      if (typeof id === 'string' && !Number.isNaN(when.getTime())) return { at: when, id };
    }
  } catch {
    // Falls through to the refusal below.
  }
  throw new AppError(
    'invalid_argument',
    'CURSOR_INVALID',
    'The page token is not one this list gave.',
  );
}

export function registerInboxRoutes(http: HttpServer, inbox: InboxUseCases): void {
  http.get(
    '/v1/me/inbox',
    {
      config: { roles: OWN_ROUTE_ROLES },
      schema: {
        tags: [TAG],
        summary: 'Your inbox, newest first',
        description:
          `${OWN_ROUTE_TEXT} Your personal notices and the announcements that reached you, each ` +
          'with whether you read it. Errors: 400 CURSOR_INVALID, VALIDATION_FAILED; 403 ROLE_REQUIRED; ' +
          '404 RECIPIENT_NOT_REGISTERED.',
        querystring: Type.Object({ ...pageQueryFields }, { additionalProperties: false }),
        response: { 200: PageOf(InboxItem) },
      },
    },
    async (request) => {
      const { pageSize, pageToken } = request.query;
      const { items, next } = await inbox.page(principalOf(request), {
        limit: pageSize ?? DEFAULT_PAGE_SIZE,
        ...(pageToken === undefined ? {} : { before: positionOf(pageToken) }),
      });
      return {
        items: items.map((item) => ({ ...item, at: item.at.toISOString() })),
        nextPageToken: next === null ? null : tokenOf(next),
      };
    },
  );

  http.get(
    '/v1/me/inbox/unread-count',
    {
      config: { roles: OWN_ROUTE_ROLES },
      schema: {
        tags: [TAG],
        summary: 'How many of your inbox entries you have not read',
        description:
          `${OWN_ROUTE_TEXT} Counted over your newest 100 entries; \`capped\` says there are older ` +
          'ones not counted. Errors: 403 ROLE_REQUIRED; 404 RECIPIENT_NOT_REGISTERED.',
        response: { 200: Type.Object({ count: Type.Integer(), capped: Type.Boolean() }) },
      },
    },
    async (request) => inbox.unreadCount(principalOf(request)),
  );

  http.post(
    '/v1/me/inbox/:id/read',
    {
      config: { roles: OWN_ROUTE_ROLES },
      schema: {
        tags: [TAG],
        summary: 'Mark one inbox entry read',
        description:
          `${OWN_ROUTE_TEXT} Marking it again changes nothing. Errors: 403 ROLE_REQUIRED; 404 ` +
          'INBOX_ENTRY_NOT_FOUND (also for an entry of someone else), RECIPIENT_NOT_REGISTERED.',
        params: EntryParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await inbox.markRead(principalOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  http.post(
    '/v1/me/inbox/read-all',
    {
      config: { roles: OWN_ROUTE_ROLES },
      schema: {
        tags: [TAG],
        summary: 'Mark everything in your inbox read',
        description: `${OWN_ROUTE_TEXT} Errors: 403 ROLE_REQUIRED; 404 RECIPIENT_NOT_REGISTERED.`,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await inbox.markAllRead(principalOf(request));
      return reply.code(204).send(null);
    },
  );
}
