/** Training's hours, tests and certificates over HTTP: translate to the use cases and back, deciding nothing. */
import { ORGANIZER_ROLES } from '@learning/auth';
import { PUBLIC_PORTAL_TAG, principalOf, Uuid, type HttpServer } from '@learning/http';
import { Type } from '@sinclair/typebox';
import type {
  MyTraining,
  ReadRecords,
  Verification,
} from '../../application/training/records/read-records.js';
import type { RecordSkillsTest } from '../../application/training/records/record-skills-test.js';
import type { StoredTrainee } from '../../application/training/records/ports.js';

export interface TrainingRecordUseCases {
  readonly records: ReadRecords;
  readonly recordSkillsTest: RecordSkillsTest;
}

const TAG = 'training records';

/** Codes are unguessable (HMAC): the limit only keeps the route from being used as a load test, as scoring's. */
const VERIFY_LIMIT = { points: 60, durationSeconds: 60 };

const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const CalendarDate = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'A day as YYYY-MM-DD in the city calendar.',
});

const SkillsTestParams = Type.Object(
  { id: Uuid, participantId: Uuid },
  { additionalProperties: false },
);
const SkillsTestBody = Type.Object(
  {
    passed: Type.Boolean(),
    score: Type.Optional(
      Nullable(
        Type.Integer({
          minimum: 0,
          maximum: 100,
          description: 'Out of 100; null or absent for pass/fail.',
        }),
      ),
    ),
    testedOn: CalendarDate,
  },
  { additionalProperties: false },
);
const CodeParams = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 64, description: 'TC26-XXXX-…, as printed.' }) },
  { additionalProperties: false },
);

const SkillsTestView = Type.Object({
  classId: Type.String(),
  passed: Type.Boolean(),
  score: Nullable(Type.Integer()),
  testedOn: Type.String(),
  recordedAt: DateTime,
});

const TraineeView = Type.Object({
  programmeId: Type.String(),
  participantId: Type.String(),
  year: Type.Integer(),
  minutes: Type.Integer(),
  sessionsCounted: Type.Integer(),
  skillsTest: Nullable(SkillsTestView),
  completedAt: Nullable(DateTime),
  certificateCode: Nullable(Type.String()),
});

const MyTrainingView = Type.Object({
  programmeId: Type.String(),
  programmeTitle: Type.String(),
  year: Type.Integer(),
  minutes: Type.Integer(),
  requiredMinutes: Type.Integer(),
  missingMinutes: Type.Integer({ description: 'Minutes still needed; 0 once met.' }),
  skillsTestRequired: Type.Boolean(),
  skillsTest: Nullable(SkillsTestView),
  completedAt: Nullable(DateTime),
  certificateCode: Nullable(Type.String()),
});

const VerificationView = Type.Object({
  genuine: Type.Literal(true),
  code: Type.String(),
  status: Type.String({ enum: ['valid'] }),
  programmeTitle: Type.String(),
  classTitle: Type.String(),
  leadDepartment: Type.String(),
  maskedName: Type.String({ description: 'As the portal shows names (张*明).' }),
  year: Type.Integer(),
  minutes: Type.Integer(),
  completedAt: DateTime,
});

const testView = (test: StoredTrainee['skillsTest'] | MyTraining['skillsTest']) =>
  test === null
    ? null
    : {
        classId: test.classId,
        passed: test.passed,
        score: test.score,
        testedOn: test.testedOn,
        recordedAt: test.recordedAt.toISOString(),
      };

const traineeResponse = (trainee: StoredTrainee) => ({
  programmeId: trainee.programmeId,
  participantId: trainee.participantId,
  year: trainee.year,
  minutes: trainee.minutes,
  sessionsCounted: trainee.attendanceIds.length,
  skillsTest: testView(trainee.skillsTest),
  completedAt: trainee.completion?.completedAt.toISOString() ?? null,
  certificateCode: trainee.completion?.certificateCode ?? null,
});

const myResponse = (training: MyTraining) => ({
  ...training,
  skillsTest: testView(training.skillsTest),
  completedAt: training.completedAt?.toISOString() ?? null,
});

const verificationResponse = (verification: Verification) => ({
  genuine: true as const,
  code: verification.code,
  status: verification.status,
  programmeTitle: verification.programmeTitle,
  classTitle: verification.classTitle,
  leadDepartment: verification.leadDepartment,
  maskedName: verification.maskedName,
  year: verification.year,
  minutes: verification.minutes,
  completedAt: verification.completedAt.toISOString(),
});

export function registerTrainingRecordRoutes(
  http: HttpServer,
  useCases: TrainingRecordUseCases,
): void {
  http.put(
    '/v1/training/classes/:id/skills-tests/:participantId',
    {
      config: { roles: [...ORGANIZER_ROLES] },
      schema: {
        tags: [TAG],
        summary: "Record a trainee's skills test",
        description:
          "Who manages the class (its programme's lead department, its organizer). The person " +
          'must have attended at least one of its sessions (a check-in registration accepted for ' +
          'a confirmed enrollment). Recording the same result again changes nothing; a passed ' +
          'test with the hours met completes the programme (TrainingCompleted, a certificate). ' +
          'Hours are never recorded here: only session check-ins add them. Errors: 400 ' +
          'TRAINING_TEST_DATE_INVALID, VALIDATION_FAILED; 403 ROLE_REQUIRED; 404 ' +
          'TRAINING_CLASS_NOT_FOUND (also outside your reach); 409 TRAINING_NO_SKILLS_TEST, ' +
          'TRAINING_NO_ATTENDANCE.',
        params: SkillsTestParams,
        body: SkillsTestBody,
        response: { 200: TraineeView },
      },
    },
    async (request) =>
      traineeResponse(
        await useCases.recordSkillsTest(
          principalOf(request),
          request.params.id,
          request.params.participantId,
          request.body,
        ),
      ),
  );

  http.get(
    '/v1/me/training',
    {
      config: { roles: ['participant'] },
      schema: {
        tags: [TAG],
        summary: 'Your training: minutes against each programme’s requirement, test, completion',
        description:
          'Role participant; newest year first. Errors: 403 ROLE_REQUIRED; 404 ' +
          'TRAINING_PARTICIPANT_UNKNOWN (the account is not a registered participant).',
        response: { 200: Type.Object({ items: Type.Array(MyTrainingView) }) },
      },
    },
    async (request) => ({
      items: (await useCases.records.mine(principalOf(request))).map(myResponse),
    }),
  );

  http.get(
    '/v1/public/training/certificates/:code',
    {
      config: { auth: 'none', rateLimit: VERIFY_LIMIT },
      schema: {
        tags: [PUBLIC_PORTAL_TAG],
        summary: 'Check a training certificate’s verification code',
        description:
          'Public, no token; 60 checks a minute per address. What the certificate says: ' +
          'programme, class, masked name (张*明), minutes, completion date. Never a participant ' +
          'id or a full name. Errors: 400 TRAINING_CERTIFICATE_CODE_INVALID (malformed or ' +
          'altered, refused before any look-up); 404 TRAINING_CERTIFICATE_NOT_FOUND; 429 RATE_LIMITED.',
        params: CodeParams,
        response: { 200: VerificationView },
      },
    },
    async (request) => verificationResponse(await useCases.records.verify(request.params.code)),
  );
}
