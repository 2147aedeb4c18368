/**
 * Registration's answers for activities: the jurisdiction tree (nodes cached
 * briefly in Redis, since every write checks a place) and sign-up figures
 * (never cached: a capacity change is checked against the current count).
 */
import { jurisdictionLevelMapping } from '@learning/contracts';
import { AppError } from '@learning/errors';
import { createGrpcClient, type GrpcClient } from '@learning/grpc';
import type { Logger } from '@learning/logger';
import { registration, type common } from '@learning/proto';
import { redisKey, type RedisClient } from '@learning/redis';
import type {
  EnrollmentFigures,
  Enrollments,
  Jurisdiction,
  JurisdictionLevel,
  Jurisdictions,
} from '../../application/ports.js';

/** The owner name registration files activities' sign-ups under. */
const OWNER = 'activities';
const DEADLINE_MS = 2_000;
/** A subtree of a city with thousands of villages streams for longer than one unary call. */
const STREAM_DEADLINE_MS = 30_000;

export interface RegistrationClientOptions {
  /** `host:port` */
  readonly address: string;
  readonly redis: RedisClient;
  readonly logger: Logger;
  readonly cacheTtlMs: number;
  readonly tokenProvider?: () => Promise<string> | string;
}

function jurisdictionOf(message: registration.Jurisdiction): Jurisdiction {
  const level =
    message.ref === undefined ? undefined : jurisdictionLevelMapping.fromProto(message.ref.level);
  if (message.ref === undefined || level === undefined)
    throw new AppError(
      'internal',
      'UPSTREAM_FAILED',
      'Registration described a jurisdiction incompletely.',
    );
  return {
    code: message.ref.code,
    name: message.name,
    level,
    path: [...message.ref.path, message.ref.code],
  };
}

export class GrpcRegistration implements Jurisdictions, Enrollments {
  private readonly directory: GrpcClient<typeof registration.JurisdictionDirectoryServiceService>;
  private readonly enrollmentService: GrpcClient<typeof registration.EnrollmentServiceService>;

  constructor(private readonly options: RegistrationClientOptions) {
    const common = {
      address: options.address,
      logger: options.logger,
      deadlineMs: DEADLINE_MS,
      ...(options.tokenProvider === undefined ? {} : { tokenProvider: options.tokenProvider }),
    };
    this.directory = createGrpcClient(registration.JurisdictionDirectoryServiceClient, {
      ...common,
      idempotentMethods: ['getJurisdictions', 'streamSubtree'],
    });
    this.enrollmentService = createGrpcClient(registration.EnrollmentServiceClient, {
      ...common,
      idempotentMethods: ['getEnrollmentCounts'],
    });
  }

  private keyOf(code: string): string {
    return redisKey('activities', 'jurisdiction', code);
  }

  async find(codes: readonly string[]): Promise<ReadonlyMap<string, Jurisdiction>> {
    const wanted = [...new Set(codes)];
    const found = new Map<string, Jurisdiction>();
    if (wanted.length === 0) return found;
    // A cache that is down only costs registration a call.
    const cached = await this.options.redis
      .mGet(wanted.map((code) => this.keyOf(code)))
      .catch(() => wanted.map(() => null));
    const missing: string[] = [];
    wanted.forEach((code, index) => {
      const text = cached[index];
      if (text === null || text === undefined) missing.push(code);
      else found.set(code, JSON.parse(text) as Jurisdiction);
    });
    if (missing.length === 0) return found;
    const response = await this.directory.call.getJurisdictions({ codes: missing });
    for (const message of response.jurisdictions) {
      const node = jurisdictionOf(message);
      found.set(node.code, node);
      await this.options.redis
        .set(this.keyOf(node.code), JSON.stringify(node), { PX: this.options.cacheTtlMs })
        .catch(() => undefined);
    }
    return found;
  }

  async *subtree(
    rootCode: string,
    levels: readonly JurisdictionLevel[] = [],
  ): AsyncIterable<Jurisdiction[]> {
    const pages = this.directory.call.streamSubtree(
      {
        rootCode,
        levels: levels.map((level): common.JurisdictionLevel =>
          jurisdictionLevelMapping.toProto(level),
        ),
      },
      { deadlineMs: STREAM_DEADLINE_MS },
    );
    for await (const page of pages) yield page.jurisdictions.map(jurisdictionOf);
  }

  async figuresOf(activityIds: readonly string[]): Promise<ReadonlyMap<string, EnrollmentFigures>> {
    const figures = new Map<string, EnrollmentFigures>();
    if (activityIds.length === 0) return figures;
    const response = await this.enrollmentService.call.getEnrollmentCounts({
      events: activityIds.map((eventId) => ({ owner: OWNER, eventId })),
    });
    for (const counts of response.counts)
      if (counts.event !== undefined)
        figures.set(counts.event.eventId, {
          confirmed: counts.confirmed,
          waitlisted: counts.waitlisted,
          checkedIn: counts.checkedIn,
          attended: counts.attended,
        });
    for (const id of activityIds)
      if (!figures.has(id))
        figures.set(id, { confirmed: 0, waitlisted: 0, checkedIn: 0, attended: 0 });
    return figures;
  }

  close(): void {
    this.directory.close();
    this.enrollmentService.close();
  }
}
