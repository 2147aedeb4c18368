/**
 * A series, a forum and an expert made through the lectures REST routes,
 * for any lectures test that needs them (sessions, feedback, coverage, the
 * library). An expert is a participant registration knows, so `createExpert`
 * registers the person through registration's own REST route first.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { idNumberFor } from '@learning/registration/testing/people';
import type { LecturesStack } from './stack.js';

export interface SeriesBody {
  id: string;
  name: string;
  description: string;
  ownerDepartment: string;
  version: number;
}

export interface ForumBody {
  id: string;
  seriesId: string;
  name: string;
  description: string;
  managerSubjects: string[];
  targetTiers: string[];
  categories: string[];
  leadDepartment: string;
  ownerDepartment: string | null;
  status: string;
  version: number;
}

export interface ExpertBody {
  id: string;
  accountSubject: string;
  participantId: string;
  displayName: string;
  fields: string[];
  languages: string[];
  availability: { startsAt: string; endsAt: string }[];
  travelRadius: string;
  phone: string | null;
  email: string | null;
  status: string;
  version: number;
}

/** The campaign office's owner department of the series these fixtures make. */
export const PROPAGANDA = 'xuanchuan-bu';

/** A city admin: the campaign office. */
export const officeToken = (stack: LecturesStack): Promise<string> =>
  stack.token({ subject: 'catalogue-office', roles: ['city_admin'], cityWide: true });

/** A person with the `expert` role, as the identity provider grants it. */
export const expertToken = (stack: LecturesStack, accountSubject: string): Promise<string> =>
  stack.token({ subject: accountSubject, roles: ['participant', 'expert'] });

async function created<T>(response: Response, what: string): Promise<T> {
  if (response.status !== 201)
    throw new Error(`creating ${what}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A series owned by the propaganda department, under a name no other test takes. */
export async function createSeries(
  stack: LecturesStack,
  overrides: Record<string, unknown> = {},
): Promise<SeriesBody> {
  const body = {
    name: `玉海大讲坛 ${randomUUID().slice(0, 8)}`,
    description: '全市城乡巡回讲座',
    ownerDepartment: PROPAGANDA,
    ...overrides,
  };
  return created(
    await stack.lectures.send('POST', '/v1/series', await officeToken(stack), body),
    'a series',
  );
}

/**
 * A forum (人文讲坛 by default) of `seriesId`, or of a new series when none
 * is given; `managerSubjects` names who runs it.
 */
export async function createForum(
  stack: LecturesStack,
  overrides: Record<string, unknown> & { seriesId?: string } = {},
): Promise<ForumBody> {
  const { seriesId, ...fields } = overrides;
  const series = seriesId ?? (await createSeries(stack)).id;
  const body = {
    name: `人文讲坛 ${randomUUID().slice(0, 8)}`,
    description: '历史文化与人文素养',
    managerSubjects: [],
    targetTiers: ['ordinary_citizen', 'ordinary_cadre'],
    categories: ['science_culture_skills', 'ethics_etiquette'],
    leadDepartment: PROPAGANDA,
    ...fields,
  };
  return created(
    await stack.lectures.send(
      'POST',
      `/v1/series/${series}/forums`,
      await officeToken(stack),
      body,
    ),
    'a forum',
  );
}

/** Each registration in this process takes the next ID number from a random start. */
const firstIdNumber = randomInt(0, 900_000);
let registered = 0;

/** Registers `accountSubject` as a participant of a village of the stack's tree; resolves with its id. */
export async function registerParticipant(
  stack: LecturesStack,
  accountSubject: string,
  name = '李华',
): Promise<string> {
  const village = stack.tree.find((node) => node.level === 'village');
  if (village === undefined) throw new Error('the stack’s tree has no village');
  registered += 1;
  const token = await stack.token({ subject: accountSubject, roles: ['participant'] });
  const response = await stack.registration.send('POST', '/v1/participants', token, {
    name,
    tier: 'ordinary_citizen',
    homeJurisdiction: village.code,
    // Distinct within the process: registration refuses a number registered before.
    idNumber: idNumberFor(firstIdNumber + registered),
    language: 'zh-CN',
    consent: { notifications: true },
  });
  return (await created<{ id: string }>(response, `participant ${accountSubject}`)).id;
}

/**
 * An expert in the pool: `accountSubject` registered with registration
 * (unless `registered` says it is already), then added by the office with
 * a countryside radius, political theory, zh-CN, and May 2026 weekdays free.
 */
export async function createExpert(
  stack: LecturesStack,
  options: { accountSubject: string; registered?: boolean } & Record<string, unknown>,
): Promise<ExpertBody> {
  const { registered: alreadyRegistered, ...fields } = options;
  if (alreadyRegistered !== true) await registerParticipant(stack, options.accountSubject);
  const body = {
    displayName: '李华',
    title: '教授',
    employer: '宁波大学',
    fields: ['political_theory'],
    specialties: ['宋韵文化'],
    languages: ['zh-CN'],
    availability: [{ startsAt: '2026-05-04T00:00:00Z', endsAt: '2026-05-09T00:00:00Z' }],
    travelRadius: 'countryside',
    ...fields,
  };
  return created(
    await stack.lectures.send('POST', '/v1/experts', await officeToken(stack), body),
    `expert ${options.accountSubject}`,
  );
}
