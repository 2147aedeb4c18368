/** The jurisdiction routes: translate HTTP to the use cases and back, deciding nothing. */
import {
  JURISDICTION_CODE_PATTERN,
  JurisdictionCode,
  Name,
  pageQueryFields,
  PUBLIC_PORTAL_TAG,
  type HttpServer,
} from '@learning/http';
import { Type, type Static } from '@sinclair/typebox';
import type { GetJurisdiction } from '../../application/get-jurisdiction.js';
import type { ImportJurisdictions } from '../../application/import-jurisdictions.js';
import type { ListSubtree } from '../../application/list-subtree.js';
import { JURISDICTION_LEVELS, type JurisdictionLevel } from '../../domain/jurisdictions.js';

export interface JurisdictionUseCases {
  importJurisdictions: ImportJurisdictions;
  getJurisdiction: GetJurisdiction;
  listSubtree: ListSubtree;
}

const TAG = 'jurisdictions';
/** The largest tree one import takes. */
export const MAX_IMPORT_ITEMS = 20_000;
/** 20,000 nodes with 100-character Chinese names come to about 8 MB of JSON. */
const IMPORT_BODY_LIMIT = 10 * 1024 * 1024;
// Plain JSON Schema rather than a union, so a bad value is one error, not one per alternative.
const Level = Type.Unsafe<JurisdictionLevel>(
  Type.String({ enum: [...JURISDICTION_LEVELS], description: 'The level of the node.' }),
);
const ParentCode = Type.Unsafe<string | null>({
  type: ['string', 'null'],
  pattern: JURISDICTION_CODE_PATTERN,
  description: "The parent's code; null only for the city.",
});

const ImportItem = Type.Object(
  {
    code: JurisdictionCode,
    name: Name(),
    level: Level,
    parentCode: ParentCode,
  },
  { additionalProperties: false },
);

const ImportBody = Type.Object(
  { items: Type.Array(ImportItem, { minItems: 1, maxItems: MAX_IMPORT_ITEMS }) },
  { additionalProperties: false },
);

const ImportResult = Type.Object({
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  kept: Type.Object(
    {
      count: Type.Integer(),
      codes: Type.Array(Type.String()),
    },
    { description: 'Stored nodes the import left out: kept, not deleted; the first 100 codes.' },
  ),
});

const JurisdictionFields = {
  code: Type.String(),
  name: Type.String(),
  level: Level,
  parentCode: ParentCode,
  path: Type.Array(Type.String(), { description: 'Codes from the city down to this node.' }),
  version: Type.Integer(),
};

const Jurisdiction = Type.Object(JurisdictionFields);

const JurisdictionWithAncestors = Type.Object({
  ...JurisdictionFields,
  ancestors: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), level: Level }), {
    description: 'From the city down to the parent; empty for the city.',
  }),
});

const CodeParams = Type.Object({ code: JurisdictionCode }, { additionalProperties: false });

const DescendantsQuery = Type.Object(
  {
    level: Type.Optional(Level),
    ...pageQueryFields,
  },
  { additionalProperties: false },
);

const DescendantsPage = Type.Object({
  items: Type.Array(Jurisdiction),
  nextPageToken: Type.Union([Type.String(), Type.Null()], {
    description: 'Null on the last page.',
  }),
});

/** What anyone may know of a place: its name and where it sits in the tree. */
const PublicPlacesPage = Type.Object({
  items: Type.Array(
    Type.Object({ code: Type.String(), name: Type.String(), level: Level, parentCode: ParentCode }),
  ),
  nextPageToken: Type.Union([Type.String(), Type.Null()], {
    description: 'Null on the last page.',
  }),
});

export type ImportBody = Static<typeof ImportBody>;

export function registerJurisdictionRoutes(http: HttpServer, useCases: JurisdictionUseCases): void {
  // '::' is fastify's escape for a literal colon (AIP-136 custom method).
  http.post(
    '/v1/jurisdictions::import',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      config: { roles: ['city_admin'], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Import the whole jurisdiction tree',
        description:
          'City admins only; needs an Idempotency-Key. The list must be one tree rooted at the city. ' +
          'Importing the same tree again changes nothing; changed names, levels or parents are ' +
          'updated; stored nodes the list leaves out are kept and reported. Errors: 400 ' +
          'JURISDICTION_TREE_INVALID (details name the entry and the rule), VALIDATION_FAILED, ' +
          'FORBIDDEN_KEY; 403 ROLE_REQUIRED; 409 JURISDICTION_IMPORT_CONFLICT.',
        body: ImportBody,
        response: { 200: ImportResult },
      },
    },
    async (request) => useCases.importJurisdictions(request.body.items),
  );

  http.get(
    '/v1/jurisdictions/:code',
    {
      schema: {
        tags: [TAG],
        summary: 'Get a jurisdiction with its ancestors',
        description: 'Any signed-in person. Errors: 404 JURISDICTION_NOT_FOUND.',
        params: CodeParams,
        response: { 200: JurisdictionWithAncestors },
      },
    },
    async (request) => useCases.getJurisdiction(request.params.code),
  );

  http.get(
    '/v1/jurisdictions/:code/descendants',
    {
      schema: {
        tags: [TAG],
        summary: "List a jurisdiction's descendants",
        description:
          'Any signed-in person. Everything below the node (not the node itself), in code order, ' +
          'optionally of one level; pass nextPageToken back as pageToken for the next page. ' +
          'Errors: 404 JURISDICTION_NOT_FOUND; 400 CURSOR_INVALID for a token from another query.',
        params: CodeParams,
        querystring: DescendantsQuery,
        response: { 200: DescendantsPage },
      },
    },
    async (request) =>
      useCases.listSubtree({
        code: request.params.code,
        ...(request.query.level === undefined ? {} : { level: request.query.level }),
        ...(request.query.pageSize === undefined ? {} : { pageSize: request.query.pageSize }),
        ...(request.query.pageToken === undefined ? {} : { pageToken: request.query.pageToken }),
      }),
  );

  http.get(
    '/v1/public/jurisdictions/:code/descendants',
    {
      config: { auth: 'none' },
      schema: {
        tags: [PUBLIC_PORTAL_TAG],
        summary: 'The places below a jurisdiction, by name: what the portal’s place filter offers',
        description:
          'No sign-in needed: the names and codes of the tree are public (every public listing ' +
          'filters by them). As the signed-in read, without versions and paths. Errors: 404 ' +
          'JURISDICTION_NOT_FOUND; 400 CURSOR_INVALID, VALIDATION_FAILED.',
        params: CodeParams,
        querystring: DescendantsQuery,
        response: { 200: PublicPlacesPage },
      },
    },
    async (request) => {
      const page = await useCases.listSubtree({
        code: request.params.code,
        ...(request.query.level === undefined ? {} : { level: request.query.level }),
        ...(request.query.pageSize === undefined ? {} : { pageSize: request.query.pageSize }),
        ...(request.query.pageToken === undefined ? {} : { pageToken: request.query.pageToken }),
      });
      return {
        items: page.items.map(({ code, name, level, parentCode }) => ({
          code,
          name,
          level,
          parentCode,
        })),
        nextPageToken: page.nextPageToken,
      };
    },
  );
}
