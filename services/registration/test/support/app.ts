/** The registration app started on ephemeral ports against the harness's servers, with a local token issuer. */
import type { LocalIssuer } from '@learning/auth';
import { generatePiiEnvironment } from '@learning/pii';
import {
  serviceTestEnvironment,
  useServiceApp,
  type HarnessServers,
  type RunningApp,
} from '@learning/runtime/testing';
import { registrationService } from '../../src/app.js';
import { loadRegistrationConfig } from '../../src/config.js';

export type { RunningApp } from '@learning/runtime/testing';
export { importBodyOf, seedJurisdictions } from './http.js';

/** The app's environment on the harness's servers, with fresh personal-data keys. */
export const testEnvironment = (
  servers: HarnessServers,
  issuer: LocalIssuer,
): Record<string, string> => ({
  ...serviceTestEnvironment(registrationService.name, servers, issuer),
  ...generatePiiEnvironment(),
});

/** Registers beforeAll/afterAll hooks; the fields are ready inside tests. */
export function useRegistrationApp(
  servers: HarnessServers,
  /** Extra environment, read when the app starts (e.g. a fake owner's address known only then). */
  env: (
    issuer: LocalIssuer,
  ) => Readonly<Record<string, string>> | Promise<Readonly<Record<string, string>>> = () => ({}),
): RunningApp {
  return useServiceApp(registrationService, servers, {
    loadConfig: loadRegistrationConfig,
    environment: async (issuer) => ({ ...generatePiiEnvironment(), ...(await env(issuer)) }),
  });
}
