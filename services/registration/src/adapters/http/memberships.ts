/** The membership routes: translate HTTP to the use cases and back, deciding nothing. */
import { PageOf, pageQueryFields, principalOf, Uuid, type HttpServer } from '@learning/http';
import { Type } from '@sinclair/typebox';
import type { StoredMembership } from '../../application/memberships/membership-repository.js';
import type {
  EndMembership,
  ListMemberships,
  SetMembership,
} from '../../application/memberships/memberships.js';
import {
  MEMBERSHIP_ROLES,
  MEMBERSHIP_STATUSES,
  type MembershipRole,
  type MembershipStatus,
} from '../../domain/organizations.js';

export interface MembershipUseCases {
  setMembership: SetMembership;
  endMembership: EndMembership;
  listMemberships: ListMemberships;
}

const TAG = 'organizations';
const Role = Type.Unsafe<MembershipRole>(Type.String({ enum: [...MEMBERSHIP_ROLES] }));
const Status = Type.Unsafe<MembershipStatus>(Type.String({ enum: [...MEMBERSHIP_STATUSES] }));

const MemberParams = Type.Object(
  { id: Uuid, participantId: Uuid },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
const SetBody = Type.Object({ role: Role }, { additionalProperties: false });
const ListQuery = Type.Object(
  { status: Type.Optional(Status), ...pageQueryFields },
  { additionalProperties: false },
);

const Membership = Type.Object({
  organizationId: Type.String(),
  participantId: Type.String(),
  organizationKind: Type.String(),
  role: Role,
  status: Status,
  since: Type.String({ format: 'date-time' }),
  endedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  version: Type.Integer(),
});

const response = (membership: StoredMembership) => ({
  organizationId: membership.organizationId,
  participantId: membership.participantId,
  organizationKind: membership.organizationKind,
  role: membership.role,
  status: membership.status,
  since: membership.since.toISOString(),
  endedAt: membership.endedAt?.toISOString() ?? null,
  version: membership.version,
});

const WHO =
  "The organization's admins, its lead department, an officer of its area or a city admin";
const ERRORS =
  '403 ORGANIZATION_MANAGE_FORBIDDEN; 404 ORGANIZATION_NOT_FOUND (also outside your reach)';

export function registerMembershipRoutes(http: HttpServer, useCases: MembershipUseCases): void {
  http.put(
    '/v1/organizations/:id/members/:participantId',
    {
      config: { idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: "Add a member or set a member's role",
        description:
          `${WHO}; needs an Idempotency-Key. Setting the role a member already has changes ` +
          'nothing; an ended membership set again starts anew. Errors: 400 VALIDATION_FAILED; ' +
          `${ERRORS}, PARTICIPANT_NOT_FOUND; 409 MEMBERSHIP_ORGANIZATION_CLOSED (rejected), ` +
          'VERSION_CONFLICT.',
        params: MemberParams,
        body: SetBody,
        response: { 200: Membership },
      },
    },
    async (request) =>
      response(
        await useCases.setMembership(
          principalOf(request),
          request.params.id,
          request.params.participantId,
          request.body.role,
        ),
      ),
  );

  http.delete(
    '/v1/organizations/:id/members/:participantId',
    {
      config: { idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'End a membership',
        description:
          `${WHO}; needs an Idempotency-Key. Ending one that is ended or absent changes nothing ` +
          `(still 204). Errors: ${ERRORS}; 409 VERSION_CONFLICT.`,
        params: MemberParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await useCases.endMembership(
        principalOf(request),
        request.params.id,
        request.params.participantId,
      );
      return reply.code(204).send(null);
    },
  );

  http.get(
    '/v1/organizations/:id/members',
    {
      schema: {
        tags: [TAG],
        summary: "List an organization's members",
        description:
          'Whoever may see the organization (officers within their jurisdictions, its admins); ' +
          'in participant id order. Errors: 400 CURSOR_INVALID, VALIDATION_FAILED; 404 ' +
          'ORGANIZATION_NOT_FOUND.',
        params: IdParams,
        querystring: ListQuery,
        response: { 200: PageOf(Membership) },
      },
    },
    async (request) => {
      const page = await useCases.listMemberships(
        principalOf(request),
        request.params.id,
        request.query,
      );
      return { items: page.items.map(response), nextPageToken: page.nextPageToken };
    },
  );
}
