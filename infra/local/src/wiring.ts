/**
 * What the local stack gives each service beyond the shared environment: the
 * gRPC addresses of the services it calls with the token it presents there,
 * and, for a service that keeps personal data, keys of its own. Apart from
 * src/stack.ts (which starts things when imported) so that a test can check it.
 */
import { generatePiiEnvironment } from '@learning/pii';

/**
 * Who calls whose gRPC server, and the caller's variables for the callee's
 * address and for the token it presents there. Wired only when both run.
 */
export const GRPC_CALLS: readonly {
  caller: string;
  callee: string;
  address: string;
  token: string;
}[] = [
  {
    caller: 'registration',
    callee: 'activities',
    address: 'SEATING_ACTIVITIES_GRPC_ADDRESS',
    token: 'SEATING_SERVICE_TOKEN',
  },
  {
    caller: 'registration',
    callee: 'lectures',
    address: 'SEATING_LECTURES_GRPC_ADDRESS',
    token: 'SEATING_SERVICE_TOKEN',
  },
  {
    caller: 'activities',
    callee: 'registration',
    address: 'REGISTRATION_GRPC_ADDRESS',
    token: 'REGISTRATION_SERVICE_TOKEN',
  },
  {
    caller: 'lectures',
    callee: 'registration',
    address: 'REGISTRATION_GRPC_ADDRESS',
    token: 'REGISTRATION_SERVICE_TOKEN',
  },
  {
    caller: 'lectures',
    callee: 'activities',
    address: 'ACTIVITIES_GRPC_ADDRESS',
    token: 'ACTIVITIES_SERVICE_TOKEN',
  },
];

/**
 * The services that seal personal data (libs/pii), each with a pair of its
 * own, as in compose and Kubernetes: lectures' experts are not under
 * registration's keys. The stand-in keeps nothing across restarts, so neither
 * need the keys: new ones at every start.
 */
export const PII_KEEPERS: readonly string[] = ['registration', 'lectures'];

/** The calls of GRPC_CALLS whose both ends run, as the banner shows them: `caller → callee, callee`. */
export function describeCalls(running: readonly string[]): string[] {
  const callees = new Map<string, string[]>();
  for (const call of GRPC_CALLS)
    if (running.includes(call.caller) && running.includes(call.callee))
      callees.set(call.caller, [...(callees.get(call.caller) ?? []), call.callee]);
  return [...callees].map(([caller, called]) => `${caller} → ${called.join(', ')}`);
}

export interface WiredService {
  readonly name: string;
  readonly grpc: number;
  readonly environment: Readonly<Record<string, string>>;
}

/** Each service with its peers' addresses, its token for them, and its own personal-data keys. */
export async function wireServices<S extends WiredService>(
  found: readonly S[],
  signServiceToken: (service: string) => Promise<string>,
  makePiiKeys: () => Record<string, string> = generatePiiEnvironment,
): Promise<S[]> {
  const byName = new Map(found.map((service) => [service.name, service]));
  return Promise.all(
    found.map(async (service) => {
      const environment: Record<string, string> = {
        ...service.environment,
        ...(PII_KEEPERS.includes(service.name) ? makePiiKeys() : {}),
      };
      let token: string | undefined;
      for (const call of GRPC_CALLS) {
        const callee = byName.get(call.callee);
        if (call.caller !== service.name || callee === undefined) continue;
        token ??= await signServiceToken(service.name);
        environment[call.address] = `127.0.0.1:${callee.grpc}`;
        environment[call.token] = token;
      }
      return { ...service, environment };
    }),
  );
}
