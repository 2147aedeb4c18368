/** The ranking exports (XLSX and PDF) the office hands to the leadership. */
import { OFFICER_ROLES } from '@learning/auth';
import { principalOf, type HttpServer } from '@learning/http';
import { Type } from '@sinclair/typebox';
import type { ExportRankings } from '../../application/rankings/export-rankings.js';
import { SYSTEM_TARGETS, type SystemTarget } from '../../domain/evaluation.js';
import { rankingsStream, writeRankingsPdf, writeRankingsXlsx } from '../exports/rankings.js';

const TAG = 'assessments';

/** Each export reads a whole year of a target: a few a minute per caller are plenty. */
const EXPORT_LIMIT = { points: 10, durationSeconds: 60 };

const Query = Type.Object(
  {
    year: Type.Integer({ minimum: 2000, maximum: 2100 }),
    target: Type.Unsafe<SystemTarget>(
      Type.String({
        enum: [...SYSTEM_TARGETS],
        description: 'An organization kind, or area (townships and streets).',
      }),
    ),
  },
  { additionalProperties: false },
);

const FORMATS = {
  xlsx: {
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    write: writeRankingsXlsx,
    text:
      'One sheet: the title, the issue date, a header row (名次 rank, 名称 name, 区域 township, 得分 ' +
      'score, 是否达标 pass, 状态 status, then each indicator of the year’s system by name) and a row ' +
      'per subject; rank, score and indicator scores are numbers.',
  },
  pdf: {
    type: 'application/pdf',
    write: writeRankingsPdf,
    text:
      'A4 landscape in Chinese: the title 「<year>年度学习型组织评估排名（<kind>）」, the issue date and ' +
      'the table (rank, name, township, score, pass, status; indicator scores are in the XLSX).',
  },
} as const;

export function registerRankingRoutes(
  http: HttpServer,
  useCases: { exportRankings: ExportRankings },
): void {
  for (const [format, { type, write, text }] of Object.entries(FORMATS))
    http.get(
      `/v1/assessments/rankings.${format}`,
      {
        config: { roles: [...OFFICER_ROLES], rateLimit: EXPORT_LIMIT },
        schema: {
          tags: [TAG],
          summary: `The year’s ranking table of one target as ${format.toUpperCase()}`,
          description:
            'The office: every subject; department officers: organizations of the kinds their ' +
            'department leads; area officers: the subjects in their areas. The year’s current ' +
            'assessments (corrections replace what they correct), best first; equal scores share a ' +
            'rank, counted among the rows the caller reaches. ' +
            `${text} Errors: 400 VALIDATION_FAILED; 403 ROLE_REQUIRED, RANKING_NOT_PERMITTED; 429 RATE_LIMITED.`,
          querystring: Query,
          produces: [type],
        },
      },
      async (request, reply) => {
        const { year, target } = request.query;
        const table = await useCases.exportRankings(principalOf(request), year, target);
        return reply
          .type(type)
          .header(
            'content-disposition',
            `attachment; filename="rankings-${String(year)}-${target}.${format}"`,
          )
          .header('cache-control', 'no-store')
          .send(rankingsStream(table, write));
      },
    );
}
