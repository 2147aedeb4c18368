/**
 * A learning organization's recognition life cycle and who may move it.
 *
 *   applied → under_review → recognized | rejected
 *   recognized → suspended → recognized (reinstated)
 *
 * Rejection is final: an organization that wants another try applies again.
 */
import type { OrganizationKind } from './departments.js';
import { DomainError } from './errors.js';
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
