/**
 * Reading training records: the trainee's own view, the public check of a
 * certificate code, and a person's completions for the services that count
 * them. A code that does not check against the key is refused before any read.
 */
import type { Principal } from '@learning/auth';
import { checkVerificationCode, type Page } from '@learning/domain';
import { TRAINING_CERTIFICATE_CODE_KIND, missingMinutes } from '../../../domain/training-hours.js';
import { PROGRAMME_YEARS } from '../../../domain/training.js';
import type { Participants } from '../../ports.js';
import type { ProgrammeReader } from '../ports.js';
import {
  certificateCodeInvalid,
  certificateNotFound,
  completionsYearInvalid,
  participantUnknown,
} from './errors.js';
import type { Certificate, Certificates, SkillsTestResult, TraineeRecords } from './ports.js';

export interface ReadRecordsDeps {
  readonly trainees: TraineeRecords;
  readonly certificates: Certificates;
  readonly programmes: ProgrammeReader;
  readonly participants: Participants;
  /** The VERIFICATION_KEY's bytes. */
  readonly key: Uint8Array;
}

/** One programme-year of the signed-in trainee. */
export interface MyTraining {
  readonly programmeId: string;
  readonly programmeTitle: string;
  readonly year: number;
  readonly minutes: number;
  readonly requiredMinutes: number;
  readonly missingMinutes: number;
  readonly skillsTestRequired: boolean;
  readonly skillsTest: Omit<SkillsTestResult, 'recordedBy'> | null;
  readonly completedAt: Date | null;
  readonly certificateCode: string | null;
}

/** Every programme-year of a person: a few per year, so one answer. */
const MY_RECORDS_LIMIT = 200;

/** What the public is told about a code: never a participant id or a full name. */
export type Verification = Omit<Certificate, 'participantId'> & { readonly status: 'valid' };

export function readRecords(deps: ReadRecordsDeps) {
  const { trainees, certificates, programmes, participants, key } = deps;
  return {
    async mine(principal: Principal): Promise<MyTraining[]> {
      const person = (await participants.byAccounts([principal.subject])).get(principal.subject);
      if (person === undefined) throw participantUnknown();
      const records = await trainees.ofParticipant(person.id, MY_RECORDS_LIMIT);
      const titles = new Map(
        await Promise.all(
          [...new Set(records.map((record) => record.programmeId))].map(
            async (id) => [id, await programmes.get(id)] as const,
          ),
        ),
      );
      return records.flatMap((record) => {
        const programme = titles.get(record.programmeId);
        if (programme == null) return [];
        return [
          {
            programmeId: programme.id,
            programmeTitle: programme.title,
            year: record.year,
            minutes: record.minutes,
            requiredMinutes: programme.requiredMinutes,
            missingMinutes: missingMinutes(record, programme),
            skillsTestRequired: programme.skillsTest,
            skillsTest:
              record.skillsTest === null
                ? null
                : {
                    classId: record.skillsTest.classId,
                    passed: record.skillsTest.passed,
                    score: record.skillsTest.score,
                    testedOn: record.skillsTest.testedOn,
                    recordedAt: record.skillsTest.recordedAt,
                  },
            completedAt: record.completion?.completedAt ?? null,
            certificateCode: record.completion?.certificateCode ?? null,
          },
        ];
      });
    },

    async verify(text: string): Promise<Verification> {
      const code = checkVerificationCode(key, TRAINING_CERTIFICATE_CODE_KIND, text);
      if (code === null) throw certificateCodeInvalid();
      const certificate = await certificates.byCode(code);
      if (certificate === null) throw certificateNotFound();
      return {
        code: certificate.code,
        programmeId: certificate.programmeId,
        programmeTitle: certificate.programmeTitle,
        leadDepartment: certificate.leadDepartment,
        classId: certificate.classId,
        classTitle: certificate.classTitle,
        year: certificate.year,
        minutes: certificate.minutes,
        completedAt: certificate.completedAt,
        maskedName: certificate.maskedName,
        status: 'valid',
      };
    },

    /** For services (scoring): a person's completions, newest first; the id is checked by the adapter. */
    async completionsOf(
      participantId: string,
      year: number | null,
      page: { readonly size: number; readonly after: string | null },
    ): Promise<Page<Certificate>> {
      if (year !== null && (year < PROGRAMME_YEARS.min || year > PROGRAMME_YEARS.max))
        throw completionsYearInvalid();
      return certificates.ofParticipant(participantId, year, page);
    },
  };
}

export type ReadRecords = ReturnType<typeof readRecords>;
