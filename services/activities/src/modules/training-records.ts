/**
 * Training's hours, completions and certificates (ADR 0018): registration's
 * session check-ins counted into trainee records, the organizer's skills
 * tests, completions with their certificates, the public check of a code,
 * the trainee's own view and a person's completions over gRPC.
 */
import { randomBytes } from 'node:crypto';
import { enrollmentEvents } from '@learning/contracts';
import { consumerGroups, PermanentEventError, subscribe } from '@learning/events';
import { ErasureLog } from '@learning/privacy';
import { registerTrainingRecordService } from '../adapters/grpc/training-record-service.js';
import { registerTrainingRecordRoutes } from '../adapters/http/training-records.js';
import {
  MongoProgrammeReader,
  MongoTrainingClassReader,
  programmeModel,
  traineeModel,
  trainingClassModel,
} from '../adapters/mongo/training-models.js';
import {
  MongoTraineeRecords,
  MongoTrainingCertificates,
  trainingCertificateModel,
} from '../adapters/mongo/training-records.js';
import {
  countAttendance,
  type CountAttendanceDeps,
} from '../application/training/records/count-attendance.js';
import { readRecords } from '../application/training/records/read-records.js';
import { recordSkillsTest } from '../application/training/records/record-skills-test.js';
import type { Module, Platform } from '../platform.js';

function recordDeps(platform: Platform): CountAttendanceDeps {
  const { mongo, audit, clock, participants, config } = platform;
  return {
    trainees: new MongoTraineeRecords(traineeModel(mongo)),
    certificates: new MongoTrainingCertificates(trainingCertificateModel(mongo)),
    programmes: new MongoProgrammeReader(programmeModel(mongo)),
    classes: new MongoTrainingClassReader(trainingClassModel(mongo)),
    participants,
    audit,
    key: Buffer.from(config.VERIFICATION_KEY, 'base64'),
    randomBytes,
    clock,
  };
}

export const trainingRecordsModule: Module = (platform) => {
  const { mongo, http, grpc } = platform;
  platform.publishOutboxOf(traineeModel(mongo));
  const deps = recordDeps(platform);
  const records = readRecords(deps);

  registerTrainingRecordRoutes(http, { records, recordSkillsTest: recordSkillsTest(deps) });
  registerTrainingRecordService(grpc, records);

  const count = countAttendance(deps);
  const erasures = ErasureLog.of(mongo);
  platform.consume(
    consumerGroups.activitiesTrainingAttendance,
    subscribe(enrollmentEvents.SessionCheckedIn, async (event) => {
      const { event: ref, enrollmentId, participantId, sessionId, checkedInAt } = event.data;
      if (ref === undefined) throw new PermanentEventError('a session check-in without its event');
      if (
        enrollmentId === '' ||
        participantId === '' ||
        sessionId === '' ||
        checkedInAt === undefined
      )
        throw new PermanentEventError(
          'a session check-in without its enrollment, person, session or time',
        );
      // A check-in arriving after the person's erasure would name them again: dropped.
      if (await erasures.isErased(participantId)) return;
      // Other owners' check-ins share the topic; the count ignores them.
      await count({
        owner: ref.owner,
        classId: ref.eventId,
        sessionId,
        enrollmentId,
        participantId,
        checkedInAt,
      });
    }),
  );
};
