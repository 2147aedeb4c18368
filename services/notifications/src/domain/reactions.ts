/**
 * What the other services' events mean to the people concerned: each event
 * becomes notice requests of a known kind, with the variables its templates
 * use. Readable texts (why a sign-up was cancelled, what earned credits,
 * what gap was found) are chosen in the recipient's language here, as the
 * templates fill them in as given.
 */
import type { NoticeKind, NoticeRequest, RecipientContact, VariableValue } from './notices.js';
import type { Language } from './preferences.js';

/** What a seated event is, as registration described it in its enrollment events. */
export interface EventSummary {
  readonly title: string;
  readonly startsAt: Date | null;
  readonly endsAt: Date | null;
  /** Where, readable: the name of the place it is held at; null until known. */
  readonly venue: string | null;
  /** The place it is held at (the deepest code of its path); null when not given. */
  readonly placeCode: string | null;
}

/** The facts every enrollment event shares. */
export interface EnrollmentFacts {
  /** The source event's CloudEvents id: the notice's id, so a redelivery sends nothing twice. */
  readonly sourceEventId: string;
  readonly enrollmentId: string;
  /** `<owner>:<event id>`, as registration keys the seated event. */
  readonly eventKey: string;
  readonly participantId: string;
  /** Absent on events published before registration described the event in them. */
  readonly summary: EventSummary | null;
  readonly occurredAt: Date;
}

export type CancellationCause =
  | { readonly by: 'self' }
  | { readonly by: 'officer'; readonly note: string }
  | { readonly by: 'no_longer_eligible' }
  | { readonly by: 'event_cancelled'; readonly note: string }
  | { readonly by: 'unspecified' };

export const REGISTRATION_SENDER = 'service:registration';

type Texts = Readonly<Record<Language, string>>;

const eventVariables = (summary: EventSummary | null): Record<string, VariableValue> => {
  if (summary === null) return {};
  return {
    ...(summary.title === '' ? {} : { title: summary.title }),
    ...(summary.startsAt === null ? {} : { startsAt: summary.startsAt }),
    ...(summary.endsAt === null ? {} : { endsAt: summary.endsAt }),
    ...(summary.venue === null ? {} : { venue: summary.venue }),
  };
};

function personalNotice(
  facts: EnrollmentFacts,
  kind: NoticeKind,
  variables: Record<string, VariableValue>,
  urgent = false,
): NoticeRequest {
  return {
    noticeId: facts.sourceEventId,
    kind,
    recipient: facts.participantId,
    urgent,
    variables: { ...eventVariables(facts.summary), ...variables },
    occurredAt: facts.occurredAt,
    sender: REGISTRATION_SENDER,
  };
}

export const confirmedNotice = (facts: EnrollmentFacts): NoticeRequest =>
  personalNotice(facts, 'enrollment.confirmed', {});

/** `position`: the place on the waitlist, when registration said it. */
export const waitlistedNotice = (facts: EnrollmentFacts, position: number | null): NoticeRequest =>
  personalNotice(facts, 'enrollment.waitlisted', position === null ? {} : { position });

export const promotedNotice = (facts: EnrollmentFacts): NoticeRequest =>
  personalNotice(facts, 'enrollment.promoted', {});

const cancellationTexts = {
  self: { 'zh-CN': '您已取消报名', en: 'You cancelled your sign-up' },
  officer: { 'zh-CN': '工作人员取消了您的报名', en: 'An officer cancelled your sign-up' },
  no_longer_eligible: {
    'zh-CN': '您的居住地已不在活动范围内',
    en: 'Your home is no longer within the area the event is for',
  },
  event_cancelled: { 'zh-CN': '主办方取消了活动', en: 'The organizer cancelled the event' },
  unspecified: { 'zh-CN': '报名已取消', en: 'Your sign-up was cancelled' },
} as const satisfies Record<CancellationCause['by'], Texts>;

/** Why, readable: the officer's or owner's own words when they gave any. */
export function cancellationReasonText(cause: CancellationCause, language: Language): string {
  const standard = cancellationTexts[cause.by][language];
  if (cause.by === 'officer' && cause.note.trim() !== '')
    return `${standard}${language === 'zh-CN' ? '：' : ': '}${cause.note.trim()}`;
  if (cause.by === 'event_cancelled' && cause.note.trim() !== '') return cause.note.trim();
  return standard;
}

/** The calendar date (`YYYY-MM-DD`) at `instant` in `timeZone`. */
export const calendarDateIn = (instant: Date, timeZone: string): string =>
  // en-CA writes dates as YYYY-MM-DD.
  new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);

/** An event starting on the city's today: its cancellation must not wait for the morning or a digest. */
export const startsToday = (startsAt: Date | null, now: Date, cityTimeZone: string): boolean =>
  startsAt !== null && calendarDateIn(startsAt, cityTimeZone) === calendarDateIn(now, cityTimeZone);

/**
 * A cancelled enrollment: `event.cancelled` when the owner cancelled the
 * event itself (urgent on its own day), else `enrollment.cancelled`.
 */
export function cancelledNotice(
  facts: EnrollmentFacts,
  cause: CancellationCause,
  context: { readonly language: Language; readonly now: Date; readonly cityTimeZone: string },
): NoticeRequest {
  const reason = cancellationReasonText(cause, context.language);
  if (cause.by !== 'event_cancelled')
    return personalNotice(facts, 'enrollment.cancelled', { reason });
  const urgent = startsToday(facts.summary?.startsAt ?? null, context.now, context.cityTimeZone);
  return personalNotice(facts, 'event.cancelled', { reason }, urgent);
}

/** A seated event moved: one notice per person enrolled, all under the source event's id. */
export interface Rescheduling {
  readonly sourceEventId: string;
  /** `activities:<id>`, `lectures:<id>` or `training:<class id>`. */
  readonly eventKey: string;
  /** Null when the event did not say it and no reminder held it. */
  readonly title: string | null;
  /** The place it is held at (the deepest code of its path); null when not given. */
  readonly placeCode: string | null;
  /** Its name, once looked up. */
  readonly venue: string | null;
  readonly startsAt: Date;
  readonly endsAt: Date | null;
  readonly previousStartsAt: Date | null;
  readonly occurredAt: Date;
  readonly sender: string;
}

export const rescheduledNotices = (
  rescheduling: Rescheduling,
  recipients: readonly string[],
): NoticeRequest[] =>
  recipients.map((recipient) => ({
    noticeId: rescheduling.sourceEventId,
    kind: 'event.rescheduled',
    recipient,
    urgent: false,
    variables: {
      ...(rescheduling.title === null ? {} : { title: rescheduling.title }),
      startsAt: rescheduling.startsAt,
      ...(rescheduling.endsAt === null ? {} : { endsAt: rescheduling.endsAt }),
      ...(rescheduling.venue === null ? {} : { venue: rescheduling.venue }),
      ...(rescheduling.previousStartsAt === null
        ? {}
        : { previousStartsAt: rescheduling.previousStartsAt }),
    },
    occurredAt: rescheduling.occurredAt,
    sender: rescheduling.sender,
  }));

export const CREDIT_SOURCES = [
  'activity_attended',
  'lecture_attended',
  'training_attended',
  'lesson_completed',
  'contest_placed',
  'book_donated',
  'organization_recognized',
  'activity_organized',
  'training_completed',
  'unspecified',
] as const;
export type CreditSource = (typeof CREDIT_SOURCES)[number];

const creditSourceTexts = {
  activity_attended: { 'zh-CN': '参加活动', en: 'Attending an activity' },
  lecture_attended: { 'zh-CN': '参加讲座', en: 'Attending a lecture' },
  training_attended: { 'zh-CN': '参加培训', en: 'Attending a training class' },
  lesson_completed: { 'zh-CN': '完成在线课程', en: 'Completing an online lesson' },
  contest_placed: { 'zh-CN': '竞赛获奖', en: 'A place in a contest' },
  book_donated: { 'zh-CN': '图书捐赠', en: 'Donating books' },
  organization_recognized: {
    'zh-CN': '认定为学习型组织',
    en: 'Recognition as a learning organization',
  },
  activity_organized: { 'zh-CN': '组织活动', en: 'Organizing an activity' },
  training_completed: { 'zh-CN': '完成培训', en: 'Completing a training programme' },
  unspecified: { 'zh-CN': '学习', en: 'Learning' },
} as const satisfies Record<CreditSource, Texts>;

export const creditSourceText = (source: CreditSource, language: Language): string =>
  creditSourceTexts[source][language];

export interface CreditsAward {
  readonly sourceEventId: string;
  readonly participantId: string;
  /** Decimal credits as the ledger wrote them: "2.5". */
  readonly amount: string;
  readonly source: CreditSource;
  readonly occurredAt: Date;
}

export const creditsAwardedNotice = (award: CreditsAward, language: Language): NoticeRequest => ({
  noticeId: award.sourceEventId,
  kind: 'credits.awarded',
  recipient: award.participantId,
  urgent: false,
  variables: {
    amount: award.amount,
    source: creditSourceText(award.source, language),
    occurredAt: award.occurredAt,
  },
  occurredAt: award.occurredAt,
  sender: 'service:scoring',
});

/** The person award categories (§6.4) as a notice names them; exemplary organizations are told to no person. */
export const PERSON_AWARD_CATEGORIES = [
  'exemplary_individual',
  'self_taught_achiever',
  'innovator',
] as const;
export type PersonAwardCategory = (typeof PERSON_AWARD_CATEGORIES)[number];

// The English template reads "You are {{award}} {{year}}".
const awardTexts = {
  exemplary_individual: {
    'zh-CN': '学习型社会建设先进个人',
    en: 'an exemplary learner of the learning society',
  },
  self_taught_achiever: { 'zh-CN': '自学成才者', en: 'a self-taught achiever' },
  innovator: { 'zh-CN': '创新成功者', en: 'an innovator' },
} as const satisfies Record<PersonAwardCategory, Texts>;

/** The office granted a person an award of the annual evaluation. */
export interface AwardGrant {
  readonly sourceEventId: string;
  readonly participantId: string;
  readonly category: PersonAwardCategory;
  readonly year: number;
  readonly grantedAt: Date;
}

export const awardGrantedNotice = (grant: AwardGrant, language: Language): NoticeRequest => ({
  noticeId: grant.sourceEventId,
  kind: 'award.granted',
  recipient: grant.participantId,
  urgent: false,
  variables: { award: awardTexts[grant.category][language], year: grant.year },
  occurredAt: grant.grantedAt,
  sender: 'service:scoring',
});

export type OrganizationDecision =
  { readonly outcome: 'recognized' } | { readonly outcome: 'rejected'; readonly reason: string };

const noReasonGiven: Texts = { 'zh-CN': '未说明原因', en: 'No reason was given' };

/** One notice per admin of the organization, each in the admin's language. */
export const organizationDecidedNotices = (
  decision: OrganizationDecision,
  context: {
    readonly sourceEventId: string;
    readonly organizationName: string;
    readonly admins: readonly { readonly participantId: string; readonly language: Language }[];
    readonly occurredAt: Date;
  },
): NoticeRequest[] =>
  context.admins.map(({ participantId, language }): NoticeRequest => {
    const organization = context.organizationName;
    const common = {
      noticeId: context.sourceEventId,
      recipient: participantId,
      urgent: false,
      occurredAt: context.occurredAt,
      sender: REGISTRATION_SENDER,
    };
    if (decision.outcome === 'recognized')
      return { ...common, kind: 'organization.recognized', variables: { organization } };
    const reason = decision.reason.trim() === '' ? noReasonGiven[language] : decision.reason.trim();
    return { ...common, kind: 'organization.rejected', variables: { organization, reason } };
  });

export type CoverageGap =
  | { readonly kind: 'township_without_supermarket' }
  | { readonly kind: 'village_without_library' }
  | { readonly kind: 'library_under_standard' }
  | { readonly kind: 'pairing_without_donation' }
  | { readonly kind: 'no_lecture'; readonly months: number }
  | { readonly kind: 'unspecified' };

export function coverageGapText(gap: CoverageGap, language: Language): string {
  switch (gap.kind) {
    case 'township_without_supermarket':
      return language === 'zh-CN' ? '尚无知识超市' : 'No knowledge supermarket yet';
    case 'village_without_library':
      return language === 'zh-CN' ? '尚无农家书屋' : 'No farmhouse library yet';
    case 'library_under_standard':
      return language === 'zh-CN'
        ? '结对书屋藏书未达标准'
        : 'A paired library holds fewer books than the standard';
    case 'pairing_without_donation':
      return language === 'zh-CN'
        ? '企村结对今年尚无图书捐赠'
        : 'An enterprise-village pairing has no donation this year';
    case 'no_lecture':
      return language === 'zh-CN'
        ? `近 ${gap.months} 个月未举办讲座`
        : `No lecture held in the last ${gap.months} months`;
    case 'unspecified':
      return language === 'zh-CN' ? '覆盖存在缺口' : 'A coverage gap';
  }
}

/** An area officer to tell, with the duty contact registration holds for them. */
export interface AreaOfficer {
  readonly subject: string;
  readonly contact: RecipientContact;
}

export const officerRecipient = (subject: string): string => `officer:${subject}`;

const languageOf = (tag: string): Language => (tag === 'en' ? 'en' : 'zh-CN');

export const coverageGapNotices = (
  gap: CoverageGap,
  context: {
    readonly sourceEventId: string;
    readonly areaName: string;
    readonly officers: readonly AreaOfficer[];
    readonly detectedAt: Date;
    readonly sender: string;
  },
): NoticeRequest[] =>
  context.officers.map((officer) => ({
    noticeId: context.sourceEventId,
    kind: 'coverage.gap',
    recipient: officerRecipient(officer.subject),
    contact: officer.contact,
    urgent: false,
    variables: {
      area: context.areaName,
      gap: coverageGapText(gap, languageOf(officer.contact.language)),
      detectedAt: context.detectedAt,
    },
    occurredAt: context.detectedAt,
    sender: context.sender,
  }));

/** A trainee completed a programme's hours (and its test, where it has one). */
export interface TrainingCompletion {
  readonly sourceEventId: string;
  readonly participantId: string;
  readonly programmeTitle: string;
  readonly certificateCode: string;
  readonly completedAt: Date;
}

export const trainingCompletedNotice = (completion: TrainingCompletion): NoticeRequest => ({
  noticeId: completion.sourceEventId,
  kind: 'training.completed',
  recipient: completion.participantId,
  urgent: false,
  variables: {
    programme: completion.programmeTitle,
    certificateCode: completion.certificateCode,
    completedAt: completion.completedAt,
  },
  occurredAt: completion.completedAt,
  sender: 'service:activities',
});
