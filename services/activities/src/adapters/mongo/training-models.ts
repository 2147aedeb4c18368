/**
 * The training slice's collections, shared by its three parts: programmes
 * (with their quotas embedded), classes (with their sessions embedded), and
 * one trainee record per (programme, person, year), which the hours part
 * writes and the progress report aggregates. Each part keeps its own
 * repository beside these models; the outbox rides on the document that
 * changes.
 */
import { outboxPlugin, type WithOutbox } from '@learning/events';
import { scopedFields, type ScopedDocument } from '@learning/mongo';
import { CONTENT_CATEGORIES, TRAINING_TARGET_GROUPS, type ContentCategory } from '@learning/domain';
import { Schema, type Connection, type Model } from 'mongoose';
import type {
  ClassOrganizer,
  ClassSession,
  ClassStatus,
  Programme,
  ProgrammeStatus,
  TownshipQuota,
  Trainer,
  TrainingClass,
} from '../../domain/training.js';
import type { ProgrammeReader, TrainingClassReader } from '../../application/training/ports.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };

export interface ProgrammeDocument
  extends Omit<Mutable<Programme>, 'id' | 'quotas'>, ScopedDocument, WithOutbox {
  /** UUID v4. */
  _id: string;
  quotas: TownshipQuota[];
  createdBy: string;
  updatedAt: Date;
}

export interface ClassDocument
  extends
    Omit<Mutable<TrainingClass>, 'id' | 'sessions' | 'trainers' | 'organizer'>,
    ScopedDocument,
    WithOutbox {
  /** UUID v4. */
  _id: string;
  organizer: ClassOrganizer;
  sessions: ClassSession[];
  trainers: Trainer[];
  /** The programme's lead department, copied for routing and for the department's list. */
  leadDepartment: string;
  /** The programme's content categories, copied for the public list's filter and for seating. */
  categories: ContentCategory[];
  /** The first session's start and the last one's end, kept beside the sessions for lists. */
  startsAt: Date;
  endsAt: Date;
  createdBy: string;
  updatedAt: Date;
  cancelledAt: Date | null;
  cancellationReason: string | null;
}

export interface TraineeDocument extends WithOutbox {
  /** `<programmeId>:<participantId>:<year>`. */
  _id: string;
  programmeId: string;
  participantId: string;
  year: number;
  townshipCode: string;
  jurisdictionPath: string[];
  targetGroups: string[];
  minutes: number;
  /** The (enrollment, session) attendances counted, `<enrollmentId>:<sessionId>`: each counts once. */
  attendanceIds: string[];
  /** The classes whose sessions were counted: a skills test needs one, the roster finds its people by it. */
  classIds: string[];
  firstAttendedAt: Date;
  /** The calendar month of the first attendance, `YYYY-MM` in the city's time: the report's month. */
  trainedMonth: string;
  testPassed: boolean | null;
  /** The latest skills test result recorded for the person in the programme's year. */
  skillsTest: TraineeSkillsTest | null;
  completedAt: Date | null;
  /** The class whose attendance or test completed the record. */
  completedClassId: string | null;
  completedMonth: string | null;
  certificateCode: string | null;
  version: number;
}

export interface TraineeSkillsTest {
  classId: string;
  passed: boolean;
  score: number | null;
  /** `YYYY-MM-DD`, the city's calendar. */
  testedOn: string;
  recordedBy: string;
  recordedAt: Date;
}

const skillsTestSchema = new Schema<TraineeSkillsTest>(
  {
    classId: { type: String, required: true },
    passed: { type: Boolean, required: true },
    score: { type: Number, default: null },
    testedOn: { type: String, required: true },
    recordedBy: { type: String, required: true },
    recordedAt: { type: Date, required: true },
  },
  { _id: false, strict: 'throw' },
);

const quotaSchema = new Schema<TownshipQuota>(
  {
    year: { type: Number, required: true },
    jurisdictionCode: { type: String, required: true },
    people: { type: Number, required: true, min: 0 },
  },
  { _id: false, strict: 'throw' },
);

const programmeSchema = new Schema<ProgrammeDocument>(
  {
    _id: { type: String, required: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    leadDepartment: { type: String, required: true, index: true },
    jurisdictionPath: scopedFields.jurisdictionPath,
    firstYear: { type: Number, required: true },
    lastYear: { type: Number, required: true },
    targetGroups: { type: [String], enum: TRAINING_TARGET_GROUPS, required: true },
    categories: { type: [String], enum: CONTENT_CATEGORIES, required: true },
    requiredMinutes: { type: Number, required: true, min: 1 },
    skillsTest: { type: Boolean, required: true },
    quotas: { type: [quotaSchema], default: [] },
    status: {
      type: String,
      required: true,
      enum: ['draft', 'launched', 'closed'] satisfies ProgrammeStatus[],
    },
    enterpriseId: { type: String, default: null, index: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    launchedAt: { type: Date, default: null },
    version: scopedFields.version,
  },
  { collection: 'training_programmes', versionKey: false, strict: 'throw', minimize: false },
);
programmeSchema.plugin(outboxPlugin);

const organizerSchema = new Schema<ClassOrganizer>(
  {
    kind: { type: String, required: true, enum: ['department', 'organization'] },
    departmentCode: { type: String },
    organizationId: { type: String },
    organizationKind: { type: String },
  },
  { _id: false, strict: 'throw' },
);

const sessionSchema = new Schema<ClassSession>(
  {
    id: { type: String, required: true },
    start: { type: Date, required: true },
    end: { type: Date, required: true },
    topic: { type: String, default: '' },
  },
  { _id: false, strict: 'throw' },
);

const trainerSchema = new Schema<Trainer>(
  {
    expertId: { type: String, default: null },
    name: { type: String, required: true },
  },
  { _id: false, strict: 'throw' },
);

const classSchema = new Schema<ClassDocument>(
  {
    _id: { type: String, required: true },
    programmeId: { type: String, required: true, index: true },
    leadDepartment: { type: String, required: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    organizer: { type: organizerSchema, required: true },
    jurisdictionPath: scopedFields.jurisdictionPath,
    venueName: { type: String, default: '' },
    address: { type: String, default: '' },
    sessions: { type: [sessionSchema], required: true },
    categories: { type: [String], enum: CONTENT_CATEGORIES, default: [] },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    capacity: { type: Number, default: null, min: 1 },
    targetGroups: { type: [String], enum: TRAINING_TARGET_GROUPS, required: true },
    trainers: { type: [trainerSchema], default: [] },
    public: { type: Boolean, required: true },
    status: {
      type: String,
      required: true,
      enum: ['draft', 'published', 'under_way', 'completed', 'cancelled'] satisfies ClassStatus[],
    },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    publishedAt: { type: Date, default: null },
    cancelledAt: { type: Date, default: null },
    cancellationReason: { type: String, default: null },
    version: scopedFields.version,
  },
  { collection: 'training_classes', versionKey: false, strict: 'throw', minimize: false },
);
classSchema.plugin(outboxPlugin);
// The public list of open classes: published, by start.
classSchema.index({ status: 1, public: 1, startsAt: 1 });
// A programme's classes, and an organizer's, newest first.
classSchema.index({ programmeId: 1, createdAt: -1 });
classSchema.index({ 'organizer.organizationId': 1, createdAt: -1 });

const traineeSchema = new Schema<TraineeDocument>(
  {
    _id: { type: String, required: true },
    programmeId: { type: String, required: true },
    participantId: { type: String, required: true, index: true },
    year: { type: Number, required: true },
    townshipCode: { type: String, required: true },
    jurisdictionPath: { type: [String], required: true },
    targetGroups: { type: [String], enum: TRAINING_TARGET_GROUPS, default: [] },
    minutes: { type: Number, required: true, min: 0 },
    attendanceIds: { type: [String], default: [] },
    classIds: { type: [String], default: [] },
    firstAttendedAt: { type: Date, required: true },
    trainedMonth: { type: String, required: true },
    testPassed: { type: Boolean, default: null },
    skillsTest: { type: skillsTestSchema, default: null },
    completedAt: { type: Date, default: null },
    completedClassId: { type: String, default: null },
    completedMonth: { type: String, default: null },
    certificateCode: { type: String, default: null },
    version: { type: Number, required: true, min: 1 },
  },
  { collection: 'training_trainees', versionKey: false, strict: 'throw', minimize: false },
);
traineeSchema.plugin(outboxPlugin);
// The progress report: a programme's year by township, month and group.
traineeSchema.index({ programmeId: 1, year: 1, townshipCode: 1 });
// A class's roster progress: the records that counted its sessions.
traineeSchema.index({ programmeId: 1, classIds: 1, participantId: 1 });

export const programmeModel = (connection: Connection): Model<ProgrammeDocument> =>
  connection.model<ProgrammeDocument>('TrainingProgramme', programmeSchema);

export const trainingClassModel = (connection: Connection): Model<ClassDocument> =>
  connection.model<ClassDocument>('TrainingClass', classSchema);

export const traineeModel = (connection: Connection): Model<TraineeDocument> =>
  connection.model<TraineeDocument>('TrainingTrainee', traineeSchema);

export const programmeOf = (doc: ProgrammeDocument): Programme => ({
  id: doc._id,
  title: doc.title,
  description: doc.description,
  leadDepartment: doc.leadDepartment,
  jurisdictionPath: [...doc.jurisdictionPath],
  firstYear: doc.firstYear,
  lastYear: doc.lastYear,
  targetGroups: [...doc.targetGroups],
  categories: [...doc.categories],
  requiredMinutes: doc.requiredMinutes,
  skillsTest: doc.skillsTest,
  quotas: doc.quotas.map((quota) => ({ ...quota })),
  status: doc.status,
  enterpriseId: doc.enterpriseId,
  version: doc.version,
  createdAt: doc.createdAt,
  launchedAt: doc.launchedAt,
});

export const trainingClassOf = (doc: ClassDocument): TrainingClass => ({
  id: doc._id,
  programmeId: doc.programmeId,
  title: doc.title,
  description: doc.description,
  organizer:
    doc.organizer.kind === 'department'
      ? { kind: 'department', departmentCode: doc.organizer.departmentCode }
      : {
          kind: 'organization',
          organizationId: doc.organizer.organizationId,
          organizationKind: doc.organizer.organizationKind,
        },
  jurisdictionPath: [...doc.jurisdictionPath],
  venueName: doc.venueName,
  address: doc.address,
  sessions: doc.sessions.map((session) => ({ ...session })),
  capacity: doc.capacity,
  targetGroups: [...doc.targetGroups],
  trainers: doc.trainers.map((trainer) => ({ ...trainer })),
  public: doc.public,
  status: doc.status,
  version: doc.version,
  createdAt: doc.createdAt,
  publishedAt: doc.publishedAt,
});

export class MongoProgrammeReader implements ProgrammeReader {
  constructor(private readonly model: Model<ProgrammeDocument>) {}

  async get(id: string): Promise<Programme | null> {
    const doc = await this.model.findById(id, { outbox: 0 }).lean<ProgrammeDocument>();
    return doc === null ? null : programmeOf(doc);
  }
}

export class MongoTrainingClassReader implements TrainingClassReader {
  constructor(private readonly model: Model<ClassDocument>) {}

  async get(id: string): Promise<TrainingClass | null> {
    const doc = await this.model.findById(id, { outbox: 0 }).lean<ClassDocument>();
    return doc === null ? null : trainingClassOf(doc);
  }
}
