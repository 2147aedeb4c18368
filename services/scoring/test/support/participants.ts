/** People registered through the real registration app, as the scoring tests need them. */
import { idNumberFor } from '@learning/registration/testing/people';
import { randomInt } from 'node:crypto';
import { expect } from 'vitest';
import type { ScoringStack } from './stack.js';

// A random start, so test files sharing registration's database never register the same ID number.
const firstIdNumber = randomInt(0, 900_000);
let registered = 0;

/** Registers an ordinary citizen living in `home` for the account `subject`; returns the participant id. */
export async function registerParticipant(
  stack: ScoringStack,
  subject: string,
  name: string,
  home: string,
): Promise<string> {
  registered += 1;
  const token = await stack.token({ subject, roles: ['participant'] });
  const response = await stack.registration.send('POST', '/v1/participants', token, {
    name,
    tier: 'ordinary_citizen',
    homeJurisdiction: home,
    idNumber: idNumberFor(firstIdNumber + registered),
    language: 'zh-CN',
    consent: { notifications: true },
  });
  const body = (await response.json()) as { id: string };
  expect(response.status, JSON.stringify(body)).toBe(201);
  return body.id;
}
