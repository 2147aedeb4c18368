/** The contest routes: translate HTTP to the use cases and back, deciding nothing. */
import {
  attachmentTooLarge,
  AttachmentView,
  attachmentView,
  contentLengthOf,
  DOCUMENT_AND_IMAGE_TYPES,
  downloadHeaders,
  FileNameQuery,
  PendingUpload,
  uploadBodyParser,
} from '@learning/attachments';
import {
  HttpError,
  JurisdictionCode,
  Name,
  PageOf,
  pageQueryFields,
  principalOf,
  Text,
  Title,
  UUID_PATTERN,
  Uuid,
  type HttpServer,
} from '@learning/http';
import { ORGANIZER_ROLES, type Principal } from '@learning/auth';
import { CONTENT_CATEGORIES, type ContentCategory } from '@learning/domain';
import { Type } from '@sinclair/typebox';
import type { CreateContest } from '../../application/contests/create-contest.js';
import type { SubmitEntry, UploadAttachment } from '../../application/contests/entries.js';
import type {
  AssignAllJudges,
  AssignEntryJudges,
  ScoreContestEntry,
} from '../../application/contests/judging.js';
import type { CloseContestEntries, SetJudges } from '../../application/contests/manage-contest.js';
import type {
  StoredContest,
  StoredEntry,
  StoredRanking,
} from '../../application/contests/ports.js';
import type {
  GetContest,
  ListContests,
  ListPublicContests,
} from '../../application/contests/read-contests.js';
import type {
  EntryViewer,
  GetEntry,
  GetOwnEntry,
  ListEntries,
  OpenEntryAttachment,
} from '../../application/contests/read-entries.js';
import type {
  PublishContestResults,
  ReadPublishedResults,
} from '../../application/contests/results.js';
import {
  CONTEST_ATTACHMENT_TOO_LARGE,
  MAX_ATTACHMENT_BYTES,
  MAX_TEXT_LENGTH,
} from '../../domain/contests.js';

export interface ContestUseCases {
  createContest: CreateContest;
  listContests: ListContests;
  listPublicContests: ListPublicContests;
  getContest: GetContest;
  setJudges: SetJudges;
  closeEntries: CloseContestEntries;
  uploadAttachment: UploadAttachment;
  submitEntry: SubmitEntry;
  getOwnEntry: GetOwnEntry;
  listEntries: ListEntries;
  getEntry: GetEntry;
  openEntryAttachment: OpenEntryAttachment;
  assignAllJudges: AssignAllJudges;
  assignEntryJudges: AssignEntryJudges;
  scoreEntry: ScoreContestEntry;
  publishResults: PublishContestResults;
  readResults: ReadPublishedResults;
}

const TAG = 'contests';
const CONTEST_MANAGERS = ['city_admin', 'department_officer', 'org_admin'] as const;
const OVERSEERS = ORGANIZER_ROLES;

const SubjectId = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: '^[^$.\\s]+$',
  description: 'A person’s subject, as in their token.',
});
const DateTime = Type.String({ format: 'date-time' });
const CalendarDate = Type.String({ format: 'date', description: 'YYYY-MM-DD.' });
const CriterionId = Type.String({
  pattern: '^[a-z][a-z0-9_-]{0,39}$',
  description: 'Lower-case letters, digits, - and _; starts with a letter.',
});

/** The allowed file types of an entry: scans and photos of a handwritten letter, or a document. */
const ATTACHMENT_TYPES = DOCUMENT_AND_IMAGE_TYPES;

const Organizer = Type.Union([
  Type.Object(
    { kind: Type.Literal('organization'), id: Uuid },
    { additionalProperties: false, description: 'A learning organization, by id.' },
  ),
  Type.Object(
    {
      kind: Type.Literal('department'),
      id: Type.String({ pattern: '^[a-z][a-z0-9-]{1,63}$', description: 'The department code.' }),
    },
    { additionalProperties: false },
  ),
]);

const PanelJudge = Type.Object(
  {
    judgeId: SubjectId,
    organizations: Type.Array(Uuid, {
      maxItems: 20,
      description: 'Organizations the judge belongs to: their entries are never the judge’s.',
    }),
  },
  { additionalProperties: false },
);
const Panel = Type.Array(PanelJudge, { maxItems: 200 });
const Categories = Type.Array(
  Type.Unsafe<ContentCategory>(Type.String({ enum: [...CONTENT_CATEGORIES] })),
  {
    maxItems: CONTENT_CATEGORIES.length,
    uniqueItems: true,
    description: 'What the contest is about: a placing in it is credited in these categories.',
  },
);

const CreateBody = Type.Object(
  {
    title: Title(200),
    description: Text(4000),
    organizer: Organizer,
    jurisdictionCode: JurisdictionCode,
    entryWindow: Type.Object(
      { opensAt: DateTime, closesAt: DateTime },
      { additionalProperties: false, description: 'Entries from opensAt until (not at) closesAt.' },
    ),
    ageBand: Type.Object(
      {
        min: Type.Integer({ minimum: 0, maximum: 120 }),
        max: Type.Integer({ minimum: 0, maximum: 120 }),
      },
      { additionalProperties: false, description: 'Whole years, both ends included.' },
    ),
    ageReferenceDate: Type.Optional(
      Type.String({
        format: 'date',
        description: 'Ages are counted on it; default: the closing day.',
      }),
    ),
    rubric: Type.Array(
      Type.Object(
        {
          id: CriterionId,
          name: Name(100),
          weight: Type.Integer({ minimum: 1, maximum: 100 }),
          maxPoints: Type.Integer({ minimum: 1, maximum: 1000 }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20, description: 'Most important first: that order breaks ties.' },
    ),
    judgesPerEntry: Type.Integer({ minimum: 1, maximum: 20 }),
    judges: Type.Optional(Panel),
    campaignId: Type.Optional(Uuid),
    categories: Type.Optional(Categories),
  },
  { additionalProperties: false },
);

const Contest = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Type.String(),
  organizer: Type.Object({
    kind: Type.String(),
    id: Type.String(),
    organizationKind: Type.Optional(
      Type.String({ description: 'For an organization: its kind, as registration holds it.' }),
    ),
  }),
  leadDepartment: Type.String({ description: 'Code of the department leading it.' }),
  jurisdictionCode: Type.String(),
  jurisdictionPath: Type.Array(Type.String()),
  entryWindow: Type.Object({ opensAt: DateTime, closesAt: DateTime }),
  ageBand: Type.Object({ min: Type.Integer(), max: Type.Integer() }),
  ageReferenceDate: Type.String(),
  rubric: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      weight: Type.Integer(),
      maxPoints: Type.Integer(),
    }),
  ),
  judgesPerEntry: Type.Integer(),
  judges: Type.Optional(
    Type.Array(Type.Object({ judgeId: Type.String(), organizations: Type.Array(Type.String()) }), {
      description: 'The panel: only for those who manage or oversee the contest.',
    }),
  ),
  campaignId: Type.Union([Type.String(), Type.Null()]),
  categories: Type.Array(Type.String(), { description: 'Empty when it names none.' }),
  status: Type.String({ enum: ['open', 'results_published'] }),
  publishedAt: Type.Union([DateTime, Type.Null()]),
  version: Type.Integer(),
});

const Scorecard = Type.Object({
  judgeId: Type.String(),
  points: Type.Record(Type.String(), Type.Integer()),
  weightedTotal: Type.Integer(),
  scoredAt: DateTime,
});

const Entry = Type.Object({
  id: Type.String(),
  contestId: Type.String(),
  participantId: Type.Optional(Type.String()),
  organizationId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  birthDate: Type.Optional(Type.String()),
  text: Type.String(),
  attachment: Type.Union([AttachmentView, Type.Null()]),
  judges: Type.Optional(Type.Array(Type.String())),
  scorecards: Type.Optional(Type.Array(Scorecard)),
  submittedAt: DateTime,
  version: Type.Integer(),
});

const SubmitBody = Type.Object(
  {
    text: Text(MAX_TEXT_LENGTH + 1000),
    fileRef: Type.Optional(Type.String({ pattern: '^[0-9a-f]{24}$' })),
    birthDate: Type.Optional({
      ...CalendarDate,
      description:
        'YYYY-MM-DD, as the entrant types it: needed only when registration has no birth date ' +
        'from their ID number, and must agree with it when it has one.',
    }),
    organizationId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);

const JudgesBody = Type.Object(
  { version: Type.Integer({ minimum: 1, description: 'The version you read.' }), judges: Panel },
  { additionalProperties: false },
);

const EntryJudgesBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version of the entry you read.' }),
    judgeIds: Type.Array(SubjectId, { minItems: 1, maxItems: 20 }),
  },
  { additionalProperties: false },
);

const ScoreBody = Type.Object(
  {
    points: Type.Record(CriterionId, Type.Integer({ minimum: 0, maximum: 1000 }), {
      description: 'Whole points per criterion id, every criterion of the rubric once.',
    }),
  },
  { additionalProperties: false },
);

const Ranking = Type.Object({
  entryId: Type.String(),
  rank: Type.Integer({ description: 'Tied entries share a rank; the next rank is skipped.' }),
  average: Type.Number({ description: 'Mean weighted total over the entry’s scorecards.' }),
  scorecards: Type.Integer(),
});

const Results = Type.Object({
  contestId: Type.String(),
  title: Type.String(),
  publishedAt: DateTime,
  items: Type.Array(Ranking),
  nextPageToken: Type.Union([Type.String(), Type.Null()]),
});

const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
const EntryParams = Type.Object({ id: Uuid, entryId: Uuid }, { additionalProperties: false });
const PageQuery = Type.Object({ ...pageQueryFields }, { additionalProperties: false });
const PublicQuery = Type.Object(
  {
    stage: Type.Union([Type.Literal('entries_open'), Type.Literal('results_published')], {
      default: 'entries_open',
      description: 'entries_open: taking entries now; results_published: with results to read.',
    }),
    jurisdiction: Type.Optional(
      Type.String({ ...JurisdictionCode, description: 'Only contests in this subtree.' }),
    ),
    ...pageQueryFields,
  },
  { additionalProperties: false },
);

const contestResponse = (contest: StoredContest, withPanel: boolean) => ({
  id: contest.id,
  title: contest.title,
  description: contest.description,
  organizer: { ...contest.organizer },
  leadDepartment: contest.leadDepartment,
  jurisdictionCode: contest.jurisdictionPath.at(-1) ?? '',
  jurisdictionPath: [...contest.jurisdictionPath],
  entryWindow: {
    opensAt: contest.entryWindow.opensAt.toISOString(),
    closesAt: contest.entryWindow.closesAt.toISOString(),
  },
  ageBand: { ...contest.ageBand },
  ageReferenceDate: contest.ageReferenceDate,
  rubric: contest.rubric.map((criterion) => ({ ...criterion })),
  judgesPerEntry: contest.judgesPerEntry,
  ...(withPanel
    ? {
        judges: contest.judges.map((judge) => ({
          judgeId: judge.judgeId,
          organizations: [...judge.organizations],
        })),
      }
    : {}),
  campaignId: contest.campaignId,
  categories: [...contest.categories],
  status: contest.status,
  publishedAt: contest.publishedAt?.toISOString() ?? null,
  version: contest.version,
});

const entryResponse = (entry: StoredEntry, viewer: EntryViewer, subject: string) => ({
  id: entry.id,
  contestId: entry.contestId,
  ...(viewer === 'judge'
    ? {}
    : {
        participantId: entry.participantId,
        organizationId: entry.organizationId,
        birthDate: entry.birthDate,
      }),
  text: entry.text,
  attachment: entry.attachment === null ? null : attachmentView(entry.attachment),
  ...(viewer === 'overseer' ? { judges: [...entry.judges] } : {}),
  ...(viewer === 'entrant'
    ? {}
    : {
        scorecards: entry.scorecards
          .filter((card) => viewer === 'overseer' || card.judgeId === subject)
          .map((card) => ({
            judgeId: card.judgeId,
            points: { ...card.points },
            weightedTotal: card.weightedTotal,
            scoredAt: card.scoredAt.toISOString(),
          })),
      }),
  submittedAt: entry.submittedAt.toISOString(),
  version: entry.version,
});

/** The entry a use case returns for the caller, as `viewer` sees it. */
const entryFor = async (
  request: Parameters<typeof principalOf>[0],
  viewer: EntryViewer,
  run: (principal: Principal) => Promise<StoredEntry>,
) => {
  const principal = principalOf(request);
  return entryResponse(await run(principal), viewer, principal.subject);
};

const rankingResponse = (ranking: StoredRanking) => ({
  entryId: ranking.entryId,
  rank: ranking.rank,
  average: ranking.average,
  scorecards: ranking.scorecards,
});

const CONTEST_NOT_FOUND_NOTE = '404 CONTEST_NOT_FOUND (also when it is outside your reach)';
const ENTRY_NOT_FOUND = '404 CONTEST_ENTRY_NOT_FOUND (also when it is not yours to see)';

export function registerContestRoutes(http: HttpServer, useCases: ContestUseCases): void {
  // '::' is fastify's escape for a literal colon (AIP-136 custom method); the id needs its pattern.
  const action = (name: string) => `/v1/contests/:id(${UUID_PATTERN})::${name}`;

  http.post(
    '/v1/contests',
    {
      config: { roles: [...CONTEST_MANAGERS], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Open a contest',
        description:
          'City admins, department officers for their department, org admins for their ' +
          'organization; needs an Idempotency-Key. Errors: 400 CONTEST_ENTRY_WINDOW_INVALID ' +
          '(closes before it opens), CONTEST_ENTRY_WINDOW_PAST, CONTEST_AGE_BAND_INVALID, ' +
          'CONTEST_RUBRIC_DUPLICATE_CRITERION, JURISDICTION_UNKNOWN, CONTEST_ORGANIZER_UNKNOWN, ' +
          'DEPARTMENT_UNKNOWN (a department registration does not list), ' +
          'CONTEST_CAMPAIGN_UNKNOWN, CONTEST_OUTSIDE_CAMPAIGN_SCOPE (the place is not under the ' +
          'campaign’s area), VALIDATION_FAILED, FORBIDDEN_KEY; 403 CONTEST_ORGANIZER_FORBIDDEN, ' +
          'ROLE_REQUIRED; 409 CONTEST_ORGANIZER_NOT_ACTIVE (rejected or suspended), ' +
          'CONTEST_CAMPAIGN_CLOSED.',
        body: CreateBody,
        response: { 201: Contest },
      },
    },
    async (request, reply) => {
      const { entryWindow, ...body } = request.body;
      const contest = await useCases.createContest(principalOf(request), {
        ...body,
        entryWindow: {
          opensAt: new Date(entryWindow.opensAt),
          closesAt: new Date(entryWindow.closesAt),
        },
      });
      return reply.code(201).send(contestResponse(contest, true));
    },
  );

  http.get(
    '/v1/contests',
    {
      config: { roles: [...OVERSEERS] },
      schema: {
        tags: [TAG],
        summary: 'List contests',
        description:
          'City admins all; area officers those in their areas; department officers and org ' +
          'admins those they organize. In id order. Errors: 400 CURSOR_INVALID; 403 ROLE_REQUIRED.',
        querystring: PageQuery,
        response: { 200: PageOf(Contest) },
      },
    },
    async (request) => {
      const page = await useCases.listContests(principalOf(request), request.query);
      return {
        items: page.items.map((contest) => contestResponse(contest, true)),
        nextPageToken: page.nextPageToken,
      };
    },
  );

  http.get(
    '/v1/public/contests',
    {
      config: { auth: 'none' },
      schema: {
        tags: [TAG],
        summary: 'List the public contests',
        description:
          'Public, no token. The contests taking entries now (stage=entries_open, the default) or ' +
          'those whose results are out (stage=results_published), optionally only in the subtree ' +
          'of ?jurisdiction=; without their panels or entries. In id order. Errors: 400 ' +
          'JURISDICTION_UNKNOWN, CURSOR_INVALID, VALIDATION_FAILED.',
        querystring: PublicQuery,
        response: { 200: PageOf(Contest) },
      },
    },
    async (request) => {
      const { jurisdiction, ...query } = request.query;
      const page = await useCases.listPublicContests({
        ...query,
        ...(jurisdiction === undefined ? {} : { jurisdictionCode: jurisdiction }),
      });
      return {
        items: page.items.map((contest) => contestResponse(contest, false)),
        nextPageToken: page.nextPageToken,
      };
    },
  );

  http.get(
    '/v1/contests/:id',
    {
      schema: {
        tags: [TAG],
        summary: 'Get a contest',
        description:
          'Its managers and the area officers over it see all of it; participants and experts ' +
          `see the call for entries (no panel). Errors: ${CONTEST_NOT_FOUND_NOTE}.`,
        params: IdParams,
        response: { 200: Contest },
      },
    },
    async (request) => {
      const { contest, detail } = await useCases.getContest(
        principalOf(request),
        request.params.id,
      );
      return contestResponse(contest, detail === 'full');
    },
  );

  http.put(
    '/v1/contests/:id/judges',
    {
      config: { roles: [...CONTEST_MANAGERS], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Set the judging panel',
        description:
          'Its managers, until results are published; needs an Idempotency-Key. Each judge is an ' +
          'expert’s subject with the organizations they belong to. Errors: 400 VALIDATION_FAILED; ' +
          `${CONTEST_NOT_FOUND_NOTE}; 409 VERSION_CONFLICT, CONTEST_RESULTS_ALREADY_PUBLISHED.`,
        params: IdParams,
        body: JudgesBody,
        response: { 200: Contest },
      },
    },
    async (request) =>
      contestResponse(
        await useCases.setJudges(principalOf(request), request.params.id, request.body),
        true,
      ),
  );

  http.post(
    action('close-entries'),
    {
      config: { roles: [...CONTEST_MANAGERS], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Close entries now, ahead of the planned closing',
        description:
          `Its managers; needs an Idempotency-Key. Errors: ${CONTEST_NOT_FOUND_NOTE}; 409 ` +
          'CONTEST_ENTRY_WINDOW_NOT_OPEN, CONTEST_ENTRY_WINDOW_CLOSED, ' +
          'CONTEST_RESULTS_ALREADY_PUBLISHED, VERSION_CONFLICT.',
        params: IdParams,
        response: { 200: Contest },
      },
    },
    async (request) =>
      contestResponse(await useCases.closeEntries(principalOf(request), request.params.id), true),
  );

  void http.register(async (plugin) => {
    // A child of `http`: the same server and type provider (a compile-time notion fastify's plugin type drops).
    const scope = plugin as unknown as HttpServer;
    // Only here: the file's bytes are streamed to the store as they arrive, never buffered whole.
    scope.addContentTypeParser([...ATTACHMENT_TYPES], uploadBodyParser);
    scope.post(
      '/v1/contests/:id/attachments',
      {
        config: { roles: ['participant'], idempotency: 'required' },
        // Refused before a byte is read: no point receiving the rest to say no.
        onRequest: async (request) => {
          const declared = contentLengthOf(request.headers['content-length']);
          if (declared !== undefined && declared > MAX_ATTACHMENT_BYTES)
            throw attachmentTooLarge(CONTEST_ATTACHMENT_TOO_LARGE, MAX_ATTACHMENT_BYTES);
        },
        schema: {
          tags: [TAG],
          summary: 'Upload the file of an entry',
          description:
            'Participants, while entries are open; needs an Idempotency-Key. Send the file as the ' +
            `body with its Content-Type (${ATTACHMENT_TYPES.join(', ')}), at most 10 MB; name it ` +
            'in ?fileName=. The same bytes uploaded again give the first reference back. Pass the ' +
            'returned fileRef with the entry. Errors: 400 VALIDATION_FAILED; 403 ROLE_REQUIRED; ' +
            `${CONTEST_NOT_FOUND_NOTE}; 409 CONTEST_ENTRY_WINDOW_NOT_OPEN, CONTEST_ENTRY_WINDOW_CLOSED; 413 ` +
            'CONTEST_ATTACHMENT_TOO_LARGE; 415 UNSUPPORTED_MEDIA_TYPE.',
          params: IdParams,
          querystring: FileNameQuery,
          response: { 201: AttachmentView },
        },
      },
      async (request, reply) => {
        const body: unknown = request.body;
        if (!(body instanceof PendingUpload))
          throw new HttpError(
            415,
            'invalid_argument',
            'UNSUPPORTED_MEDIA_TYPE',
            `Send the file with its own Content-Type: one of ${ATTACHMENT_TYPES.join(', ')}.`,
          );
        const attachment = await useCases.uploadAttachment(
          principalOf(request),
          request.params.id,
          {
            fileName: request.query.fileName,
            contentType: body.contentType,
            content: body.content,
            ...(body.declaredBytes === undefined ? {} : { declaredBytes: body.declaredBytes }),
          },
        );
        return reply.code(201).send(attachmentView(attachment));
      },
    );
  });

  http.post(
    '/v1/contests/:id/entries',
    {
      config: { roles: ['participant'], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Enter a contest',
        description:
          'Participants, once per contest, while entries are open; needs an Idempotency-Key. ' +
          'The age band is checked on the reference day against the birth date of the ' +
          'entrant’s registered ID number; a typed birthDate must agree with it, and is needed ' +
          'only when registration has none. With it, if any, the school or organization (its ' +
          'judges never score the entry). Errors: 400 CONTEST_AGE_OUTSIDE_BAND, ' +
          'CONTEST_BIRTH_DATE_MISMATCH, CONTEST_BIRTH_DATE_REQUIRED, ' +
          'CONTEST_SUBMISSION_EMPTY, CONTEST_TEXT_TOO_LONG, CONTEST_ATTACHMENT_UNKNOWN, ' +
          `VALIDATION_FAILED, FORBIDDEN_KEY; 403 ROLE_REQUIRED; ${CONTEST_NOT_FOUND_NOTE}; 409 ` +
          'CONTEST_ENTRY_ALREADY_EXISTS, CONTEST_ENTRY_WINDOW_NOT_OPEN, CONTEST_ENTRY_WINDOW_CLOSED, ' +
          'CONTEST_RESULTS_ALREADY_PUBLISHED.',
        params: IdParams,
        body: SubmitBody,
        response: { 201: Entry },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await entryFor(request, 'entrant', (principal) =>
            useCases.submitEntry(principal, request.params.id, request.body),
          ),
        ),
  );

  http.get(
    '/v1/contests/:id/entries/mine',
    {
      config: { roles: ['participant'] },
      schema: {
        tags: [TAG],
        summary: 'Get your own entry',
        description: `Participants. Errors: 403 ROLE_REQUIRED; ${ENTRY_NOT_FOUND}.`,
        params: IdParams,
        response: { 200: Entry },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { entry, viewer } = await useCases.getOwnEntry(principal, request.params.id);
      return entryResponse(entry, viewer, principal.subject);
    },
  );

  http.get(
    '/v1/contests/:id/entries',
    {
      config: { roles: [...OVERSEERS, 'expert'] },
      schema: {
        tags: [TAG],
        summary: 'List the entries of a contest',
        description:
          'Its managers and area officers over it: every entry; judges: the entries assigned to ' +
          'them, without who wrote them. In id order. Errors: 400 CURSOR_INVALID; 403 ' +
          `ROLE_REQUIRED; ${ENTRY_NOT_FOUND}; ${CONTEST_NOT_FOUND_NOTE}.`,
        params: IdParams,
        querystring: PageQuery,
        response: { 200: PageOf(Entry) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { page, viewer } = await useCases.listEntries(
        principal,
        request.params.id,
        request.query,
      );
      return {
        items: page.items.map((entry) => entryResponse(entry, viewer, principal.subject)),
        nextPageToken: page.nextPageToken,
      };
    },
  );

  http.get(
    '/v1/contests/:id/entries/:entryId',
    {
      schema: {
        tags: [TAG],
        summary: 'Get an entry',
        description:
          'Its managers and area officers; its judges (without who wrote it); its entrant. ' +
          `Errors: ${ENTRY_NOT_FOUND}.`,
        params: EntryParams,
        response: { 200: Entry },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { entry, viewer } = await useCases.getEntry(
        principal,
        request.params.id,
        request.params.entryId,
      );
      return entryResponse(entry, viewer, principal.subject);
    },
  );

  http.get(
    '/v1/contests/:id/entries/:entryId/attachment',
    {
      schema: {
        tags: [TAG],
        summary: 'Download the file of an entry',
        description:
          'Whoever may read the entry. The body is the file with its Content-Type. Errors: ' +
          `${ENTRY_NOT_FOUND}; 404 CONTEST_ATTACHMENT_NOT_FOUND.`,
        params: EntryParams,
      },
    },
    async (request, reply) => {
      const { attachment, content } = await useCases.openEntryAttachment(
        principalOf(request),
        request.params.id,
        request.params.entryId,
      );
      return reply.headers(downloadHeaders(attachment)).send(content);
    },
  );

  http.post(
    action('assign-judges'),
    {
      config: { roles: [...CONTEST_MANAGERS], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Assign judges to every entry that has none',
        description:
          'Its managers, after entries close; needs an Idempotency-Key. Each entry gets ' +
          'judgesPerEntry judges from the panel, never one of its own organization, the load ' +
          'spread evenly. Errors: ' +
          `${CONTEST_NOT_FOUND_NOTE}; 409 CONTEST_ENTRY_WINDOW_NOT_CLOSED, CONTEST_NOT_ENOUGH_JUDGES, ` +
          'CONTEST_RESULTS_ALREADY_PUBLISHED.',
        params: IdParams,
        response: { 200: Type.Object({ assigned: Type.Integer() }) },
      },
    },
    async (request) => useCases.assignAllJudges(principalOf(request), request.params.id),
  );

  http.put(
    '/v1/contests/:id/entries/:entryId/judges',
    {
      config: { roles: [...CONTEST_MANAGERS], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Set the judges of one entry',
        description:
          'Its managers, after entries close; needs an Idempotency-Key. judgesPerEntry judges ' +
          'from the panel. Errors: 400 CONTEST_JUDGE_NOT_ON_PANEL, ' +
          `CONTEST_JUDGES_PER_ENTRY_INVALID, VALIDATION_FAILED; ${CONTEST_NOT_FOUND_NOTE}; ${ENTRY_NOT_FOUND}; ` +
          '409 CONTEST_JUDGE_CONFLICT (a judge of the entry’s own organization), ' +
          'CONTEST_JUDGE_HAS_SCORED, CONTEST_ENTRY_WINDOW_NOT_CLOSED, VERSION_CONFLICT.',
        params: EntryParams,
        body: EntryJudgesBody,
        response: { 200: Entry },
      },
    },
    async (request) =>
      entryFor(request, 'overseer', (principal) =>
        useCases.assignEntryJudges(
          principal,
          request.params.id,
          request.params.entryId,
          request.body,
        ),
      ),
  );

  http.post(
    '/v1/contests/:id/entries/:entryId/scorecards',
    {
      config: { roles: ['expert'], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Score an entry',
        description:
          'A judge assigned to the entry, once, after entries close; needs an Idempotency-Key. ' +
          'Errors: 400 CONTEST_SCORE_INCOMPLETE, CONTEST_SCORE_UNKNOWN_CRITERION, ' +
          'CONTEST_SCORE_OUT_OF_RANGE, VALIDATION_FAILED; 403 CONTEST_JUDGE_NOT_ASSIGNED, ' +
          `ROLE_REQUIRED; ${ENTRY_NOT_FOUND}; 409 CONTEST_JUDGE_CONFLICT (a judge of the ` +
          'entry’s own organization), CONTEST_DUPLICATE_SCORECARD, CONTEST_ENTRY_WINDOW_NOT_CLOSED, ' +
          'CONTEST_RESULTS_ALREADY_PUBLISHED.',
        params: EntryParams,
        body: ScoreBody,
        response: { 201: Entry },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await entryFor(request, 'judge', (principal) =>
            useCases.scoreEntry(
              principal,
              request.params.id,
              request.params.entryId,
              request.body.points,
            ),
          ),
        ),
  );

  http.post(
    action('publish-results'),
    {
      config: { roles: [...CONTEST_MANAGERS], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Publish the results, once',
        description:
          'Its managers, after entries close and every assigned judge has scored; needs an ' +
          'Idempotency-Key. Ranked by mean weighted total, ties broken by the rubric in order; ' +
          'entries still equal share a rank. Publishes ContestResultsPublished. Errors: ' +
          `${CONTEST_NOT_FOUND_NOTE}; 409 CONTEST_RESULTS_ALREADY_PUBLISHED, CONTEST_SCORING_INCOMPLETE, ` +
          'CONTEST_NO_ENTRIES, CONTEST_ENTRY_WINDOW_NOT_CLOSED, VERSION_CONFLICT.',
        params: IdParams,
        response: { 200: Contest },
      },
    },
    async (request) =>
      contestResponse(await useCases.publishResults(principalOf(request), request.params.id), true),
  );

  http.get(
    '/v1/contests/:id/results',
    {
      config: { auth: 'none' },
      schema: {
        tags: [TAG],
        summary: 'Read the published results',
        description:
          'Public. In rank order. Errors: 400 CURSOR_INVALID; 404 CONTEST_NOT_FOUND, ' +
          'CONTEST_RESULTS_NOT_PUBLISHED.',
        params: IdParams,
        querystring: PageQuery,
        response: { 200: Results },
      },
    },
    async (request) => {
      const { contest, page } = await useCases.readResults(request.params.id, request.query);
      return {
        contestId: contest.id,
        title: contest.title,
        publishedAt: contest.publishedAt?.toISOString() ?? '',
        items: page.items.map(rankingResponse),
        nextPageToken: page.nextPageToken,
      };
    },
  );
}
