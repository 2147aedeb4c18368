/** Builders for activities tests: people, request bodies, and reading responses and events. */
import { randomUUID } from 'node:crypto';
import { residentIdNumber, type WatchedMessage } from '@learning/testing';
import type { Stack } from './stack.js';

export const HOUR = 60 * 60 * 1000;
export const CITY = '330281000000';
export const T1 = '330281001000';
export const T1_V1 = '330281001001';
export const T1_V2 = '330281001002';
export const T2 = '330281002000';
export const T2_V1 = '330281002001';

export const at = (msFromNow: number): string => new Date(Date.now() + msFromNow).toISOString();

/** One session from `startIn` to `endIn` (ms from now). */
export const sessionIn = (startIn: number, endIn: number) => ({
  sessions: [{ start: at(startIn), end: at(endIn) }],
});

export const organizationOrganizer = (organizationId: string) => ({
  kind: 'organization' as const,
  organizationId,
});

/**
 * Registers a learning organization in registration through its REST API, as
 * an applicant org admin would; its id. Registration sets its lead department
 * by kind (community: wenming-ban, family: fulian).
 */
export async function registerOrganization(
  stack: Stack,
  kind: 'community' | 'family' = 'community',
): Promise<string> {
  const applicant = await stack.token({
    subject: `applicant-${randomUUID().slice(0, 8)}`,
    roles: ['org_admin'],
  });
  const response = await stack.registration.send('POST', '/v1/organizations', applicant, {
    kind,
    name: `学习型组织 ${randomUUID().slice(0, 8)}`,
    jurisdictionCode: T1_V1,
  });
  const body = (await response.json()) as { id?: unknown };
  if (response.status !== 201 || typeof body.id !== 'string')
    throw new Error(`registering an organization: HTTP ${response.status} ${JSON.stringify(body)}`);
  return body.id;
}

/** A token for an admin of `organizationId`. */
export const adminTokenOf = (stack: Stack, organizationId: string): Promise<string> =>
  stack.token({
    subject: `admin-${organizationId}`,
    roles: ['org_admin'],
    organizations: [organizationId],
  });

/** Takes registration's decisions on an organization, in order, as the city admin. */
export async function decideOnOrganization(
  stack: Stack,
  organizationId: string,
  actions: readonly ('start_review' | 'recognize' | 'suspend')[],
): Promise<void> {
  const admin = await stack.token({ subject: 'city-admin', roles: ['city_admin'], cityWide: true });
  for (const action of actions) {
    const response = await stack.registration.send(
      'POST',
      `/v1/organizations/${organizationId}:decide`,
      admin,
      { action, ...(action === 'suspend' ? { reason: '停止活动' } : {}) },
    );
    if (response.status !== 200)
      throw new Error(`${action}: HTTP ${response.status} ${await response.text()}`);
  }
}

/** A complete draft, ready to publish: tomorrow, in a T1 village, for ordinary citizens. */
export function draftBody(organizationId: string, overrides: Record<string, unknown> = {}) {
  return {
    title: '社区读书会',
    description: '每周一次的读书分享',
    kind: 'reading_club',
    organizer: organizationOrganizer(organizationId),
    jurisdictionCode: T1_V1,
    venue: { name: '村文化礼堂', address: '一号路' },
    schedule: sessionIn(24 * HOUR, 26 * HOUR),
    capacity: 20,
    targetTiers: ['ordinary_citizen'],
    categories: ['ethics_etiquette'],
    ...overrides,
  };
}

export interface Reply {
  status: number;
  body: Record<string, unknown>;
}

/** A request to the activities app, the body read as JSON. */
export async function request(
  stack: Stack,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<Reply> {
  const response = await stack.activities.send(method, path, token, body);
  const text = await response.text();
  return {
    status: response.status,
    body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

/** The people of a test file, each with a token; orgA and orgB are registered communities. */
export async function peopleOf(stack: Stack) {
  const orgA = await registerOrganization(stack);
  const orgB = await registerOrganization(stack);
  return {
    orgA,
    orgB,
    cityAdmin: await stack.token({ subject: 'city-admin', roles: ['city_admin'], cityWide: true }),
    adminA: await stack.token({ subject: 'admin-a', roles: ['org_admin'], organizations: [orgA] }),
    adminB: await stack.token({ subject: 'admin-b', roles: ['org_admin'], organizations: [orgB] }),
    officerT1: await stack.token({
      subject: 'officer-t1',
      roles: ['area_officer'],
      jurisdictions: [T1],
    }),
    officerT2: await stack.token({
      subject: 'officer-t2',
      roles: ['area_officer'],
      jurisdictions: [T2],
    }),
    departmentOfficer: await stack.token({
      subject: 'dept-wenming',
      roles: ['department_officer'],
      department: 'wenming-ban',
      cityWide: true,
    }),
    participant: await stack.token({ subject: 'citizen', roles: ['participant'] }),
    service: await stack.token({
      subject: 'service:notifications',
      roles: ['service'],
      service: 'notifications',
      cityWide: true,
    }),
  };
}

export const idOf = (reply: Reply): string => {
  const id = reply.body['id'];
  if (typeof id !== 'string') throw new Error(`no id in ${JSON.stringify(reply.body)}`);
  return id;
};

/** The CloudEvents type and JSON data of a watched Kafka message. */
export function eventOf(message: WatchedMessage): { type: string; id: string; data: unknown } {
  const header = (name: string) => message.message.headers?.[name]?.toString() ?? '';
  return {
    type: header('ce_type'),
    id: header('ce_id'),
    data: JSON.parse(message.message.value?.toString() ?? 'null') as unknown,
  };
}

export const about =
  (subject: string, type?: string) =>
  (message: WatchedMessage): boolean =>
    message.message.key?.toString() === subject &&
    (type === undefined || message.message.headers?.['ce_type']?.toString() === type);

/** A valid resident ID number for the `n`-th person, born on `birth` (`YYYYMMDD`). */
export const idNumberOf = (n: number, birth = '19850101'): string => residentIdNumber(birth, n);
