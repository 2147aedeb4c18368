/**
 * A lead department (or the city's office, or an enterprise for its own
 * staff) plans a programme: a draft, with its audit record in the same
 * write. Quotas are set per year afterwards (set-quotas.ts). An enterprise's
 * programme is led by the department registration files the enterprise under.
 */
import { randomUUID } from 'node:crypto';
import { actorOf, type AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { domainCall, type ContentCategory, type TrainingTargetGroup } from '@learning/domain';
import { validateProgrammePlan } from '../../../domain/training-programmes.js';
import { invalidAt } from '../../errors.js';
import { activeOrganization, knownDepartment } from '../../organizers.js';
import type { Departments, Jurisdictions, Organizations } from '../../ports.js';
import { leadsProgramme } from '../access.js';
import {
  PROGRAMME_AREA_LEVEL_INVALID,
  PROGRAMME_ENTERPRISE_NOT_ACTIVE,
  PROGRAMME_ENTERPRISE_UNKNOWN,
  PROGRAMME_NOT_ENTERPRISE,
  PROGRAMME_OWNER_INVALID,
  programmeJurisdictionUnknown,
  programmeManageForbidden,
} from './errors.js';
import { auditViewOf } from './events.js';
import type { ProgrammeRepository, StoredProgramme } from './programme-repository.js';

export interface CreateProgrammeRequest {
  readonly title: string;
  readonly description?: string;
  /** For a department's (or the city's) programme; absent for an enterprise's. */
  readonly leadDepartment?: string;
  /** For an enterprise's own programme; absent otherwise. */
  readonly enterpriseId?: string;
  /** The city, a township or a street. */
  readonly jurisdictionCode: string;
  readonly firstYear: number;
  readonly lastYear: number;
  readonly targetGroups: readonly TrainingTargetGroup[];
  readonly categories: readonly ContentCategory[];
  readonly requiredMinutes: number;
  readonly skillsTest?: boolean;
}

export interface CreateProgrammeDeps {
  readonly programmes: ProgrammeRepository;
  readonly jurisdictions: Jurisdictions;
  readonly departments: Departments;
  readonly organizations: Organizations;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
  readonly newId?: () => string;
}

const AREA_LEVELS = new Set(['city', 'township', 'street']);

/** The path of the programme's area `code`: JURISDICTION_UNKNOWN, or PROGRAMME_AREA_LEVEL_INVALID below a township. */
export async function areaPathOf(
  jurisdictions: Jurisdictions,
  code: string,
): Promise<readonly string[]> {
  const node = (await jurisdictions.find([code])).get(code);
  if (node === undefined) throw programmeJurisdictionUnknown('/jurisdictionCode');
  if (!AREA_LEVELS.has(node.level))
    throw invalidAt(
      PROGRAMME_AREA_LEVEL_INVALID,
      `A programme covers the city, a township or a street, not a ${node.level}.`,
      '/jurisdictionCode',
    );
  return node.path;
}

/** The lead department of the programme asked for, checking who may plan it. */
async function leadDepartmentOf(
  deps: CreateProgrammeDeps,
  principal: Principal,
  request: CreateProgrammeRequest,
): Promise<string> {
  const { leadDepartment, enterpriseId } = request;
  if ((leadDepartment === undefined) === (enterpriseId === undefined))
    throw invalidAt(
      PROGRAMME_OWNER_INVALID,
      'Name either leadDepartment (a department’s programme) or enterpriseId (an enterprise’s own).',
      '/leadDepartment',
    );
  if (enterpriseId !== undefined) {
    if (!leadsProgramme(principal, { leadDepartment: '', enterpriseId }))
      throw programmeManageForbidden();
    const enterprise = await activeOrganization(deps.organizations, enterpriseId, {
      unknown: PROGRAMME_ENTERPRISE_UNKNOWN,
      inactive: PROGRAMME_ENTERPRISE_NOT_ACTIVE,
      field: '/enterpriseId',
      doing: 'run a training programme',
    });
    if (enterprise.kind !== 'enterprise')
      throw invalidAt(
        PROGRAMME_NOT_ENTERPRISE,
        `The organization is a ${enterprise.kind}; only an enterprise runs its own programme.`,
        '/enterpriseId',
      );
    return enterprise.leadDepartment;
  }
  const department = leadDepartment ?? '';
  if (!leadsProgramme(principal, { leadDepartment: department, enterpriseId: null }))
    throw programmeManageForbidden();
  await knownDepartment(deps.departments, department, '/leadDepartment');
  return department;
}

export function createProgramme(deps: CreateProgrammeDeps) {
  const newId = deps.newId ?? randomUUID;
  return async (
    principal: Principal,
    request: CreateProgrammeRequest,
  ): Promise<StoredProgramme> => {
    domainCall(() => {
      validateProgrammePlan(request);
    });
    const leadDepartment = await leadDepartmentOf(deps, principal, request);
    const jurisdictionPath = [...(await areaPathOf(deps.jurisdictions, request.jurisdictionCode))];
    const now = deps.clock();
    const draft = {
      id: newId(),
      title: request.title.trim(),
      description: request.description?.trim() ?? '',
      leadDepartment,
      jurisdictionPath,
      firstYear: request.firstYear,
      lastYear: request.lastYear,
      targetGroups: [...request.targetGroups],
      categories: [...request.categories],
      requiredMinutes: request.requiredMinutes,
      skillsTest: request.skillsTest ?? false,
      quotas: [],
      status: 'draft' as const,
      enterpriseId: request.enterpriseId ?? null,
      createdAt: now,
      launchedAt: null,
      createdBy: principal.subject,
      updatedAt: now,
    };
    return deps.programmes.create({
      ...draft,
      events: [
        deps.audit.entry({
          actor: actorOf(principal),
          action: 'training_programme.create',
          entityType: 'training_programme',
          entityId: draft.id,
          jurisdictionPath,
          before: null,
          after: auditViewOf(draft),
        }),
      ],
    });
  };
}

export type CreateProgramme = ReturnType<typeof createProgramme>;
