/**
 * Demo data for the local stack, loaded through the services' own REST APIs
 * (so it passes every rule a person's request would): the demo city's
 * jurisdiction tree, people of every tier, and one learning organization of
 * each kind, some of them reviewed and recognized. The stand-ins keep nothing
 * across restarts, so every start loads it afresh.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { signLocalToken } from './dev-token.js';

const demoFile = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../demo/${name}`, import.meta.url), 'utf8'));

interface DemoOrganization {
  readonly decisions: readonly string[];
  readonly [field: string]: unknown;
}

export interface DemoSummary {
  readonly jurisdictions: number;
  readonly participants: number;
  readonly organizations: number;
}

async function call<T>(base: string, token: string, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      // Fresh each start: Redis keeps replayed answers across restarts, the stand-ins do not.
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`demo data: POST ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** Loads the demo data into the registration service at `registrationUrl`. */
export async function loadDemoData(registrationUrl: string): Promise<DemoSummary> {
  const admin = await signLocalToken({ subject: 'demo-loader', roles: ['city_admin'] });
  const tree = demoFile('jurisdictions.json') as { items: unknown[] };
  await call(registrationUrl, admin, '/v1/jurisdictions:import', tree);

  const people = demoFile('participants.json') as unknown[];
  for (const person of people)
    await call(registrationUrl, admin, '/v1/participants:register-for', person);

  const organizations = demoFile('organizations.json') as DemoOrganization[];
  for (const { decisions, ...organization } of organizations) {
    const { id } = await call<{ id: string }>(
      registrationUrl,
      admin,
      '/v1/organizations',
      organization,
    );
    for (const action of decisions)
      await call(registrationUrl, admin, `/v1/organizations/${id}:decide`, { action });
  }
  return {
    jurisdictions: tree.items.length,
    participants: people.length,
    organizations: organizations.length,
  };
}
