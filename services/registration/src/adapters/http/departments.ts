/** The department routes: translate HTTP to the use cases and back, deciding nothing. */
import { principalOf, Text, type HttpServer } from '@learning/http';
import { Type } from '@sinclair/typebox';
import type {
  DepartmentTableView,
  GetDepartmentTable,
  ListDepartments,
  ReplaceDepartmentTable,
} from '../../application/departments/department-table.js';
import { DEPARTMENTS, ROUTED_KINDS, type RoutedKind } from '../../domain/departments.js';

export interface DepartmentUseCases {
  listDepartments: ListDepartments;
  getDepartmentTable: GetDepartmentTable;
  replaceDepartmentTable: ReplaceDepartmentTable;
}

const TAG = 'departments';

/** Department codes are lower-case pinyin words joined by hyphens. */
export const DepartmentCode = Type.String({
  pattern: '^[a-z][a-z-]{0,39}$',
  description: 'A department code, e.g. "wenming-ban".',
});
const Kind = Type.Unsafe<RoutedKind>(
  Type.String({ enum: [...ROUTED_KINDS], description: 'A kind with its own row.' }),
);

const Row = Type.Object(
  {
    // Any short word here, so a public_institution row is refused by the rules with its own code.
    kind: Type.String({ pattern: '^[a-z_]{1,40}$' }),
    lead: DepartmentCode,
    coResponsible: Type.Array(DepartmentCode, { maxItems: DEPARTMENTS.length }),
  },
  { additionalProperties: false },
);

const ReplaceBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version of the table you edited.' }),
    rows: Type.Array(Row, { minItems: 1, maxItems: 2 * ROUTED_KINDS.length }),
    reason: Type.Optional(Text(500, { minLength: 1 })),
  },
  { additionalProperties: false },
);

const Table = Type.Object({
  rows: Type.Array(
    Type.Object({
      kind: Type.String(),
      lead: Type.String(),
      coResponsible: Type.Array(Type.String()),
    }),
  ),
  version: Type.Integer(),
  updatedBy: Type.Union([Type.String(), Type.Null()], { description: 'Null for the defaults.' }),
  updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const DepartmentList = Type.Object({
  items: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      leads: Type.Array(Kind),
      coOwns: Type.Array(Kind),
    }),
  ),
});

const tableResponse = (view: DepartmentTableView) => ({
  rows: view.rows.map((row) => ({
    kind: row.kind,
    lead: row.lead,
    coResponsible: [...row.coResponsible],
  })),
  version: view.version,
  updatedBy: view.updatedBy,
  updatedAt: view.updatedAt?.toISOString() ?? null,
});

export function registerDepartmentRoutes(http: HttpServer, useCases: DepartmentUseCases): void {
  http.get(
    '/v1/departments',
    {
      schema: {
        tags: [TAG],
        summary: 'List the city departments and what each leads or co-owns',
        description: 'Any signed-in person; by the table in force.',
        response: { 200: DepartmentList },
      },
    },
    async () => ({ items: await useCases.listDepartments() }),
  );

  http.get(
    '/v1/department-table',
    {
      schema: {
        tags: [TAG],
        summary: 'Get the responsibility table in force',
        description:
          'Any signed-in person. Which department leads and which co-own each kind of learning ' +
          'organization (public institutions follow agency), with the version to edit.',
        response: { 200: Table },
      },
    },
    async () => tableResponse(await useCases.getDepartmentTable()),
  );

  http.put(
    '/v1/department-table',
    {
      config: { roles: ['city_admin'], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Replace the responsibility table',
        description:
          'City admins only; needs an Idempotency-Key. The whole table, one row per kind; applies ' +
          'to organizations registered from now on, not to those already registered. Errors: 400 ' +
          'DEPARTMENT_TABLE_UNKNOWN_KIND, DEPARTMENT_TABLE_DUPLICATE_KIND, DEPARTMENT_TABLE_MISSING_KIND, ' +
          'DEPARTMENT_TABLE_UNKNOWN_DEPARTMENT, DEPARTMENT_TABLE_LEAD_ALSO_CO_RESPONSIBLE, ' +
          'DEPARTMENT_TABLE_DUPLICATE_CO_RESPONSIBLE, VALIDATION_FAILED, FORBIDDEN_KEY; 403 ' +
          'ROLE_REQUIRED; 409 VERSION_CONFLICT (someone edited it since you read version).',
        body: ReplaceBody,
        response: { 200: Table },
      },
    },
    async (request) =>
      tableResponse(await useCases.replaceDepartmentTable(principalOf(request), request.body)),
  );
}
