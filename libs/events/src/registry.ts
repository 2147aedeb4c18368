/**
 * The one list of topics, event types and consumer groups. Producers never
 * create topics: this registry is what the provisioning step (local launcher,
 * compose job, k8s manifests) creates.
 */

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
}

/**
 * Six partitions by default: a consumer group spreads over at most as many
 * replicas as partitions, and each service's autoscaler may run six
 * (k8s/components/service; infra/deploy's test holds partitions ≥ maxReplicas).
 */
const topic = (name: string, partitions = 6): TopicSpec => ({ name, partitions });

export const topics = {
  registrationParticipants: topic('learning.registration.participants.v1'),
  registrationOrganizations: topic('learning.registration.organizations.v1'),
  registrationEnrollments: topic('learning.registration.enrollments.v1', 12),
  registrationAudit: topic('learning.registration.audit.v1'),
  activitiesCampaigns: topic('learning.activities.campaigns.v1'),
  activitiesActivities: topic('learning.activities.activities.v1'),
  activitiesNetwork: topic('learning.activities.network.v1'),
  activitiesAudit: topic('learning.activities.audit.v1'),
  activitiesTraining: topic('learning.activities.training.v1'),
  lecturesSessions: topic('learning.lectures.sessions.v1'),
  lecturesCoverage: topic('learning.lectures.coverage.v1'),
  lecturesLibrary: topic('learning.lectures.library.v1'),
  scoringCredits: topic('learning.scoring.credits.v1'),
  scoringAssessments: topic('learning.scoring.assessments.v1'),
  scoringAwards: topic('learning.scoring.awards.v1'),
  notificationsDeliveries: topic('learning.notifications.deliveries.v1'),
  lecturesAudit: topic('learning.lectures.audit.v1'),
  scoringAudit: topic('learning.scoring.audit.v1'),
  notificationsAudit: topic('learning.notifications.audit.v1'),
  notificationsWebhooks: topic('learning.notifications.webhooks.v1'),
  /**
   * Personal-information erasure: registration's requests and every service's completions, keyed by
   * participant id, so one person's request and confirmations stay in order on one partition.
   */
  privacyErasures: topic('learning.privacy.erasures.v1'),
} as const satisfies Record<string, TopicSpec>;

/**
 * Consumer groups are named `<service>.<purpose>`; each owns a dead-letter
 * topic, so the groups are declared here to provision those topics up front.
 */
export const consumerGroups = {
  registrationOwnerChanges: 'registration.owner-changes',
  registrationAudit: 'registration.audit',
  registrationHomeMoves: 'registration.home-moves',
  activitiesAttendance: 'activities.attendance',
  activitiesAudit: 'activities.audit',
  activitiesLectureSessions: 'activities.lecture-sessions',
  activitiesTrainingAttendance: 'activities.training-attendance',
  lecturesAttendance: 'lectures.attendance',
  scoringCredits: 'scoring.credits',
  scoringLeaderboards: 'scoring.leaderboards',
  scoringEvaluationInputs: 'scoring.evaluation-inputs',
  scoringFunding: 'scoring.funding',
  notificationsFanout: 'notifications.fanout',
  notificationsWebhooks: 'notifications.webhooks',
  notificationsReactions: 'notifications.reactions',
  lecturesAudit: 'lectures.audit',
  lecturesProgrammeCache: 'lectures.programme-cache',
  scoringAudit: 'scoring.audit',
  notificationsAudit: 'notifications.audit',
  registrationErasure: 'registration.erasure',
  registrationErasureProgress: 'registration.erasure-progress',
  activitiesErasure: 'activities.erasure',
  lecturesErasure: 'lectures.erasure',
  scoringErasure: 'scoring.erasure',
  notificationsErasure: 'notifications.erasure',
  scoringConsents: 'scoring.consents',
  notificationsConsents: 'notifications.consents',
} as const;

export const deadLetterTopicOf = (groupId: string): string => `${groupId}.dlq`;

export function topicsToProvision(): TopicSpec[] {
  return [
    ...Object.values(topics),
    ...Object.values(consumerGroups).map((group) => topic(deadLetterTopicOf(group), 1)),
  ];
}

const eventTypePattern = /^[a-z]+\.[a-z][a-z-]*\.[a-z][a-z-]*\.v[1-9]\d*$/;

/** Encodes a payload to its JSON form and back; ts-proto's generated message functions fit. */
export interface PayloadCodec<T> {
  toJSON(payload: T): unknown;
  fromJSON(json: unknown): T;
}

export interface EventDefinition<T> {
  /** `<service>.<aggregate>.<what-happened>.v<n>`: explicit, never derived from a class name. */
  readonly type: string;
  readonly topic: TopicSpec;
  readonly codec: PayloadCodec<T>;
}

export function defineEvent<T>(
  type: string,
  topicSpec: TopicSpec,
  codec: PayloadCodec<T>,
): EventDefinition<T> {
  if (!eventTypePattern.test(type)) {
    throw new Error(`Event type "${type}" must read <service>.<aggregate>.<what-happened>.v<n>`);
  }
  return { type, topic: topicSpec, codec };
}
