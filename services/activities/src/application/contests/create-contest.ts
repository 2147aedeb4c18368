/**
 * An organizer opens a contest: the domain checks its setup (a window that
 * closes after it opens and in the future, a sound age band and rubric), the
 * jurisdiction and an organizing organization (its kind and lead department)
 * come from registration, a campaign it joins must be open and cover its
 * place, and the contest is stored with its audit record in one write.
 */
import { randomUUID } from 'node:crypto';
import { actorOf } from '@learning/audit';
import { type Principal, Scope } from '@learning/auth';
import {
  chinaDateOf,
  domainCall,
  type AgeBand,
  type CalendarDate,
  type ContentCategory,
} from '@learning/domain';
import {
  CONTEST_JUDGES_PER_ENTRY_INVALID,
  validateNewContest,
  type Criterion,
  type EntryWindow,
} from '../../domain/contests.js';
import type { CampaignDirectory, Departments, Jurisdictions, Organizations } from '../ports.js';
import { checkCampaignMembership } from '../campaign-membership.js';
import { activeOrganization, knownDepartment } from '../organizers.js';
import { mayOrganize } from './access.js';
import {
  CONTEST_ORGANIZER_FORBIDDEN,
  CONTEST_ORGANIZER_NOT_ACTIVE,
  CONTEST_ORGANIZER_UNKNOWN,
  contestErrors,
  jurisdictionUnknown,
} from './errors.js';
import type {
  ContestRepository,
  Organizer,
  OrganizerRef,
  PanelJudge,
  StoredContest,
  WriteDeps,
} from './ports.js';
import { contestAuditView } from './views.js';

export interface CreateContestRequest {
  readonly title: string;
  readonly description: string;
  readonly organizer: OrganizerRef;
  readonly jurisdictionCode: string;
  readonly entryWindow: EntryWindow;
  readonly ageBand: AgeBand;
  /** The day ages are counted on; the closing day (China time) when absent. */
  readonly ageReferenceDate?: CalendarDate;
  readonly rubric: readonly Criterion[];
  readonly judgesPerEntry: number;
  readonly judges?: readonly PanelJudge[];
  readonly campaignId?: string;
  readonly categories?: readonly ContentCategory[];
}

export interface CreateContestDeps extends WriteDeps {
  readonly contests: ContestRepository;
  readonly jurisdictions: Jurisdictions;
  readonly organizations: Organizations;
  readonly departments: Departments;
  readonly campaigns: CampaignDirectory;
}

/** Organizations that may no longer run anything. */
/** The organizer with what registration knows of it, and the department its events route to. */
async function resolveOrganizer(
  registration: Pick<CreateContestDeps, 'organizations' | 'departments'>,
  ref: OrganizerRef,
): Promise<{ organizer: Organizer; leadDepartment: string }> {
  if (ref.kind === 'department') {
    await knownDepartment(registration.departments, ref.id, '/organizer/id');
    return { organizer: { kind: 'department', id: ref.id }, leadDepartment: ref.id };
  }
  const organization = await activeOrganization(registration.organizations, ref.id, {
    unknown: CONTEST_ORGANIZER_UNKNOWN,
    inactive: CONTEST_ORGANIZER_NOT_ACTIVE,
    field: '/organizer/id',
    doing: 'run contests',
  });
  return {
    organizer: { kind: 'organization', id: ref.id, organizationKind: organization.kind },
    leadDepartment: organization.leadDepartment,
  };
}

export function createContest(deps: CreateContestDeps) {
  const newId = deps.newId ?? randomUUID;
  return async (principal: Principal, request: CreateContestRequest): Promise<StoredContest> => {
    if (!mayOrganize(principal, request.organizer))
      throw contestErrors.error(
        CONTEST_ORGANIZER_FORBIDDEN,
        'You may run contests only for your own organization or department.',
      );
    if (!Number.isInteger(request.judgesPerEntry) || request.judgesPerEntry < 1)
      throw contestErrors.error(
        CONTEST_JUDGES_PER_ENTRY_INVALID,
        'Each entry needs a whole number of judges, 1 or more.',
      );
    const id = newId();
    const now = deps.clock();
    const ageReferenceDate =
      request.ageReferenceDate ?? chinaDateOf(new Date(request.entryWindow.closesAt.getTime() - 1));
    domainCall(() =>
      validateNewContest(
        {
          id,
          status: 'open',
          entryWindow: request.entryWindow,
          ageBand: request.ageBand,
          ageReferenceDate,
          rubric: request.rubric,
        },
        now,
      ),
    );
    const place = (await deps.jurisdictions.find([request.jurisdictionCode])).get(
      request.jurisdictionCode,
    );
    if (place === undefined) throw jurisdictionUnknown('/jurisdictionCode');
    const { organizer, leadDepartment } = await resolveOrganizer(deps, request.organizer);
    if (request.campaignId !== undefined)
      await checkCampaignMembership(deps.campaigns, 'contest', request.campaignId, place.path);
    const contest: Omit<StoredContest, 'version'> = {
      id,
      title: request.title.trim(),
      description: request.description.trim(),
      organizer,
      leadDepartment,
      jurisdictionPath: [...place.path],
      entryWindow: request.entryWindow,
      ageBand: request.ageBand,
      ageReferenceDate,
      rubric: request.rubric,
      judgesPerEntry: request.judgesPerEntry,
      judges: request.judges ?? [],
      campaignId: request.campaignId ?? null,
      categories: [...new Set(request.categories ?? [])],
      status: 'open',
      results: null,
      publishedAt: null,
      createdBy: principal.subject,
      createdAt: now,
      updatedAt: now,
    };
    const audit = deps.audit.entry({
      actor: actorOf(principal),
      action: 'contest.create',
      entityType: 'contest',
      entityId: id,
      jurisdictionPath: contest.jurisdictionPath,
      before: null,
      after: contestAuditView(contest),
    });
    return deps.contests.create(Scope.cityWide(), { ...contest, events: [audit] });
  };
}

export type CreateContest = ReturnType<typeof createContest>;
