/** The templates routes: translate HTTP to the templates use cases and back; the notice kind catalogue. */
import { OFFICER_ROLES } from '@learning/auth';
import {
  PageOf,
  pageQueryFields,
  principalOf,
  expectedRevision,
  splitPage,
  type HttpServer,
} from '@learning/http';
import { Type, type TSchema } from '@sinclair/typebox';
import type { CurrentTemplate } from '../../application/templates/current.js';
import type { TemplateState } from '../../application/templates/deps.js';
import { revisionInvalid } from '../../application/templates/errors.js';
import type { GetTemplate } from '../../application/templates/get-template.js';
import type { ListedTemplate, ListTemplates } from '../../application/templates/list-templates.js';
import { PREVIEW_WARNINGS, type PreviewTemplate } from '../../application/templates/preview.js';
import type { RestoreVersion } from '../../application/templates/restore-version.js';
import type { SaveTemplate } from '../../application/templates/save-template.js';
import {
  CATEGORIES,
  CHANNELS,
  NOTICE_KIND_NAMES,
  NOTICE_KINDS,
  type Channel,
  type NoticeKind,
} from '../../domain/notices.js';
import { LANGUAGES, type Language } from '../../domain/preferences.js';
import { CHANNEL_LIMITS, type TemplateKey } from '../../domain/templates.js';

export interface TemplatesUseCases {
  saveTemplate: SaveTemplate;
  restoreVersion: RestoreVersion;
  getTemplate: GetTemplate;
  listTemplates: ListTemplates;
  previewTemplate: PreviewTemplate;
}

const TAG = 'notice templates';

const Enum = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>(
    Type.String({ enum: [...values], ...(description === undefined ? {} : { description }) }),
  );
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const Kind = Enum<NoticeKind>(NOTICE_KIND_NAMES, 'A notice kind (GET /v1/notice-kinds).');
const ChannelName = Enum<Channel>(CHANNELS);
const LanguageName = Enum<Language>(LANGUAGES);
const limitsText = CHANNELS.map(
  (channel) =>
    `${channel}: title ${CHANNEL_LIMITS[channel].title === 0 ? 'none' : String(CHANNEL_LIMITS[channel].title)}, body ${String(CHANNEL_LIMITS[channel].body)}`,
).join('; ');
// Generous bounds for the schema; the channel's own limits are checked with samples filled in.
const TemplateTitle = Type.String({
  maxLength: 1_000,
  description: `Mustache with plain {{variables}} of the kind only. Empty for SMS. Characters with samples filled in: ${limitsText}.`,
});
const TemplateBody = Type.String({
  maxLength: 20_000,
  description:
    'Mustache with plain {{variables}} of the kind only; plain text, line breaks allowed.',
});
const Revision = Type.Integer({
  minimum: 0,
  description:
    'The revision last read (0: never saved), or send it as If-Match; absent: the current one.',
});
const VersionNumber = Type.Integer({ minimum: 0, maximum: 1_000_000 });

const KeyParams = Type.Object(
  { kind: Kind, channel: ChannelName, language: LanguageName },
  { additionalProperties: false },
);
const VersionParams = Type.Object(
  { kind: Kind, channel: ChannelName, language: LanguageName, version: VersionNumber },
  { additionalProperties: false },
);
const SaveBody = Type.Object(
  { title: TemplateTitle, body: TemplateBody, revision: Type.Optional(Revision) },
  { additionalProperties: false },
);
const RestoreBody = Type.Object(
  { revision: Type.Optional(Revision) },
  { additionalProperties: false },
);
const ListQuery = Type.Object(
  {
    kind: Type.Optional(Kind),
    channel: Type.Optional(ChannelName),
    language: Type.Optional(LanguageName),
    customized: Type.Optional(
      Type.Boolean({ description: 'true: only those the office changed; false: only built-ins.' }),
    ),
    ...pageQueryFields,
  },
  { additionalProperties: false },
);
const PreviewBody = Type.Object(
  {
    kind: Kind,
    channel: ChannelName,
    language: LanguageName,
    title: Type.Optional(TemplateTitle),
    body: Type.Optional(TemplateBody),
    version: Type.Optional(VersionNumber),
    variables: Type.Optional(
      Type.Record(
        Type.String({ pattern: '^[A-Za-z][A-Za-z0-9]{0,49}$' }),
        Type.Union([Type.String({ maxLength: 2_000 }), Type.Number()]),
        {
          maxProperties: 50,
          description: 'Values by variable: datetimes as ISO 8601; missing ones get typed samples.',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

const KeyFields = {
  kind: Type.String(),
  channel: Type.String(),
  language: Type.String(),
};
const CurrentView = Type.Object({
  version: Type.Integer({ description: '0: the built-in.' }),
  title: Type.String(),
  body: Type.String(),
  language: Type.String({
    description: 'The language of the text: zh-CN when the one asked has none.',
  }),
});
const ListedView = Type.Object({
  ...KeyFields,
  current: CurrentView,
  customized: Type.Boolean(),
  updatedAt: Nullable(Type.String({ format: 'date-time' })),
});
const VersionView = Type.Object({
  version: Type.Integer(),
  title: Type.String(),
  body: Type.String(),
  restoredFrom: Nullable(Type.Integer()),
  createdBy: Nullable(Type.String({ description: 'Null for the built-in.' })),
  createdAt: Nullable(Type.String({ format: 'date-time' })),
});
const TemplateView = Type.Object({
  ...KeyFields,
  current: CurrentView,
  versions: Type.Array(VersionView, { description: 'Oldest first, from the built-in (0).' }),
  revision: Type.Integer({ description: 'Also the ETag; send it back to save.' }),
});
const PreviewView = Type.Object({
  title: Type.String(),
  body: Type.String(),
  version: Nullable(Type.Integer({ description: 'Null for a draft.' })),
  warnings: Type.Array(
    Type.Object({
      code: Type.String({ enum: [...PREVIEW_WARNINGS] }),
      message: Type.String(),
      variable: Type.Optional(Type.String()),
    }),
  ),
});
const NoticeKindView = Type.Object({
  kind: Type.String(),
  category: Type.String({ enum: [...CATEGORIES] }),
  urgent: Type.Boolean(),
  variables: Type.Array(
    Type.Object({
      name: Type.String(),
      type: Type.String({ enum: ['text', 'datetime', 'number'] }),
    }),
  ),
});

const keyOf = (params: {
  kind: NoticeKind;
  channel: Channel;
  language: Language;
}): TemplateKey => ({
  kind: params.kind,
  channel: params.channel,
  language: params.language,
});

const currentView = (current: CurrentTemplate) => ({
  version: current.version,
  title: current.title,
  body: current.body,
  language: current.key.language,
});

const templateResponse = (state: TemplateState) => ({
  ...state.key,
  current: currentView(state.current),
  versions: state.versions.map((version) => ({
    version: version.version,
    title: version.title,
    body: version.body,
    restoredFrom: version.restoredFrom,
    createdBy: version.createdBy,
    createdAt: version.createdAt === null ? null : version.createdAt.toISOString(),
  })),
  revision: state.revision,
});

const listedResponse = (listed: ListedTemplate) => ({
  ...listed.current.key,
  current: currentView(listed.current),
  customized: listed.customized,
  updatedAt: listed.updatedAt === null ? null : listed.updatedAt.toISOString(),
});

interface HeaderSetter {
  header(name: string, value: string): unknown;
}
const withETag = (reply: HeaderSetter, state: TemplateState) => {
  reply.header('etag', `"${String(state.revision)}"`);
  return templateResponse(state);
};

const CHECK_ERRORS =
  'TEMPLATE_SYNTAX_INVALID (with line and column), TEMPLATE_TAG_NOT_ALLOWED, ' +
  'TEMPLATE_VARIABLE_UNKNOWN (names the variable and the kind’s variables), TEMPLATE_TOO_LONG (gives ' +
  'the limit), TEMPLATE_TITLE_INVALID, TEMPLATE_BODY_REQUIRED';

export function registerTemplatesRoutes(http: HttpServer, useCases: TemplatesUseCases): void {
  http.get(
    '/v1/notice-kinds',
    {
      config: { roles: [...OFFICER_ROLES] },
      schema: {
        tags: [TAG],
        summary: 'The notice kinds: category, urgency and the variables their templates may use',
        description:
          'The office and officers. The category is what a person opts out of (see the ' +
          'preferences’ categories); urgent kinds skip quiet hours and digests. Errors: 403 ROLE_REQUIRED.',
        response: { 200: Type.Object({ items: Type.Array(NoticeKindView) }) },
      },
    },
    async () => ({
      items: NOTICE_KIND_NAMES.map((kind) => ({
        kind,
        category: NOTICE_KINDS[kind].category,
        urgent: NOTICE_KINDS[kind].urgent,
        variables: Object.entries(NOTICE_KINDS[kind].variables).map(([name, type]) => ({
          name,
          type,
        })),
      })),
    }),
  );

  http.get(
    '/v1/templates',
    {
      config: { roles: [...OFFICER_ROLES] },
      schema: {
        tags: [TAG],
        summary: 'The template in use for each kind, channel and language',
        description:
          'The office and officers. In catalogue order (kind, channel, language); the built-in ' +
          '(version 0) where the office saved none. Errors: 400 CURSOR_INVALID, VALIDATION_FAILED; ' +
          '403 ROLE_REQUIRED.',
        querystring: ListQuery,
        response: { 200: PageOf(ListedView) },
      },
    },
    async (request) => {
      const { filters, page: asked } = splitPage(request.query);
      const page = await useCases.listTemplates({
        ...(filters.kind === undefined ? {} : { kind: filters.kind }),
        ...(filters.channel === undefined ? {} : { channel: filters.channel }),
        ...(filters.language === undefined ? {} : { language: filters.language }),
        ...(filters.customized === undefined ? {} : { customized: filters.customized }),
        ...asked,
      });
      return { items: page.items.map(listedResponse), nextPageToken: page.nextPageToken };
    },
  );

  http.post(
    '/v1/templates/preview',
    {
      config: { roles: [...OFFICER_ROLES] },
      schema: {
        tags: [TAG],
        summary: 'See a notice filled in: a draft, a saved version or the one in use',
        description:
          'The office and officers. A draft (title and/or body; what is not given comes from the ' +
          'version in use) or a version (0: the built-in); neither: the version in use. Variables ' +
          'not given are filled with typed samples. Warnings: SAMPLE_USED, VARIABLE_NOT_IN_KIND, ' +
          `TOO_LONG (a save would be refused), SMS_SPLIT. Errors: 400 ${CHECK_ERRORS} except ` +
          'TEMPLATE_TOO_LONG, TEMPLATE_PREVIEW_VARIABLE_INVALID, TEMPLATE_PREVIEW_SOURCE_INVALID, ' +
          'VALIDATION_FAILED; 403 ROLE_REQUIRED; 404 TEMPLATE_VERSION_NOT_FOUND.',
        body: PreviewBody,
        response: { 200: PreviewView },
      },
    },
    async (request) => {
      const { kind, channel, language, title, body, version, variables } = request.body;
      const preview = await useCases.previewTemplate({
        key: { kind, channel, language },
        ...(title === undefined ? {} : { title }),
        ...(body === undefined ? {} : { body }),
        ...(version === undefined ? {} : { version }),
        ...(variables === undefined ? {} : { variables }),
      });
      return { ...preview, warnings: [...preview.warnings] };
    },
  );

  http.get(
    '/v1/templates/:kind/:channel/:language',
    {
      config: { roles: [...OFFICER_ROLES] },
      schema: {
        tags: [TAG],
        summary: 'A template: the version in use and every version it had',
        description:
          'The office and officers. Version 0 is the built-in; revision 0 (ETag "0") until the ' +
          'office saves one. Errors: 400 VALIDATION_FAILED (an unknown kind, channel or ' +
          'language); 403 ROLE_REQUIRED.',
        params: KeyParams,
        response: { 200: TemplateView },
      },
    },
    async (request, reply) => withETag(reply, await useCases.getTemplate(keyOf(request.params))),
  );

  http.put(
    '/v1/templates/:kind/:channel/:language',
    {
      config: { roles: ['city_admin'], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Save a template: a new version, in use at once',
        description:
          'City admins; needs an Idempotency-Key; If-Match (or body revision) applies it only at ' +
          'that revision. Every notice rendered after the save uses it (other replicas within ' +
          `their template cache’s few seconds). Errors: 400 ${CHECK_ERRORS}, ` +
          'TEMPLATE_REVISION_INVALID, VALIDATION_FAILED; 403 ROLE_REQUIRED; 409 VERSION_CONFLICT.',
        params: KeyParams,
        body: SaveBody,
        response: { 200: TemplateView },
      },
    },
    async (request, reply) =>
      withETag(
        reply,
        await useCases.saveTemplate(principalOf(request), keyOf(request.params), {
          title: request.body.title,
          body: request.body.body,
          ...expectedRevision(request.headers['if-match'], request.body.revision, {
            allowZero: true,
            refuse: revisionInvalid,
          }),
        }),
      ),
  );

  http.post(
    '/v1/templates/:kind/:channel/:language/:version/restore',
    {
      config: { roles: ['city_admin'], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Go back to an earlier version (0: the built-in)',
        description:
          'City admins; needs an Idempotency-Key; If-Match (or body revision) as for a save. ' +
          'The version’s text is saved again as the next version (restoredFrom says which). ' +
          'Errors: 400 TEMPLATE_REVISION_INVALID, VALIDATION_FAILED; 403 ROLE_REQUIRED; 404 ' +
          'TEMPLATE_VERSION_NOT_FOUND; 409 TEMPLATE_VERSION_CURRENT, VERSION_CONFLICT.',
        params: VersionParams,
        body: RestoreBody,
        response: { 200: TemplateView },
      },
    },
    async (request, reply) =>
      withETag(
        reply,
        await useCases.restoreVersion(principalOf(request), keyOf(request.params), {
          version: request.params.version,
          ...expectedRevision(request.headers['if-match'], request.body.revision, {
            allowZero: true,
            refuse: revisionInvalid,
          }),
        }),
      ),
  );
}
