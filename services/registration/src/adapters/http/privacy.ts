/** A person's rights routes: translate HTTP to the use cases and back, deciding nothing. */
import { principalOf, Uuid, type HttpServer } from '@learning/http';
import type { RateLimitOptions } from '@learning/http';
import { Type } from '@sinclair/typebox';
import type {
  ChangeOwnConsents,
  ConsentsView,
  GetOwnConsents,
} from '../../application/privacy/consents.js';
import type {
  dataExportArchive,
  dataExportSummary,
  getDataExport,
  requestDataExport,
} from '../../application/privacy/exports.js';
import type {
  getErasureRequest,
  openErasureRequests,
  requestErasure,
} from '../../application/privacy/erasure.js';
import type { DataExport, ErasureRequest } from '../../application/privacy/ports.js';
import { LANGUAGES, type Language } from '../../domain/participants.js';
import { CONSENT_PURPOSES, CONSENT_TEXTS, type ConsentPurpose } from '../../domain/privacy.js';

export interface PrivacyUseCases {
  readonly getConsents: GetOwnConsents;
  readonly changeConsents: ChangeOwnConsents;
  readonly requestExport: ReturnType<typeof requestDataExport>;
  readonly getExport: ReturnType<typeof getDataExport>;
  readonly archive: ReturnType<typeof dataExportArchive>;
  readonly summary: ReturnType<typeof dataExportSummary>;
  readonly requestErasure: ReturnType<typeof requestErasure>;
  readonly getErasure: ReturnType<typeof getErasureRequest>;
  readonly openErasures: ReturnType<typeof openErasureRequests>;
}

const TAG = 'personal data';
const Purpose = Type.String({ enum: [...CONSENT_PURPOSES] });
const Localized = Type.Object({ 'zh-CN': Type.String(), en: Type.String() });
const LocalizedProto = Type.Object({ zhCn: Type.String(), en: Type.String() });
const When = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

const ConsentTexts = Type.Object({
  items: Type.Array(
    Type.Object({ purpose: Purpose, version: Type.String(), title: Localized, text: Localized }),
  ),
});

const Consents = Type.Object({
  version: Type.Integer({ description: "The participant record's version after the change." }),
  consents: Type.Array(
    Type.Object({
      purpose: Purpose,
      given: Type.Boolean(),
      changedAt: When,
      textVersion: Type.Union([Type.String(), Type.Null()], {
        description: 'The text version agreed to; null when never answered against a text.',
      }),
      currentTextVersion: Type.String(),
    }),
  ),
});

const ConsentsBody = Type.Object(
  {
    consents: Type.Array(
      Type.Object(
        {
          purpose: Purpose,
          given: Type.Boolean(),
          textVersion: Type.String({ minLength: 1, maxLength: 32 }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: CONSENT_PURPOSES.length },
    ),
  },
  { additionalProperties: false },
);

const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

const ExportView = Type.Object({
  id: Type.String(),
  status: Type.String({ enum: ['gathering', 'ready'] }),
  requestedAt: Type.String({ format: 'date-time' }),
  completedAt: When,
  expiresAt: Type.String({ format: 'date-time' }),
  services: Type.Array(
    Type.Object({
      service: Type.String(),
      status: Type.String({
        enum: ['pending', 'done', 'failed'],
        description: 'failed: the last call failed; it is asked again at nextAttemptAt.',
      }),
      attempts: Type.Integer(),
      lastError: Type.Union([Type.String(), Type.Null()]),
      nextAttemptAt: When,
      doneAt: When,
      sections: Type.Array(Type.Object({ kind: Type.String(), recordCount: Type.Integer() })),
    }),
  ),
});

const Archive = Type.Object({
  exportId: Type.String(),
  participantId: Type.String(),
  requestedAt: Type.String({ format: 'date-time' }),
  completedAt: Type.String({ format: 'date-time' }),
  services: Type.Array(
    Type.Object({
      service: Type.String(),
      sections: Type.Array(
        Type.Object({
          kind: Type.String(),
          title: LocalizedProto,
          purpose: LocalizedProto,
          retention: LocalizedProto,
          recordCount: Type.Integer(),
          records: Type.Array(Type.Unknown()),
        }),
      ),
    }),
  ),
});

const ErasureView = Type.Object({
  id: Type.String(),
  status: Type.String({ enum: ['in_progress', 'completed'] }),
  requestedAt: Type.String({ format: 'date-time' }),
  completedAt: When,
  services: Type.Array(
    Type.Object({
      service: Type.String(),
      status: Type.String({ enum: ['pending', 'completed'] }),
      completedAt: When,
      erased: Type.Array(Type.Object({ kind: Type.String(), count: Type.Integer() })),
      kept: Type.Array(
        Type.Object({ kind: Type.String(), count: Type.Integer(), reason: Type.String() }),
      ),
    }),
  ),
});

const OpenErasures = Type.Object({
  items: Type.Array(Type.Intersect([Type.Object({ participantId: Type.String() }), ErasureView])),
});

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());

const consentsResponse = (view: ConsentsView) => ({
  version: view.version,
  consents: view.consents.map((consent) => ({ ...consent, changedAt: iso(consent.changedAt) })),
});

const exportResponse = (dataExport: DataExport) => ({
  id: dataExport.id,
  status: dataExport.completedAt === null ? 'gathering' : 'ready',
  requestedAt: dataExport.requestedAt.toISOString(),
  completedAt: iso(dataExport.completedAt),
  expiresAt: dataExport.expiresAt.toISOString(),
  services: dataExport.parts.map((part) => ({
    service: part.service,
    status: part.status,
    attempts: part.attempts,
    lastError: part.lastError,
    nextAttemptAt: iso(part.nextAttemptAt),
    doneAt: iso(part.doneAt),
    sections: part.sections.map((section) => ({
      kind: section.kind,
      recordCount: section.recordCount,
    })),
  })),
});

const erasureResponse = (request: ErasureRequest) => ({
  id: request.id,
  status: request.completedAt === null ? 'in_progress' : 'completed',
  requestedAt: request.requestedAt.toISOString(),
  completedAt: iso(request.completedAt),
  services: request.services.map((progress) => ({
    service: progress.service,
    status: progress.completedAt === null ? 'pending' : 'completed',
    completedAt: iso(progress.completedAt),
    erased: [...progress.erased],
    kept: [...progress.kept],
  })),
});

export interface PrivacyRouteOptions {
  /** Copies a person may ask for per account and window (decision 0012). */
  readonly exportLimit: RateLimitOptions;
}

export function registerPrivacyRoutes(
  http: HttpServer,
  useCases: PrivacyUseCases,
  options: PrivacyRouteOptions,
): void {
  http.get(
    '/v1/consent-texts',
    {
      config: { auth: 'none' },
      schema: {
        tags: [TAG],
        summary: 'The consent texts in force',
        description:
          'Public. Each purpose with its current text version, title and text in zh-CN and en: ' +
          'what a person is shown before giving or withdrawing consent.',
        response: { 200: ConsentTexts },
      },
    },
    async () => ({
      items: CONSENT_TEXTS.map((text) => ({
        purpose: text.purpose,
        version: text.version,
        title: { ...text.title },
        text: { ...text.text },
      })),
    }),
  );

  http.get(
    '/v1/me/consents',
    {
      config: { roles: ['participant'] },
      schema: {
        tags: [TAG],
        summary: 'My consents',
        description:
          'Role participant. Every purpose: given or not, when it changed, the text version ' +
          'agreed to. Errors: 404 RECORD_REQUIRED.',
        response: { 200: Consents },
      },
    },
    async (request) => consentsResponse(await useCases.getConsents(principalOf(request))),
  );

  http.put(
    '/v1/me/consents',
    {
      config: { roles: ['participant'] },
      schema: {
        tags: [TAG],
        summary: 'Give or withdraw consents',
        description:
          'Role participant. Each purpose named is set; `textVersion` must be the current ' +
          "text's version (GET /v1/consent-texts). Every change publishes " +
          '`registration.participant.consent-changed.v1` with a record version of its own; ' +
          'a channel also `registration.participant.updated.v1`. Unchanged purposes write ' +
          'nothing. Errors: 400 VALIDATION_FAILED, CONSENT_PURPOSE_REPEATED; 404 RECORD_REQUIRED; ' +
          '409 CONSENT_TEXT_OUTDATED, VERSION_CONFLICT (changed meanwhile: send again).',
        body: ConsentsBody,
        response: { 200: Consents },
      },
    },
    async (request) =>
      consentsResponse(
        await useCases.changeConsents(
          principalOf(request),
          request.body.consents.map((choice) => ({
            purpose: choice.purpose as ConsentPurpose,
            given: choice.given,
            textVersion: choice.textVersion,
          })),
        ),
      ),
  );

  http.post(
    '/v1/me/data-exports',
    {
      config: { roles: ['participant'], rateLimit: options.exportLimit },
      schema: {
        tags: [TAG],
        summary: 'Ask for a copy of my data',
        description:
          'Role participant. Starts gathering everything the platform holds about you from ' +
          'every service; follow its progress, then download the archive and summary. ' +
          `At most ${options.exportLimit.points} per account in ` +
          `${options.exportLimit.durationSeconds / 3600} hours; Idempotency-Key honoured. ` +
          'Errors: 404 RECORD_REQUIRED; 429 RATE_LIMITED (Retry-After).',
        response: { 202: ExportView },
      },
    },
    async (request, reply) => {
      const dataExport = await useCases.requestExport(principalOf(request));
      void reply.code(202).header('location', `/v1/me/data-exports/${dataExport.id}`);
      return exportResponse(dataExport);
    },
  );

  http.get(
    '/v1/me/data-exports/:id',
    {
      config: { roles: ['participant'] },
      schema: {
        tags: [TAG],
        summary: 'Progress of a copy of my data',
        description:
          "Role participant. Each service's part: pending, done, or failed (asked again at " +
          '`nextAttemptAt`, with the attempts so far). Errors: 400 VALIDATION_FAILED; ' +
          "404 DATA_EXPORT_NOT_FOUND (also another person's).",
        params: IdParams,
        response: { 200: ExportView },
      },
    },
    async (request) =>
      exportResponse(await useCases.getExport(principalOf(request), request.params.id)),
  );

  http.get(
    '/v1/me/data-exports/:id/archive',
    {
      config: { roles: ['participant'] },
      schema: {
        tags: [TAG],
        summary: 'Download a copy of my data (JSON)',
        description:
          "Role participant. One JSON document: every service's sections, each with its title, " +
          'purpose, retention and records, unmasked (Cache-Control: no-store). Errors: ' +
          '404 DATA_EXPORT_NOT_FOUND; 409 DATA_EXPORT_NOT_READY.',
        params: IdParams,
        response: { 200: Archive },
      },
    },
    async (request, reply) => {
      const archive = await useCases.archive(principalOf(request), request.params.id);
      void reply
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="my-data-${archive.exportId}.json"`);
      return {
        ...archive,
        requestedAt: archive.requestedAt.toISOString(),
        completedAt: archive.completedAt.toISOString(),
        services: archive.services.map((part) => ({ ...part, sections: [...part.sections] })),
      };
    },
  );

  http.get(
    '/v1/me/data-exports/:id/summary',
    {
      config: { roles: ['participant'] },
      schema: {
        tags: [TAG],
        summary: 'Read the summary of a copy of my data',
        description:
          'Role participant. Plain text in your language (or `language`): per service and kind ' +
          'of data, its title, purpose, retention and how many records. Errors: ' +
          '404 DATA_EXPORT_NOT_FOUND; 409 DATA_EXPORT_NOT_READY.',
        params: IdParams,
        querystring: Type.Object(
          { language: Type.Optional(Type.String({ enum: [...LANGUAGES] })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.String() },
      },
    },
    async (request, reply) => {
      const text = await useCases.summary(
        principalOf(request),
        request.params.id,
        request.query.language as Language | undefined,
      );
      void reply.header('cache-control', 'no-store').type('text/plain; charset=utf-8');
      return text;
    },
  );

  http.post(
    '/v1/me/erasure-requests',
    {
      config: { roles: ['participant'] },
      schema: {
        tags: [TAG],
        summary: 'Close my account and erase my data',
        description:
          'Role participant. Asks every service first what erasure would cut short; if ' +
          'something is open, nothing is changed and 409 ERASURE_BLOCKED lists each (service ' +
          'and code in `details[].field`, the explanation and when it resolves in `message`). ' +
          'Otherwise 201 with the request, announced to every service ' +
          '(`registration.erasure.requested.v1`); asking again while it is open returns it (200). ' +
          'Errors: 404 RECORD_REQUIRED; 409 ERASURE_BLOCKED; 503 ERASURE_CHECK_UNAVAILABLE.',
        response: { 200: ErasureView, 201: ErasureView },
      },
    },
    async (request, reply) => {
      const { request: erasure, created } = await useCases.requestErasure(principalOf(request));
      void reply
        .code(created ? 201 : 200)
        .header('location', `/v1/me/erasure-requests/${erasure.id}`);
      return erasureResponse(erasure);
    },
  );

  http.get(
    '/v1/me/erasure-requests/:id',
    {
      config: { roles: ['participant'] },
      schema: {
        tags: [TAG],
        summary: 'Progress of closing my account',
        description:
          "Role participant. Each service's confirmation with what it erased and what it kept " +
          'unlinked, and why. Readable with your token until every service has confirmed; then ' +
          'the request no longer links to your account (404). Errors: 400 VALIDATION_FAILED; ' +
          '404 ERASURE_REQUEST_NOT_FOUND.',
        params: IdParams,
        response: { 200: ErasureView },
      },
    },
    async (request) =>
      erasureResponse(await useCases.getErasure(principalOf(request), request.params.id)),
  );

  http.get(
    '/v1/erasure-requests',
    {
      config: { roles: ['city_admin'] },
      schema: {
        tags: [TAG],
        summary: 'Requests to close an account still waiting for a service',
        description:
          'City admins (operators). Oldest first, at most `limit` (default 100): the participant ' +
          'id (pseudonymous, no name or number) and which services have not confirmed yet, to ' +
          'find one that is down or failing. Errors: 403 ROLE_REQUIRED.',
        querystring: Type.Object(
          { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) },
          { additionalProperties: false },
        ),
        response: { 200: OpenErasures },
      },
    },
    async (request) => ({
      items: (await useCases.openErasures(request.query.limit ?? 100)).map((erasure) => ({
        participantId: erasure.participantId,
        ...erasureResponse(erasure),
      })),
    }),
  );
}
