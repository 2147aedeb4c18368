/**
 * The import routes. The upload's body is streamed to disk by a content-type
 * parser that only these routes have (a plugin of their own), so no other
 * route ever writes a request to disk, and nothing holds the file in memory.
 */
import { Readable } from 'node:stream';
import {
  principalOf,
  HttpError,
  IDEMPOTENCY_HEADER,
  IDEMPOTENCY_KEY_REQUIRED,
  PageOf,
  pageQueryFields,
  UNSUPPORTED_MEDIA_TYPE,
  UUID_PATTERN,
  type HttpServer,
} from '@learning/http';
import { platformErrors } from '@learning/errors';
import { Type } from '@sinclair/typebox';
import {
  IMPORT_KINDS,
  IMPORT_STATUSES,
  type ImportJob,
  type RowError,
} from '../../application/imports/import-job.js';
import {
  rowsPerSecond,
  type GetImport,
  type ImportErrors,
  type ListImports,
} from '../../application/imports/read-imports.js';
import { IMPORT_COLUMNS } from '../../application/imports/rows.js';
import type { StartImport } from '../../application/imports/start-import.js';
import { importFileTooLarge } from '../../application/imports/errors.js';
import { SavedUpload, type DiskImportFiles } from '../csv/files.js';

export interface ImportUseCases {
  startImport: StartImport;
  getImport: GetImport;
  listImports: ListImports;
  importErrors: ImportErrors;
}

export interface ImportRouteOptions {
  readonly files: DiskImportFiles;
  readonly maxBytes: number;
  readonly clock: () => Date;
}

const TAG = 'imports';
const CSV_TYPES = ['text/csv', 'application/csv'];

const Kind = Type.Unsafe<(typeof IMPORT_KINDS)[number]>(
  Type.String({ enum: [...IMPORT_KINDS], description: 'What the rows are.' }),
);
const IdParams = Type.Object(
  {
    id: Type.String({
      pattern: UUID_PATTERN,
      description: 'The import id.',
    }),
  },
  { additionalProperties: false },
);
const Timestamp = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

const ImportView = Type.Object({
  id: Type.String(),
  kind: Kind,
  status: Type.Unsafe<(typeof IMPORT_STATUSES)[number]>(
    Type.String({ enum: [...IMPORT_STATUSES] }),
  ),
  fileSha256: Type.String({ description: 'Hex SHA-256 of the uploaded file.' }),
  totalBytes: Type.Integer(),
  bytesRead: Type.Integer({ description: 'Bytes up to the last row written and checkpointed.' }),
  rowsRead: Type.Integer({ description: 'Data rows consumed (the header is not counted).' }),
  imported: Type.Integer({ description: 'Rows that created a record.' }),
  duplicates: Type.Integer({ description: 'Valid rows whose record already existed.' }),
  failed: Type.Integer({ description: 'Rows refused; see the error report.' }),
  errorsInReport: Type.Integer({
    description: 'Row errors in the report (at most 100,000 are kept).',
  }),
  rowsPerSecond: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Of the current or last run.',
  }),
  failure: Type.Union(
    [
      Type.Object({
        code: Type.String(),
        message: Type.String(),
        line: Type.Union([Type.Integer(), Type.Null()]),
      }),
      Type.Null(),
    ],
    {
      description: 'Why the whole import stopped (a file that cannot be read on); null otherwise.',
    },
  ),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  startedAt: Timestamp,
  finishedAt: Timestamp,
  errorReport: Type.String({ description: 'Where to download the row errors as CSV.' }),
});

const viewOf = (job: ImportJob, now: Date) => ({
  id: job.id,
  kind: job.kind,
  status: job.status,
  fileSha256: job.sha256,
  totalBytes: job.totalBytes,
  bytesRead: job.progress.bytesRead,
  rowsRead: job.progress.rowsRead,
  imported: job.progress.imported,
  duplicates: job.progress.duplicates,
  failed: job.progress.failed,
  errorsInReport: job.errorsStored,
  rowsPerSecond: rowsPerSecond(job, now),
  failure: job.failure,
  createdBy: job.createdBy.subject,
  createdAt: job.createdAt.toISOString(),
  startedAt: job.startedAt?.toISOString() ?? null,
  finishedAt: job.finishedAt?.toISOString() ?? null,
  errorReport: `/v1/imports/${job.id}/errors`,
});

const columnsDoc = Object.entries(IMPORT_COLUMNS)
  .map(
    ([kind, specs]) =>
      `${kind}: ${specs.map((spec) => `${spec.name}${spec.required ? '' : ' (optional)'}`).join(', ')}`,
  )
  .join('; ');

/** RFC 4180 quoting: a field with a comma, quote or line break is quoted, quotes doubled. */
const csvField = (value: string | number | null): string => {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

async function* reportLines(errors: AsyncIterable<RowError>): AsyncGenerator<string> {
  // The BOM makes spreadsheet programs read the file as UTF-8.
  yield '\uFEFFrow,line,column,code,message\r\n';
  for await (const error of errors)
    yield `${[error.row, error.line, error.column, error.code, error.message].map(csvField).join(',')}\r\n`;
}

const uploadOf = (request: { body: unknown }): SavedUpload | undefined =>
  request.body instanceof SavedUpload ? request.body : undefined;

export function registerImportRoutes(
  http: HttpServer,
  useCases: ImportUseCases,
  options: ImportRouteOptions,
): void {
  void http.register(async (plugin) => {
    // A child of `http`: the same server and type provider (a compile-time notion fastify's plugin type drops).
    const scope = plugin as unknown as HttpServer;
    // Only here: a CSV body goes to disk as it arrives, hashed and size-capped on the way.
    scope.addContentTypeParser(CSV_TYPES, async (_request: unknown, payload: Readable) =>
      options.files.save(payload),
    );

    scope.post(
      '/v1/imports',
      {
        config: { roles: ['city_admin', 'area_officer'], idempotency: 'required' },
        // Refused before a byte is read: no point receiving 500 MB to say no.
        onRequest: async (request) => {
          const length = Number(request.headers['content-length'] ?? 0);
          if (length > options.maxBytes) throw importFileTooLarge(options.maxBytes);
          if (request.headers[IDEMPOTENCY_HEADER] === undefined)
            throw platformErrors.error(
              IDEMPOTENCY_KEY_REQUIRED,
              'This request needs an Idempotency-Key header.',
            );
        },
        // An upload no job adopted (refused, replayed, a repeat of a stored file) is not kept.
        onResponse: async (request) => {
          const upload = uploadOf(request);
          if (upload !== undefined && !upload.adopted) await options.files.remove(upload.fileName);
        },
        schema: {
          tags: [TAG],
          summary: 'Import participants, organizations or memberships from a CSV file',
          description:
            'City admins city-wide; area officers only rows inside their areas (other rows are row ' +
            'errors). Send the file as the body with Content-Type text/csv (UTF-8, with or without ' +
            `BOM, a header row) and an Idempotency-Key. Columns: ${columnsDoc}. Chinese header ` +
            'names are accepted too. 201 with a queued job; 200 with the existing job when the same ' +
            'file of the same kind was uploaded before (nothing is imported twice). Follow progress ' +
            'at GET /v1/imports/{id}. Errors: 400 IMPORT_HEADER_INVALID (details name the columns), ' +
            'IMPORT_FILE_NOT_TEXT, IMPORT_FILE_EMPTY, CSV_MALFORMED, VALIDATION_FAILED, ' +
            'IDEMPOTENCY_KEY_REQUIRED; 403 ROLE_REQUIRED; 413 IMPORT_FILE_TOO_LARGE; 415 ' +
            'UNSUPPORTED_MEDIA_TYPE; 409 IDEMPOTENCY_KEY_IN_USE; 422 IDEMPOTENCY_KEY_REUSED.',
          querystring: Type.Object({ kind: Kind }, { additionalProperties: false }),
          response: { 200: ImportView, 201: ImportView },
        },
      },
      async (request, reply) => {
        const upload = uploadOf(request);
        if (upload === undefined)
          throw new HttpError(
            415,
            'invalid_argument',
            UNSUPPORTED_MEDIA_TYPE,
            'Send the file with Content-Type text/csv.',
          );
        const { job, created } = await useCases.startImport({
          principal: principalOf(request),
          kind: request.query.kind,
          upload,
        });
        upload.adopted = created;
        return reply
          .code(created ? 201 : 200)
          .header('location', `/v1/imports/${job.id}`)
          .send(viewOf(job, options.clock()));
      },
    );
  });

  http.get(
    '/v1/imports',
    {
      config: { roles: ['city_admin', 'area_officer'] },
      schema: {
        tags: [TAG],
        summary: 'List imports',
        description:
          'City admins see every import; area officers the imports made in their areas. Newest ' +
          'first; pass nextPageToken back as pageToken. Errors: 400 CURSOR_INVALID; 403 ROLE_REQUIRED.',
        querystring: Type.Object({ ...pageQueryFields }, { additionalProperties: false }),
        response: { 200: PageOf(ImportView) },
      },
    },
    async (request) => {
      const now = options.clock();
      const page = await useCases.listImports(principalOf(request), {
        pageSize: request.query.pageSize ?? 50,
        ...(request.query.pageToken === undefined ? {} : { pageToken: request.query.pageToken }),
      });
      return {
        items: page.items.map((job) => viewOf(job, now)),
        nextPageToken: page.nextPageToken,
      };
    },
  );

  http.get(
    '/v1/imports/:id',
    {
      config: { roles: ['city_admin', 'area_officer'] },
      schema: {
        tags: [TAG],
        summary: 'Get an import and its progress',
        description:
          'Counts are as of the last checkpoint (every batch of rows). Errors: 404 IMPORT_NOT_FOUND ' +
          '(also for an import outside your areas); 403 ROLE_REQUIRED.',
        params: IdParams,
        response: { 200: ImportView },
      },
    },
    async (request) =>
      viewOf(await useCases.getImport(principalOf(request), request.params.id), options.clock()),
  );

  http.get(
    '/v1/imports/:id/errors',
    {
      config: { roles: ['city_admin', 'area_officer'] },
      schema: {
        tags: [TAG],
        summary: 'Download the row errors of an import as CSV',
        description:
          'text/csv (UTF-8 with BOM): row, line, column, code, message, in row order. ID and phone ' +
          'numbers never appear in it. Errors: 404 IMPORT_NOT_FOUND; 403 ROLE_REQUIRED.',
        params: IdParams,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const { job, errors } = await useCases.importErrors(principalOf(request), request.params.id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="import-${job.id}-errors.csv"`)
        .send(Readable.from(reportLines(errors)));
    },
  );
}
