/** The lectures service's environment: one schema, validated once at start. */
import { serviceCredentialsEnv, serviceCredentialsProblems } from '@learning/auth';
import { env, type Config } from '@learning/config';
import { piiEnv } from '@learning/pii';
import { privacyEnv } from '@learning/privacy';
import { loadServiceConfig, serviceEnv } from '@learning/runtime';
import { Type } from '@sinclair/typebox';

export const lecturesEnv = Type.Object({
  ...serviceEnv,
  MONGODB_DATABASE: env.string({ default: 'lectures' }),
  /** Experts' phone numbers and e-mail addresses are encrypted at rest, as registration's participants are. */
  ...piiEnv,
  /** `host:port` of registration's gRPC server: the jurisdiction tree, departments and participants. */
  REGISTRATION_GRPC_ADDRESS: env.string({ default: '127.0.0.1:9101' }),
  /** The static service token lectures presents to registration (role `service`); the local stack's. */
  REGISTRATION_SERVICE_TOKEN: env.optional(env.string()),
  /** `host:port` of activities' gRPC server: the venue catalogue and campaigns (decision 0015). */
  ACTIVITIES_GRPC_ADDRESS: env.string({ default: '127.0.0.1:9102' }),
  /** The static service token lectures presents to activities (role `service`); the local stack's. */
  ACTIVITIES_SERVICE_TOKEN: env.optional(env.string()),
  /** Client credentials for a renewing token from the identity provider, used instead when set. */
  ...serviceCredentialsEnv,
  /** How often the scheduler looks for sessions that have ended (held) and for coverage gaps. */
  SCHEDULER_TICK_MS: env.integer({ default: 30_000, minimum: 100 }),
  /**
   * How long after its end a session is marked held: the attendance officers confirm right after
   * the lecture is in SessionHeld's count (attendance confirmed later is kept but not recounted).
   */
  SESSION_HELD_GRACE_MS: env.integer({ default: 2 * 60 * 60_000, minimum: 0 }),
  /**
   * Words that hold a feedback comment for the forum manager's review, comma-separated. Matched
   * after NFKC, case folding and dropping everything but letters and digits (so 傻 逼 is caught);
   * words are best two characters or more, as short ones also match inside harmless text.
   */
  FEEDBACK_BLOCKED_WORDS: env.list({
    default:
      '傻逼,傻b,煞笔,操你妈,草泥马,他妈的,王八蛋,混蛋,滚蛋,去死,脑残,白痴,贱人,狗东西,' +
      'fuck,shit,bitch,asshole,bastard',
  }),
  /**
   * The least gap a speaker needs between two sessions at different venues,
   * minutes (src/domain/scheduling.ts): in one township or street, between
   * two city streets, and when either venue is in the countryside.
   */
  TRAVEL_MINUTES_SAME_TOWNSHIP: env.integer({ default: 30, minimum: 0, maximum: 24 * 60 }),
  TRAVEL_MINUTES_CITY: env.integer({ default: 60, minimum: 0, maximum: 24 * 60 }),
  TRAVEL_MINUTES_COUNTRYSIDE: env.integer({ default: 120, minimum: 0, maximum: 24 * 60 }),
  /** How long a public programme or library page is served from the cache at most. */
  PUBLIC_CACHE_TTL_MS: env.integer({ default: 30_000, minimum: 1_000 }),
  /** The largest file of a session's materials (slides, hand-outs), in bytes. */
  MATERIALS_MAX_BYTES: env.integer({ default: 50 * 1024 * 1024, minimum: 1_024 }),
  /** A township or street with no session in this many months is a coverage gap (and the default look-back). */
  COVERAGE_GAP_MONTHS: env.integer({ default: 6, minimum: 1, maximum: 120 }),
  /** How often the coverage gap check runs (once across replicas). */
  COVERAGE_CHECK_EVERY_MS: env.integer({ default: 24 * 60 * 60_000, minimum: 1_000 }),
  /**
   * The jurisdiction whose subtree the gap check watches (the city's code);
   * unset, no gap is checked or published.
   */
  COVERAGE_CHECK_ROOT: env.optional(env.string({ minLength: 1 })),
  /** The retention sweeps' period and the audit log's retention (decision 0022). */
  ...privacyEnv,
  /**
   * Days an attendance record stays linked to its attendee (who may rate the session); after that
   * only its session, township and time stay, for the coverage figures. Three years by default.
   */
  ATTENDANCE_RETENTION_DAYS: env.integer({ default: 1095, minimum: 1 }),
  /** Days a rating keeps its comment and author; after that only the rating stays, for the aggregates. */
  FEEDBACK_RETENTION_DAYS: env.integer({ default: 1095, minimum: 1 }),
  /** Days a learner's progress through a lesson is kept after their last heartbeat. */
  LESSON_PROGRESS_RETENTION_DAYS: env.integer({ default: 730, minimum: 1 }),
  /** Days a retired expert's contacts and availability are kept after retiring (the profile stays). */
  EXPERT_CONTACT_RETENTION_DAYS: env.integer({ default: 365, minimum: 1 }),
});

export type LecturesConfig = Config<typeof lecturesEnv>;

export const loadLecturesConfig = (
  environment: Readonly<Record<string, string | undefined>>,
): LecturesConfig => loadServiceConfig(lecturesEnv, environment, serviceCredentialsProblems);
