/**
 * An organizer drafts an activity. Who organizes it and where it is held are
 * fixed here. An organizing organization's kind and lead department are
 * registration's, read when the draft is made, never the request's.
 */
import { randomUUID } from 'node:crypto';
import { actorOf, type AuditTrail } from '@learning/audit';
import { type Principal, Scope } from '@learning/auth';
import type { AgeBand, ContentCategory, Tier } from '@learning/domain';
import {
  ACTIVITY_FORBIDDEN,
  mayOrganize,
  type ActivityKind,
  type Capacity,
  type Organizer,
  type OrganizerRef,
  type SignUpWindow,
} from '../../domain/activity-lifecycle.js';
import type { Schedule } from '../../domain/schedule.js';
import type { CampaignDirectory, Departments, Jurisdictions, Organizations } from '../ports.js';
import type { ActivityRepository, StoredActivity, Venue } from './activity-repository.js';
import { checkCampaignMembership } from '../campaign-membership.js';
import { checkedFields } from './draft-rules.js';
import {
  ACTIVITY_ORGANIZER_NOT_ACTIVE,
  ACTIVITY_ORGANIZER_UNKNOWN,
  ACTIVITY_VENUE_UNKNOWN,
  activityErrors,
} from './errors.js';
import { invalidAt } from '../errors.js';
import { auditViewOf } from './events.js';
import { knownPlace } from './places.js';
import { activeOrganization, knownDepartment } from '../organizers.js';

/** A catalogued venue by id, or a place described inline. */
export type VenueInput =
  { readonly venueId: string } | { readonly name: string; readonly address?: string | null };

/** Finds catalogued venues (the venue catalogue answers it). */
export interface VenueLookup {
  find(id: string): Promise<Pick<Venue, 'id' | 'name' | 'address'> | null>;
}

/** Editable fields as a request states them; absent ones take their defaults. */
export interface DraftInput {
  readonly title: string;
  readonly description?: string;
  readonly kind: ActivityKind;
  readonly venue?: VenueInput | null;
  readonly schedule?: Schedule | null;
  readonly capacity?: Capacity;
  readonly signUpWindow?: SignUpWindow | null;
  readonly targetTiers?: readonly Tier[];
  readonly categories?: readonly ContentCategory[];
  readonly ageBand?: AgeBand | null;
  readonly campaignId?: string | null;
}

export interface CreateActivityRequest extends DraftInput {
  readonly organizer: OrganizerRef;
  readonly jurisdictionCode: string;
}

/** What writing a draft needs, whether it is new or edited. */
export interface DraftDeps {
  readonly activities: ActivityRepository;
  readonly campaigns: CampaignDirectory;
  readonly venues: VenueLookup;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
  readonly newId?: () => string;
}

export interface CreateActivityDeps extends DraftDeps {
  readonly jurisdictions: Jurisdictions;
  readonly organizations: Organizations;
  readonly departments: Departments;
}

/**
 * The venue an activity is held at: a catalogued one (ACTIVITY_VENUE_UNKNOWN
 * when there is none by that id), or one stated inline, which gets an id of
 * its own so the activity has "a venue" to publish with.
 */
export async function venueOf(
  input: VenueInput,
  venues: VenueLookup,
  newId: () => string,
): Promise<Venue> {
  if ('venueId' in input) {
    const found = await venues.find(input.venueId);
    if (found === null)
      throw invalidAt(ACTIVITY_VENUE_UNKNOWN, 'There is no venue with that id.', '/venue/venueId');
    return { id: found.id, name: found.name, address: found.address };
  }
  return { id: newId(), name: input.name.trim(), address: input.address?.trim() ?? null };
}

/**
 * The organizer as stored: a department registration lists, or an
 * organization with registration's kind and lead department.
 */
export async function organizerOf(
  ref: OrganizerRef,
  registration: Pick<CreateActivityDeps, 'organizations' | 'departments'>,
): Promise<Organizer> {
  if (ref.kind === 'department') {
    await knownDepartment(registration.departments, ref.department, '/organizer/department');
    return ref;
  }
  const organization = await activeOrganization(registration.organizations, ref.organizationId, {
    unknown: ACTIVITY_ORGANIZER_UNKNOWN,
    inactive: ACTIVITY_ORGANIZER_NOT_ACTIVE,
    field: '/organizer/organizationId',
    doing: 'organize activities',
  });
  return {
    kind: 'organization',
    organizationId: organization.id,
    organizationKind: organization.kind,
    leadDepartment: organization.leadDepartment,
  };
}

export function createActivity(deps: CreateActivityDeps) {
  const newId = deps.newId ?? randomUUID;
  return async (principal: Principal, request: CreateActivityRequest): Promise<StoredActivity> => {
    const now = deps.clock();
    const fields = checkedFields(
      {
        title: request.title.trim(),
        description: request.description?.trim() ?? '',
        kind: request.kind,
        venue: request.venue == null ? null : await venueOf(request.venue, deps.venues, newId),
        schedule: request.schedule ?? null,
        capacity: request.capacity ?? 'unlimited',
        signUpWindow: request.signUpWindow ?? null,
        targetTiers: [...new Set(request.targetTiers ?? [])],
        categories: [...new Set(request.categories ?? [])],
        ageBand: request.ageBand ?? null,
        campaignId: request.campaignId ?? null,
      },
      now,
    );
    const place = await knownPlace(deps.jurisdictions, request.jurisdictionCode);
    if (!mayOrganize(principal, request.organizer, place.path))
      throw activityErrors.error(
        ACTIVITY_FORBIDDEN,
        'You may organize activities only for your own organization or department, or in your area.',
      );
    const organizer = await organizerOf(request.organizer, deps);
    await checkCampaignMembership(deps.campaigns, 'activity', fields.campaignId, place.path);
    const id = newId();
    const activity = {
      id,
      ...fields,
      organizer,
      jurisdictionPath: [...place.path],
      status: 'draft' as const,
      cancellation: null,
      publishedAt: null,
      createdBy: principal.subject,
      createdAt: now,
      updatedAt: now,
    };
    const audit = deps.audit.entry({
      actor: actorOf(principal),
      action: 'activity.create',
      entityType: 'activity',
      entityId: id,
      jurisdictionPath: place.path,
      before: null,
      after: auditViewOf(activity),
    });
    // The organizer's right to this place was checked above; the write needs no narrower scope.
    return deps.activities.create(Scope.cityWide(), { ...activity, events: [audit] });
  };
}

export type CreateActivity = ReturnType<typeof createActivity>;
