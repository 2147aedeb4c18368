/**
 * Notifications as it runs in the city: beside a real registration app
 * (contacts, audiences, officers and members it asks), on the harness's
 * servers, both trusting one token issuer, with the jurisdiction tree
 * imported into registration.
 */
import type { LocalIssuer } from '@learning/auth';
import { startChannelSinks, type ChannelSinks } from '@learning/local-infra';
import { generatePiiEnvironment } from '@learning/pii';
import { seedJurisdictions, useRegistrationApp } from '@learning/registration/testing';
import {
  type HarnessServers,
  type RunningApp,
  serviceToken,
  useServiceApp,
} from '@learning/runtime/testing';
import { jurisdictionTree, type JurisdictionNode } from '@learning/testing';
import { afterAll, beforeAll } from 'vitest';
import { notificationsService } from '../../src/app.js';
import { loadNotificationsConfig } from '../../src/config.js';
import type { Module } from '../../src/platform.js';

/** Where the receiver plays the SMS provider and WeChat, for tests that pick their requests out. */
export { SMS_PATH, WECHAT_PATH } from '@learning/local-infra';

/** Long enough for any test file; the local issuer's default is 15 minutes. */

export interface NotificationsStack {
  readonly registration: RunningApp;
  readonly notifications: RunningApp;
  /** The city: 3 townships of 4 villages each (codes 330281xxxyyy). */
  readonly tree: readonly JurisdictionNode[];
  /** A token for `principal`, trusted by both apps. */
  token(principal: Parameters<LocalIssuer['sign']>[0]): Promise<string>;
  /** Where notifications' email, SMS and WeChat messages land; only with the `channelSinks` option. */
  readonly sinks: ChannelSinks;
}

/**
 * Registers the hooks that start both apps and import the tree; the fields
 * are ready inside tests. `notificationsEnvironment` is added to notifications'.
 */
export function useNotificationsStack(
  servers: HarnessServers,
  options: {
    notificationsEnvironment?: Readonly<Record<string, string>>;
    /** Added to registration's environment when it starts (a fake owner's address, known only then). */
    registrationEnvironment?: () => Readonly<Record<string, string>>;
    clock?: () => Date;
    /** Installed after the service's own, e.g. to reach the platform from a test. */
    modules?: readonly Module[];
    /** Starts an SMTP sink and a receiver playing the SMS provider and WeChat, and points notifications at them. */
    channelSinks?: boolean;
  } = {},
): NotificationsStack {
  const tree = jurisdictionTree({ townships: 3, villagesPerTownship: 4 });
  const registration = useRegistrationApp(servers, () => options.registrationEnvironment?.() ?? {});
  let sinks: ChannelSinks | undefined;
  // Registered before the app's own hooks, so it runs after the app has stopped (hooks run as a stack).
  afterAll(async () => {
    await sinks?.stop();
  });
  const service =
    options.modules === undefined
      ? notificationsService
      : { ...notificationsService, modules: [...notificationsService.modules, ...options.modules] };
  const notifications = useServiceApp(service, servers, {
    loadConfig: loadNotificationsConfig,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    environment: async (issuer) => ({
      REGISTRATION_GRPC_ADDRESS: `127.0.0.1:${registration.ports.grpcPort}`,
      REGISTRATION_SERVICE_TOKEN: await serviceToken(issuer, 'notifications'),
      ...generatePiiEnvironment(),
      WEBHOOK_TARGET_POLICY: 'allow-private',
      // Started here, when notifications' environment is asked for, so they listen before it starts.
      ...(options.channelSinks === true ? (sinks = await startChannelSinks()).environment : {}),
      ...options.notificationsEnvironment,
    }),
  });
  const stack: NotificationsStack = {
    registration,
    notifications,
    tree,
    token: (principal) => notifications.issuer.sign(principal),
    get sinks() {
      if (sinks === undefined) {
        throw new Error(
          'the channel sinks run only with useNotificationsStack(…, { channelSinks: true })',
        );
      }
      return sinks;
    },
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
