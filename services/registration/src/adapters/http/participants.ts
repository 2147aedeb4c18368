/** The participant routes: translate HTTP to the use cases and back, deciding nothing. */
import { AppError } from '@learning/errors';
import { OFFICER_ROLES } from '@learning/auth';
import {
  JurisdictionCode,
  Name,
  PageOf,
  pageQueryFields,
  principalOf,
  UUID_PATTERN,
  type HttpServer,
  revisionFromIfMatch,
} from '@learning/http';
import type { PiiVault } from '@learning/pii';
import { Type, type Static } from '@sinclair/typebox';
import {
  EMPLOYER_MAX_LENGTH,
  LANGUAGES,
  NAME_MAX_LENGTH,
  PARTICIPANT_SOURCES,
  TIERS,
  type Language,
  type Tier,
} from '../../domain/participants.js';
import { SHORT_CODE_LENGTH } from '../../domain/short-codes.js';
import type {
  ClaimParticipant,
  IssueClaimCode,
} from '../../application/participants/claim-participant.js';
import {
  CORRECTION_REASON_MAX_LENGTH,
  type CorrectParticipant,
} from '../../application/participants/correct-participant.js';
import { VERSION_REQUIRED } from '../../application/participants/errors.js';
import type {
  GetParticipant,
  SearchParticipants,
} from '../../application/participants/officer-reads.js';
import type {
  CorrectOwnParticipant,
  Correction,
  GetOwnParticipant,
} from '../../application/participants/own-participant.js';
import type {
  RegisterFor,
  RegisterSelf,
  RegistrationInput,
} from '../../application/participants/register-participant.js';
import { maskedView, ownView } from '../../application/participants/views.js';

export interface ParticipantUseCases {
  registerSelf: RegisterSelf;
  registerFor: RegisterFor;
  getOwnParticipant: GetOwnParticipant;
  correctOwnParticipant: CorrectOwnParticipant;
  searchParticipants: SearchParticipants;
  getParticipant: GetParticipant;
  correctParticipant: CorrectParticipant;
  issueClaimCode: IssueClaimCode;
  claimParticipant: ClaimParticipant;
  /** Decrypts the person's own numbers for their own view. */
  pii: PiiVault;
}

const TAG = 'participants';
/** Registrations one account may attempt per hour: a person registers once, retries included. */
export const SELF_REGISTRATION_LIMIT = { points: 5, durationSeconds: 3600 } as const;
/** Claims one account may attempt per hour: with the ID number also needed, guessing codes is hopeless. */
export const CLAIM_LIMIT = { points: 5, durationSeconds: 3600 } as const;
/** Who register people and correct their records: area officers and city admins. */
const REGISTRARS = ['area_officer', 'city_admin'] as const;
const READER_ROLES = OFFICER_ROLES;

// Plain JSON Schema enums rather than unions, so a bad value is one error, not one per alternative.
const enumOf = <T extends string>(values: readonly T[], description: string) =>
  Type.Unsafe<T>(Type.String({ enum: [...values], description }));
const nullableString = (options: { maxLength: number; description: string }) =>
  Type.Unsafe<string | null>({ type: ['string', 'null'], ...options });

const TierField = enumOf<Tier>(TIERS, 'The participant tier (§5.1), or pupil.');
const LanguageField = enumOf<Language>(LANGUAGES, 'The language to write to them in.');
const PersonName = Name(NAME_MAX_LENGTH);
// The employer's name follows the same text rules, and may be null.
const nullableEmployer = (description: string) =>
  Type.Unsafe<string | null>({
    ...Name(EMPLOYER_MAX_LENGTH, { description }),
    type: ['string', 'null'],
  });
const IdNumber = Type.String({
  minLength: 1,
  maxLength: 32,
  description: 'The 18-character resident ID number; the birth date is read from it.',
});
const Phone = Type.String({
  minLength: 1,
  maxLength: 32,
  description: 'A mainland mobile number; spaces, hyphens and +86 are accepted.',
});
const Consent = Type.Object(
  {
    notifications: Type.Optional(
      Type.Boolean({
        description:
          'Agrees to at least one channel. Alone: true gives SMS unless a channel is consented ' +
          'already, false withdraws every channel; with channels it must agree with them.',
      }),
    ),
    sms: Type.Optional(Type.Boolean({ description: 'Agrees to text messages.' })),
    email: Type.Optional(Type.Boolean({ description: 'Agrees to e-mail.' })),
    wechat: Type.Optional(
      Type.Boolean({ description: "Agrees to the city's WeChat official account." }),
    ),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'Consent per channel; channels not named stay as they are.',
  },
);
const EMAIL_MAX_LENGTH = 254;
const nullableEmail = (description: string) =>
  nullableString({ maxLength: EMAIL_MAX_LENGTH, description });
const nullableOpenId = (description: string) => nullableString({ maxLength: 64, description });

const RegistrationBody = Type.Object(
  {
    name: PersonName,
    tier: TierField,
    homeJurisdiction: JurisdictionCode,
    idNumber: IdNumber,
    phone: Type.Optional(
      nullableString({ maxLength: 32, description: 'A mainland mobile number; null for none.' }),
    ),
    email: Type.Optional(nullableEmail('An e-mail address; null for none.')),
    wechatOpenId: Type.Optional(
      nullableOpenId("The person's openid at the city's WeChat official account; null for none."),
    ),
    language: LanguageField,
    consent: Consent,
    employer: Type.Optional(nullableEmployer("The employer's name.")),
  },
  { additionalProperties: false },
);

const CorrectionBody = Type.Object(
  {
    version: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: 'The version last read; or send it as If-Match.',
      }),
    ),
    name: Type.Optional(PersonName),
    phone: Type.Optional(
      nullableString({ maxLength: 32, description: 'A mainland mobile number; null removes it.' }),
    ),
    email: Type.Optional(nullableEmail('An e-mail address; null removes it.')),
    wechatOpenId: Type.Optional(
      nullableOpenId("The openid at the city's WeChat official account; null removes it."),
    ),
    language: Type.Optional(LanguageField),
    consent: Type.Optional(Consent),
    employer: Type.Optional(nullableEmployer('Null removes it.')),
    homeJurisdiction: Type.Optional(JurisdictionCode),
  },
  { additionalProperties: false, minProperties: 1 },
);

const OfficerCorrectionBody = Type.Object(
  {
    version: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: 'The version last read; or send it as If-Match.',
      }),
    ),
    idNumber: Type.Optional(IdNumber),
    tier: Type.Optional(TierField),
    reason: Type.String({
      minLength: 1,
      maxLength: CORRECTION_REASON_MAX_LENGTH,
      description: 'Why: kept in the audit log with the change.',
    }),
  },
  { additionalProperties: false },
);

const ChannelConsentView = Type.Object({
  given: Type.Boolean(),
  changedAt: Type.Union([Type.String(), Type.Null()], {
    description: 'When it was last given or withdrawn; null when never asked.',
  }),
});

const CommonFields = {
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  tier: TierField,
  jurisdictionPath: Type.Array(Type.String(), {
    description: 'Home jurisdiction codes from the city down.',
  }),
  language: LanguageField,
  consent: Type.Object({
    notifications: Type.Boolean({ description: 'Whether any channel is consented to.' }),
    updatedAt: Type.String(),
    sms: ChannelConsentView,
    email: ChannelConsentView,
    wechat: ChannelConsentView,
  }),
  emailMasked: Type.Union([Type.String(), Type.Null()], { examples: ['z***@example.com'] }),
  hasWechatOpenId: Type.Boolean({
    description: 'Whether a WeChat openid is on record; the openid itself is never shown.',
  }),
  employer: Type.Union([Type.String(), Type.Null()]),
  source: enumOf(PARTICIPANT_SOURCES, 'How the record came to be.'),
  hasAccount: Type.Boolean({ description: 'Whether the record belongs to a sign-in account.' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  version: Type.Integer({ description: 'Send it back with a correction (or as If-Match).' }),
};

const MaskedParticipant = Type.Object(
  {
    ...CommonFields,
    birthYear: Type.Union([Type.Integer(), Type.Null()]),
    idNumberMasked: Type.String({ examples: ['110101********1234'] }),
    phoneMasked: Type.Union([Type.String(), Type.Null()], { examples: ['138****8000'] }),
  },
  { description: 'Phone and ID number masked: what officers see.' },
);

const OwnParticipant = Type.Object(
  {
    ...CommonFields,
    birthDate: Type.Union([Type.String(), Type.Null()]),
    idNumber: Type.String(),
    phone: Type.Union([Type.String(), Type.Null()]),
  },
  { description: "The person's own record, their own phone and ID number in full." },
);

const SearchQuery = Type.Object(
  {
    tier: Type.Optional(TierField),
    jurisdiction: Type.Optional(JurisdictionCode),
    name: Type.Optional(Name(NAME_MAX_LENGTH, { description: 'A name prefix.' })),
    phone: Type.Optional(Type.String({ ...Phone, description: 'The exact mobile number.' })),
    idNumber: Type.Optional(Type.String({ ...IdNumber, description: 'The exact ID number.' })),
    ...pageQueryFields,
  },
  { additionalProperties: false },
);

const IdParams = Type.Object(
  {
    id: Type.String({
      pattern: UUID_PATTERN,
      description: 'The participant id, a lower-case UUID.',
    }),
  },
  { additionalProperties: false },
);

const ClaimBody = Type.Object(
  {
    idNumber: IdNumber,
    claimCode: Type.String({
      minLength: 1,
      maxLength: 32,
      description: `The ${SHORT_CODE_LENGTH}-character code from your officer; case, spaces and hyphens do not matter.`,
      examples: ['K7QM-4XPR'],
    }),
  },
  { additionalProperties: false },
);

const IssuedClaimCode = Type.Object(
  {
    code: Type.String({
      description: 'Hand it to the person; it is not shown again, and only its keyed hash is kept.',
      examples: ['K7QM4XPR'],
    }),
    expiresAt: Type.String({ format: 'date-time' }),
  },
  { description: 'A one-time claim code, replacing any code issued before.' },
);

type RegistrationBody = Static<typeof RegistrationBody>;
type CorrectionBody = Static<typeof CorrectionBody>;
type OfficerCorrectionBody = Static<typeof OfficerCorrectionBody>;

const registrationInput = (body: RegistrationBody): RegistrationInput => ({
  name: body.name,
  tier: body.tier,
  homeJurisdiction: body.homeJurisdiction,
  idNumber: body.idNumber,
  language: body.language,
  consent: body.consent,
  ...(body.phone === undefined ? {} : { phone: body.phone }),
  ...(body.email === undefined ? {} : { email: body.email }),
  ...(body.wechatOpenId === undefined ? {} : { wechatOpenId: body.wechatOpenId }),
  ...(body.employer === undefined ? {} : { employer: body.employer }),
});

/** The version a correction expects: If-Match when sent, else the body's. */
function expectedVersion(
  ifMatch: string | string[] | undefined,
  body: { readonly version?: number | undefined },
): number {
  const fromHeader = revisionFromIfMatch(ifMatch, {
    refuse: () =>
      new AppError(
        'invalid_argument',
        VERSION_REQUIRED,
        'If-Match must be the ETag last read, such as "3".',
      ),
  });
  if (fromHeader !== undefined) return fromHeader;
  if (body.version === undefined)
    throw new AppError(
      'invalid_argument',
      VERSION_REQUIRED,
      'Send the version last read, in the body or as If-Match.',
      { details: [{ field: '/version', message: 'is required' }] },
    );
  return body.version;
}

function correction(body: CorrectionBody, version: number): Correction {
  return {
    expectedVersion: version,
    ...(body.name === undefined ? {} : { name: body.name }),
    ...(body.phone === undefined ? {} : { phone: body.phone }),
    ...(body.email === undefined ? {} : { email: body.email }),
    ...(body.wechatOpenId === undefined ? {} : { wechatOpenId: body.wechatOpenId }),
    ...(body.language === undefined ? {} : { language: body.language }),
    ...(body.consent === undefined ? {} : { consent: body.consent }),
    ...(body.employer === undefined ? {} : { employer: body.employer }),
    ...(body.homeJurisdiction === undefined ? {} : { homeJurisdiction: body.homeJurisdiction }),
  };
}

/** The person's own numbers are in the body: no shared cache may keep it. */
interface HeaderSetter {
  header(name: string, value: string): unknown;
}
const privateResponse = (reply: HeaderSetter, version: number): void => {
  reply.header('cache-control', 'no-store');
  reply.header('etag', `"${version}"`);
};

export function registerParticipantRoutes(http: HttpServer, useCases: ParticipantUseCases): void {
  http.post(
    '/v1/participants',
    {
      config: {
        roles: ['participant'],
        idempotency: 'required',
        rateLimit: SELF_REGISTRATION_LIMIT,
      },
      schema: {
        tags: [TAG],
        summary: 'Register yourself as a participant',
        description:
          'Role participant; needs an Idempotency-Key; at most 5 attempts per account per hour. ' +
          'The record belongs to your account. 201 with the new record; 200 with your existing ' +
          'record when your account registered this ID number before. The response shows your own ' +
          'phone and ID number in full. Errors: 400 VALIDATION_FAILED, FORBIDDEN_KEY, ' +
          'ID_NUMBER_FORMAT, ID_NUMBER_CHECK_DIGIT, ID_NUMBER_BIRTH_DATE, PHONE_FORMAT, ' +
          'PARTICIPANT_NAME_INVALID, EMPLOYER_INVALID, JURISDICTION_UNKNOWN; 403 ROLE_REQUIRED; ' +
          '409 PARTICIPANT_ALREADY_REGISTERED (the ID number is registered to someone else), ' +
          'PARTICIPANT_CLAIM_REQUIRED (an officer registered this number for you: ask them for a ' +
          'claim code and claim the record), ACCOUNT_ALREADY_REGISTERED (your account has a ' +
          'record under another number); ' +
          '429 RATE_LIMITED.',
        body: RegistrationBody,
        response: { 200: OwnParticipant, 201: OwnParticipant },
      },
    },
    async (request, reply) => {
      const result = await useCases.registerSelf(
        principalOf(request),
        registrationInput(request.body),
      );
      privateResponse(reply, result.participant.version);
      void reply.code(result.created ? 201 : 200);
      return ownView(result.participant, useCases.pii);
    },
  );

  http.post(
    '/v1/participants::register-for',
    {
      config: { roles: [...REGISTRARS], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Register someone without an account',
        description:
          'Area officers inside their jurisdictions, city admins anywhere; needs an ' +
          'Idempotency-Key. The record has no account (source officer). Responses are masked. ' +
          'Errors: 400 as for self-registration; 403 ROLE_REQUIRED, OUT_OF_SCOPE (home ' +
          'jurisdiction outside yours), SCOPE_EMPTY; 409 PARTICIPANT_ALREADY_REGISTERED.',
        body: RegistrationBody,
        response: { 201: MaskedParticipant },
      },
    },
    async (request, reply) => {
      const record = await useCases.registerFor(
        principalOf(request),
        registrationInput(request.body),
      );
      void reply.code(201);
      return maskedView(record);
    },
  );

  http.get(
    '/v1/me/participant',
    {
      config: { roles: ['participant'] },
      schema: {
        tags: [TAG],
        summary: 'Your own participant record',
        description:
          'Role participant. Your own phone and ID number in full (Cache-Control: no-store); ' +
          'the ETag is the version to send back with a correction. Errors: 403 ROLE_REQUIRED; ' +
          '404 PARTICIPANT_NOT_FOUND when your account has not registered.',
        response: { 200: OwnParticipant },
      },
    },
    async (request, reply) => {
      const record = await useCases.getOwnParticipant(principalOf(request));
      privateResponse(reply, record.version);
      return ownView(record, useCases.pii);
    },
  );

  http.patch(
    '/v1/me/participant',
    {
      config: { roles: ['participant'], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Correct your own participant record',
        description:
          'Role participant; needs an Idempotency-Key and the version last read (body `version` ' +
          'or If-Match). Name, phone, language, consent, employer and home jurisdiction may be ' +
          'corrected; null removes phone or employer. The ID number and tier need an officer. ' +
          'A correction that changes nothing writes nothing. Errors: 400 VALIDATION_FAILED, ' +
          'FORBIDDEN_KEY, VERSION_REQUIRED, PHONE_FORMAT, PARTICIPANT_NAME_INVALID, ' +
          'EMPLOYER_INVALID, JURISDICTION_UNKNOWN; 403 ROLE_REQUIRED; 404 PARTICIPANT_NOT_FOUND; ' +
          '409 VERSION_CONFLICT.',
        body: CorrectionBody,
        response: { 200: OwnParticipant },
      },
    },
    async (request, reply) => {
      const version = expectedVersion(request.headers['if-match'], request.body);
      const record = await useCases.correctOwnParticipant(
        principalOf(request),
        correction(request.body, version),
      );
      privateResponse(reply, record.version);
      return ownView(record, useCases.pii);
    },
  );

  http.get(
    '/v1/participants',
    {
      config: { roles: [...READER_ROLES] },
      schema: {
        tags: [TAG],
        summary: 'Search participants in your scope',
        description:
          'Area officers within their jurisdictions; city admins and department officers within ' +
          'theirs (city-wide when granted). Filters combine: tier, jurisdiction (its subtree), ' +
          'name prefix, exact phone, exact ID number. In id order, cursor paged; masked. ' +
          'Errors: 400 VALIDATION_FAILED, PHONE_FORMAT, ID_NUMBER_*, CURSOR_INVALID; ' +
          '403 ROLE_REQUIRED, SCOPE_EMPTY.',
        querystring: SearchQuery,
        response: { 200: PageOf(MaskedParticipant) },
      },
    },
    async (request) => {
      const query = request.query;
      const page = await useCases.searchParticipants(principalOf(request), {
        ...(query.tier === undefined ? {} : { tier: query.tier }),
        ...(query.jurisdiction === undefined ? {} : { jurisdiction: query.jurisdiction }),
        ...(query.name === undefined ? {} : { namePrefix: query.name }),
        ...(query.phone === undefined ? {} : { phone: query.phone }),
        ...(query.idNumber === undefined ? {} : { idNumber: query.idNumber }),
        ...(query.pageSize === undefined ? {} : { pageSize: query.pageSize }),
        ...(query.pageToken === undefined ? {} : { pageToken: query.pageToken }),
      });
      return { items: page.items.map(maskedView), nextPageToken: page.nextCursor };
    },
  );

  http.get(
    '/v1/participants/:id',
    {
      config: { roles: [...READER_ROLES] },
      schema: {
        tags: [TAG],
        summary: 'A participant in your scope',
        description:
          'Roles as for the search; masked. Errors: 403 ROLE_REQUIRED, SCOPE_EMPTY; ' +
          '404 PARTICIPANT_NOT_FOUND, also for someone outside your scope.',
        params: IdParams,
        response: { 200: MaskedParticipant },
      },
    },
    async (request) =>
      maskedView(await useCases.getParticipant(principalOf(request), request.params.id)),
  );

  http.patch(
    '/v1/participants/:id',
    {
      config: { roles: [...REGISTRARS], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: "Correct someone's ID number or tier",
        description:
          'Area officers inside their jurisdictions, city admins anywhere; needs an ' +
          'Idempotency-Key, the version last read (body `version` or If-Match) and a reason, ' +
          'which is kept in the audit log. A new ID number brings its birth date with it. A ' +
          'correction that changes nothing writes nothing. Masked response. Errors: 400 ' +
          'VALIDATION_FAILED, FORBIDDEN_KEY, VERSION_REQUIRED, CORRECTION_REASON_REQUIRED, ' +
          'ID_NUMBER_FORMAT, ID_NUMBER_CHECK_DIGIT, ID_NUMBER_BIRTH_DATE; 403 ROLE_REQUIRED, ' +
          'SCOPE_EMPTY; 404 PARTICIPANT_NOT_FOUND, also outside your scope; 409 VERSION_CONFLICT, ' +
          'PARTICIPANT_ALREADY_REGISTERED (the number belongs to someone else).',
        params: IdParams,
        body: OfficerCorrectionBody,
        response: { 200: MaskedParticipant },
      },
    },
    async (request) => {
      const body: OfficerCorrectionBody = request.body;
      const record = await useCases.correctParticipant(principalOf(request), request.params.id, {
        expectedVersion: expectedVersion(request.headers['if-match'], body),
        reason: body.reason,
        ...(body.idNumber === undefined ? {} : { idNumber: body.idNumber }),
        ...(body.tier === undefined ? {} : { tier: body.tier }),
      });
      return maskedView(record);
    },
  );

  http.post(
    '/v1/participants/:id/claim-codes',
    {
      config: { roles: [...REGISTRARS], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Issue a claim code for a record without an account',
        description:
          'Area officers inside their jurisdictions, city admins anywhere; needs an ' +
          'Idempotency-Key; no body. A one-time code the person claims the record with ' +
          '(POST /v1/participants/me/claim), valid for PARTICIPANT_CLAIM_CODE_VALIDITY_DAYS ' +
          '(14 days by default); a new code replaces the old one. Only its keyed hash is ' +
          'stored, and the response is not cached (Cache-Control: no-store). Errors: 403 ' +
          'ROLE_REQUIRED, SCOPE_EMPTY; 404 PARTICIPANT_NOT_FOUND, also outside your scope; ' +
          '409 PARTICIPANT_ALREADY_CLAIMED (the record belongs to an account).',
        params: IdParams,
        response: { 201: IssuedClaimCode },
      },
    },
    async (request, reply) => {
      const issued = await useCases.issueClaimCode(principalOf(request), request.params.id);
      reply.header('cache-control', 'no-store');
      void reply.code(201);
      return { code: issued.code, expiresAt: issued.expiresAt.toISOString() };
    },
  );

  http.post(
    '/v1/participants/me/claim',
    {
      config: { roles: ['participant'], idempotency: 'required', rateLimit: CLAIM_LIMIT },
      schema: {
        tags: [TAG],
        summary: 'Claim the record an officer registered for you',
        description:
          'Role participant, with an account that has no record yet; needs an Idempotency-Key; ' +
          'at most 5 attempts per account per hour. Send the ID number of the record and the ' +
          'claim code your officer gave you: the record becomes yours and the code is spent. 200 ' +
          'with your own record (phone and ID number in full); also when your account already ' +
          'holds that record. Errors: 400 VALIDATION_FAILED, FORBIDDEN_KEY, ID_NUMBER_FORMAT, ' +
          'ID_NUMBER_CHECK_DIGIT, ID_NUMBER_BIRTH_DATE, CLAIM_CODE_FORMAT; 403 ROLE_REQUIRED, ' +
          'PARTICIPANT_CLAIM_REFUSED (the same answer for an unknown number, a wrong, expired or ' +
          'spent code, or a record that belongs to an account); 409 ACCOUNT_ALREADY_REGISTERED; ' +
          '429 RATE_LIMITED.',
        body: ClaimBody,
        response: { 200: OwnParticipant },
      },
    },
    async (request, reply) => {
      const { participant } = await useCases.claimParticipant(principalOf(request), {
        idNumber: request.body.idNumber,
        claimCode: request.body.claimCode,
      });
      privateResponse(reply, participant.version);
      return ownView(participant, useCases.pii);
    },
  );
}
