/**
 * Trainee records' writes and the certificates collection. Every write of a
 * record is conditional on the version it was read at, so two replicas
 * counting check-ins of one person at once never both win: the loser reads
 * again and finds its attendance counted or the minutes moved.
 */
import { insertWithEvents, updateWithEvents, type OutboxEntry } from '@learning/events';
import { isDuplicateKey, keysetPage } from '@learning/mongo';
import type { Page } from '@learning/domain';
import { Schema, type Connection, type Model, type UpdateQuery } from 'mongoose';
import type {
  Certificate,
  Certificates,
  StoredTrainee,
  TraineeChange,
  TraineeRecords,
} from '../../application/training/records/ports.js';
import type { TraineeDocument } from './training-models.js';

const traineeOf = (doc: TraineeDocument): StoredTrainee => ({
  id: doc._id,
  programmeId: doc.programmeId,
  participantId: doc.participantId,
  year: doc.year,
  townshipCode: doc.townshipCode,
  jurisdictionPath: [...doc.jurisdictionPath],
  targetGroups: [...doc.targetGroups] as StoredTrainee['targetGroups'],
  minutes: doc.minutes,
  attendanceIds: [...doc.attendanceIds],
  classIds: [...doc.classIds],
  firstAttendedAt: doc.firstAttendedAt,
  trainedMonth: doc.trainedMonth,
  testPassed: doc.testPassed,
  skillsTest: doc.skillsTest ?? null,
  completion:
    doc.completedAt === null || doc.certificateCode === null
      ? null
      : {
          completedAt: doc.completedAt,
          completedMonth: doc.completedMonth ?? '',
          certificateCode: doc.certificateCode,
          classId: doc.completedClassId ?? '',
        },
  version: doc.version,
});

const completionFields = (change: TraineeChange) =>
  change.completion === undefined
    ? {}
    : {
        completedAt: change.completion.completedAt,
        completedMonth: change.completion.completedMonth,
        certificateCode: change.completion.certificateCode,
        completedClassId: change.completion.classId,
      };

export class MongoTraineeRecords implements TraineeRecords {
  constructor(private readonly model: Model<TraineeDocument>) {}

  async get(id: string): Promise<StoredTrainee | null> {
    const doc = await this.model.findById(id, { outbox: 0 }).lean<TraineeDocument>();
    return doc === null ? null : traineeOf(doc);
  }

  async insert(record: StoredTrainee, events: readonly OutboxEntry[]): Promise<boolean> {
    try {
      await this.model.create({
        _id: record.id,
        programmeId: record.programmeId,
        participantId: record.participantId,
        year: record.year,
        townshipCode: record.townshipCode,
        jurisdictionPath: [...record.jurisdictionPath],
        targetGroups: [...record.targetGroups],
        minutes: record.minutes,
        attendanceIds: [...record.attendanceIds],
        classIds: [...record.classIds],
        firstAttendedAt: record.firstAttendedAt,
        trainedMonth: record.trainedMonth,
        testPassed: record.testPassed,
        skillsTest: record.skillsTest,
        completedAt: record.completion?.completedAt ?? null,
        completedMonth: record.completion?.completedMonth ?? null,
        certificateCode: record.completion?.certificateCode ?? null,
        completedClassId: record.completion?.classId ?? null,
        version: record.version,
        ...insertWithEvents(events),
      });
      return true;
    } catch (error) {
      // Another replica's first check-in of the same person, programme and year won the insert.
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async update(
    id: string,
    version: number,
    change: TraineeChange,
    events: readonly OutboxEntry[],
  ): Promise<boolean> {
    const { attendance, skillsTest, completion } = change;
    const filter: Record<string, unknown> = { _id: id, version };
    if (attendance !== undefined) filter['attendanceIds'] = { $ne: attendance.id };
    if (completion !== undefined) filter['completedAt'] = null;
    const update: UpdateQuery<TraineeDocument> = {
      $inc: { version: 1, ...(attendance === undefined ? {} : { minutes: attendance.minutes }) },
      $set: {
        ...completionFields(change),
        ...(skillsTest === undefined ? {} : { skillsTest, testPassed: skillsTest.passed }),
      },
      ...(attendance === undefined
        ? {}
        : {
            $push: { attendanceIds: attendance.id },
            $addToSet: { classIds: attendance.classId },
          }),
    };
    const result = await this.model.updateOne(filter, updateWithEvents(update, events));
    return result.modifiedCount === 1;
  }

  async ofParticipant(participantId: string, limit: number): Promise<StoredTrainee[]> {
    const docs = await this.model
      .find({ participantId }, { outbox: 0, attendanceIds: 0 })
      .sort({ year: -1, _id: 1 })
      .limit(limit)
      .lean<TraineeDocument[]>();
    return docs.map((doc) => traineeOf({ ...doc, attendanceIds: [] }));
  }

  async ofClass(
    programmeId: string,
    classId: string,
    participantIds: readonly string[],
  ): Promise<StoredTrainee[]> {
    if (participantIds.length === 0) return [];
    const docs = await this.model
      .find(
        { programmeId, classIds: classId, participantId: { $in: [...participantIds] } },
        { outbox: 0 },
      )
      .sort({ year: -1 })
      .lean<TraineeDocument[]>();
    return docs.map(traineeOf);
  }
}

interface CertificateDocument extends Omit<Certificate, 'code'> {
  /** The code in its written form. */
  _id: string;
}

const certificateSchema = new Schema<CertificateDocument>(
  {
    _id: { type: String, required: true },
    participantId: { type: String, required: true },
    programmeId: { type: String, required: true },
    programmeTitle: { type: String, required: true },
    leadDepartment: { type: String, required: true },
    classId: { type: String, required: true },
    classTitle: { type: String, required: true },
    year: { type: Number, required: true },
    minutes: { type: Number, required: true },
    completedAt: { type: Date, required: true },
    maskedName: { type: String, required: true },
  },
  { collection: 'training_certificates', versionKey: false, strict: 'throw' },
);
// A person's completions, newest first (TrainingRecordService.ListCompletions).
certificateSchema.index({ participantId: 1, completedAt: -1, _id: -1 });

export const trainingCertificateModel = (connection: Connection): Model<CertificateDocument> =>
  connection.model<CertificateDocument>('TrainingCertificate', certificateSchema);

const certificateOf = ({ _id, ...rest }: CertificateDocument): Certificate => ({
  code: _id,
  participantId: rest.participantId,
  programmeId: rest.programmeId,
  programmeTitle: rest.programmeTitle,
  leadDepartment: rest.leadDepartment,
  classId: rest.classId,
  classTitle: rest.classTitle,
  year: rest.year,
  minutes: rest.minutes,
  completedAt: rest.completedAt,
  maskedName: rest.maskedName,
});

export class MongoTrainingCertificates implements Certificates {
  constructor(private readonly model: Model<CertificateDocument>) {}

  async ensure({ code, ...certificate }: Certificate): Promise<void> {
    try {
      await this.model.updateOne(
        { _id: code },
        { $setOnInsert: { ...certificate } },
        { upsert: true },
      );
    } catch (error) {
      // Two writers upserting the same code at once: the other's insert is the same certificate.
      if (!isDuplicateKey(error)) throw error;
    }
  }

  async has(code: string): Promise<boolean> {
    return (await this.model.exists({ _id: code })) !== null;
  }

  async byCode(code: string): Promise<Certificate | null> {
    const doc = await this.model.findById(code).lean<CertificateDocument>();
    return doc === null ? null : certificateOf(doc);
  }

  async ofParticipant(
    participantId: string,
    year: number | null,
    page: { readonly size: number; readonly after: string | null },
  ): Promise<Page<Certificate>> {
    const found = await keysetPage(this.model, {
      filter: year === null ? { participantId } : { participantId, year },
      sort: { field: 'completedAt', direction: 'desc' },
      after: page.after,
      limit: page.size,
    });
    return { items: found.items.map(certificateOf), nextCursor: found.nextCursor };
  }
}
