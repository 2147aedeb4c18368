/** The learning organization routes: translate HTTP to the use cases and back, deciding nothing. */
import { OFFICER_ROLES } from '@learning/auth';
import {
  JurisdictionCode,
  Name,
  PageOf,
  pageQueryFields,
  principalOf,
  Text,
  UUID_PATTERN,
  Uuid,
  type HttpServer,
} from '@learning/http';
import { Type } from '@sinclair/typebox';
import type { ChangeOrganization } from '../../application/organizations/change-organization.js';
import type { DecideOnOrganization } from '../../application/organizations/decide-on-organization.js';
import type { StoredOrganization } from '../../application/organizations/organization-repository.js';
import type {
  GetOrganization,
  SearchOrganizations,
} from '../../application/organizations/read-organizations.js';
import type { RegisterOrganization } from '../../application/organizations/register-organization.js';
import { ORGANIZATION_KINDS, type OrganizationKind } from '../../domain/departments.js';
import {
  ORGANIZATION_STATUSES,
  type OrganizationAction,
  type OrganizationStatus,
} from '../../domain/organizations.js';
import { DepartmentCode } from './departments.js';

export interface OrganizationUseCases {
  registerOrganization: RegisterOrganization;
  searchOrganizations: SearchOrganizations;
  getOrganization: GetOrganization;
  changeOrganization: ChangeOrganization;
  decideOnOrganization: DecideOnOrganization;
}

const TAG = 'organizations';
const OFFICERS = OFFICER_ROLES;
const ACTIONS: readonly OrganizationAction[] = [
  'start_review',
  'recognize',
  'reject',
  'suspend',
  'reinstate',
];

// Plain JSON Schema enums rather than unions, so a bad value is one error, not one per alternative.
const Kind = Type.Unsafe<OrganizationKind>(
  Type.String({ enum: [...ORGANIZATION_KINDS], description: 'The kind of learning organization.' }),
);
const Status = Type.Unsafe<OrganizationStatus>(Type.String({ enum: [...ORGANIZATION_STATUSES] }));
const Action = Type.Unsafe<OrganizationAction>(Type.String({ enum: [...ACTIONS] }));

const LearningSystem = Type.Object(
  {
    studyRules: Text(4000, { minLength: 1 }),
    trainingPlan: Text(4000, { minLength: 1 }),
    trainingHoursPerYear: Type.Number({ minimum: 0, maximum: 2000 }),
  },
  { additionalProperties: false },
);

const RegisterBody = Type.Object(
  {
    kind: Kind,
    name: Name(),
    jurisdictionCode: JurisdictionCode,
    creditCode: Type.Optional(
      Type.String({
        pattern: '^[0-9A-Za-z]{18}$',
        description: '统一社会信用代码: 18 characters; its check character is verified.',
      }),
    ),
    learningSystem: Type.Optional(Type.Union([LearningSystem, Type.Null()])),
  },
  { additionalProperties: false },
);

const ChangeBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version you read.' }),
    name: Type.Optional(Name()),
    learningSystem: Type.Optional(
      Type.Union([LearningSystem, Type.Null()], { description: 'null removes the profile.' }),
    ),
  },
  { additionalProperties: false },
);

const DecideBody = Type.Object(
  {
    action: Action,
    reason: Type.Optional(Text(500)),
    version: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Decide only if it is still at this version.' }),
    ),
  },
  { additionalProperties: false },
);

const SearchQuery = Type.Object(
  {
    kind: Type.Optional(Kind),
    status: Type.Optional(Status),
    jurisdictionCode: Type.Optional(JurisdictionCode),
    leadDepartment: Type.Optional(DepartmentCode),
    namePrefix: Type.Optional(Name(100, { description: 'The first characters of the name.' })),
    ...pageQueryFields,
  },
  { additionalProperties: false },
);

const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

const DateTime = Type.String({ format: 'date-time' });

const Organization = Type.Object({
  id: Type.String(),
  kind: Kind,
  name: Type.String(),
  creditCode: Type.Union([Type.String(), Type.Null()]),
  jurisdictionCode: Type.String(),
  jurisdictionPath: Type.Array(Type.String(), { description: 'From the city down to its node.' }),
  leadDepartment: Type.String(),
  coDepartments: Type.Array(Type.String()),
  learningSystem: Type.Union([
    Type.Object({
      studyRules: Type.String(),
      trainingPlan: Type.String(),
      trainingHoursPerYear: Type.Number(),
    }),
    Type.Null(),
  ]),
  status: Status,
  history: Type.Array(
    Type.Object({
      status: Status,
      reason: Type.Union([Type.String(), Type.Null()]),
      decidedBy: Type.String(),
      decidedAt: DateTime,
    }),
  ),
  createdBy: Type.String(),
  createdAt: DateTime,
  updatedAt: DateTime,
  version: Type.Integer(),
});

const response = (organization: StoredOrganization) => ({
  id: organization.id,
  kind: organization.kind,
  name: organization.name,
  creditCode: organization.creditCode,
  jurisdictionCode: organization.jurisdictionPath.at(-1) ?? '',
  jurisdictionPath: [...organization.jurisdictionPath],
  leadDepartment: organization.leadDepartment,
  coDepartments: [...organization.coDepartments],
  learningSystem: organization.learningSystem === null ? null : { ...organization.learningSystem },
  status: organization.status,
  history: organization.history.map((change) => ({
    status: change.status,
    reason: change.reason,
    decidedBy: change.decidedBy,
    decidedAt: change.decidedAt.toISOString(),
  })),
  createdBy: organization.createdBy,
  createdAt: organization.createdAt.toISOString(),
  updatedAt: organization.updatedAt.toISOString(),
  version: organization.version,
});

const ORGANIZATION_NOT_FOUND_NOTE =
  '404 ORGANIZATION_NOT_FOUND (also when it is outside your reach)';

export function registerOrganizationRoutes(http: HttpServer, useCases: OrganizationUseCases): void {
  http.post(
    '/v1/organizations',
    {
      config: { roles: [...OFFICERS, 'org_admin'], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Apply to register a learning organization',
        description:
          'Org admins and officers; needs an Idempotency-Key. The lead and co-responsible ' +
          'departments come from the table in force and stay with the organization; it starts ' +
          'as applied. Officers register only inside their jurisdictions. The applicant is not ' +
          'made a member: add members with PUT …/members/{participantId}. Errors: 400 ' +
          'JURISDICTION_UNKNOWN, ORGANIZATION_CREDIT_CODE_INVALID, VALIDATION_FAILED, ' +
          'FORBIDDEN_KEY; 403 ROLE_REQUIRED, OUT_OF_SCOPE; 409 ORGANIZATION_ALREADY_EXISTS ' +
          '(the credit code is registered).',
        body: RegisterBody,
        response: { 201: Organization },
      },
    },
    async (request, reply) => {
      const organization = await useCases.registerOrganization(principalOf(request), request.body);
      return reply.code(201).send(response(organization));
    },
  );

  http.get(
    '/v1/organizations',
    {
      config: { roles: [...OFFICERS, 'org_admin'] },
      schema: {
        tags: [TAG],
        summary: 'Search learning organizations',
        description:
          'Officers search within their jurisdictions; org admins see the organizations they ' +
          'administer. Filters combine; with namePrefix the page is in name order, otherwise in ' +
          'id order. Errors: 400 CURSOR_INVALID, VALIDATION_FAILED; 403 ROLE_REQUIRED, SCOPE_EMPTY.',
        querystring: SearchQuery,
        response: { 200: PageOf(Organization) },
      },
    },
    async (request) => {
      const page = await useCases.searchOrganizations(principalOf(request), request.query);
      return { items: page.items.map(response), nextPageToken: page.nextPageToken };
    },
  );

  http.get(
    '/v1/organizations/:id',
    {
      schema: {
        tags: [TAG],
        summary: 'Get a learning organization',
        description: `Officers within their jurisdictions and its admins. Errors: ${ORGANIZATION_NOT_FOUND_NOTE}.`,
        params: IdParams,
        response: { 200: Organization },
      },
    },
    async (request) =>
      response(await useCases.getOrganization(principalOf(request), request.params.id)),
  );

  http.patch(
    '/v1/organizations/:id',
    {
      config: { idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: "Change an organization's name or learning system profile",
        description:
          'Its admins, its lead department, an officer of its area or a city admin; needs an ' +
          'Idempotency-Key. Errors: 400 ORGANIZATION_CHANGE_EMPTY, VALIDATION_FAILED, ' +
          `FORBIDDEN_KEY; 403 ORGANIZATION_MANAGE_FORBIDDEN; ${ORGANIZATION_NOT_FOUND_NOTE}; 409 VERSION_CONFLICT.`,
        params: IdParams,
        body: ChangeBody,
        response: { 200: Organization },
      },
    },
    async (request) =>
      response(
        await useCases.changeOrganization(principalOf(request), request.params.id, request.body),
      ),
  );

  // '::' is fastify's escape for a literal colon (AIP-136 custom method); the id needs its own
  // pattern in the path, or the router would read the whole "id::decide" as the parameter's name.
  http.post(
    `/v1/organizations/:id(${UUID_PATTERN})::decide`,
    {
      config: { roles: [...OFFICERS], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Decide on an organization: start review, recognize, reject, suspend, reinstate',
        description:
          'An officer of its lead department, an area officer over it, or a city admin; needs an ' +
          'Idempotency-Key. applied → under_review (start_review) → recognized (recognize) | ' +
          'rejected (reject, reason required); recognized → suspended (suspend, reason required) → ' +
          'recognized (reinstate). Errors: 400 ORGANIZATION_REASON_REQUIRED, VALIDATION_FAILED; ' +
          `403 ORGANIZATION_DECISION_FORBIDDEN, ROLE_REQUIRED; ${ORGANIZATION_NOT_FOUND_NOTE}; 409 ` +
          'ORGANIZATION_TRANSITION_NOT_ALLOWED, VERSION_CONFLICT.',
        params: IdParams,
        body: DecideBody,
        response: { 200: Organization },
      },
    },
    async (request) =>
      response(
        await useCases.decideOnOrganization(principalOf(request), request.params.id, request.body),
      ),
  );
}
