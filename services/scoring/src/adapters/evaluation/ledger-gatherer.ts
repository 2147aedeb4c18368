/**
 * The figures scoring keeps itself (decision 0019): credits and hours from
 * the ledger, attendances, trainings, organized activities and donated books
 * from the credit facts. One aggregation per group of metrics for the whole
 * page: an organization's members are the organizations a ledger entry or
 * fact names (the person's memberships when it happened), an area's
 * residents those whose home path holds the area's code.
 */
import type { Model, PipelineStage } from 'mongoose';
import type { MetricGatherer, SubjectCard } from '../../application/evaluation/ports.js';
import type { MetricKey, MetricReading } from '../../domain/evaluation.js';
import type { SourceKind } from '../../domain/facts.js';
import type { FactDocument } from '../mongo/facts.js';
import type { LedgerEntryDocument } from '../mongo/ledger.js';
import {
  addReading,
  anyOf,
  emptyReadings,
  fromHundredths,
  hoursOf,
  idsOf,
  type Readings,
} from './figures.js';

const MEMBER_LEDGER: readonly MetricKey[] = ['member_credits', 'member_hours', 'members_credited'];
const RESIDENT_LEDGER: readonly MetricKey[] = [
  'resident_credits',
  'resident_hours',
  'residents_credited',
];
const MEMBER_FACTS: readonly MetricKey[] = ['member_attendances', 'members_trained'];
const OWN_FACTS: readonly MetricKey[] = ['activities_organized', 'books_donated'];

const ATTENDANCES: readonly SourceKind[] = [
  'activity_attended',
  'lecture_attended',
  'training_attended',
];

/** Facts that count: reported (not a withdrawal stub) and not withdrawn. */
const STANDING_FACT = { reported: true, withdrawnAt: null } as const;

interface PeopleRow {
  _id: string;
  credits: number;
  minutes: number;
  credited: number;
}

interface FactRow {
  _id: { subject: string; source: SourceKind };
  /** Facts. */
  count: number;
  /** Distinct persons (or the organization itself). */
  holders: number;
  units: number;
}

/**
 * Person entries of the year grouped by the subjects named in `field`
 * (organizationIds or jurisdictionPath): each person's net first, so a person
 * whose credits were all withdrawn is not counted as credited.
 */
const peoplePipeline = (
  year: number,
  field: 'organizationIds' | 'jurisdictionPath',
  ids: readonly string[],
): PipelineStage[] => [
  { $match: { holderKind: 'person', year, [field]: { $in: [...ids] } } },
  { $project: { holderId: 1, amount: 1, minutes: 1, [field]: 1 } },
  { $unwind: `$${field}` },
  { $match: { [field]: { $in: [...ids] } } },
  {
    $group: {
      _id: { subject: `$${field}`, holder: '$holderId' },
      credits: { $sum: '$amount' },
      minutes: { $sum: '$minutes' },
    },
  },
  {
    $group: {
      _id: '$_id.subject',
      credits: { $sum: '$credits' },
      minutes: { $sum: '$minutes' },
      credited: { $sum: { $cond: [{ $gt: ['$credits', 0] }, 1, 0] } },
    },
  },
];

/** Standing facts of `sources` grouped by subject and source, with distinct holders counted. */
const factPipeline = (
  match: Record<string, unknown>,
  field: 'organizationIds' | 'jurisdictionPath' | 'holderId',
  ids: readonly string[],
): PipelineStage[] => [
  { $match: match },
  { $project: { holderId: 1, source: 1, units: 1, subject: `$${field}` } },
  ...(field === 'holderId'
    ? []
    : [{ $unwind: '$subject' }, { $match: { subject: { $in: [...ids] } } }]),
  {
    $group: {
      _id: { subject: '$subject', source: '$source', holder: '$holderId' },
      count: { $sum: 1 },
      units: { $sum: '$units' },
    },
  },
  {
    $group: {
      _id: { subject: '$_id.subject', source: '$_id.source' },
      count: { $sum: '$count' },
      holders: { $sum: 1 },
      units: { $sum: '$units' },
    },
  },
];

/** The rows by subject and source, looked up once per subject rather than searched. */
function indexed(
  rows: readonly FactRow[],
): (id: string, source: SourceKind) => FactRow | undefined {
  const byKey = new Map(rows.map((row) => [`${row._id.subject}|${row._id.source}`, row]));
  return (id, source) => byKey.get(`${id}|${source}`);
}

export class LedgerGatherer implements MetricGatherer {
  readonly metrics: readonly MetricKey[] = [
    ...MEMBER_LEDGER,
    'own_credits',
    ...MEMBER_FACTS,
    ...OWN_FACTS,
    ...RESIDENT_LEDGER,
    'residents_trained',
  ];

  constructor(
    private readonly ledger: Model<LedgerEntryDocument>,
    private readonly facts: Model<FactDocument>,
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
    const work: Promise<void>[] = [];
    if (organizations.length > 0) {
      if (anyOf(asked, MEMBER_LEDGER))
        work.push(this.people(readings, asked, year, organizations, 'organizationIds'));
      if (asked.has('own_credits'))
        work.push(this.ownCredits(readings, asked, year, organizations));
      if (anyOf(asked, MEMBER_FACTS))
        work.push(this.memberFacts(readings, asked, year, organizations, 'organizationIds'));
      if (anyOf(asked, OWN_FACTS)) work.push(this.ownFacts(readings, asked, year, organizations));
    }
    if (areas.length > 0) {
      if (anyOf(asked, RESIDENT_LEDGER))
        work.push(this.people(readings, asked, year, areas, 'jurisdictionPath'));
      if (asked.has('residents_trained'))
        work.push(this.memberFacts(readings, asked, year, areas, 'jurisdictionPath'));
    }
    await Promise.all(work);
    return readings;
  }

  private async people(
    readings: Readings,
    asked: ReadonlySet<MetricKey>,
    year: number,
    ids: readonly string[],
    field: 'organizationIds' | 'jurisdictionPath',
  ): Promise<void> {
    const rows = await this.ledger.aggregate<PeopleRow>(peoplePipeline(year, field, ids));
    const byId = new Map(rows.map((row) => [row._id, row]));
    const [credits, hours, credited] =
      field === 'organizationIds' ? MEMBER_LEDGER : RESIDENT_LEDGER;
    for (const id of ids) {
      const row = byId.get(id);
      if (credits !== undefined)
        addReading(readings, asked, id, credits, fromHundredths(row?.credits ?? 0));
      if (hours !== undefined)
        addReading(
          readings,
          asked,
          id,
          hours,
          hoursOf(row?.minutes ?? 0),
          `${row?.minutes ?? 0} 分钟`,
        );
      if (credited !== undefined) addReading(readings, asked, id, credited, row?.credited ?? 0);
    }
  }

  private async ownCredits(
    readings: Readings,
    asked: ReadonlySet<MetricKey>,
    year: number,
    ids: readonly string[],
  ): Promise<void> {
    const rows = await this.ledger.aggregate<{ _id: string; credits: number; entries: number }>([
      { $match: { holderKind: 'organization', holderId: { $in: [...ids] }, year } },
      { $group: { _id: '$holderId', credits: { $sum: '$amount' }, entries: { $sum: 1 } } },
    ]);
    const byId = new Map(rows.map((row) => [row._id, row]));
    for (const id of ids) {
      const row = byId.get(id);
      addReading(
        readings,
        asked,
        id,
        'own_credits',
        fromHundredths(row?.credits ?? 0),
        `${row?.entries ?? 0} 条学分记录`,
      );
    }
  }

  private async memberFacts(
    readings: Readings,
    asked: ReadonlySet<MetricKey>,
    year: number,
    ids: readonly string[],
    field: 'organizationIds' | 'jurisdictionPath',
  ): Promise<void> {
    const sources: SourceKind[] = [];
    if (asked.has('member_attendances') && field === 'organizationIds')
      sources.push(...ATTENDANCES);
    if (asked.has('members_trained') || asked.has('residents_trained'))
      sources.push('training_completed');
    const rows = await this.facts.aggregate<FactRow>(
      factPipeline(
        { ...STANDING_FACT, year, source: { $in: sources }, [field]: { $in: [...ids] } },
        field,
        ids,
      ),
    );
    const of = indexed(rows);
    for (const id of ids) {
      const attendances = ATTENDANCES.map((source) => of(id, source)?.count ?? 0);
      const total = attendances.reduce((sum, count) => sum + count, 0);
      if (field === 'organizationIds') {
        addReading(
          readings,
          asked,
          id,
          'member_attendances',
          total,
          `活动 ${attendances[0] ?? 0}、讲座 ${attendances[1] ?? 0}、培训 ${attendances[2] ?? 0} 人次`,
        );
        addReading(
          readings,
          asked,
          id,
          'members_trained',
          of(id, 'training_completed')?.holders ?? 0,
        );
      } else
        addReading(
          readings,
          asked,
          id,
          'residents_trained',
          of(id, 'training_completed')?.holders ?? 0,
        );
    }
  }

  private async ownFacts(
    readings: Readings,
    asked: ReadonlySet<MetricKey>,
    year: number,
    ids: readonly string[],
  ): Promise<void> {
    const rows = await this.facts.aggregate<FactRow>(
      factPipeline(
        {
          ...STANDING_FACT,
          year,
          holderKind: 'organization',
          holderId: { $in: [...ids] },
          source: { $in: ['activity_organized', 'book_donated'] },
        },
        'holderId',
        ids,
      ),
    );
    const of = indexed(rows);
    for (const id of ids) {
      addReading(
        readings,
        asked,
        id,
        'activities_organized',
        of(id, 'activity_organized')?.count ?? 0,
      );
      const donations = of(id, 'book_donated');
      addReading(
        readings,
        asked,
        id,
        'books_donated',
        donations?.units ?? 0,
        `${donations?.count ?? 0} 次捐赠`,
      );
    }
  }
}
