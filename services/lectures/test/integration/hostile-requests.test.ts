/**
 * Lectures under hostile input: every operation of its served OpenAPI
 * document gets malformed path ids, wrong query values and broken bodies
 * (see hostileRequests), with a city admin's token and, for a sample, with
 * none. None may be answered with a 5xx, and every 4xx carries the shared
 * error body, so a caller always learns a stable code and a message.
 */
import { randomUUID } from 'node:crypto';
import {
  describeWithServers,
  hostileRequests,
  openApiProblems,
  uniqueName,
  type HostileRequest,
} from '@learning/testing';
import { beforeAll, expect, it } from 'vitest';
import { createExpert, createForum, createSeries, PROPAGANDA } from '../support/catalogue.js';
import { useLecturesStack, type LecturesStack } from '../support/stack.js';

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

const DAY = 24 * 60 * 60_000;

async function createdId(response: Response, what: string): Promise<string> {
  if (response.status !== 201)
    throw new Error(`creating ${what}: HTTP ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/**
 * One stored thing of each kind a path names, so that hostile queries and
 * bodies reach the use cases instead of stopping at "not found".
 */
async function storedIds(stack: LecturesStack, admin: string): Promise<Record<string, string>> {
  const series = await createSeries(stack);
  const forum = await createForum(stack, { seriesId: series.id });
  const expert = await createExpert(stack, {
    accountSubject: uniqueName('hostile-expert'),
    availability: [
      {
        startsAt: new Date().toISOString(),
        endsAt: new Date(Date.now() + 400 * DAY).toISOString(),
      },
    ],
  });
  const village = stack.tree.find((node) => node.level === 'village');
  if (village === undefined) throw new Error('the stack’s tree has no village');
  const venue = await createdId(
    await stack.activities.send('POST', '/v1/venues', admin, {
      name: '一村文化礼堂',
      address: '一村路1号',
      jurisdictionCode: village.code,
    }),
    'a venue',
  );
  const startsAt = Date.now() + 3 * DAY;
  const session = await createdId(
    await stack.lectures.send('POST', '/v1/sessions', admin, {
      forumId: forum.id,
      lectureType: 'history_culture',
      title: '宋韵文化与城市精神',
      description: '漫谈宋韵文化',
      venueId: venue,
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(startsAt + 2 * 60 * 60_000).toISOString(),
      speakerIds: [expert.id],
      capacity: 100,
    }),
    'a session',
  );
  const lesson = await createdId(
    await stack.lectures.send('POST', '/v1/lessons', admin, {
      kind: 'video',
      title: '学习型社会建设讲座',
      description: '终身学习与城市发展',
      categories: ['political_theory'],
      targetTiers: ['ordinary_citizen'],
      lengthSeconds: 600,
      contentUrl: 'https://media.example.org/lessons/1.mp4',
      leadDepartment: PROPAGANDA,
    }),
    'a lesson',
  );
  return {
    series: series.id,
    forums: forum.id,
    experts: expert.id,
    sessions: session,
    lessons: lesson,
  };
}

describeWithServers(['mongo', 'kafka', 'redis'], 'lectures under hostile requests', (servers) => {
  const stack = useLecturesStack(servers);
  let admin = '';
  let stored: Record<string, string> = {};
  beforeAll(async () => {
    admin = await stack.token({ subject: 'city-admin', roles: ['city_admin'], cityWide: true });
    stored = await storedIds(stack, admin);
  });

  it('when every operation gets malformed ids, wrong queries and broken bodies, then none is a 5xx and every 4xx names a code', async () => {
    const document: unknown = await (await fetch(`${stack.lectures.base}/openapi.json`)).json();
    const requests = hostileRequests(document, {
      seed: 20261207,
      idempotencyKey: randomUUID,
      maxPerOperation: MAX_PER_OPERATION,
      // The stored thing of the kind the path names: `/v1/public/sessions/{id}`, the session.
      pathValue: (template, parameter) =>
        parameter === 'id'
          ? stored[template.replace('/public', '').split('/')[2] ?? '']
          : undefined,
    });
    const sends = requests.flatMap((request, index) => [
      { request, token: 'admin' as const },
      ...(index % ANONYMOUS_EVERY === 0 ? [{ request, token: 'none' as const }] : []),
    ]);
    const outcomes: Outcome[] = [];
    await inBatches(sends, CONCURRENCY, async ({ request, token }) => {
      const answer = await sendHostile(
        stack.lectures.base,
        request,
        token === 'admin' ? admin : null,
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
