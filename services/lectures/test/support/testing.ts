/**
 * Lectures for other services' tests (`@learning/lectures/testing`): the app
 * on the harness's servers, and its sessions and attendance put in place
 * directly, each document valid by its model.
 */
import type { LocalIssuer } from '@learning/auth';
import { generatePiiEnvironment } from '@learning/pii';
import { useServiceApp, type HarnessServers, type RunningApp } from '@learning/runtime/testing';
import { lecturesService } from '../../src/app.js';
import { loadLecturesConfig } from '../../src/config.js';

export { attendanceDoc, seeder, sessionDoc, type SessionSpec } from './coverage.js';

/** Lectures with `environment` added (its registration and activities addresses, say). */
export const useLecturesApp = (
  servers: HarnessServers,
  environment: (issuer: LocalIssuer) => Promise<Readonly<Record<string, string>>>,
): RunningApp =>
  useServiceApp(lecturesService, servers, {
    loadConfig: loadLecturesConfig,
    environment: async (issuer) => ({
      ...generatePiiEnvironment(),
      ...(await environment(issuer)),
    }),
  });
