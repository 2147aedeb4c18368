/**
 * What the local stack gives each service beyond the shared environment: the
 * gRPC addresses of the services it calls with the token it presents there,
 * for a service that keeps personal data, keys of its own, and the other
 * secrets a service signs with. Apart from
 * src/stack.ts (which starts things when imported) so that a test can check it.
 */
import { randomBytes } from 'node:crypto';
import { generatePiiEnvironment } from '@learning/pii';

/**
 * Who calls whose gRPC server, and the caller's variables for the callee's
 * address (one per thing the callee serves it) and for the token it presents
 * there. Wired only when both run.
 */
export const GRPC_CALLS: readonly {
  caller: string;
  callee: string;
  addresses: readonly string[];
  token: string;
}[] = [
  {
    caller: 'registration',
    callee: 'activities',
    // Activities owns two kinds of seated events: activities, and training classes (ADR 18).
    addresses: ['SEATING_ACTIVITIES_GRPC_ADDRESS', 'SEATING_TRAINING_GRPC_ADDRESS'],
    token: 'SEATING_SERVICE_TOKEN',
  },
  {
    caller: 'registration',
    callee: 'lectures',
    addresses: ['SEATING_LECTURES_GRPC_ADDRESS'],
    token: 'SEATING_SERVICE_TOKEN',
  },
  // Every service's PersonalDataService: a person's copy of their data, and what closing an
  // account would cut short (decision 0022).
  ...(['activities', 'lectures', 'scoring', 'notifications'] as const).map((callee) => ({
    caller: 'registration',
    callee,
    addresses: [`${callee.toUpperCase()}_GRPC_ADDRESS`],
    token: 'PERSONAL_DATA_SERVICE_TOKEN',
  })),
  {
    caller: 'activities',
    callee: 'registration',
    addresses: ['REGISTRATION_GRPC_ADDRESS'],
    token: 'REGISTRATION_SERVICE_TOKEN',
  },
  {
    caller: 'activities',
    callee: 'lectures',
    addresses: ['LECTURES_GRPC_ADDRESS'],
    token: 'LECTURES_SERVICE_TOKEN',
  },
  {
    caller: 'lectures',
    callee: 'registration',
    addresses: ['REGISTRATION_GRPC_ADDRESS'],
    token: 'REGISTRATION_SERVICE_TOKEN',
  },
  {
    caller: 'lectures',
    callee: 'activities',
    addresses: ['ACTIVITIES_GRPC_ADDRESS'],
    token: 'ACTIVITIES_SERVICE_TOKEN',
  },
  {
    caller: 'scoring',
    callee: 'registration',
    addresses: ['REGISTRATION_GRPC_ADDRESS'],
    token: 'REGISTRATION_SERVICE_TOKEN',
  },
  {
    caller: 'scoring',
    callee: 'activities',
    // An area's learning network, for the annual evaluation.
    addresses: ['ACTIVITIES_GRPC_ADDRESS'],
    token: 'ACTIVITIES_SERVICE_TOKEN',
  },
  {
    caller: 'scoring',
    callee: 'lectures',
    // An area's lecture coverage, for the annual evaluation.
    addresses: ['LECTURES_GRPC_ADDRESS'],
    token: 'LECTURES_SERVICE_TOKEN',
  },
  {
    caller: 'notifications',
    callee: 'registration',
    addresses: ['REGISTRATION_GRPC_ADDRESS'],
    token: 'REGISTRATION_SERVICE_TOKEN',
  },
];

/**
 * The services that seal personal data (libs/pii), each with a pair of its
 * own, as in compose and Kubernetes: lectures' experts and notifications'
 * webhook signing secrets are not under registration's keys. The stand-in
 * keeps nothing across restarts, so none needs its keys again: new ones at
 * every start.
 */
export const PII_KEEPERS: readonly string[] = ['registration', 'lectures', 'notifications'];

/**
 * Secrets a service signs with that are not personal-data keys, each its own:
 * scoring's HMAC key of learning records' verification codes, activities'
 * of training certificates' (each service its own key). New at every
 * start, like the PII keys: codes issued before a restart stop verifying, and
 * the stand-in has forgotten their records anyway.
 */
export const SERVICE_SECRETS: Readonly<Record<string, readonly string[]>> = {
  scoring: ['VERIFICATION_KEY'],
  activities: ['VERIFICATION_KEY'],
};

/** Base64 of 32 random bytes: what scoring's and activities' configs ask of VERIFICATION_KEY. */
export const generateSecret = (): string => randomBytes(32).toString('base64');

/** The calls of GRPC_CALLS whose both ends run, as the banner shows them: `caller → callee, callee`. */
export function describeCalls(running: readonly string[]): string[] {
  const callees = new Map<string, string[]>();
  for (const call of GRPC_CALLS)
    if (running.includes(call.caller) && running.includes(call.callee))
      // A callee serving two things (seats and personal data) is shown once.
      callees.set(call.caller, [...new Set([...(callees.get(call.caller) ?? []), call.callee])]);
  return [...callees].map(([caller, called]) => `${caller} → ${called.join(', ')}`);
}

export interface WiredService {
  readonly name: string;
  readonly grpc: number;
  readonly environment: Readonly<Record<string, string>>;
}

/** Each service with its peers' addresses, its token for them, its own personal-data keys and secrets. */
export async function wireServices<S extends WiredService>(
  found: readonly S[],
  signServiceToken: (service: string) => Promise<string>,
  makePiiKeys: () => Record<string, string> = generatePiiEnvironment,
  makeSecret: () => string = generateSecret,
): Promise<S[]> {
  const byName = new Map(found.map((service) => [service.name, service]));
  return Promise.all(
    found.map(async (service) => {
      const environment: Record<string, string> = {
        ...service.environment,
        ...(PII_KEEPERS.includes(service.name) ? makePiiKeys() : {}),
        ...Object.fromEntries(
          (SERVICE_SECRETS[service.name] ?? []).map((name) => [name, makeSecret()]),
        ),
      };
      let token: string | undefined;
      for (const call of GRPC_CALLS) {
        const callee = byName.get(call.callee);
        if (call.caller !== service.name || callee === undefined) continue;
        token ??= await signServiceToken(service.name);
        for (const address of call.addresses) environment[address] = `127.0.0.1:${callee.grpc}`;
        environment[call.token] = token;
      }
      return { ...service, environment };
    }),
  );
}
