/**
 * The completion both writers share: when a change brings a record to the
 * programme's requirement, the same conditional write completes it with a
 * new certificate code and TrainingCompleted; afterwards the certificate is
 * kept, from the completed record, idempotently (a redelivery that finds the
 * record completed keeps it again, so a crash between the two writes heals).
 */
import { systemActor, type AuditTrail } from '@learning/audit';
import {
  issueVerificationCode,
  maskPersonName,
  VERIFICATION_CODE_RANDOM_BYTES,
} from '@learning/domain';
import type { OutboxEntry } from '@learning/events';
import { PermanentEventError } from '@learning/events';
import type { Participants } from '../../ports.js';
import {
  chinaMonthOf,
  meetsCompletion,
  TRAINING_CERTIFICATE_CODE_KIND,
} from '../../../domain/training-hours.js';
import type { Programme, TrainingClass } from '../../../domain/training.js';
import type { ProgrammeReader, TrainingClassReader } from '../ports.js';
import { trainingCompleted } from './events.js';
import type { Certificates, Completion, StoredTrainee } from './ports.js';

export interface CompletionDeps {
  readonly certificates: Certificates;
  readonly participants: Participants;
  readonly programmes: ProgrammeReader;
  readonly classes: TrainingClassReader;
  readonly audit: AuditTrail;
  /** The VERIFICATION_KEY's bytes. */
  readonly key: Uint8Array;
  readonly randomBytes: (size: number) => Uint8Array;
  readonly clock: () => Date;
}

/** The completion a record reaching `after` earns now, with its events; null when it earns none. */
export function completionOf(
  deps: Pick<CompletionDeps, 'audit' | 'key' | 'randomBytes' | 'clock'>,
  programme: Programme,
  trainingClass: TrainingClass,
  trainee: StoredTrainee,
  after: { readonly minutes: number; readonly testPassed: boolean | null },
): { completion: Completion; events: OutboxEntry[] } | null {
  if (trainee.completion !== null || !meetsCompletion(after, programme)) return null;
  const completedAt = deps.clock();
  const certificateCode = issueVerificationCode(
    deps.key,
    TRAINING_CERTIFICATE_CODE_KIND,
    trainee.year,
    deps.randomBytes(VERIFICATION_CODE_RANDOM_BYTES),
  );
  const completion: Completion = {
    completedAt,
    completedMonth: chinaMonthOf(completedAt),
    certificateCode,
    classId: trainingClass.id,
  };
  return {
    completion,
    events: [
      trainingCompleted(
        programme,
        trainingClass,
        trainee,
        after.minutes,
        certificateCode,
        completedAt,
      ),
      deps.audit.entry({
        actor: systemActor('training-hours'),
        action: 'training_trainee.complete',
        entityType: 'training_trainee',
        entityId: trainee.id,
        jurisdictionPath: trainee.jurisdictionPath,
        before: { minutes: trainee.minutes, testPassed: trainee.testPassed, completedAt: null },
        after: {
          minutes: after.minutes,
          testPassed: after.testPassed,
          completedAt: completedAt.toISOString(),
          certificateCode,
        },
      }),
    ],
  };
}

/** Keeps the certificate of a completed record unless it is kept already. */
export async function keepCertificate(deps: CompletionDeps, trainee: StoredTrainee): Promise<void> {
  const { completion } = trainee;
  if (completion === null || (await deps.certificates.has(completion.certificateCode))) return;
  const [programme, trainingClass, people] = await Promise.all([
    deps.programmes.get(trainee.programmeId),
    deps.classes.get(completion.classId),
    deps.participants.byIds([trainee.participantId]),
  ]);
  const person = people.get(trainee.participantId);
  if (programme === null || trainingClass === null || person === undefined)
    throw new PermanentEventError(
      'a completed trainee record whose programme, class or person is gone',
    );
  await deps.certificates.ensure({
    code: completion.certificateCode,
    participantId: trainee.participantId,
    programmeId: programme.id,
    programmeTitle: programme.title,
    leadDepartment: programme.leadDepartment,
    classId: trainingClass.id,
    classTitle: trainingClass.title,
    year: trainee.year,
    minutes: trainee.minutes,
    completedAt: completion.completedAt,
    maskedName: maskPersonName(person.name),
  });
}
