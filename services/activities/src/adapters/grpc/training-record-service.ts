/** learning.activities.v1.TrainingRecordService: a person's completions for the services that count them. */
import type { GrpcServer } from '@learning/grpc';
import { isUuid } from '@learning/http';
import { activities } from '@learning/proto';
import { completionsParticipantInvalid } from '../../application/training/records/errors.js';
import type { ReadRecords } from '../../application/training/records/read-records.js';
import { traineeRecordId } from '../../domain/training-hours.js';

/** The contract's page sizes: 0 means 50, at most 200. */
const PAGE_DEFAULT = 50;
const PAGE_MAX = 200;

export function registerTrainingRecordService(grpc: GrpcServer, records: ReadRecords): void {
  grpc.addService(activities.TrainingRecordServiceService, {
    async listCompletions(request) {
      if (!isUuid(request.participantId)) throw completionsParticipantInvalid();
      const page = await records.completionsOf(
        request.participantId,
        // Proto3 has no absent number: 0 stands for every year.
        request.year === 0 ? null : request.year,
        {
          size: Math.min(request.pageSize === 0 ? PAGE_DEFAULT : request.pageSize, PAGE_MAX),
          after: request.pageToken === '' ? null : request.pageToken,
        },
      );
      return {
        completions: page.items.map((certificate) => ({
          completionId: traineeRecordId(
            certificate.programmeId,
            certificate.participantId,
            certificate.year,
          ),
          programmeId: certificate.programmeId,
          programmeTitle: certificate.programmeTitle,
          classId: certificate.classId,
          classTitle: certificate.classTitle,
          year: certificate.year,
          learningMinutes: certificate.minutes,
          certificateCode: certificate.code,
          completedAt: certificate.completedAt,
          leadDepartment: certificate.leadDepartment,
        })),
        nextPageToken: page.nextCursor ?? '',
      };
    },
  });
}
