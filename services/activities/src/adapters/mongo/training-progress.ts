/**
 * The progress report's counts over `training_trainees` (written by the hours
 * part): one aggregation per report, grouped by township, target group and
 * month in one `$facet`, so a report is one round trip whatever its size.
 */
import type { Model } from 'mongoose';
import type {
  Figures,
  TraineeFigures,
  YearFigures,
} from '../../application/training/programmes/trainee-figures.js';
import type { TraineeDocument } from './training-models.js';

interface Row {
  _id: string | null;
  trained: number;
  completed: number;
}

interface CountRow {
  _id: string | null;
  count: number;
}

interface FacetRow {
  byTownship: Row[];
  byTargetGroup: Row[];
  trainedByMonth: CountRow[];
  completedByMonth: CountRow[];
}

const COMPLETED = { $cond: [{ $eq: [{ $ifNull: ['$completedAt', null] }, null] }, 0, 1] };
const SUMS = { trained: { $sum: 1 }, completed: { $sum: '$completed' } };

const figuresByKey = (rows: readonly Row[]): Map<string, Figures> =>
  new Map(
    rows.flatMap((row) =>
      row._id === null ? [] : [[row._id, { trained: row.trained, completed: row.completed }]],
    ),
  );

function byMonth(
  trained: readonly CountRow[],
  completed: readonly CountRow[],
): Map<string, Figures> {
  const months = new Map<string, { trained: number; completed: number }>();
  const at = (month: string) => {
    const figures = months.get(month) ?? { trained: 0, completed: 0 };
    months.set(month, figures);
    return figures;
  };
  for (const row of trained) if (row._id !== null) at(row._id).trained += row.count;
  for (const row of completed) if (row._id !== null) at(row._id).completed += row.count;
  return months;
}

export class MongoTraineeFigures implements TraineeFigures {
  constructor(private readonly model: Model<TraineeDocument>) {}

  async trainedByTownship(programmeId: string, year: number): Promise<ReadonlyMap<string, number>> {
    const rows = await this.model
      .aggregate<CountRow>([
        { $match: { programmeId, year } },
        { $group: { _id: '$townshipCode', count: { $sum: 1 } } },
      ])
      .exec();
    return new Map(rows.flatMap((row) => (row._id === null ? [] : [[row._id, row.count]])));
  }

  async yearFigures(
    programmeId: string,
    year: number,
    roots: readonly string[] | null,
  ): Promise<YearFigures> {
    const match =
      roots === null
        ? { programmeId, year }
        : { $and: [{ programmeId, year }, { jurisdictionPath: { $in: [...roots] } }] };
    const [facets] = await this.model
      .aggregate<FacetRow>([
        { $match: match },
        {
          $project: {
            _id: 0,
            townshipCode: 1,
            targetGroups: 1,
            trainedMonth: 1,
            completedMonth: 1,
            completed: COMPLETED,
          },
        },
        {
          $facet: {
            byTownship: [{ $group: { _id: '$townshipCode', ...SUMS } }],
            byTargetGroup: [
              { $unwind: '$targetGroups' },
              { $group: { _id: '$targetGroups', ...SUMS } },
            ],
            trainedByMonth: [{ $group: { _id: '$trainedMonth', count: { $sum: 1 } } }],
            completedByMonth: [
              { $match: { completed: 1 } },
              { $group: { _id: '$completedMonth', count: { $sum: 1 } } },
            ],
          },
        },
      ])
      .exec();
    const byTownship = figuresByKey(facets?.byTownship ?? []);
    const total = [...byTownship.values()].reduce(
      (sum, figures) => ({
        trained: sum.trained + figures.trained,
        completed: sum.completed + figures.completed,
      }),
      { trained: 0, completed: 0 },
    );
    return {
      total,
      byTownship,
      byTargetGroup: figuresByKey(facets?.byTargetGroup ?? []),
      byMonth: byMonth(facets?.trainedByMonth ?? [], facets?.completedByMonth ?? []),
    };
  }

  async yearTotals(
    programmeIds: readonly string[],
    year: number,
  ): Promise<ReadonlyMap<string, Figures>> {
    const rows = await this.model
      .aggregate<Row>([
        { $match: { programmeId: { $in: [...programmeIds] }, year } },
        { $project: { _id: 0, programmeId: 1, completed: COMPLETED } },
        { $group: { _id: '$programmeId', ...SUMS } },
      ])
      .exec();
    return figuresByKey(rows);
  }
}
