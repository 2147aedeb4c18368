/** GET /v1/audit-log: the same read route in every service that keeps a trail. */
import { AppError } from '@learning/errors';
import {
  DEFAULT_PAGE_SIZE,
  PageOf,
  pageQueryFields,
  principalOf,
  type HttpServer,
} from '@learning/http';
import { Scope } from '@learning/auth';
import { Type } from '@sinclair/typebox';
import type { AuditLog } from './store.js';

const Name = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_.:-]+$' });

const AuditQuerystring = Type.Object(
  {
    entityType: Type.Optional(Name),
    entityId: Type.Optional(Name),
    actor: Type.Optional(
      Type.String({ minLength: 1, maxLength: 128, description: 'The subject who acted.' }),
    ),
    action: Type.Optional(Name),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Inclusive.' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Exclusive.' })),
    ...pageQueryFields,
  },
  { additionalProperties: false },
);

const AuditEntry = Type.Object({
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  actor: Type.Object({
    subject: Type.String(),
    roles: Type.Array(Type.String()),
    service: Type.Optional(Type.String()),
  }),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.String(),
  jurisdictionPath: Type.Array(Type.String()),
  before: Type.Unknown({ description: 'Personal data masked; null when the entity was created.' }),
  after: Type.Unknown({ description: 'Personal data masked; null when the entity was removed.' }),
  reason: Type.Union([Type.String(), Type.Null()]),
  correlationId: Type.Union([Type.String(), Type.Null()]),
});

export const AUDIT_RANGE_INVALID = 'AUDIT_RANGE_INVALID';

export function registerAuditRoutes(http: HttpServer, log: AuditLog): void {
  http.get(
    '/v1/audit-log',
    {
      config: { roles: ['city_admin', 'area_officer'] },
      schema: {
        tags: ['audit'],
        summary: 'Read the audit log',
        description:
          'City admins and area officers, within their jurisdictions: who changed what, when, ' +
          'before and after (personal data masked), newest first. Errors: 400 ' +
          `${AUDIT_RANGE_INVALID} when 'from' is not before 'to'; 403 ROLE_REQUIRED.`,
        querystring: AuditQuerystring,
        response: { 200: PageOf(AuditEntry) },
      },
    },
    async (request) => {
      const { from, to, actor, pageSize, pageToken, ...filters } = request.query;
      const fromDate = from === undefined ? undefined : new Date(from);
      const toDate = to === undefined ? undefined : new Date(to);
      if (fromDate !== undefined && toDate !== undefined && fromDate >= toDate)
        throw new AppError('invalid_argument', AUDIT_RANGE_INVALID, "'from' must be before 'to'.");
      const page = await log.search(Scope.of(principalOf(request)), {
        ...filters,
        ...(actor === undefined ? {} : { actorSubject: actor }),
        ...(fromDate === undefined ? {} : { from: fromDate }),
        ...(toDate === undefined ? {} : { to: toDate }),
        pageSize: pageSize ?? DEFAULT_PAGE_SIZE,
        ...(pageToken === undefined ? {} : { pageToken }),
      });
      return {
        items: page.items.map((item) => ({ ...item, at: item.at.toISOString() })),
        nextPageToken: page.nextPageToken,
      };
    },
  );
}
