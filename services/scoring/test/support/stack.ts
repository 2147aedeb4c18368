/**
 * Scoring as it runs in the city: beside a real registration app (the
 * participant and organization directories it asks), on the harness's
 * servers, both trusting one token issuer, with the jurisdiction tree
 * imported into registration.
 */
import type { LocalIssuer } from '@learning/auth';
import { seedJurisdictions, useRegistrationApp } from '@learning/registration/testing';
import {
  type HarnessServers,
  type RunningApp,
  serviceToken,
  useServiceApp,
} from '@learning/runtime/testing';
import { jurisdictionTree, type JurisdictionNode } from '@learning/testing';
import { randomBytes } from 'node:crypto';
import { beforeAll } from 'vitest';
import { scoringService } from '../../src/app.js';
import { loadScoringConfig } from '../../src/config.js';
import type { Module } from '../../src/platform.js';

/** Long enough for any test file; the local issuer's default is 15 minutes. */

export interface ScoringStack {
  readonly registration: RunningApp;
  readonly scoring: RunningApp;
  /** The city: 3 townships of 4 villages each (codes 330281xxxyyy). */
  readonly tree: readonly JurisdictionNode[];
  /** A token for `principal`, trusted by both apps. */
  token(principal: Parameters<LocalIssuer['sign']>[0]): Promise<string>;
}

/**
 * Registers the hooks that start both apps and import the tree; the fields
 * are ready inside tests. `scoringEnvironment` is added to scoring's.
 */
export function useScoringStack(
  servers: HarnessServers,
  options: {
    scoringEnvironment?: Readonly<Record<string, string>>;
    clock?: () => Date;
    /** The service's slices as the test wires them (one over sources the test provides); absent: as they are. */
    modules?: (modules: readonly Module[]) => Module[];
  } = {},
): ScoringStack {
  const tree = jurisdictionTree({ townships: 3, villagesPerTownship: 4 });
  const registration = useRegistrationApp(servers);
  const service = {
    ...scoringService,
    modules: options.modules?.(scoringService.modules) ?? scoringService.modules,
  };
  const scoring = useServiceApp(service, servers, {
    loadConfig: loadScoringConfig,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    environment: async (issuer) => ({
      REGISTRATION_GRPC_ADDRESS: `127.0.0.1:${registration.ports.grpcPort}`,
      REGISTRATION_SERVICE_TOKEN: await serviceToken(issuer, 'scoring'),
      VERIFICATION_KEY: randomBytes(32).toString('base64'),
      ...options.scoringEnvironment,
    }),
  });
  const stack: ScoringStack = {
    registration,
    scoring,
    tree,
    token: (principal) => scoring.issuer.sign(principal),
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
