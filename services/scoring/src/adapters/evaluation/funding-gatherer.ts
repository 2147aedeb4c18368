/**
 * Funding figures (§6.4): an enterprise's yearly training report, as
 * activities published it (the highest revision is kept), and the
 * sponsorships and donations received for an area's subtree. An enterprise
 * that filed no report has no reading: the computation says the figure is
 * missing rather than pretending it spent nothing.
 */
import type { Model } from 'mongoose';
import type { MetricGatherer, SubjectCard } from '../../application/evaluation/ports.js';
import type { MetricKey, MetricReading } from '../../domain/evaluation.js';
import type {
  EnterpriseTrainingReportDocument,
  FundingReceiptDocument,
} from '../mongo/evaluation-models.js';
import {
  addReading,
  anyOf,
  emptyReadings,
  hoursOf,
  idsOf,
  yuanOf,
  type Readings,
} from './figures.js';

const REPORTED: readonly MetricKey[] = [
  'training_spend_yuan',
  'training_hours_reported',
  'trainees_reported',
];

interface ReceiptRow {
  _id: string;
  fen: number;
  receipts: number;
}

export class FundingGatherer implements MetricGatherer {
  readonly metrics: readonly MetricKey[] = [...REPORTED, 'funding_received_yuan'];

  constructor(
    private readonly reports: Model<EnterpriseTrainingReportDocument>,
    private readonly receipts: Model<FundingReceiptDocument>,
  ) {}

  async gather(
    year: number,
    subjects: readonly SubjectCard[],
    metrics: readonly MetricKey[],
  ): Promise<ReadonlyMap<string, readonly MetricReading[]>> {
    const asked = new Set(metrics);
    const readings = emptyReadings(subjects);
    const organizations = idsOf(subjects, 'organization');
    const areas = idsOf(subjects, 'area');
    await Promise.all([
      organizations.length > 0 && anyOf(asked, REPORTED)
        ? this.reported(readings, asked, year, organizations)
        : undefined,
      areas.length > 0 && asked.has('funding_received_yuan')
        ? this.received(readings, asked, year, areas)
        : undefined,
    ]);
    return readings;
  }

  private async reported(
    readings: Readings,
    asked: ReadonlySet<MetricKey>,
    year: number,
    ids: readonly string[],
  ): Promise<void> {
    const reports = await this.reports
      .find({ year, organizationId: { $in: [...ids] } })
      .lean<EnterpriseTrainingReportDocument[]>();
    for (const report of reports) {
      const detail = `企业年度培训报告第 ${report.revision} 版`;
      const id = report.organizationId;
      addReading(readings, asked, id, 'training_spend_yuan', yuanOf(report.spendFen), detail);
      addReading(
        readings,
        asked,
        id,
        'training_hours_reported',
        hoursOf(report.trainingMinutes),
        detail,
      );
      addReading(readings, asked, id, 'trainees_reported', report.trainees, detail);
    }
  }

  private async received(
    readings: Readings,
    asked: ReadonlySet<MetricKey>,
    year: number,
    codes: readonly string[],
  ): Promise<void> {
    const rows = await this.receipts.aggregate<ReceiptRow>([
      { $match: { year, jurisdictionPath: { $in: [...codes] } } },
      { $project: { jurisdictionPath: 1, amountFen: 1 } },
      { $unwind: '$jurisdictionPath' },
      { $match: { jurisdictionPath: { $in: [...codes] } } },
      { $group: { _id: '$jurisdictionPath', fen: { $sum: '$amountFen' }, receipts: { $sum: 1 } } },
    ]);
    const byCode = new Map(rows.map((row) => [row._id, row]));
    for (const code of codes) {
      const row = byCode.get(code);
      addReading(
        readings,
        asked,
        code,
        'funding_received_yuan',
        yuanOf(row?.fen ?? 0),
        `${row?.receipts ?? 0} 笔赞助和捐赠`,
      );
    }
  }
}
