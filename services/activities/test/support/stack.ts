/**
 * Activities as it runs in the city: beside a real registration app, both on
 * the harness's servers, trusting one token issuer, each knowing the other's
 * gRPC address, with the jurisdiction tree imported into registration.
 */
import { randomBytes } from 'node:crypto';
import type { LocalIssuer } from '@learning/auth';
import { seedJurisdictions, useRegistrationApp } from '@learning/registration/testing';
import {
  type HarnessServers,
  reservePort,
  type RunningApp,
  serviceToken,
  useServiceApp,
} from '@learning/runtime/testing';
import { jurisdictionTree, uniqueName, type JurisdictionNode } from '@learning/testing';
import { beforeAll } from 'vitest';
import { activitiesService } from '../../src/app.js';
import { loadActivitiesConfig } from '../../src/config.js';

/** The key the stack's activities signs training certificates with, for tests that forge or check codes. */
export const TRAINING_VERIFICATION_KEY = randomBytes(32);

/** Long enough for any test file; the local issuer's default is 15 minutes. */

export interface Stack {
  readonly registration: RunningApp;
  readonly activities: RunningApp;
  /** The activities app's database, for tests that set up what no route of theirs writes. */
  readonly database: string;
  /** The city: 3 townships of 4 villages each (codes 330281xxxyyy). */
  readonly tree: readonly JurisdictionNode[];
  /** A token for `principal`, trusted by both apps. */
  token(principal: Parameters<LocalIssuer['sign']>[0]): Promise<string>;
}

/**
 * What an activities app beside registration needs: registration's address
 * and a service token, and the scheduler only at start (organizers' own moves
 * are tested without it racing them). `overrides` win.
 */
async function activitiesEnvironment(
  registration: RunningApp,
  issuer: LocalIssuer,
  overrides: Readonly<Record<string, string>> = {},
): Promise<Record<string, string>> {
  return {
    REGISTRATION_GRPC_ADDRESS: `127.0.0.1:${registration.ports.grpcPort}`,
    REGISTRATION_SERVICE_TOKEN: await serviceToken(issuer, 'activities'),
    SCHEDULER_TICK_MS: String(60 * 60_000),
    VERIFICATION_KEY: TRAINING_VERIFICATION_KEY.toString('base64'),
    ...overrides,
  };
}

/**
 * The environment of another activities app beside the stack's: its own
 * consumer groups (the stack's app keeps every event it consumes) and, unless
 * `overrides` say otherwise, its own database.
 */
export const replicaEnvironment = (
  stack: Stack,
  issuer: LocalIssuer,
  overrides: Readonly<Record<string, string>> = {},
): Promise<Record<string, string>> =>
  activitiesEnvironment(stack.registration, issuer, {
    KAFKA_GROUP_NAMESPACE: uniqueName('activities-replica'),
    ...overrides,
  });

/** Registers the hooks of another activities app beside the stack's (see replicaEnvironment). */
export const useActivitiesReplica = (
  servers: HarnessServers,
  stack: Stack,
  options: { clock?: () => Date; environment?: Readonly<Record<string, string>> } = {},
): RunningApp =>
  useServiceApp(activitiesService, servers, {
    loadConfig: loadActivitiesConfig,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    environment: (issuer) => replicaEnvironment(stack, issuer, options.environment),
  });

/**
 * Registers the hooks that start both apps and import the tree; the fields
 * are ready inside tests. `environment` adds to the activities app's, read
 * when it starts (after the caller's own earlier hooks).
 */
export function useActivitiesStack(
  servers: HarnessServers,
  environment: () => Readonly<Record<string, string>> = () => ({}),
): Stack {
  const tree = jurisdictionTree({ townships: 3, villagesPerTownship: 4 });
  const database = uniqueName('activities');
  let activitiesGrpcPort = 0;
  beforeAll(async () => {
    activitiesGrpcPort = await reservePort();
  });
  const registration = useRegistrationApp(servers, async (issuer) => ({
    SEATING_ACTIVITIES_GRPC_ADDRESS: `127.0.0.1:${activitiesGrpcPort}`,
    SEATING_TRAINING_GRPC_ADDRESS: `127.0.0.1:${activitiesGrpcPort}`,
    SEATING_SERVICE_TOKEN: await serviceToken(issuer, 'registration'),
  }));
  const activities = useServiceApp(activitiesService, servers, {
    loadConfig: loadActivitiesConfig,
    environment: (issuer) =>
      activitiesEnvironment(registration, issuer, {
        GRPC_PORT: String(activitiesGrpcPort),
        MONGODB_DATABASE: database,
        ...environment(),
      }),
  });
  const stack: Stack = {
    registration,
    activities,
    database,
    tree,
    token: (principal) => activities.issuer.sign(principal),
  };
  beforeAll(async () => {
    const admin = await stack.token({
      subject: 'city-admin',
      roles: ['city_admin'],
      cityWide: true,
    });
    await seedJurisdictions(registration.base, admin, tree);
  });
  return stack;
}
