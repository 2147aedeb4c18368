/**
 * Activities as it runs in the city: beside a real registration app, both on
 * the harness's servers, trusting one token issuer, each knowing the other's
 * gRPC address, with the jurisdiction tree imported into registration.
 */
import type { LocalIssuer } from '@learning/auth';
import { useRegistrationApp } from '@learning/registration/testing';
import {
  reservePort,
  useServiceApp,
  type HarnessServers,
  type RunningApp,
} from '@learning/runtime/testing';
import { jurisdictionTree, type JurisdictionNode } from '@learning/testing';
import { beforeAll } from 'vitest';
import { activitiesService } from '../../src/app.js';
import { loadActivitiesConfig } from '../../src/config.js';

/** Long enough for any test file; the local issuer's default is 15 minutes. */
const SERVICE_TOKEN_LIFETIME = '2h';

export interface Stack {
  readonly registration: RunningApp;
  readonly activities: RunningApp;
  /** The city: 3 townships of 4 villages each (codes 330281xxxyyy). */
  readonly tree: readonly JurisdictionNode[];
  /** A token for `principal`, trusted by both apps. */
  token(principal: Parameters<LocalIssuer['sign']>[0]): Promise<string>;
}

const serviceToken = (issuer: LocalIssuer, service: string): Promise<string> =>
  issuer.sign(
    { subject: `service:${service}`, roles: ['service'], service, cityWide: true },
    { expiresIn: SERVICE_TOKEN_LIFETIME },
  );

/** Registers the hooks that start both apps and import the tree; the fields are ready inside tests. */
export function useActivitiesStack(servers: HarnessServers): Stack {
  const tree = jurisdictionTree({ townships: 3, villagesPerTownship: 4 });
  let activitiesGrpcPort = 0;
  beforeAll(async () => {
    activitiesGrpcPort = await reservePort();
  });
  const registration = useRegistrationApp(servers, async (issuer) => ({
    SEATING_ACTIVITIES_GRPC_ADDRESS: `127.0.0.1:${activitiesGrpcPort}`,
    SEATING_SERVICE_TOKEN: await serviceToken(issuer, 'registration'),
  }));
  const activities = useServiceApp(activitiesService, servers, {
    loadConfig: loadActivitiesConfig,
    environment: async (issuer) => ({
      GRPC_PORT: String(activitiesGrpcPort),
      REGISTRATION_GRPC_ADDRESS: `127.0.0.1:${registration.ports.grpcPort}`,
      REGISTRATION_SERVICE_TOKEN: await serviceToken(issuer, 'activities'),
      // Only the tick at start runs: organizers' own moves are tested without the scheduler racing them.
      SCHEDULER_TICK_MS: String(60 * 60_000),
    }),
  });
  const stack: Stack = {
    registration,
    activities,
    tree,
    token: (principal) => activities.issuer.sign(principal),
  };
  beforeAll(async () => {
    const admin = await stack.token({
      subject: 'city-admin',
      roles: ['city_admin'],
      cityWide: true,
    });
    const response = await registration.send('POST', '/v1/jurisdictions:import', admin, {
      items: tree.map(({ code, name, level, path }) => ({
        code,
        name,
        level,
        parentCode: path.at(-2) ?? null,
      })),
    });
    if (response.status !== 200)
      throw new Error(
        `importing the jurisdiction tree: HTTP ${response.status} ${await response.text()}`,
      );
  });
  return stack;
}
