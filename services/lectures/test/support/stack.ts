/**
 * Lectures as it runs in the city: beside real registration and activities
 * apps, all on the harness's servers, trusting one token issuer, each knowing
 * the gRPC addresses it calls (registration asks lectures for a session's
 * seats; lectures asks registration for places and people and activities for
 * venues), with the jurisdiction tree imported into registration.
 */
import { randomBytes } from 'node:crypto';
import { activitiesService } from '@learning/activities/service';
import { loadActivitiesConfig } from '@learning/activities/config';
import type { LocalIssuer } from '@learning/auth';
import { generatePiiEnvironment } from '@learning/pii';
import { seedJurisdictions, useRegistrationApp } from '@learning/registration/testing';
import {
  type HarnessServers,
  reservePort,
  type RunningApp,
  serviceToken,
  useServiceApp,
} from '@learning/runtime/testing';
import { jurisdictionTree, type JurisdictionNode } from '@learning/testing';
import { beforeAll } from 'vitest';
import { lecturesService } from '../../src/app.js';
import { loadLecturesConfig } from '../../src/config.js';

/** Long enough for any test file; the local issuer's default is 15 minutes. */

export interface LecturesStack {
  readonly registration: RunningApp;
  readonly activities: RunningApp;
  readonly lectures: RunningApp;
  /** The city: 3 townships of 4 villages each (codes 330281xxxyyy). */
  readonly tree: readonly JurisdictionNode[];
  /** A token for `principal`, trusted by all three apps. */
  token(principal: Parameters<LocalIssuer['sign']>[0]): Promise<string>;
}

/**
 * Registers the hooks that start the three apps and import the tree; the
 * fields are ready inside tests. `lecturesEnvironment` is added to the
 * lectures app's (the scheduler's tick, say).
 */
export function useLecturesStack(
  servers: HarnessServers,
  options: {
    lecturesEnvironment?: Readonly<Record<string, string>>;
    clock?: () => Date;
  } = {},
): LecturesStack {
  const tree = jurisdictionTree({ townships: 3, villagesPerTownship: 4 });
  let lecturesGrpcPort = 0;
  beforeAll(async () => {
    lecturesGrpcPort = await reservePort();
  });
  const registration = useRegistrationApp(servers, async (issuer) => ({
    SEATING_LECTURES_GRPC_ADDRESS: `127.0.0.1:${lecturesGrpcPort}`,
    SEATING_SERVICE_TOKEN: await serviceToken(issuer, 'registration'),
  }));
  const activities = useServiceApp(activitiesService, servers, {
    loadConfig: loadActivitiesConfig,
    environment: async (issuer) => ({
      REGISTRATION_GRPC_ADDRESS: `127.0.0.1:${registration.ports.grpcPort}`,
      REGISTRATION_SERVICE_TOKEN: await serviceToken(issuer, 'activities'),
      SCHEDULER_TICK_MS: String(60 * 60_000),
      VERIFICATION_KEY: randomBytes(32).toString('base64'),
    }),
  });
  const lectures = useServiceApp(lecturesService, servers, {
    loadConfig: loadLecturesConfig,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    environment: async (issuer) => ({
      ...generatePiiEnvironment(),
      GRPC_PORT: String(lecturesGrpcPort),
      REGISTRATION_GRPC_ADDRESS: `127.0.0.1:${registration.ports.grpcPort}`,
      REGISTRATION_SERVICE_TOKEN: await serviceToken(issuer, 'lectures'),
      ACTIVITIES_GRPC_ADDRESS: `127.0.0.1:${activities.ports.grpcPort}`,
      ACTIVITIES_SERVICE_TOKEN: await serviceToken(issuer, 'lectures'),
      SCHEDULER_TICK_MS: String(60 * 60_000),
      ...options.lecturesEnvironment,
    }),
  });
  const stack: LecturesStack = {
    registration,
    activities,
    lectures,
    tree,
    token: (principal) => lectures.issuer.sign(principal),
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
