/**
 * Registration's figures: an organization's members and whether it is
 * recognized (one StreamOrganizations call restricted to the page's ids), an
 * area's registered residents (one CountAudience per area: 300 areas, not
 * 100,000 organizations) and its learning organizations (two
 * CountOrganizations calls for the page).
 */
import type {
  Audience,
  OrganizationDirectory,
  OrganizationStatus,
} from '@learning/registration-client';
import type { MetricGatherer, SubjectCard } from '../../application/evaluation/ports.js';
import type { MetricKey, MetricReading } from '../../domain/evaluation.js';
import { addReading, chunked, emptyReadings, idsOf, type Readings } from './figures.js';
import { ASSESSED_STATUSES } from './subject-directory.js';

/** Resident counts asked at once: registration counts each over an index, a few at a time is enough. */
const COUNTS_AT_ONCE = 8;
/** What registration takes in one StreamOrganizations or CountOrganizations call. */
const IDS_PER_CALL = 1_000;

const STATUS_LABELS: Readonly<Record<OrganizationStatus, string>> = {
  applied: '已申请',
  under_review: '审核中',
  recognized: '已认定',
  rejected: '未通过',
  suspended: '已暂停',
};

export class RegistrationGatherer implements MetricGatherer {
  readonly metrics: readonly MetricKey[] = [
    'members',
    'recognized',
    'residents',
    'organizations',
    'organizations_recognized',
  ];

  constructor(
    private readonly organizationDirectory: OrganizationDirectory,
    private readonly audience: Audience,
  ) {}

  async gather(
    _year: number,
    subjects: readonly SubjectCard[],
    metrics: readonly MetricKey[],
  ): Promise<ReadonlyMap<string, readonly MetricReading[]>> {
    const asked = new Set(metrics);
    const readings = emptyReadings(subjects);
    const organizations = idsOf(subjects, 'organization');
    const areas = idsOf(subjects, 'area');
    await Promise.all([
      organizations.length > 0 && (asked.has('members') || asked.has('recognized'))
        ? this.organizationFigures(readings, asked, organizations)
        : undefined,
      areas.length > 0 && asked.has('residents')
        ? this.residents(readings, asked, areas)
        : undefined,
      areas.length > 0 && (asked.has('organizations') || asked.has('organizations_recognized'))
        ? this.areaOrganizations(readings, asked, areas)
        : undefined,
    ]);
    return readings;
  }

  /** Registration's figures are as of now: a year's members are those of the day the run reads them. */
  private async organizationFigures(
    readings: Readings,
    asked: ReadonlySet<MetricKey>,
    ids: readonly string[],
  ): Promise<void> {
    for (const chunk of chunked(ids, IDS_PER_CALL))
      for await (const page of this.organizationDirectory.stream({ organizationIds: chunk }))
        for (const organization of page) {
          addReading(readings, asked, organization.id, 'members', organization.memberCount);
          addReading(
            readings,
            asked,
            organization.id,
            'recognized',
            organization.status === 'recognized' ? 1 : 0,
            STATUS_LABELS[organization.status],
          );
        }
  }

  private async residents(
    readings: Readings,
    asked: ReadonlySet<MetricKey>,
    codes: readonly string[],
  ): Promise<void> {
    for (const batch of chunked(codes, COUNTS_AT_ONCE)) {
      const counts = await Promise.all(
        batch.map((code) =>
          this.audience.count({ tiers: [], jurisdictionCodes: [code], organizationKinds: [] }),
        ),
      );
      batch.forEach((code, index) => {
        addReading(readings, asked, code, 'residents', counts[index] ?? 0);
      });
    }
  }

  private async areaOrganizations(
    readings: Readings,
    asked: ReadonlySet<MetricKey>,
    codes: readonly string[],
  ): Promise<void> {
    for (const batch of chunked(codes, IDS_PER_CALL)) {
      const [assessed, recognized] = await Promise.all([
        this.organizationDirectory.countIn(batch, ASSESSED_STATUSES),
        this.organizationDirectory.countIn(batch, ['recognized']),
      ]);
      for (const code of batch) {
        const count = assessed.get(code);
        addReading(
          readings,
          asked,
          code,
          'organizations',
          count?.matching ?? 0,
          `不含未通过、已暂停的，登记共 ${count?.total ?? 0} 个`,
        );
        addReading(
          readings,
          asked,
          code,
          'organizations_recognized',
          recognized.get(code)?.matching ?? 0,
        );
      }
    }
  }
}
