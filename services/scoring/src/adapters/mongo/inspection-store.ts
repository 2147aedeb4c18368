/** Inspections as officers enter them; the audit record rides in the inspection's outbox. */
import { insertWithEvents, type OutboxEntry } from '@learning/events';
import { keysetPage } from '@learning/mongo';
import type { Model } from 'mongoose';
import type { SubjectKind } from '../../domain/evaluation.js';
import type {
  InspectionStore,
  NewInspection,
  StoredInspection,
} from '../../application/assessments/ports.js';
import type { InspectionDocument } from './evaluation-models.js';

const storedOf = (document: InspectionDocument): StoredInspection => ({
  id: document._id,
  year: document.year,
  subjectKind: document.subjectKind,
  subjectId: document.subjectId,
  jurisdictionPath: [...document.jurisdictionPath],
  inspectedOn: document.inspectedOn,
  inspectorId: document.inspectorId,
  findings: document.findings,
  rating: document.rating,
  photos: document.photos.map(({ fileRef, caption }) => ({ fileRef, caption })),
  createdAt: document.createdAt,
});

export class MongoInspectionStore implements InspectionStore {
  constructor(private readonly model: Model<InspectionDocument>) {}

  async add(inspection: NewInspection, events: readonly OutboxEntry[]): Promise<StoredInspection> {
    const created = await this.model.create({
      _id: inspection.id,
      year: inspection.year,
      subjectKind: inspection.subject.subjectKind,
      subjectId: inspection.subject.subjectId,
      jurisdictionPath: [...inspection.subject.jurisdictionPath],
      inspectedOn: inspection.inspectedOn,
      inspectorId: inspection.inspectorId,
      findings: inspection.findings,
      rating: inspection.rating,
      photos: inspection.photos.map(({ fileRef, caption }) => ({ fileRef, caption })),
      createdAt: inspection.createdAt,
      ...insertWithEvents(events),
    });
    return storedOf(created.toObject<InspectionDocument>());
  }

  async list(
    kind: SubjectKind,
    subjectId: string,
    year: number,
    page: { readonly pageSize: number; readonly pageToken?: string },
  ): Promise<{
    readonly items: readonly StoredInspection[];
    readonly nextPageToken: string | null;
  }> {
    const found = await keysetPage(this.model, {
      filter: { year, subjectKind: kind, subjectId },
      sort: { field: 'inspectedOn', direction: 'desc' },
      after: page.pageToken ?? null,
      limit: page.pageSize,
    });
    return { items: found.items.map(storedOf), nextPageToken: found.nextCursor };
  }
}
