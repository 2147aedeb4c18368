/**
 * What the service sends: notices of a known kind to one person, through
 * channels the person chose. The kind catalogue is the one place that says a
 * kind's preference category, whether it is urgent, and which variables its
 * templates may use (a template naming another variable is refused when saved).
 */

export const CHANNELS = ['inbox', 'sms', 'email', 'wechat'] as const;
export type Channel = (typeof CHANNELS)[number];

/** What a person opts out of, per channel; the preference screen lists these. */
export const CATEGORIES = [
  'enrollments',
  'schedule_changes',
  'reminders',
  'whats_on',
  'credits',
  'awards',
  'organizations',
  'coverage',
  'training',
  'announcements',
  'subscriptions',
] as const;
export type Category = (typeof CATEGORIES)[number];

export type VariableType = 'text' | 'datetime' | 'number';

export interface KindSpec {
  readonly category: Category;
  /**
   * Urgent notices bypass quiet hours and digests. A kind urgent only at
   * times (an activity cancelled on its own day) is not urgent here: the
   * notice request says so when it is.
   */
  readonly urgent: boolean;
  /** Every variable a template of this kind may name, with its type: the kind's schema. */
  readonly variables: Readonly<Record<string, VariableType>>;
}

const eventVariables = {
  title: 'text',
  startsAt: 'datetime',
  endsAt: 'datetime',
  venue: 'text',
} as const satisfies Record<string, VariableType>;

export const NOTICE_KINDS = {
  'enrollment.confirmed': { category: 'enrollments', urgent: false, variables: eventVariables },
  'enrollment.waitlisted': {
    category: 'enrollments',
    urgent: false,
    variables: { ...eventVariables, position: 'number' },
  },
  'enrollment.promoted': { category: 'enrollments', urgent: false, variables: eventVariables },
  'enrollment.cancelled': {
    category: 'enrollments',
    urgent: false,
    variables: { ...eventVariables, reason: 'text' },
  },
  'event.rescheduled': {
    category: 'schedule_changes',
    urgent: false,
    variables: { ...eventVariables, previousStartsAt: 'datetime' },
  },
  'event.cancelled': {
    category: 'schedule_changes',
    urgent: false,
    variables: { ...eventVariables, reason: 'text' },
  },
  'reminder.day-before': { category: 'reminders', urgent: false, variables: eventVariables },
  'reminder.hour-before': { category: 'reminders', urgent: true, variables: eventVariables },
  'activity.published': {
    category: 'whats_on',
    urgent: false,
    variables: { ...eventVariables, place: 'text' },
  },
  'session.scheduled': {
    category: 'whats_on',
    urgent: false,
    variables: { ...eventVariables, place: 'text', speaker: 'text' },
  },
  'credits.awarded': {
    category: 'credits',
    urgent: false,
    variables: { amount: 'text', source: 'text', occurredAt: 'datetime' },
  },
  'award.granted': {
    category: 'awards',
    urgent: false,
    variables: { award: 'text', year: 'number' },
  },
  'organization.recognized': {
    category: 'organizations',
    urgent: false,
    variables: { organization: 'text' },
  },
  'organization.rejected': {
    category: 'organizations',
    urgent: false,
    variables: { organization: 'text', reason: 'text' },
  },
  'coverage.gap': {
    category: 'coverage',
    urgent: false,
    variables: { area: 'text', gap: 'text', detectedAt: 'datetime' },
  },
  'training.completed': {
    category: 'training',
    urgent: false,
    variables: { programme: 'text', certificateCode: 'text', completedAt: 'datetime' },
  },
  announcement: {
    category: 'announcements',
    urgent: false,
    variables: { subject: 'text', body: 'text' },
  },
  'subscription.paused': {
    category: 'subscriptions',
    urgent: true,
    variables: { subscription: 'text', url: 'text', failures: 'number', lastError: 'text' },
  },
  digest: {
    category: 'announcements',
    urgent: false,
    variables: { count: 'number', items: 'text', period: 'text' },
  },
} as const satisfies Record<string, KindSpec>;

export type NoticeKind = keyof typeof NOTICE_KINDS;

export const NOTICE_KIND_NAMES = Object.keys(NOTICE_KINDS) as NoticeKind[];

export const isNoticeKind = (value: string): value is NoticeKind =>
  Object.prototype.hasOwnProperty.call(NOTICE_KINDS, value);

export const kindSpecOf = (kind: NoticeKind): KindSpec => NOTICE_KINDS[kind];

/** A variable's value as the templates see it; datetimes are Dates, formatted per language when rendered. */
export type VariableValue = string | number | Date;

/** Addresses of a recipient that the sender already holds (an officer's duty contact). Personal data. */
export interface RecipientContact {
  readonly language: string;
  readonly phone: string | null;
  readonly email: string | null;
  readonly wechatOpenId: string | null;
}

/** One notice to one person, before preferences decide its channels. */
export interface NoticeRequest {
  /**
   * Stable per notice: with the recipient and a channel it identifies one
   * delivery, so a redelivered event or a second worker sends nothing twice.
   * The source event's id (`<event id>`), or `<event id>:<suffix>` when one
   * event yields several notices to a person (a 24 h and a 1 h reminder).
   */
  readonly noticeId: string;
  readonly kind: NoticeKind;
  /**
   * Who it is for: a participant id, or `officer:<token subject>` for an
   * officer (who is not a participant; their inbox and preferences are keyed so).
   */
  readonly recipient: string;
  /**
   * The recipient's addresses when the sender holds them (officers, from
   * registration's officer directory); absent for participants, whose
   * consented contacts the dispatcher asks registration for.
   */
  readonly contact?: RecipientContact;
  /** True for a notice that must not wait (today's activity cancelled); else the kind's own urgency. */
  readonly urgent: boolean;
  readonly variables: Readonly<Record<string, VariableValue>>;
  /** When what the notice reports happened; digests list in this order. */
  readonly occurredAt: Date;
  /** Who asked for it, for the sender's delivery log: `service:activities`, an office's subject. */
  readonly sender: string;
  /**
   * Only these channels; all when absent. A broadcast hands in its held
   * external copies so: its inbox entry is its batch, not a delivery.
   */
  readonly channels?: readonly Channel[];
}

/** What became of a notice on one channel. */
export const DELIVERY_STATUSES = [
  'pending',
  'held',
  'digested',
  'delivered',
  'failed',
  'suppressed',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Why a channel was not used; stable, shown to the sender and the person. */
export const SUPPRESSION_REASONS = [
  'opted_out',
  'no_consent',
  'no_contact',
  'channel_disabled',
] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];
