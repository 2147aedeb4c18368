/**
 * A learning organization's recognition life cycle and who may move it.
 *
 *   applied → under_review → recognized | rejected
 *   recognized → suspended → recognized (reinstated)
 *
 * Rejection is final: an organization that wants another try applies again.
 */
import type { OrganizationKind } from './departments.js';
import { OFFICER_ROLES } from '@learning/auth';
import { DomainError } from '@learning/domain';
import { isWithin } from './jurisdictions.js';

export const ORGANIZATION_STATUSES = [
  'applied',
  'under_review',
  'recognized',
  'rejected',
  'suspended',
] as const;
export type OrganizationStatus = (typeof ORGANIZATION_STATUSES)[number];

export type OrganizationAction = 'start_review' | 'recognize' | 'reject' | 'suspend' | 'reinstate';

/** What the rules need to know about an organization. */
export interface OrganizationRecord {
  readonly id: string;
  readonly kind: OrganizationKind;
  /** Ancestor codes from the city down to the organization's jurisdiction. */
  readonly jurisdictionPath: readonly string[];
  /** Fixed at registration from the table then in force, so later edits do not move it. */
  readonly leadDepartment: string;
  readonly status: OrganizationStatus;
}

/**
 * Who decides; shaped like the platform's authenticated principal so the
 * application can pass one straight in.
 */
export interface Decider {
  readonly subject: string;
  readonly roles: readonly string[];
  readonly cityWide: boolean;
  readonly jurisdictions: readonly string[];
  readonly department?: string | undefined;
}

export interface Decision {
  readonly action: OrganizationAction;
  readonly reason?: string | undefined;
}

export interface StatusChange {
  readonly status: OrganizationStatus;
  readonly reason: string | null;
  readonly decidedBy: string;
  readonly decidedAt: Date;
}

export type OrganizationEventType =
  | 'OrganizationReviewStarted'
  | 'OrganizationRecognized'
  | 'OrganizationRejected'
  | 'OrganizationSuspended';

export interface OrganizationEvent {
  readonly type: OrganizationEventType;
  readonly organizationId: string;
  readonly data: {
    readonly kind: OrganizationKind;
    readonly leadDepartment: string;
    readonly jurisdictionPath: readonly string[];
    readonly from: OrganizationStatus;
    readonly to: OrganizationStatus;
    readonly reason: string | null;
    readonly decidedBy: string;
    readonly decidedAt: string;
  };
}

export const ORGANIZATION_TRANSITION_NOT_ALLOWED = 'ORGANIZATION_TRANSITION_NOT_ALLOWED';
export const ORGANIZATION_REASON_REQUIRED = 'ORGANIZATION_REASON_REQUIRED';
export const ORGANIZATION_DECISION_FORBIDDEN = 'ORGANIZATION_DECISION_FORBIDDEN';

interface Rule {
  readonly from: OrganizationStatus;
  readonly to: OrganizationStatus;
  readonly event: OrganizationEventType;
  readonly reasonRequired: boolean;
}

/**
 * Reinstatement publishes OrganizationRecognized again (with from: suspended)
 * so departments keep one handler for "this organization counts now".
 */
const RULES: Readonly<Record<OrganizationAction, Rule>> = {
  start_review: {
    from: 'applied',
    to: 'under_review',
    event: 'OrganizationReviewStarted',
    reasonRequired: false,
  },
  recognize: {
    from: 'under_review',
    to: 'recognized',
    event: 'OrganizationRecognized',
    reasonRequired: false,
  },
  reject: {
    from: 'under_review',
    to: 'rejected',
    event: 'OrganizationRejected',
    reasonRequired: true,
  },
  suspend: {
    from: 'recognized',
    to: 'suspended',
    event: 'OrganizationSuspended',
    reasonRequired: true,
  },
  reinstate: {
    from: 'suspended',
    to: 'recognized',
    event: 'OrganizationRecognized',
    reasonRequired: false,
  },
};

/**
 * City admins always; an officer of the organization's lead department; an
 * area officer whose subtrees contain the organization's jurisdiction.
 */
export function mayDecide(decider: Decider, organization: OrganizationRecord): boolean {
  if (decider.roles.includes('city_admin')) return true;
  if (
    decider.roles.includes('department_officer') &&
    decider.department === organization.leadDepartment
  ) {
    return true;
  }
  return (
    decider.roles.includes('area_officer') &&
    (decider.cityWide || isWithin(organization.jurisdictionPath, decider.jurisdictions))
  );
}

/** Applies a decision: the new status with who decided and why, and the event to publish. */
export function decide(
  organization: OrganizationRecord,
  decision: Decision,
  decider: Decider,
  now: Date,
): { change: StatusChange; event: OrganizationEvent } {
  if (!mayDecide(decider, organization)) {
    throw new DomainError(
      'permission_denied',
      ORGANIZATION_DECISION_FORBIDDEN,
      'Only the lead department, an officer of its area or a city admin may decide on this organization.',
    );
  }
  const rule = RULES[decision.action];
  if (organization.status !== rule.from) {
    throw new DomainError(
      'failed_precondition',
      ORGANIZATION_TRANSITION_NOT_ALLOWED,
      `An organization that is ${organization.status} cannot be moved by "${decision.action}".`,
    );
  }
  const reason = decision.reason?.trim() || null;
  if (rule.reasonRequired && reason === null) {
    throw new DomainError(
      'invalid_argument',
      ORGANIZATION_REASON_REQUIRED,
      `A reason is required to ${decision.action} an organization.`,
    );
  }
  const change: StatusChange = {
    status: rule.to,
    reason,
    decidedBy: decider.subject,
    decidedAt: now,
  };
  return {
    change,
    event: {
      type: rule.event,
      organizationId: organization.id,
      data: {
        kind: organization.kind,
        leadDepartment: organization.leadDepartment,
        jurisdictionPath: [...organization.jurisdictionPath],
        from: organization.status,
        to: rule.to,
        reason,
        decidedBy: decider.subject,
        decidedAt: now.toISOString(),
      },
    },
  };
}

/** What an organization keeps of its learning system (study rules, training plan, hours). */
export interface LearningSystem {
  readonly studyRules: string;
  readonly trainingPlan: string;
  readonly trainingHoursPerYear: number;
}

export const ORGANIZATION_CREDIT_CODE_INVALID = 'ORGANIZATION_CREDIT_CODE_INVALID';

/** GB 32100-2015: the 31 characters a unified social credit code is written in (no I, O, S, V, Z). */
const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Weight of each of the first 17 positions: 3^i mod 31. */
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const CREDIT_CODE_SHAPE = /^[0-9A-HJ-NP-RTUW-Y]{2}\d{6}[0-9A-HJ-NP-RTUW-Y]{10}$/;

/**
 * Checks a 统一社会信用代码 (unified social credit code): 18 characters of the
 * standard's alphabet, six digits of administrative division, and the last
 * character the GB 32100 check character of the first seventeen. Returns it
 * upper-cased, as registries print it.
 */
export function parseCreditCode(input: string): string {
  const code = input.trim().toUpperCase();
  const refuse = (): never => {
    throw new DomainError(
      'invalid_argument',
      ORGANIZATION_CREDIT_CODE_INVALID,
      'The unified social credit code is not valid: check its 18 characters.',
    );
  };
  if (!CREDIT_CODE_SHAPE.test(code)) return refuse();
  let sum = 0;
  for (const [index, weight] of CREDIT_CODE_WEIGHTS.entries())
    sum += CREDIT_CODE_ALPHABET.indexOf(code.charAt(index)) * weight;
  const expected = CREDIT_CODE_ALPHABET.charAt((31 - (sum % 31)) % 31);
  if (code.charAt(17) !== expected) refuse();
  return code;
}

/** Who acts on an organization; shaped like the platform's principal. */
export interface OrganizationActor extends Decider {
  /** Ids of the organizations this person administers. */
  readonly organizations: readonly string[];
}

/** Officers see and act within their jurisdiction scope; nobody else reaches organizations that way. */
export const isOfficer = (actor: Pick<Decider, 'roles'>): boolean =>
  OFFICER_ROLES.some((role) => actor.roles.includes(role));

/** An admin of this very organization: the `orgs` claim of their token names it. */
export const administers = (actor: OrganizationActor, organizationId: string): boolean =>
  actor.organizations.includes(organizationId);

/**
 * Who may edit an organization's profile and its members: its own admins, a
 * city admin, an officer of its lead department, or an area officer over it.
 * The same people as may decide, plus the organization's admins.
 */
export const mayManage = (actor: OrganizationActor, organization: OrganizationRecord): boolean =>
  administers(actor, organization.id) || mayDecide(actor, organization);

export const ORGANIZATION_MANAGE_FORBIDDEN = 'ORGANIZATION_MANAGE_FORBIDDEN';

export function assertMayManage(actor: OrganizationActor, organization: OrganizationRecord): void {
  if (!mayManage(actor, organization))
    throw new DomainError(
      'permission_denied',
      ORGANIZATION_MANAGE_FORBIDDEN,
      'Only the organization’s admins, its lead department, an officer of its area or a city admin may change it.',
    );
}

/** The first entry of an organization's history: it applied, by whom and when. */
export function applicationOf(applicant: string, now: Date): StatusChange {
  return { status: 'applied', reason: null, decidedBy: applicant, decidedAt: now };
}

export const MEMBERSHIP_ROLES = ['member', 'admin'] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];
export const MEMBERSHIP_STATUSES = ['active', 'ended'] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];

/** One membership per (organization, participant): the pair is its identity. */
export const membershipIdOf = (organizationId: string, participantId: string): string =>
  `${organizationId}:${participantId}`;

export interface MembershipState {
  readonly role: MembershipRole;
  readonly status: MembershipStatus;
  readonly since: Date;
  readonly endedAt: Date | null;
}

export type MembershipChangeKind = 'joined' | 'role_changed' | 'ended';

export interface MembershipOutcome {
  /** Null when the request changes nothing (asked again): no write, no event. */
  readonly change: MembershipChangeKind | null;
  readonly state: MembershipState;
}

export const MEMBERSHIP_ORGANIZATION_CLOSED = 'MEMBERSHIP_ORGANIZATION_CLOSED';

/**
 * Sets a participant's role in an organization. Joining a rejected
 * organization is refused (rejection is final); an ended membership that is
 * set again is a new joining, counted from now.
 */
export function setMembership(
  current: MembershipState | null,
  role: MembershipRole,
  organizationStatus: OrganizationStatus,
  now: Date,
): MembershipOutcome {
  if (current?.status === 'active') {
    if (current.role === role) return { change: null, state: current };
    return { change: 'role_changed', state: { ...current, role } };
  }
  if (organizationStatus === 'rejected')
    throw new DomainError(
      'failed_precondition',
      MEMBERSHIP_ORGANIZATION_CLOSED,
      'A rejected organization takes no new members.',
    );
  return { change: 'joined', state: { role, status: 'active', since: now, endedAt: null } };
}

/** Ends a membership; ending one that is ended or absent changes nothing. */
export function endMembership(
  current: MembershipState | null,
  now: Date,
): MembershipOutcome | null {
  if (current === null) return null;
  if (current.status === 'ended') return { change: null, state: current };
  return { change: 'ended', state: { ...current, status: 'ended', endedAt: now } };
}
