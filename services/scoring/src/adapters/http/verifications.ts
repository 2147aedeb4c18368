/** The public verification route: anyone holding a code checks what it certifies. */
import {
  PUBLIC_PORTAL_TAG,
  publicPageKey,
  publicPageSender,
  type CachedPages,
  type HttpServer,
} from '@learning/http';
import { Type } from '@sinclair/typebox';
import type { Certification } from '../../application/verification/certify.js';
import { formatCredits, formatHours } from '../../domain/credits.js';

/** Where a code is checked; printed on every PDF. */
export const verificationPath = (code: string): string =>
  `/v1/public/verifications/${encodeURIComponent(code)}`;

/** Codes are unguessable (HMAC): the limit only keeps the route from being used as a load test. */
const VERIFY_LIMIT = { points: 60, durationSeconds: 60 };

const Params = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 64, description: 'LS26-XXXX-…, as printed.' }) },
  { additionalProperties: false },
);

export interface VerificationPages {
  readonly pages: CachedPages;
  readonly publicMaxAgeSeconds: number;
}

export function registerVerificationRoutes(
  http: HttpServer,
  certification: Certification,
  { pages, publicMaxAgeSeconds }: VerificationPages,
): void {
  const sendPublic = publicPageSender(pages, publicMaxAgeSeconds);
  http.get(
    '/v1/public/verifications/:code',
    {
      config: { auth: 'none', rateLimit: VERIFY_LIMIT },
      schema: {
        tags: [PUBLIC_PORTAL_TAG],
        summary: 'Check a learning record’s verification code',
        description:
          'Public, no token; 60 checks a minute per address; answers come from the shared ' +
          'public cache, so a change of status shows within its TTL. Whether the code is genuine and ' +
          'what it certified: year, totals, the masked name (张*明) and the issue date; status ' +
          '`superseded` when the ledger’s year no longer adds up to it (a later correction or ' +
          'later credits). Never a participant id or full name. Errors: 400 ' +
          'VERIFICATION_CODE_INVALID (malformed or altered); 404 VERIFICATION_CODE_UNKNOWN (never ' +
          'issued, or swept after CERTIFICATES_RETENTION_DAYS, or the person closed their account); ' +
          '404 VERIFICATION_SHARING_WITHDRAWN (the person withdrew their consent to employers ' +
          'verifying their record); 429 RATE_LIMITED.',
        params: Params,
        response: {
          200: Type.Object({
            genuine: Type.Literal(true),
            code: Type.String(),
            year: Type.Integer(),
            maskedName: Type.String(),
            credits: Type.String(),
            hours: Type.String(),
            entryCount: Type.Integer(),
            byCategory: Type.Array(
              Type.Object({
                category: Type.Union([Type.String(), Type.Null()]),
                credits: Type.String(),
                hours: Type.String(),
              }),
            ),
            issuedAt: Type.String({ format: 'date-time' }),
            status: Type.String({ enum: ['current', 'superseded'] }),
          }),
        },
      },
    },
    async (request, reply) => {
      const { code } = request.params;
      // Refused codes throw before anything is cached: only genuine answers are kept.
      await sendPublic(reply, publicPageKey(verificationPath(code)), async () => {
        const verification = await certification.verify(code);
        const { totals } = verification;
        return {
          genuine: true as const,
          code: verification.code,
          year: verification.year,
          maskedName: verification.maskedName,
          credits: formatCredits(totals.credits),
          hours: formatHours(totals.minutes),
          entryCount: totals.entries,
          byCategory: totals.byCategory.map((total) => ({
            category: total.category,
            credits: formatCredits(total.credits),
            hours: formatHours(total.minutes),
          })),
          issuedAt: verification.issuedAt.toISOString(),
          status: verification.status,
        };
      });
    },
  );
}
