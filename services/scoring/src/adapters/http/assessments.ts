/**
 * The annual evaluation's assessments and inspections over HTTP: runs of a
 * year, reads with every indicator's readings and explanation, appeals,
 * locks, corrections. Scores, weights and pass marks travel as decimal
 * strings ("87.25"), as people read them.
 */
import { OFFICER_ROLES } from '@learning/auth';
import { ORGANIZATION_KINDS } from '@learning/domain';
import {
  isJurisdictionCode,
  JurisdictionCode,
  PageOf,
  pageQueryFields,
  principalOf,
  revisionFromIfMatch,
  splitPage,
  Text,
  Uuid,
  type HttpServer,
} from '@learning/http';
import { Type, type Static } from '@sinclair/typebox';
import type { AssessmentDecisions } from '../../application/assessments/decisions.js';
import { revisionInvalid, subjectInvalid } from '../../application/assessments/errors.js';
import type { Inspections } from '../../application/assessments/inspections.js';
import type {
  RunProgress,
  StoredAssessment,
  StoredInspection,
} from '../../application/assessments/ports.js';
import type { ReadAssessments } from '../../application/assessments/reads.js';
import type { AssessmentRuns } from '../../application/assessments/runs.js';
import {
  formatHundredths,
  SUBJECT_KINDS,
  SYSTEM_TARGETS,
  type SubjectKind,
  type SystemTarget,
} from '../../domain/evaluation.js';

export interface AssessmentUseCases {
  readonly runs: AssessmentRuns;
  readonly reads: ReadAssessments;
  readonly decisions: AssessmentDecisions;
  readonly inspections: Inspections;
  /** The city-calendar year now: the default of `year`. */
  readonly currentYear: () => number;
}

const TAG = 'assessments';
const INSPECTIONS_TAG = 'inspections';
/** Who reads assessments: the office, officers (their scope) and organization admins (their own). */
const READERS = [...OFFICER_ROLES, 'org_admin'] as const;
const MAX_PHOTOS = 20;

const Enum = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>(
    Type.String({ enum: [...values], ...(description === undefined ? {} : { description }) }),
  );
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const Year = Type.Integer({ minimum: 2000, maximum: 2100, description: 'A city-calendar year.' });
const Target = Enum<SystemTarget>(
  SYSTEM_TARGETS,
  'An organization kind (its organizations are assessed) or area (townships and streets).',
);
const SubjectKindField = Enum<SubjectKind>(SUBJECT_KINDS);
const SubjectId = Type.Union([Uuid, JurisdictionCode], {
  description: 'An organization’s id (UUID) or an area’s 12-digit jurisdiction code.',
});
const Reason = Text(2000, { minLength: 1 });
const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

const RunBody = Type.Object({ year: Year, target: Target }, { additionalProperties: false });
const ListQuery = Type.Object(
  {
    year: Type.Optional(Year),
    target: Type.Optional(Target),
    jurisdictionCode: Type.Optional(JurisdictionCode),
    passed: Type.Optional(Type.Boolean()),
    ...pageQueryFields,
  },
  { additionalProperties: false },
);
const YearQuery = Type.Object({ year: Type.Optional(Year) }, { additionalProperties: false });
const AppealBody = Type.Object(
  {
    grounds: Text(4000, { minLength: 1 }),
    indicatorKeys: Type.Optional(
      Type.Array(Type.String({ pattern: '^[a-z0-9_-]{1,40}$' }), {
        maxItems: 50,
        description: 'The indicators disputed; none: the whole result.',
      }),
    ),
  },
  { additionalProperties: false },
);
const DecisionBody = Type.Object(
  { outcome: Enum(['upheld', 'rejected'] as const), reason: Reason },
  { additionalProperties: false },
);
const CorrectionBody = Type.Object({ reason: Reason }, { additionalProperties: false });
const InspectionBody = Type.Object(
  {
    subjectKind: SubjectKindField,
    subjectId: SubjectId,
    inspectedOn: Type.String({
      pattern: '^\\d{4}-\\d{2}-\\d{2}$',
      description: 'A city (China) calendar date, YYYY-MM-DD, today or earlier.',
    }),
    findings: Text(4000, { minLength: 1 }),
    rating: Type.Integer({ minimum: 0, maximum: 100, description: 'Whole points, 0–100.' }),
    photos: Type.Optional(
      Type.Array(
        Type.Object(
          {
            fileRef: Type.String({
              pattern: '^(https://|file-store://)[^\\s]{1,500}$',
              description: 'A reference into the city’s file store: https://… or file-store://…',
            }),
            caption: Type.Optional(Text(200)),
          },
          { additionalProperties: false },
        ),
        { maxItems: MAX_PHOTOS },
      ),
    ),
  },
  { additionalProperties: false },
);
const InspectionQuery = Type.Object(
  {
    subjectKind: SubjectKindField,
    subjectId: SubjectId,
    year: Type.Optional(Year),
    ...pageQueryFields,
  },
  { additionalProperties: false },
);

const RunView = Type.Object({
  id: Type.String(),
  year: Type.Integer(),
  target: Type.String(),
  status: Type.String({ enum: ['running', 'succeeded', 'failed'] }),
  subjects: Type.Integer({ description: 'Subjects computed so far.' }),
  changed: Type.Integer({ description: 'Assessments added or whose result changed.' }),
  unchanged: Type.Integer({
    description: 'Computed to the same readings, or held by an appeal or a lock.',
  }),
  startedAt: Type.String({ format: 'date-time' }),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
});
const MethodView = Type.Object({
  kind: Type.String(),
  metric: Type.Optional(Type.String()),
  atLeast: Type.Optional(Type.Number()),
  from: Type.Optional(Type.Number()),
  to: Type.Optional(Type.Number()),
  numerator: Type.Optional(Type.String()),
  denominator: Type.Optional(Type.String()),
});
const IndicatorView = Type.Object({
  key: Type.String(),
  name: Type.String(),
  weight: Type.String({ description: 'Percent, e.g. "25.00".' }),
  method: MethodView,
  readings: Type.Array(
    Type.Object({
      metric: Type.String(),
      value: Type.Number(),
      source: Type.String(),
      detail: Type.Optional(Type.String()),
    }),
  ),
  measured: Nullable(Type.Number()),
  score: Type.String({ description: 'The indicator’s own score, 0–100.' }),
  weighted: Type.String({ description: 'Its share of the total: score × weight.' }),
  explanation: Type.String(),
});
const SummaryFields = {
  id: Type.String(),
  year: Type.Integer(),
  subjectKind: Type.String(),
  subjectId: Type.String(),
  subjectName: Type.String(),
  organizationKind: Nullable(Type.String({ enum: [...ORGANIZATION_KINDS] })),
  jurisdictionPath: Type.Array(Type.String()),
  sequence: Type.Integer(),
  status: Type.String({ enum: ['provisional', 'under_appeal', 'locked'] }),
  score: Type.String({ description: 'The weighted total, 0–100: "87.25".' }),
  passMark: Type.String(),
  passed: Type.Boolean(),
  revision: Type.Integer({ description: 'Also the ETag; send it back to lock what you read.' }),
  stale: Type.Boolean({ description: 'Its data changed; the next recomputation takes it.' }),
  indicatorSystem: Type.Object({ id: Type.String(), version: Type.Integer() }),
  computedAt: Type.String({ format: 'date-time' }),
  lockedAt: Nullable(Type.String({ format: 'date-time' })),
  correctsId: Nullable(Type.String()),
  correctedById: Nullable(Type.String()),
};
const SummaryView = Type.Object(SummaryFields);
const AssessmentView = Type.Object({
  ...SummaryFields,
  indicators: Type.Array(IndicatorView),
  appeal: Nullable(
    Type.Object({
      id: Type.String(),
      filedAt: Type.String({ format: 'date-time' }),
      grounds: Type.String(),
      indicatorKeys: Type.Array(Type.String()),
      decision: Nullable(
        Type.Object({
          outcome: Type.String(),
          reason: Type.String(),
          decidedAt: Type.String({ format: 'date-time' }),
        }),
      ),
    }),
  ),
  correctionReason: Nullable(Type.String()),
});
const LockAllView = Type.Object({
  year: Type.Integer(),
  target: Type.String(),
  locked: Type.Integer(),
  skipped: Type.Integer({ description: 'Under appeal: decide them, then lock them one by one.' }),
});
const InspectionView = Type.Object({
  id: Type.String(),
  year: Type.Integer(),
  subjectKind: Type.String(),
  subjectId: Type.String(),
  inspectedOn: Type.String(),
  findings: Type.String(),
  rating: Type.Integer(),
  photos: Type.Array(Type.Object({ fileRef: Type.String(), caption: Type.String() })),
  createdAt: Type.String({ format: 'date-time' }),
});

const runView = (progress: RunProgress): Static<typeof RunView> => ({
  ...progress,
  startedAt: progress.startedAt.toISOString(),
  finishedAt: progress.finishedAt?.toISOString() ?? null,
});

const summaryView = (assessment: StoredAssessment): Static<typeof SummaryView> => ({
  id: assessment.id,
  year: assessment.year,
  subjectKind: assessment.subject.subjectKind,
  subjectId: assessment.subject.subjectId,
  subjectName: assessment.subject.name,
  organizationKind: assessment.subject.organizationKind,
  jurisdictionPath: [...assessment.subject.jurisdictionPath],
  sequence: assessment.sequence,
  status: assessment.status,
  score: formatHundredths(assessment.score),
  passMark: formatHundredths(assessment.passMark),
  passed: assessment.passed,
  revision: assessment.revision,
  stale: assessment.stale,
  indicatorSystem: { id: assessment.systemId, version: assessment.systemVersion },
  computedAt: assessment.computedAt.toISOString(),
  lockedAt: assessment.lockedAt?.toISOString() ?? null,
  correctsId: assessment.correctsId,
  correctedById: assessment.correctedById,
});

// Who filed, decided or locked is kept for the audit log, not shown: the organization reads this too.
const assessmentView = (assessment: StoredAssessment): Static<typeof AssessmentView> => ({
  ...summaryView(assessment),
  indicators: assessment.indicators.map((indicator) => ({
    key: indicator.key,
    name: indicator.name,
    weight: formatHundredths(indicator.weight),
    method: { ...indicator.method },
    readings: indicator.readings.map((reading) => ({ ...reading })),
    measured: indicator.measured,
    score: formatHundredths(indicator.score),
    weighted: formatHundredths(indicator.weighted),
    explanation: indicator.explanation,
  })),
  appeal:
    assessment.appeal === null
      ? null
      : {
          id: assessment.appeal.id,
          filedAt: assessment.appeal.filedAt.toISOString(),
          grounds: assessment.appeal.grounds,
          indicatorKeys: [...assessment.appeal.indicatorKeys],
          decision:
            assessment.appeal.decision === null
              ? null
              : {
                  outcome: assessment.appeal.decision.outcome,
                  reason: assessment.appeal.decision.reason,
                  decidedAt: assessment.appeal.decision.decidedAt.toISOString(),
                },
        },
  correctionReason: assessment.correctionReason,
});

const inspectionView = (inspection: StoredInspection): Static<typeof InspectionView> => ({
  id: inspection.id,
  year: inspection.year,
  subjectKind: inspection.subjectKind,
  subjectId: inspection.subjectId,
  inspectedOn: inspection.inspectedOn,
  findings: inspection.findings,
  rating: inspection.rating,
  photos: inspection.photos.map(({ fileRef, caption }) => ({ fileRef, caption })),
  createdAt: inspection.createdAt.toISOString(),
});

interface HeaderSetter {
  header(name: string, value: string): unknown;
}
const withETag = (reply: HeaderSetter, assessment: StoredAssessment) => {
  reply.header('etag', `"${String(assessment.revision)}"`);
  return assessmentView(assessment);
};

/** An organization's id or an area's code, matching its kind. */
function checkSubject(kind: SubjectKind, id: string): void {
  if ((kind === 'area') !== isJurisdictionCode(id)) throw subjectInvalid();
}

export function registerAssessmentRoutes(http: HttpServer, useCases: AssessmentUseCases): void {
  const { runs, reads, decisions, inspections, currentYear } = useCases;

  http.post(
    '/v1/assessments/runs',
    {
      config: { roles: ['city_admin'] },
      schema: {
        tags: [TAG],
        summary: 'Compute a year’s assessments of a target',
        description:
          'City admins. Answers 202 at once with the run’s progress (follow it at ' +
          '/v1/assessments/runs/{id}); the target’s subjects are computed page by page against ' +
          'the year’s indicator system. New subjects get their first assessment; provisional ' +
          'ones change only when their readings did; those under appeal or locked are left. ' +
          'While a run of the year and target goes on (on any replica), asking again returns it. ' +
          'Errors: 400 VALIDATION_FAILED; 403 ROLE_REQUIRED; 409 ASSESSMENT_SYSTEM_MISSING.',
        body: RunBody,
        response: { 202: RunView },
      },
    },
    async (request, reply) =>
      reply.code(202).send(runView(await runs.start(request.body.year, request.body.target))),
  );

  http.get(
    '/v1/assessments/runs/:id',
    {
      config: { roles: ['city_admin'] },
      schema: {
        tags: [TAG],
        summary: 'A run’s progress',
        description:
          'City admins. Kept a day after the run ends. Errors: 400 VALIDATION_FAILED; 403 ' +
          'ROLE_REQUIRED; 404 ASSESSMENT_RUN_NOT_FOUND.',
        params: IdParams,
        response: { 200: RunView },
      },
    },
    async (request) => runView(await runs.progress(request.params.id)),
  );

  http.get(
    '/v1/assessments',
    {
      config: { roles: [...READERS] },
      schema: {
        tags: [TAG],
        summary: 'The year’s current assessments, best score first',
        description:
          'The office sees all; area officers those in their area; department officers the ' +
          'organizations of the kinds their department leads; organization admins their own. ' +
          'Current ones only (a correction replaces what it corrects). year defaults to the ' +
          'current one. Errors: 400 CURSOR_INVALID, VALIDATION_FAILED; 403 ROLE_REQUIRED.',
        querystring: ListQuery,
        response: { 200: PageOf(SummaryView) },
      },
    },
    async (request) => {
      const { filters, page } = splitPage(request.query);
      const found = await reads.list(principalOf(request), {
        year: filters.year ?? currentYear(),
        ...(filters.target === undefined ? {} : { target: filters.target }),
        ...(filters.jurisdictionCode === undefined
          ? {}
          : { jurisdictionCode: filters.jurisdictionCode }),
        ...(filters.passed === undefined ? {} : { passed: filters.passed }),
        ...page,
      });
      return { items: found.items.map(summaryView), nextPageToken: found.nextPageToken };
    },
  );

  http.get(
    '/v1/assessments/:id',
    {
      config: { roles: [...READERS] },
      schema: {
        tags: [TAG],
        summary: 'An assessment with every indicator’s readings, score and explanation',
        description:
          'Whoever may read its subject (as for the list). The ETag is its revision. Errors: 400 ' +
          'VALIDATION_FAILED; 403 ROLE_REQUIRED; 404 ASSESSMENT_NOT_FOUND (also when you may not ' +
          'see it).',
        params: IdParams,
        response: { 200: AssessmentView },
      },
    },
    async (request, reply) =>
      withETag(reply, await reads.get(principalOf(request), request.params.id)),
  );

  http.get(
    '/v1/organizations/:id/assessments',
    {
      config: { roles: [...READERS] },
      schema: {
        tags: [TAG],
        summary: 'An organization’s assessments of a year, corrections included, oldest first',
        description:
          'Its own admins and the officers over it; anyone else gets an empty list. Errors: 400 ' +
          'VALIDATION_FAILED; 403 ROLE_REQUIRED.',
        params: IdParams,
        querystring: YearQuery,
        response: { 200: Type.Object({ items: Type.Array(AssessmentView) }) },
      },
    },
    async (request) => ({
      items: (
        await reads.ofOrganization(
          principalOf(request),
          request.params.id,
          request.query.year ?? currentYear(),
        )
      ).map(assessmentView),
    }),
  );

  http.post(
    '/v1/assessments/:id/recomputation',
    {
      config: { roles: ['city_admin'] },
      schema: {
        tags: [TAG],
        summary: 'Recompute one assessment now',
        description:
          'City admins. An unchanged result writes nothing (same revision). Errors: 400 ' +
          'VALIDATION_FAILED; 403 ROLE_REQUIRED; 404 ASSESSMENT_NOT_FOUND; 409 ' +
          'ASSESSMENT_LOCKED, ASSESSMENT_UNDER_APPEAL, ASSESSMENT_SYSTEM_MISSING.',
        params: IdParams,
        response: { 200: AssessmentView },
      },
    },
    async (request, reply) => withETag(reply, await decisions.recompute(request.params.id)),
  );

  http.post(
    '/v1/assessments/:id/appeal',
    {
      config: { roles: ['org_admin'], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Appeal a provisional assessment of your organization',
        description:
          'The organization’s admins; needs an Idempotency-Key. The assessment is held ' +
          '(under_appeal, not recomputed) until the office decides. Errors: 400 ' +
          'APPEAL_INDICATOR_UNKNOWN, VALIDATION_FAILED; 403 ROLE_REQUIRED, APPEAL_NOT_ALLOWED; ' +
          '404 ASSESSMENT_NOT_FOUND; 409 ASSESSMENT_LOCKED, APPEAL_ALREADY_OPEN.',
        params: IdParams,
        body: AppealBody,
        response: { 200: AssessmentView },
      },
    },
    async (request, reply) =>
      withETag(
        reply,
        await decisions.appeal(principalOf(request), request.params.id, {
          grounds: request.body.grounds,
          indicatorKeys: request.body.indicatorKeys ?? [],
        }),
      ),
  );

  http.post(
    '/v1/assessments/:id/appeal/decision',
    {
      config: { roles: ['city_admin'], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Decide an appeal',
        description:
          'City admins; needs an Idempotency-Key. Either way the assessment is provisional again; ' +
          'upheld: it is recomputed at once with the data the decision cites (an inspection ' +
          'entered before). Errors: 400 VALIDATION_FAILED; 403 ROLE_REQUIRED; 404 ' +
          'ASSESSMENT_NOT_FOUND; 409 APPEAL_NOT_OPEN, ASSESSMENT_SYSTEM_MISSING.',
        params: IdParams,
        body: DecisionBody,
        response: { 200: AssessmentView },
      },
    },
    async (request, reply) =>
      withETag(
        reply,
        await decisions.decideAppeal(principalOf(request), request.params.id, request.body),
      ),
  );

  http.post(
    '/v1/assessments/:id/lock',
    {
      config: { roles: ['city_admin'] },
      schema: {
        tags: [TAG],
        summary: 'Lock an assessment: its result becomes final',
        description:
          'City admins. If-Match ("<revision>", the ETag read) locks it only at that revision; ' +
          'absent: at the current one. Its ' +
          'indicator system is frozen. Errors: 400 ASSESSMENT_REVISION_INVALID, ' +
          'VALIDATION_FAILED; 403 ROLE_REQUIRED; 404 ASSESSMENT_NOT_FOUND; 409 ASSESSMENT_LOCKED, ' +
          'ASSESSMENT_UNDER_APPEAL, ASSESSMENT_REVISION_CONFLICT.',
        params: IdParams,
        response: { 200: AssessmentView },
      },
    },
    async (request, reply) => {
      const revision = revisionFromIfMatch(request.headers['if-match'], {
        refuse: revisionInvalid,
      });
      return withETag(
        reply,
        await decisions.lock(principalOf(request), request.params.id, revision),
      );
    },
  );

  http.post(
    '/v1/assessments/locks',
    {
      config: { roles: ['city_admin'] },
      schema: {
        tags: [TAG],
        summary: 'Lock every provisional assessment of a year’s target',
        description:
          'City admins. Assessments under appeal are skipped and counted; locking again locks ' +
          'what became provisional since. Errors: 400 VALIDATION_FAILED; 403 ROLE_REQUIRED; 409 ' +
          'ASSESSMENT_SYSTEM_MISSING.',
        body: RunBody,
        response: { 200: LockAllView },
      },
    },
    async (request) => {
      const { year, target } = request.body;
      return { year, target, ...(await decisions.lockAll(principalOf(request), year, target)) };
    },
  );

  http.post(
    '/v1/assessments/:id/corrections',
    {
      config: { roles: ['city_admin'], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Correct a locked assessment',
        description:
          'City admins; needs an Idempotency-Key. A new provisional assessment (next sequence, ' +
          'correctsId) is computed now and becomes the current one; the locked one keeps its ' +
          'result and names it (correctedById). Errors: 400 VALIDATION_FAILED; 403 ' +
          'ROLE_REQUIRED; 404 ASSESSMENT_NOT_FOUND; 409 ASSESSMENT_NOT_LOCKED, ' +
          'ASSESSMENT_ALREADY_CORRECTED, ASSESSMENT_SYSTEM_MISSING.',
        params: IdParams,
        body: CorrectionBody,
        response: { 201: AssessmentView },
      },
    },
    async (request, reply) => {
      const correction = await decisions.correct(
        principalOf(request),
        request.params.id,
        request.body.reason,
      );
      return reply.code(201).send(withETag(reply, correction));
    },
  );

  http.post(
    '/v1/inspections',
    {
      config: { roles: [...OFFICER_ROLES], idempotency: 'required' },
      schema: {
        tags: [INSPECTIONS_TAG],
        summary: 'Enter an inspection of an organization or an area',
        description:
          'The office, or an officer over the subject (its area, or its kind’s department); needs ' +
          'an Idempotency-Key. Its year is the date’s; the subject’s current provisional ' +
          'assessment of that year is recomputed on the next tick. Photos are file-store ' +
          `references (at most ${String(MAX_PHOTOS)}). Errors: 400 ASSESSMENT_SUBJECT_INVALID, ` +
          'INSPECTION_DATE_INVALID, CALENDAR_DATE_INVALID, VALIDATION_FAILED; 403 ROLE_REQUIRED, ' +
          'INSPECTION_OUT_OF_SCOPE; 404 INSPECTION_SUBJECT_NOT_FOUND.',
        body: InspectionBody,
        response: { 201: InspectionView },
      },
    },
    async (request, reply) => {
      const body = request.body;
      checkSubject(body.subjectKind, body.subjectId);
      const inspection = await inspections.record(principalOf(request), {
        subjectKind: body.subjectKind,
        subjectId: body.subjectId,
        inspectedOn: body.inspectedOn,
        findings: body.findings,
        rating: body.rating,
        photos: (body.photos ?? []).map((photo) => ({
          fileRef: photo.fileRef,
          caption: photo.caption ?? '',
        })),
      });
      return reply.code(201).send(inspectionView(inspection));
    },
  );

  http.get(
    '/v1/inspections',
    {
      config: { roles: [...READERS] },
      schema: {
        tags: [INSPECTIONS_TAG],
        summary: 'A subject’s inspections of a year, latest visit first',
        description:
          'Whoever may read the subject’s assessments. Errors: 400 ASSESSMENT_SUBJECT_INVALID, ' +
          'CURSOR_INVALID, VALIDATION_FAILED; 403 ROLE_REQUIRED; 404 INSPECTION_SUBJECT_NOT_FOUND.',
        querystring: InspectionQuery,
        response: { 200: PageOf(InspectionView) },
      },
    },
    async (request) => {
      const { filters, page } = splitPage(request.query);
      checkSubject(filters.subjectKind, filters.subjectId);
      const found = await inspections.list(
        principalOf(request),
        filters.subjectKind,
        filters.subjectId,
        filters.year ?? currentYear(),
        page,
      );
      return { items: found.items.map(inspectionView), nextPageToken: found.nextPageToken };
    },
  );
}
