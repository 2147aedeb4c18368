/**
 * A fake owner of seated events: a real gRPC server on a loopback port serving
 * our own SeatedEventSourceService contract from the generated definition,
 * with the events a test puts in it. It checks service tokens like a real owner.
 */
import { AppError } from '@learning/errors';
import { createLocalIssuer, createTokenVerifier } from '@learning/auth';
import { createGrpcServer, type GrpcServer } from '@learning/grpc';
import { common, seating } from '@learning/proto';
import { captureLogger } from '@learning/testing';
import { Registry } from 'prom-client';
import { afterAll, beforeAll } from 'vitest';

export interface FakeOwner {
  /** `127.0.0.1:<port>` */
  address: string;
  /** A token the owner accepts (role service), for registration to present. */
  serviceToken: string;
  /** How many GetSeatedEvent calls it has answered. */
  calls: number;
  /** Puts (or replaces) an event. */
  put(event: seating.SeatedEvent): void;
  /** Makes every call wait this long before answering (deadline tests). */
  delayMs: number;
  /** The env a registration app needs to reach this owner for `activities`. */
  env(): Record<string, string>;
  stop(): Promise<void>;
}

const HOUR = 60 * 60 * 1000;

/** A published activity open for sign-up now, for ordinary citizens and pupils of `area`. */
export function openActivity(
  eventId: string,
  area: string,
  overrides: Partial<seating.SeatedEvent> = {},
): seating.SeatedEvent {
  const now = Date.now();
  return {
    eventId,
    title: `Activity ${eventId}`,
    capacity: 10,
    signUpOpensAt: new Date(now - HOUR),
    signUpClosesAt: new Date(now + 24 * HOUR),
    startsAt: new Date(now + 48 * HOUR),
    endsAt: new Date(now + 50 * HOUR),
    audience: {
      targetTiers: [common.Tier.TIER_ORDINARY_CITIZEN, common.Tier.TIER_PUPIL],
      areaRootCodes: [area],
      pupilAgeBand: undefined,
      organizationIds: [],
    },
    status: seating.SeatedEventStatus.SEATED_EVENT_STATUS_PUBLISHED,
    jurisdictionPath: ['330281000000', area],
    organizerOrganizationId: '',
    categories: [common.ContentCategory.CONTENT_CATEGORY_SCIENCE_CULTURE_SKILLS],
    campaignId: '',
    learningMinutes: 120,
    sessions: [],
    ...overrides,
  };
}

/** Starts the server and fills `owner` (a fresh object when absent) with its handle. */
export async function startFakeOwner(owner = {} as FakeOwner): Promise<FakeOwner> {
  const issuer = await createLocalIssuer({ issuer: 'fake-owner', audience: 'fake-owner' });
  const verifier = createTokenVerifier({
    issuer: issuer.issuer,
    audience: issuer.audience,
    jwks: issuer.jwks,
  });
  const events = new Map<string, seating.SeatedEvent>();
  const server: GrpcServer = createGrpcServer({
    logger: captureLogger('fake-owner').logger,
    registry: new Registry(),
    auth: verifier,
    readiness: {},
  });
  owner.calls = 0;
  owner.delayMs = 0;
  server.addService(seating.SeatedEventSourceServiceService, {
    async getSeatedEvent(request) {
      owner.calls += 1;
      if (owner.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, owner.delayMs));
      const event = events.get(request.eventId);
      if (event === undefined)
        throw new AppError('not_found', 'ACTIVITY_NOT_FOUND', 'There is no such activity.');
      return { event };
    },
  });
  const port = await server.listen('127.0.0.1', 0);
  owner.address = `127.0.0.1:${port}`;
  owner.serviceToken = await issuer.sign(
    { subject: 'registration', roles: ['service'], service: 'registration' },
    // Long enough for the sign-up benchmark on the slow stand-ins.
    { expiresIn: '2h' },
  );
  owner.put = (event) => events.set(event.eventId, event);
  owner.env = () => ({
    SEATING_ACTIVITIES_GRPC_ADDRESS: owner.address,
    SEATING_SERVICE_TOKEN: owner.serviceToken,
  });
  owner.stop = () => server.stop(500);
  return owner;
}

/** Starts a fake owner before the app (register this first) and stops it after. */
export function useFakeOwner(): FakeOwner {
  const owner = {} as FakeOwner;
  beforeAll(async () => {
    await startFakeOwner(owner);
  });
  afterAll(async () => {
    await owner.stop();
  });
  return owner;
}
