/**
 * The owners' SeatedEventSourceService, one client per owner, with answers
 * cached briefly in Redis: sign-up bursts for one event ask the owner once.
 * Every call has a deadline; an owner that does not answer is
 * UPSTREAM_UNAVAILABLE / UPSTREAM_TIMEOUT (503 / 504), never a hang.
 */
import { contentCategoryMapping } from '@learning/contracts';
import { AppError, platformErrors } from '@learning/errors';
import { createGrpcClient, type GrpcClient } from '@learning/grpc';
import type { Logger } from '@learning/logger';
import { seating } from '@learning/proto';
import { redisKey, type RedisClient } from '@learning/redis';
import type { SeatedEventInfo, SeatedEventSource } from '../../application/enrollments/ports.js';
import { seatedEventInvalid, seatedEventNotFound } from '../../application/enrollments/errors.js';
import { tierFromProto } from '../../application/proto-mapping.js';
import type { SeatedEventOwner } from '../../domain/enrollment.js';
import type { SeatedSession } from '../../domain/sessions.js';

type Client = GrpcClient<typeof seating.SeatedEventSourceServiceService>;

const STATUSES: Partial<Record<seating.SeatedEventStatus, SeatedEventInfo['status']>> = {
  [seating.SeatedEventStatus.SEATED_EVENT_STATUS_PUBLISHED]: 'published',
  [seating.SeatedEventStatus.SEATED_EVENT_STATUS_UNDER_WAY]: 'under_way',
  [seating.SeatedEventStatus.SEATED_EVENT_STATUS_COMPLETED]: 'completed',
  [seating.SeatedEventStatus.SEATED_EVENT_STATUS_CANCELLED]: 'cancelled',
};

/** The owner's message as registration uses it; an answer missing what sign-up needs is the owner's fault. */
export function seatedEventInfoOf(
  owner: SeatedEventOwner,
  event: seating.SeatedEvent,
): SeatedEventInfo {
  const { signUpOpensAt, signUpClosesAt, startsAt, endsAt, audience } = event;
  const status = STATUSES[event.status];
  if (
    signUpOpensAt === undefined ||
    signUpClosesAt === undefined ||
    startsAt === undefined ||
    endsAt === undefined ||
    audience === undefined ||
    status === undefined ||
    event.jurisdictionPath.length === 0
  ) {
    throw seatedEventInvalid();
  }
  return {
    owner,
    eventId: event.eventId,
    title: event.title,
    capacity: event.capacity ?? 'unlimited',
    window: { opensAt: signUpOpensAt, closesAt: signUpClosesAt },
    startsAt,
    endsAt,
    audience: {
      targetTiers: audience.targetTiers.flatMap((tier) => tierFromProto(tier) ?? []),
      areaRootCodes: [...audience.areaRootCodes],
      pupilAgeBand: audience.pupilAgeBand ?? null,
      organizationIds: [...audience.organizationIds],
    },
    status,
    jurisdictionPath: [...event.jurisdictionPath],
    organizerOrganizationId:
      event.organizerOrganizationId === '' ? null : event.organizerOrganizationId,
    // A category this build does not know yet is left out rather than refusing the event.
    categories: event.categories.flatMap(
      (category) => contentCategoryMapping.fromProto(category) ?? [],
    ),
    campaignId: event.campaignId === '' ? null : event.campaignId,
    learningMinutes: event.learningMinutes,
    sessions: event.sessions.map(sessionOf),
  };
}

/** A session without its times cannot be checked in at: the owner's fault, as above. */
function sessionOf(session: seating.SeatedSession): SeatedSession {
  if (session.sessionId === '' || session.startsAt === undefined || session.endsAt === undefined)
    throw seatedEventInvalid();
  return {
    sessionId: session.sessionId,
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    learningMinutes: session.learningMinutes,
  };
}

interface CachedInfo extends Omit<SeatedEventInfo, 'window' | 'startsAt' | 'endsAt' | 'sessions'> {
  window: { opensAt: string; closesAt: string };
  startsAt: string;
  endsAt: string;
  sessions: (Omit<SeatedSession, 'startsAt' | 'endsAt'> & { startsAt: string; endsAt: string })[];
}

const toCache = (info: SeatedEventInfo): string => JSON.stringify(info);
const fromCache = (text: string): SeatedEventInfo => {
  const cached = JSON.parse(text) as CachedInfo;
  return {
    ...cached,
    window: {
      opensAt: new Date(cached.window.opensAt),
      closesAt: new Date(cached.window.closesAt),
    },
    startsAt: new Date(cached.startsAt),
    endsAt: new Date(cached.endsAt),
    sessions: cached.sessions.map((session) => ({
      ...session,
      startsAt: new Date(session.startsAt),
      endsAt: new Date(session.endsAt),
    })),
  };
};

export interface GrpcSeatedEventSourceOptions {
  /** `host:port` of each owner that runs a SeatedEventSourceService. */
  readonly addresses: Partial<Record<SeatedEventOwner, string>>;
  readonly redis: RedisClient;
  readonly logger: Logger;
  readonly cacheTtlMs: number;
  readonly deadlineMs: number;
  readonly tokenProvider?: () => Promise<string> | string;
}

export class GrpcSeatedEventSource implements SeatedEventSource {
  private readonly clients = new Map<SeatedEventOwner, Client>();

  constructor(private readonly options: GrpcSeatedEventSourceOptions) {}

  private clientOf(owner: SeatedEventOwner): Client {
    const existing = this.clients.get(owner);
    if (existing !== undefined) return existing;
    const address = this.options.addresses[owner];
    if (address === undefined)
      throw platformErrors.error(
        'UPSTREAM_UNAVAILABLE',
        `Sign-up for ${owner} events is not available yet.`,
      );
    const client = createGrpcClient(seating.SeatedEventSourceServiceClient, {
      address,
      logger: this.options.logger,
      deadlineMs: this.options.deadlineMs,
      idempotentMethods: ['getSeatedEvent'],
      ...(this.options.tokenProvider === undefined
        ? {}
        : { tokenProvider: this.options.tokenProvider }),
    });
    this.clients.set(owner, client);
    return client;
  }

  private keyOf(owner: SeatedEventOwner, eventId: string): string {
    // v3: answers cached before the sessions and members-only organizations were kept lack them.
    return redisKey('registration', 'seated-event', 'v3', owner, eventId);
  }

  async get(owner: SeatedEventOwner, eventId: string): Promise<SeatedEventInfo> {
    const key = this.keyOf(owner, eventId);
    const cached = await this.options.redis.get(key).catch(() => null);
    if (cached !== null) return fromCache(cached);
    let response: seating.GetSeatedEventResponse;
    try {
      response = await this.clientOf(owner).call.getSeatedEvent({ eventId });
    } catch (error) {
      if (error instanceof AppError && error.kind === 'not_found') throw seatedEventNotFound();
      throw error;
    }
    if (response.event === undefined) throw seatedEventNotFound();
    const info = seatedEventInfoOf(owner, response.event);
    // A cache that is down only costs the owner a call.
    await this.options.redis
      .set(key, toCache(info), { PX: this.options.cacheTtlMs })
      .catch(() => undefined);
    return info;
  }

  async forget(owner: SeatedEventOwner, eventId: string): Promise<void> {
    await this.options.redis.del(this.keyOf(owner, eventId));
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
  }
}
