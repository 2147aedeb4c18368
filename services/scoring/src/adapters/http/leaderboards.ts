/** The leaderboards' routes: translate HTTP to the use cases and back, deciding nothing. */
import {
  PUBLIC_PORTAL_TAG,
  publicPageKey,
  publicPageSender,
  principalOf,
  Uuid,
  type CachedPages,
  type HttpServer,
} from '@learning/http';
import { Type, type Static } from '@sinclair/typebox';
import type { ReadBoards } from '../../application/leaderboards/read-boards.js';
import type { RebuildBoards } from '../../application/leaderboards/rebuild-boards.js';
import type { RebuildProgress } from '../../application/leaderboards/ports.js';
import { BOARD_FAMILIES, boardName, type BoardScope } from '../../domain/boards.js';
import { formatCredits } from '../../domain/credits.js';

export interface LeaderboardUseCases {
  readonly reads: ReadBoards;
  readonly rebuilds: RebuildBoards;
  /** The city-calendar year now: the default of `year`. */
  readonly currentYear: () => number;
  readonly pages: CachedPages;
  readonly publicMaxAgeSeconds: number;
}

const TAG = 'leaderboards';
const MAX_BOARD_PAGE = 100;
const DEFAULT_BOARD_PAGE = 20;

const Year = Type.Integer({
  minimum: 2000,
  maximum: 2100,
  description: 'A city-calendar year; the current one when absent.',
});
const CampaignId = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$',
  description: 'The campaign’s board instead of the year’s: only credits of that campaign count.',
});
const BoardPath = Type.String({
  pattern: `^(${BOARD_FAMILIES.join('|')})/[A-Za-z0-9_-]{1,64}$`,
  description:
    'A board of persons: persons-by-area/{code}, persons-by-organization/{id} or persons-by-tier/{tier}.',
});

const BoardParams = Type.Object(
  {
    family: Type.String({
      maxLength: 40,
      description: `One of ${BOARD_FAMILIES.join(', ')}.`,
    }),
    subject: Type.String({
      maxLength: 64,
      description:
        'A jurisdiction code (by area), an organization id (persons by organization), a tier ' +
        '(persons by tier) or an organization kind (organizations by kind).',
    }),
  },
  { additionalProperties: false },
);
const BoardQuery = Type.Object(
  {
    year: Type.Optional(Year),
    campaignId: Type.Optional(CampaignId),
    pageSize: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_BOARD_PAGE, default: DEFAULT_BOARD_PAGE }),
    ),
    pageToken: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'nextPageToken of the last page.' }),
    ),
  },
  { additionalProperties: false },
);
const RankQuery = Type.Object(
  { board: BoardPath, year: Type.Optional(Year), campaignId: Type.Optional(CampaignId) },
  { additionalProperties: false },
);
const RebuildQuery = Type.Object({ year: Type.Optional(Year) }, { additionalProperties: false });
const RebuildParams = Type.Object({ id: Uuid }, { additionalProperties: false });

const Credits = Type.String({ description: 'Decimal credits, e.g. "12.5".' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const BoardView = Type.Object({
  board: Type.String({ description: 'family/subject' }),
  year: Type.Integer(),
  campaignId: Nullable(Type.String()),
  total: Type.Integer({ description: 'Holders ranked on the board.' }),
  items: Type.Array(
    Type.Object({
      rank: Type.Integer({ description: 'Ties share a rank: 1, 2, 2, 4.' }),
      name: Type.String({ description: 'Masked for persons (张*明); in full for organizations.' }),
      credits: Credits,
      organizationId: Nullable(
        Type.String({ description: 'For organizations; persons’ ids are never shown.' }),
      ),
    }),
  ),
  nextPageToken: Nullable(Type.String()),
});
const OwnRankView = Type.Object({
  board: Type.String(),
  year: Type.Integer(),
  campaignId: Nullable(Type.String()),
  rank: Nullable(
    Type.Integer({ description: 'Null when none of your credits count on the board.' }),
  ),
  credits: Credits,
  total: Type.Integer(),
});
const RebuildView = Type.Object({
  id: Type.String(),
  year: Type.Integer(),
  status: Type.Union([Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
  holders: Type.Integer({ description: 'Holders placed so far.' }),
  boards: Type.Integer({ description: 'Boards swapped in, once it succeeded.' }),
  startedAt: Type.String({ format: 'date-time' }),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
});

const scopeOf = (
  query: { year?: number; campaignId?: string },
  currentYear: () => number,
): BoardScope => ({ year: query.year ?? currentYear(), campaignId: query.campaignId ?? null });

const rebuildView = (progress: RebuildProgress): Static<typeof RebuildView> => ({
  ...progress,
  startedAt: progress.startedAt.toISOString(),
  finishedAt: progress.finishedAt?.toISOString() ?? null,
});

export function registerLeaderboardRoutes(http: HttpServer, useCases: LeaderboardUseCases): void {
  const { reads, rebuilds, currentYear } = useCases;
  const sendPublic = publicPageSender(useCases.pages, useCases.publicMaxAgeSeconds);

  http.get(
    '/v1/public/leaderboards/:family/:subject',
    {
      config: { auth: 'none' },
      schema: {
        tags: [PUBLIC_PORTAL_TAG],
        summary: 'A leaderboard: persons or organizations by credits, highest first',
        description:
          'No sign-in needed. Boards: persons-by-area/{jurisdiction code}, ' +
          'persons-by-organization/{organization id}, persons-by-tier/{tier}, ' +
          'organizations-by-kind/{kind}, organizations-by-area/{jurisdiction code}; the year’s ' +
          'board, or a campaign’s with campaignId. Persons show by masked name only (张*明). ' +
          'Served from a shared cache (x-cache), so a new award shows within the cache’s ' +
          'lifetime. A board nobody has credits on yet is an empty page (total 0). Errors: 400 ' +
          'LEADERBOARD_PAGE_TOKEN_INVALID, VALIDATION_FAILED; 404 LEADERBOARD_NOT_FOUND (no board ' +
          'could have that family or subject).',
        params: BoardParams,
        querystring: BoardQuery,
        response: { 200: BoardView },
      },
    },
    async (request, reply) => {
      const { family, subject } = request.params;
      const scope = scopeOf(request.query, currentYear);
      const pageSize = request.query.pageSize ?? DEFAULT_BOARD_PAGE;
      const key = publicPageKey(`/v1/public/leaderboards/${family}/${subject}`, {
        ...request.query,
        year: scope.year,
        pageSize,
      });
      await sendPublic(reply, key, async () => {
        const view = await reads.page({
          family,
          subject,
          scope,
          pageSize,
          ...(request.query.pageToken === undefined ? {} : { pageToken: request.query.pageToken }),
        });
        return {
          board: boardName(view.board),
          year: view.scope.year,
          campaignId: view.scope.campaignId,
          total: view.total,
          items: view.items.map((item) => ({ ...item, credits: formatCredits(item.credits) })),
          nextPageToken: view.nextPageToken,
        } satisfies Static<typeof BoardView>;
      });
    },
  );

  http.get(
    '/v1/me/rank',
    {
      config: { roles: ['participant'] },
      schema: {
        tags: [TAG],
        summary: 'Your own rank on a board of persons',
        description:
          'Participants. Your rank (ties share one), your credits on the board and how many are ' +
          'ranked on it, read live from the board. Errors: 400 LEADERBOARD_NOT_FOR_PERSONS, ' +
          'VALIDATION_FAILED; 403 ROLE_REQUIRED; 404 LEADERBOARD_NOT_FOUND; 409 ' +
          'LEADERBOARD_PARTICIPANT_NOT_REGISTERED.',
        querystring: RankQuery,
        response: { 200: OwnRankView },
      },
    },
    async (request) => {
      const own = await reads.ownRank(
        principalOf(request).subject,
        request.query.board,
        scopeOf(request.query, currentYear),
      );
      return {
        board: boardName(own.board),
        year: own.scope.year,
        campaignId: own.scope.campaignId,
        rank: own.rank,
        credits: formatCredits(own.credits),
        total: own.total,
      };
    },
  );

  http.post(
    '/v1/leaderboards/rebuild',
    {
      config: { roles: ['city_admin'] },
      schema: {
        tags: [TAG],
        summary: 'Rebuild a year’s leaderboards from the ledger',
        description:
          'City admins. Answers 202 at once with the rebuild’s progress; follow it at ' +
          '/v1/leaderboards/rebuilds/{id}. The year’s boards and its campaigns’ are built afresh ' +
          'and replace the live ones at once; while a rebuild of the year runs (on any replica), ' +
          'asking again returns that one. Errors: 400 VALIDATION_FAILED; 403 ROLE_REQUIRED.',
        querystring: RebuildQuery,
        response: { 202: RebuildView },
      },
    },
    async (request, reply) => {
      const progress = await rebuilds.start(request.query.year ?? currentYear());
      return reply.code(202).send(rebuildView(progress));
    },
  );

  http.get(
    '/v1/leaderboards/rebuilds/:id',
    {
      config: { roles: ['city_admin'] },
      schema: {
        tags: [TAG],
        summary: 'A rebuild’s progress',
        description:
          'City admins. Kept a day after the rebuild ends. Errors: 400 VALIDATION_FAILED; 403 ' +
          'ROLE_REQUIRED; 404 LEADERBOARD_REBUILD_NOT_FOUND.',
        params: RebuildParams,
        response: { 200: RebuildView },
      },
    },
    async (request) => rebuildView(await rebuilds.progress(request.params.id)),
  );
}
