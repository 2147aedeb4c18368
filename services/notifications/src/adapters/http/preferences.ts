/** The preference routes: translate HTTP to the use cases and back, deciding nothing. */
import { principalOf, type HttpServer } from '@learning/http';
import { Type } from '@sinclair/typebox';
import type {
  PreferencesUseCases,
  PreferencesView,
  notificationCategories,
} from '../../application/preferences/preferences.js';
import { CATEGORIES, CHANNELS, NOTICE_KIND_NAMES } from '../../domain/notices.js';
import { DIGEST_MODES, LANGUAGES } from '../../domain/preferences.js';
import { OWN_ROUTE_ROLES, OWN_ROUTE_TEXT } from './me.js';

const TAG = 'notification preferences';

const TimeOfDay = Type.String({
  pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
  description: 'HH:mm, 24-hour, local.',
});

const OptOut = Type.Object(
  {
    category: Type.String({ enum: [...CATEGORIES] }),
    channel: Type.String({ enum: [...CHANNELS] }),
  },
  { additionalProperties: false },
);

const QuietHours = Type.Union(
  [
    Type.Object(
      {
        start: TimeOfDay,
        end: Type.String({ ...TimeOfDay, description: 'The next morning when before start.' }),
      },
      { additionalProperties: false },
    ),
    Type.Null(),
  ],
  { description: 'Non-urgent SMS, email and WeChat wait until the end; null: none.' },
);

const PreferencesBody = Type.Object(
  {
    language: Type.String({ enum: [...LANGUAGES] }),
    timeZone: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()], {
      description: "An IANA time zone (PREFERENCES_TIME_ZONE_INVALID); null: the city's.",
    }),
    optOuts: Type.Array(OptOut, { maxItems: CATEGORIES.length * CHANNELS.length }),
    quietHours: QuietHours,
    digest: Type.String({
      enum: [...DIGEST_MODES],
      description:
        'daily / weekly: non-urgent SMS, email and WeChat notices of a local day (Monday-to-Sunday week) are ' +
        'merged into one message sent when it ends; the inbox still gets each notice.',
    }),
    revision: Type.Optional(
      Type.Integer({
        minimum: 0,
        description:
          'The revision you read (0: never saved): saved only if it is still the stored one ' +
          '(409 PREFERENCES_REVISION_CONFLICT). Absent: saved regardless.',
      }),
    ),
  },
  { additionalProperties: false },
);

const PreferencesResponse = Type.Object({
  language: Type.String(),
  timeZone: Type.String(),
  cityTimeZone: Type.Boolean({ description: "True when the time zone is the city's default." }),
  optOuts: Type.Array(OptOut),
  quietHours: QuietHours,
  digest: Type.String(),
  revision: Type.Integer(),
});

const responseOf = (view: PreferencesView) => ({
  language: view.preferences.language,
  timeZone: view.preferences.timeZone,
  cityTimeZone: view.cityTimeZone,
  optOuts: view.preferences.optOuts.map(({ category, channel }) => ({ category, channel })),
  quietHours: view.preferences.quietHours,
  digest: view.preferences.digest,
  revision: view.revision,
});

export function registerPreferenceRoutes(
  http: HttpServer,
  useCases: {
    readonly preferences: PreferencesUseCases;
    readonly categories: typeof notificationCategories;
  },
): void {
  const { preferences, categories } = useCases;
  http.get(
    '/v1/me/preferences',
    {
      config: { roles: OWN_ROUTE_ROLES },
      schema: {
        tags: [TAG],
        summary: 'Your notification preferences',
        description: `${OWN_ROUTE_TEXT} Defaults (revision 0) until you save. Errors: 403 ROLE_REQUIRED; 404 RECIPIENT_NOT_REGISTERED.`,
        response: { 200: PreferencesResponse },
      },
    },
    async (request) => responseOf(await preferences.get(principalOf(request))),
  );

  http.put(
    '/v1/me/preferences',
    {
      config: { roles: OWN_ROUTE_ROLES },
      schema: {
        tags: [TAG],
        summary: 'Replace your notification preferences',
        description:
          `${OWN_ROUTE_TEXT} The whole set; the same body twice stores the same. Errors: 400 ` +
          'VALIDATION_FAILED, PREFERENCES_TIME_ZONE_INVALID, PREFERENCES_QUIET_HOURS_INVALID; 403 ROLE_REQUIRED; ' +
          '404 RECIPIENT_NOT_REGISTERED; 409 PREFERENCES_REVISION_CONFLICT.',
        body: PreferencesBody,
        response: { 200: PreferencesResponse },
      },
    },
    async (request) => {
      const { revision, ...body } = request.body;
      return responseOf(
        await preferences.put(
          principalOf(request),
          {
            language: body.language as (typeof LANGUAGES)[number],
            timeZone: body.timeZone,
            optOuts: body.optOuts as PreferencesView['preferences']['optOuts'],
            quietHours: body.quietHours,
            digest: body.digest as (typeof DIGEST_MODES)[number],
          },
          revision,
        ),
      );
    },
  );

  http.get(
    '/v1/notification-categories',
    {
      schema: {
        tags: [TAG],
        summary: 'The categories you can opt out of, with their kinds, and the channels',
        description: 'What the preference screen shows. Urgent kinds skip quiet hours and digests.',
        response: {
          200: Type.Object({
            categories: Type.Array(
              Type.Object({
                category: Type.String({ enum: [...CATEGORIES] }),
                kinds: Type.Array(
                  Type.Object({
                    kind: Type.String({ enum: [...NOTICE_KIND_NAMES] }),
                    urgent: Type.Boolean(),
                  }),
                ),
              }),
            ),
            channels: Type.Array(Type.String({ enum: [...CHANNELS] })),
          }),
        },
      },
    },
    async () => {
      const listing = categories();
      return {
        categories: listing.categories.map(({ category, kinds }) => ({
          category,
          kinds: kinds.map(({ kind, urgent }) => ({ kind, urgent })),
        })),
        channels: [...listing.channels],
      };
    },
  );
}
