/**
 * Scoring under hostile input: every operation of its served OpenAPI
 * document gets malformed path ids, wrong query values and broken bodies
 * (see hostileRequests), with a city admin's token (a participant's on
 * `/v1/me/…`) and, for a sample, with none. None may be answered with a
 * 5xx, and every 4xx carries the shared error body, so a caller always learns
 * a stable code and a message.
 */
import { randomUUID } from 'node:crypto';
import {
  describeWithServers,
  hostileRequests,
  openApiProblems,
  residentIdNumber,
  uniqueName,
  type HostileRequest,
} from '@learning/testing';
import { beforeAll, expect, it } from 'vitest';
import { useScoringStack, type ScoringStack } from '../support/stack.js';

/** At most this many per operation keeps the run bounded (a few thousand in all). */
const MAX_PER_OPERATION = 60;
/** Requests in flight at once: enough to be quick, few enough for a shared machine. */
const CONCURRENCY = 8;
/** Every n-th request is sent again without a token. */
const ANONYMOUS_EVERY = 5;

interface Outcome {
  readonly request: HostileRequest;
  readonly token: 'admin' | 'none';
  readonly status: number;
  readonly text: string;
}

async function sendHostile(
  base: string,
  request: HostileRequest,
  token: string | null,
): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = {};
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  if (request.idempotencyKey !== null) headers['idempotency-key'] = request.idempotencyKey;
  if (request.body !== undefined)
    headers['content-type'] = request.contentType ?? 'application/json';
  try {
    const response = await fetch(`${base}${request.path}`, {
      method: request.method,
      headers,
      ...(request.body === undefined ? {} : { body: request.body }),
    });
    return { status: response.status, text: await response.text() };
  } catch (error) {
    // A dropped connection is as much a failure as a 5xx: status 0 lists it with them.
    return { status: 0, text: String(error) };
  }
}

/** Runs `work` over `items`, `limit` at a time. */
async function inBatches<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

const hasErrorShape = (text: string): boolean => {
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown };
    return typeof body.code === 'string' && typeof body.message === 'string';
  } catch {
    return false;
  }
};

const describeOutcome = ({ request, token, status, text }: Outcome): string =>
  `${request.operation} [${request.case}] (${token}) -> ${status} ${text.slice(0, 160)}`;

async function createdId(response: Response, what: string): Promise<string> {
  if (response.status !== 201)
    throw new Error(`creating ${what}: HTTP ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/** The participant's account, whose token the `/v1/me/…` routes get. */
// Unique per run: registration's self-registration limit (5 an hour per account) lives in the
// shared Redis, so a fixed account would be refused from the sixth run within an hour.
const PARTICIPANT_SUBJECT = uniqueName('hostile-participant');

/**
 * A stored rule, a registered participant and an organization, so that
 * hostile queries and bodies on the paths naming them reach the use cases
 * instead of stopping at "not found". Rebuilds and codes get the generator's
 * well-formed samples, unknown ones.
 */
async function storedIds(stack: ScoringStack, admin: string): Promise<Record<string, string>> {
  const rule = await createdId(
    await stack.scoring.send('POST', '/v1/credit-rules', admin, {
      name: '讲座听课',
      source: 'lecture_attended',
      basis: { kind: 'per_hour', credits: '2' },
    }),
    'a rule',
  );
  const village = stack.tree.find((node) => node.level === 'village');
  if (village === undefined) throw new Error('the stack’s tree has no village');
  const participant = await createdId(
    await stack.registration.send(
      'POST',
      '/v1/participants',
      await stack.token({ subject: PARTICIPANT_SUBJECT, roles: ['participant'] }),
      {
        name: '张晓明',
        tier: 'ordinary_citizen',
        homeJurisdiction: village.code,
        idNumber: residentIdNumber('19750505', 17),
        language: 'zh-CN',
        consent: { notifications: false },
      },
    ),
    'a participant',
  );
  const organization = await createdId(
    await stack.registration.send(
      'POST',
      '/v1/organizations',
      await stack.token({ subject: 'hostile-applicant', roles: ['org_admin'] }),
      { kind: 'community', name: '书香社区', jurisdictionCode: village.code },
    ),
    'an organization',
  );
  return { id: rule, participantId: participant, organizationId: organization };
}

describeWithServers(['mongo', 'kafka', 'redis'], 'scoring under hostile requests', (servers) => {
  const stack = useScoringStack(servers, {
    scoringEnvironment: { MONGODB_DATABASE: uniqueName('scoring-hostile') },
  });
  let admin = '';
  let participant = '';
  let stored: Record<string, string> = {};
  beforeAll(async () => {
    admin = await stack.token({ subject: 'city-admin', roles: ['city_admin'], cityWide: true });
    participant = await stack.token({ subject: PARTICIPANT_SUBJECT, roles: ['participant'] });
    stored = await storedIds(stack, admin);
  });

  it('when every operation gets malformed ids, wrong queries and broken bodies, then none is a 5xx and every 4xx names a code', async () => {
    const document: unknown = await (await fetch(`${stack.scoring.base}/openapi.json`)).json();
    const requests = hostileRequests(document, {
      seed: 20261207,
      idempotencyKey: randomUUID,
      maxPerOperation: MAX_PER_OPERATION,
      // `{id}` is a rule's only on /v1/credit-rules/{id}; participantId and organizationId everywhere.
      pathValue: (template, parameter) =>
        parameter !== 'id' || template.startsWith('/v1/credit-rules/')
          ? stored[parameter]
          : undefined,
    });
    const sends = requests.flatMap((request, index) => [
      { request, token: 'admin' as const },
      ...(index % ANONYMOUS_EVERY === 0 ? [{ request, token: 'none' as const }] : []),
    ]);
    const outcomes: Outcome[] = [];
    await inBatches(sends, CONCURRENCY, async ({ request, token }) => {
      // Routes of one's own (/v1/me/…) are for participants: an admin would stop at ROLE_REQUIRED.
      const signedIn = request.path.startsWith('/v1/me/') ? participant : admin;
      const answer = await sendHostile(
        stack.scoring.base,
        request,
        token === 'admin' ? signedIn : null,
      );
      outcomes.push({ request, token, ...answer });
    });
    process.stdout.write(
      `hostile requests: ${requests.length} generated over ${new Set(requests.map((r) => r.operation)).size} operations, ${outcomes.length} sent\n`,
    );

    const serverErrors = outcomes.filter(
      (outcome) => outcome.status >= 500 || outcome.status === 0,
    );
    const shapeless = outcomes.filter(
      (outcome) => outcome.status >= 400 && outcome.status < 500 && !hasErrorShape(outcome.text),
    );
    expect(new Set(requests.map((request) => request.operation)).size).toBe(
      openApiProblems(document).operations,
    );
    expect(outcomes).toHaveLength(sends.length);
    expect(serverErrors.map(describeOutcome)).toEqual([]);
    expect(shapeless.map(describeOutcome)).toEqual([]);
  }, 180_000);
});
