/**
 * What officers found on their visits of the year: how many inspections, and
 * the mean of their ratings to two decimals. A subject never inspected has 0
 * inspections and no rating reading, so its rating shows as missing.
 */
import type { Model } from 'mongoose';
import type { MetricGatherer, SubjectCard } from '../../application/evaluation/ports.js';
import type { MetricKey, MetricReading, SubjectKind } from '../../domain/evaluation.js';
import type { InspectionDocument } from '../mongo/evaluation-models.js';
import { addReading, emptyReadings, twoDecimals } from './figures.js';

interface InspectionRow {
  _id: { kind: SubjectKind; id: string };
  count: number;
  total: number;
  ratings: number[];
}

export class InspectionsGatherer implements MetricGatherer {
  readonly metrics: readonly MetricKey[] = ['inspections', 'inspection_rating'];

  constructor(private readonly inspections: Model<InspectionDocument>) {}

  async gather(
    year: number,
    subjects: readonly SubjectCard[],
    metrics: readonly MetricKey[],
  ): Promise<ReadonlyMap<string, readonly MetricReading[]>> {
    const asked = new Set(metrics);
    const readings = emptyReadings(subjects);
    if (subjects.length === 0) return readings;
    const rows = await this.inspections.aggregate<InspectionRow>([
      {
        // The kinds first, so the (year, subjectKind, subjectId) index serves the match.
        $match: {
          year,
          subjectKind: { $in: [...new Set(subjects.map((subject) => subject.subjectKind))] },
          subjectId: { $in: subjects.map((subject) => subject.subjectId) },
        },
      },
      { $sort: { inspectedOn: 1 } },
      {
        $group: {
          _id: { kind: '$subjectKind', id: '$subjectId' },
          count: { $sum: 1 },
          total: { $sum: '$rating' },
          ratings: { $push: '$rating' },
        },
      },
    ]);
    const byKey = new Map(rows.map((row) => [`${row._id.kind}|${row._id.id}`, row]));
    for (const subject of subjects) {
      const row = byKey.get(`${subject.subjectKind}|${subject.subjectId}`);
      addReading(readings, asked, subject.subjectId, 'inspections', row?.count ?? 0);
      if (row !== undefined && row.count > 0)
        addReading(
          readings,
          asked,
          subject.subjectId,
          'inspection_rating',
          twoDecimals(row.total / row.count),
          `${row.count} 次检查，评分 ${row.ratings.join('、')}`,
        );
    }
    return readings;
  }
}
