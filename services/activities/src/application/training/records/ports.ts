/**
 * What the records part of training keeps: one trainee record per
 * (programme, person, year), written only by conditional updates, and the
 * certificates issued at completions, found by their codes.
 */
import type { OutboxEntry } from '@learning/events';
import type { Page } from '@learning/domain';
import type { TrainingTargetGroup } from '@learning/domain';

export interface SkillsTestResult {
  readonly classId: string;
  readonly passed: boolean;
  /** Out of 100; null for a pass-or-fail test. */
  readonly score: number | null;
  /** `YYYY-MM-DD` in the city's calendar. */
  readonly testedOn: string;
  readonly recordedBy: string;
  readonly recordedAt: Date;
}

export interface Completion {
  readonly completedAt: Date;
  /** `YYYY-MM` in the city's calendar. */
  readonly completedMonth: string;
  readonly certificateCode: string;
  /** The class whose attendance or test completed it. */
  readonly classId: string;
}

export interface StoredTrainee {
  /** `<programmeId>:<participantId>:<year>`. */
  readonly id: string;
  readonly programmeId: string;
  readonly participantId: string;
  readonly year: number;
  readonly townshipCode: string;
  readonly jurisdictionPath: readonly string[];
  readonly targetGroups: readonly TrainingTargetGroup[];
  readonly minutes: number;
  /** `<enrollmentId>:<sessionId>` of every check-in counted. */
  readonly attendanceIds: readonly string[];
  /** The classes whose sessions were counted. */
  readonly classIds: readonly string[];
  readonly firstAttendedAt: Date;
  readonly trainedMonth: string;
  readonly testPassed: boolean | null;
  readonly skillsTest: SkillsTestResult | null;
  readonly completion: Completion | null;
  readonly version: number;
}

/** One change of a record, applied only while it is still at the version it was read at. */
export interface TraineeChange {
  readonly attendance?: { readonly id: string; readonly classId: string; readonly minutes: number };
  readonly skillsTest?: SkillsTestResult;
  readonly completion?: Completion;
}

export interface TraineeRecords {
  get(id: string): Promise<StoredTrainee | null>;
  /** Inserts a first record with its events; false when another writer inserted it first. */
  insert(record: StoredTrainee, events: readonly OutboxEntry[]): Promise<boolean>;
  /**
   * Applies `change` with its events in one write when the record is still at
   * `version` (and has not counted the attendance, and is not completed when
   * the change completes it); false when it moved meanwhile.
   */
  update(
    id: string,
    version: number,
    change: TraineeChange,
    events: readonly OutboxEntry[],
  ): Promise<boolean>;
  /** The person's records, newest year first, at most `limit`. */
  ofParticipant(participantId: string, limit: number): Promise<StoredTrainee[]>;
  /** The records of `participantIds` in the programme that counted a session of the class. */
  ofClass(
    programmeId: string,
    classId: string,
    participantIds: readonly string[],
  ): Promise<StoredTrainee[]>;
}

/** What a certificate says; nothing personal but the masked name. */
export interface Certificate {
  readonly code: string;
  readonly participantId: string;
  readonly programmeId: string;
  readonly programmeTitle: string;
  readonly leadDepartment: string;
  readonly classId: string;
  readonly classTitle: string;
  readonly year: number;
  readonly minutes: number;
  readonly completedAt: Date;
  /** As the portal shows names (张*明). */
  readonly maskedName: string;
}

export interface Certificates {
  /** Keeps the certificate unless one with its code is kept already. */
  ensure(certificate: Certificate): Promise<void>;
  has(code: string): Promise<boolean>;
  byCode(code: string): Promise<Certificate | null>;
  /** The person's certificates, newest first, optionally of one year. */
  ofParticipant(
    participantId: string,
    year: number | null,
    page: { readonly size: number; readonly after: string | null },
  ): Promise<Page<Certificate>>;
}
