/** Who looked: an officer's reading of a full number with its reason, and the person's log of such readings. */
import {
  PageOf,
  pageQueryFields,
  principalOf,
  splitPage,
  UUID_PATTERN,
  type HttpServer,
} from '@learning/http';
import { Type } from '@sinclair/typebox';
import {
  REVEALABLE_FIELDS,
  type OwnDataAccessLog,
  type RevealIdentity,
} from '../../application/participants/identity-access.js';

const TAG = 'participants';
/** Who register people and correct their records: the officers who may need the full numbers. */
const REVEALERS = ['area_officer', 'city_admin'] as const;
/** A reading is for a case in hand, not a lookup of many: a larger number would be a bulk export. */
export const REVEAL_LIMIT = { points: 30, durationSeconds: 3600 } as const;
export const REVEAL_REASON_MIN_LENGTH = 4;
export const REVEAL_REASON_MAX_LENGTH = 500;

const RevealBody = Type.Object(
  {
    fields: Type.Array(Type.String({ enum: [...REVEALABLE_FIELDS] }), {
      minItems: 1,
      maxItems: REVEALABLE_FIELDS.length,
      uniqueItems: true,
      description: 'Which numbers to show in full: idNumber, phone.',
    }),
    reason: Type.String({
      minLength: REVEAL_REASON_MIN_LENGTH,
      maxLength: REVEAL_REASON_MAX_LENGTH,
      description:
        'Why you need it, e.g. "核对补贴发放身份 (checking identity for a subsidy)": kept in the ' +
        'audit log and shown to the person.',
    }),
  },
  { additionalProperties: false },
);

const Revealed = Type.Object({
  idNumber: Type.Optional(Type.String()),
  phone: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});

const DataAccess = Type.Object({
  at: Type.String({ format: 'date-time' }),
  viewer: Type.Object({
    subject: Type.String({ description: 'The account of the officer who looked.' }),
    roles: Type.Array(Type.String()),
  }),
  fields: Type.Array(Type.String()),
  reason: Type.String(),
});

const IdParams = Type.Object(
  {
    id: Type.String({
      pattern: UUID_PATTERN,
      description: 'The participant id, a lower-case UUID.',
    }),
  },
  { additionalProperties: false },
);

export interface IdentityAccessUseCases {
  readonly revealIdentity: RevealIdentity;
  readonly ownDataAccessLog: OwnDataAccessLog;
}

export function registerIdentityAccessRoutes(
  http: HttpServer,
  useCases: IdentityAccessUseCases,
): void {
  http.post(
    // '::' is fastify's escape for a literal colon (AIP-136 custom method).
    `/v1/participants/:id(${UUID_PATTERN})::reveal`,
    {
      config: { roles: [...REVEALERS], rateLimit: REVEAL_LIMIT },
      schema: {
        tags: [TAG],
        summary: 'See a person’s full ID number or phone, stating why',
        description:
          'Area officers inside their jurisdictions, city admins anywhere; at most 30 readings ' +
          'per officer per hour. The reading and its reason are recorded in the audit log ' +
          'before the numbers are sent, and the person sees them in their data-access log. ' +
          'Not cached (Cache-Control: no-store). Errors: 400 VALIDATION_FAILED (no field, an ' +
          'unknown one, or a reason shorter than 4 characters); 403 ROLE_REQUIRED, SCOPE_EMPTY; ' +
          '404 PARTICIPANT_NOT_FOUND, also outside your scope; 429 RATE_LIMITED.',
        params: IdParams,
        body: RevealBody,
        response: { 200: Revealed },
      },
    },
    async (request, reply) => {
      const revealed = await useCases.revealIdentity(principalOf(request), request.params.id, {
        fields: request.body.fields as (typeof REVEALABLE_FIELDS)[number][],
        reason: request.body.reason.trim(),
      });
      reply.header('cache-control', 'no-store');
      return revealed;
    },
  );

  http.get(
    '/v1/me/data-access-log',
    {
      config: { roles: ['participant'] },
      schema: {
        tags: [TAG],
        summary: 'Who viewed your full ID number or phone, when and why',
        description:
          'Role participant, with a record bound to your account; newest first. Every reading ' +
          'of your unmasked numbers by an officer, with the reason they gave. Errors: 403 ' +
          'ROLE_REQUIRED; 404 PARTICIPANT_NOT_FOUND (no record bound to your account).',
        querystring: Type.Object(pageQueryFields, { additionalProperties: false }),
        response: { 200: PageOf(DataAccess) },
      },
    },
    async (request, reply) => {
      const { page } = splitPage(request.query);
      const found = await useCases.ownDataAccessLog(principalOf(request), page);
      reply.header('cache-control', 'no-store');
      return {
        items: found.items.map(({ at, viewer, fields, reason }) => ({
          at: at.toISOString(),
          viewer: { subject: viewer.subject, roles: [...viewer.roles] },
          fields: [...fields],
          reason,
        })),
        nextPageToken: found.nextPageToken,
      };
    },
  );
}
