/**
 * Who the annual evaluation assesses, from registration. Organizations: those
 * of the target kind that are recognized or on their way to it (applied,
 * under review); a rejected organization is not a learning organization and a
 * suspended one has lost its standing until reinstated, so neither is
 * assessed. Areas: every township and street under the city, each with its
 * path from the city down to its own code.
 */
import type {
  Jurisdiction,
  Jurisdictions,
  Organization,
  OrganizationDirectory,
  Organizations,
  OrganizationStatus,
} from '@learning/registration-client';
import type { SubjectCard, SubjectDirectory } from '../../application/evaluation/ports.js';
import type { SubjectKind, SystemTarget } from '../../domain/evaluation.js';

export const ASSESSED_STATUSES: readonly OrganizationStatus[] = [
  'applied',
  'under_review',
  'recognized',
];
/** The levels assessed as areas (乡镇, 街道). */
const AREA_LEVELS = ['township', 'street'] as const;
/** Organizations per page: one page is what each source is asked about at once. */
const SUBJECT_PAGE_SIZE = 500;

const organizationCard = (organization: Organization): SubjectCard => ({
  subjectKind: 'organization',
  subjectId: organization.id,
  name: organization.name,
  organizationKind: organization.kind,
  leadDepartment: organization.leadDepartment,
  jurisdictionPath: [...organization.jurisdictionPath],
});

const areaCard = (node: Jurisdiction): SubjectCard => ({
  subjectKind: 'area',
  subjectId: node.code,
  name: node.name,
  organizationKind: null,
  leadDepartment: null,
  jurisdictionPath: [...node.path],
});

const isArea = (node: Jurisdiction): boolean =>
  (AREA_LEVELS as readonly string[]).includes(node.level);

export class RegistrationSubjectDirectory implements SubjectDirectory {
  constructor(
    private readonly deps: {
      readonly organizations: Organizations;
      readonly organizationDirectory: OrganizationDirectory;
      readonly jurisdictions: Jurisdictions;
      readonly cityCode: string;
    },
  ) {}

  async *subjects(target: SystemTarget): AsyncIterable<readonly SubjectCard[]> {
    if (target === 'area') {
      for await (const page of this.deps.jurisdictions.subtree(this.deps.cityCode, AREA_LEVELS)) {
        const areas = page.filter(isArea).map(areaCard);
        if (areas.length > 0) yield areas;
      }
      return;
    }
    for await (const page of this.deps.organizationDirectory.stream(
      { kind: target, statuses: ASSESSED_STATUSES },
      { pageSize: SUBJECT_PAGE_SIZE },
    ))
      yield page.map(organizationCard);
  }

  async subject(kind: SubjectKind, id: string): Promise<SubjectCard | undefined> {
    if (kind === 'area') {
      const node = (await this.deps.jurisdictions.find([id])).get(id);
      return node !== undefined && isArea(node) && node.path.includes(this.deps.cityCode)
        ? areaCard(node)
        : undefined;
    }
    const organization = (await this.deps.organizations.find([id])).get(id);
    return organization === undefined ? undefined : organizationCard(organization);
  }
}
