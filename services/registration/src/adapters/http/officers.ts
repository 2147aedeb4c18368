/** The officer directory routes: translate HTTP to the use cases and back, deciding nothing. */
import {
  PageOf,
  pageQueryFields,
  principalOf,
  splitPage,
  Text,
  type HttpServer,
} from '@learning/http';
import { Type } from '@sinclair/typebox';
import type { listOfficers } from '../../application/officers/list-officers.js';
import type {
  getOwnOfficer,
  OfficerView,
  putOwnOfficer,
  removeOwnOfficer,
} from '../../application/officers/own-officer.js';
import { OFFICER_DIRECTORY_ROLES, OFFICER_LANGUAGES } from '../../domain/officers.js';
import { DepartmentCode } from './departments.js';

export interface OfficerUseCases {
  putOwn: ReturnType<typeof putOwnOfficer>;
  getOwn: ReturnType<typeof getOwnOfficer>;
  removeOwn: ReturnType<typeof removeOwnOfficer>;
  list: ReturnType<typeof listOfficers>;
}

const TAG = 'officers';
const OFFICER_ROLES = [...OFFICER_DIRECTORY_ROLES];

const PutBody = Type.Object(
  {
    name: Text(100, { minLength: 1 }),
    language: Type.String({ enum: [...OFFICER_LANGUAGES] }),
    phone: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    email: Type.Optional(Type.String({ minLength: 3, maxLength: 254 })),
  },
  { additionalProperties: false },
);

const Officer = Type.Object({
  subject: Type.String(),
  name: Type.String(),
  language: Type.String(),
  roles: Type.Array(Type.String()),
  cityWide: Type.Boolean(),
  jurisdictionCodes: Type.Array(Type.String()),
  departmentCode: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()], { description: 'Masked.' }),
  email: Type.Union([Type.String(), Type.Null()], { description: 'Masked.' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const ListQuery = Type.Object(
  {
    role: Type.Optional(Type.String({ enum: OFFICER_ROLES })),
    jurisdictionCode: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })),
    departmentCode: Type.Optional(DepartmentCode),
    ...pageQueryFields,
  },
  { additionalProperties: false },
);

const response = (view: OfficerView) => ({
  ...view,
  roles: [...view.roles],
  jurisdictionCodes: [...view.jurisdictionCodes],
  updatedAt: view.updatedAt.toISOString(),
});

const ERRORS =
  '400 VALIDATION_FAILED, PHONE_FORMAT, EMAIL_FORMAT; 403 OFFICER_ROLE_REQUIRED (not an officer)';

export function registerOfficerRoutes(http: HttpServer, useCases: OfficerUseCases): void {
  http.put(
    '/v1/officers/me',
    {
      config: { roles: OFFICER_ROLES },
      schema: {
        tags: [TAG],
        summary: 'Keep my duty contact',
        description:
          'City admins, department officers and area officers. Name, language and optional phone ' +
          'and e-mail, replacing what was there; roles, jurisdictions and department are taken from ' +
          `the token. Contacts come back masked. Errors: ${ERRORS}.`,
        body: PutBody,
        response: { 200: Officer },
      },
    },
    async (request) =>
      response(
        await useCases.putOwn(principalOf(request), {
          name: request.body.name,
          language: request.body.language as (typeof OFFICER_LANGUAGES)[number],
          ...(request.body.phone === undefined ? {} : { phone: request.body.phone }),
          ...(request.body.email === undefined ? {} : { email: request.body.email }),
        }),
      ),
  );

  http.get(
    '/v1/officers/me',
    {
      config: { roles: OFFICER_ROLES },
      schema: {
        tags: [TAG],
        summary: 'Get my duty contact',
        description: `Masked. Errors: 403 OFFICER_ROLE_REQUIRED; 404 OFFICER_NOT_FOUND.`,
        response: { 200: Officer },
      },
    },
    async (request) => response(await useCases.getOwn(principalOf(request))),
  );

  http.delete(
    '/v1/officers/me',
    {
      config: { roles: OFFICER_ROLES },
      schema: {
        tags: [TAG],
        summary: 'Remove my duty contact',
        description: 'Errors: 403 OFFICER_ROLE_REQUIRED; 404 OFFICER_NOT_FOUND.',
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await useCases.removeOwn(principalOf(request));
      return reply.code(204).send(null);
    },
  );

  http.get(
    '/v1/officers',
    {
      config: { roles: ['city_admin'] },
      schema: {
        tags: [TAG],
        summary: 'List the duty contacts',
        description:
          'City admins only; contacts masked, in subject order. Filters: role, jurisdictionCode ' +
          '(officers holding that code), departmentCode. Errors: 400 VALIDATION_FAILED; 403 ROLE_REQUIRED.',
        querystring: ListQuery,
        response: { 200: PageOf(Officer) },
      },
    },
    async (request) => {
      const { filters, page } = splitPage(request.query);
      const result = await useCases.list(principalOf(request), {
        ...(filters.role === undefined
          ? {}
          : { role: filters.role as (typeof OFFICER_ROLES)[number] }),
        ...(filters.jurisdictionCode === undefined
          ? {}
          : { jurisdictionCode: filters.jurisdictionCode }),
        ...(filters.departmentCode === undefined ? {} : { departmentCode: filters.departmentCode }),
        ...page,
      });
      return { items: result.items.map(response), nextPageToken: result.nextPageToken };
    },
  );
}
