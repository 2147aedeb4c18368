import { describe, expect, it } from 'vitest';
import {
  describeCalls,
  generateSecret,
  GRPC_CALLS,
  PII_KEEPERS,
  SERVICE_SECRETS,
  wireServices,
  type WiredService,
} from '../../src/wiring.js';

const stack: WiredService[] = [
  { name: 'activities', grpc: 9102, environment: { NETWORK_GAP_CHECK_EVERY_MS: '600000' } },
  { name: 'lectures', grpc: 9103, environment: {} },
  { name: 'registration', grpc: 9101, environment: {} },
  { name: 'scoring', grpc: 9104, environment: {} },
  { name: 'notifications', grpc: 9105, environment: { WEBHOOK_TARGET_POLICY: 'allow-private' } },
];
const signed = (service: string): Promise<string> => Promise.resolve(`token-of-${service}`);
let keys = 0;
const numberedKeys = (): Record<string, string> => {
  keys += 1;
  return { PII_ENCRYPTION_KEYS: `k1:key-${keys}`, PII_HASH_KEY: `hash-${keys}` };
};
let secrets = 0;
const numberedSecret = (): string => {
  secrets += 1;
  return `secret-${secrets}`;
};
const wired = async (services: WiredService[]): Promise<Record<string, Record<string, string>>> =>
  Object.fromEntries(
    (await wireServices(services, signed, numberedKeys, numberedSecret)).map((service) => [
      service.name,
      { ...service.environment },
    ]),
  );

describe('the local stack’s wiring', () => {
  it('when lectures runs beside registration and activities, then it calls both with its own token', async () => {
    const { lectures } = await wired(stack);
    expect(lectures).toMatchObject({
      REGISTRATION_GRPC_ADDRESS: '127.0.0.1:9101',
      REGISTRATION_SERVICE_TOKEN: 'token-of-lectures',
      ACTIVITIES_GRPC_ADDRESS: '127.0.0.1:9102',
      ACTIVITIES_SERVICE_TOKEN: 'token-of-lectures',
    });
  });

  it('when lectures runs, then registration seats lecture sessions there and activities’ and training classes’ sign-ups still at activities, and activities asks lectures for its experts', async () => {
    const { registration, activities } = await wired(stack);
    expect(registration).toMatchObject({
      SEATING_ACTIVITIES_GRPC_ADDRESS: '127.0.0.1:9102',
      SEATING_TRAINING_GRPC_ADDRESS: '127.0.0.1:9102',
      SEATING_LECTURES_GRPC_ADDRESS: '127.0.0.1:9103',
      SEATING_SERVICE_TOKEN: 'token-of-registration',
    });
    expect(activities).toEqual({
      NETWORK_GAP_CHECK_EVERY_MS: '600000',
      REGISTRATION_GRPC_ADDRESS: '127.0.0.1:9101',
      REGISTRATION_SERVICE_TOKEN: 'token-of-activities',
      VERIFICATION_KEY: expect.stringMatching(/^secret-/) as unknown,
      LECTURES_GRPC_ADDRESS: '127.0.0.1:9103',
      LECTURES_SERVICE_TOKEN: 'token-of-activities',
    });
  });

  it('when registration, lectures and notifications keep personal data, then each has keys of its own and activities none', async () => {
    const { registration, lectures, notifications, activities } = await wired(stack);
    const hashKeys = [registration, lectures, notifications].map((env) => env?.['PII_HASH_KEY']);
    const encryptionKeys = [registration, lectures, notifications].map(
      (env) => env?.['PII_ENCRYPTION_KEYS'],
    );
    for (const key of hashKeys) expect(key).toMatch(/^hash-/);
    expect(new Set(hashKeys).size).toBe(3);
    expect(new Set(encryptionKeys).size).toBe(3);
    expect(activities).not.toHaveProperty('PII_HASH_KEY');
    expect(PII_KEEPERS).toEqual(['registration', 'lectures', 'notifications']);
  });

  it('when notifications runs, then it asks registration with its own token, keeps its local settings and no other secret', async () => {
    const { notifications } = await wired(stack);
    expect(notifications).toEqual({
      WEBHOOK_TARGET_POLICY: 'allow-private',
      REGISTRATION_GRPC_ADDRESS: '127.0.0.1:9101',
      REGISTRATION_SERVICE_TOKEN: 'token-of-notifications',
      PII_ENCRYPTION_KEYS: expect.stringMatching(/^k1:key-/) as unknown,
      PII_HASH_KEY: expect.stringMatching(/^hash-/) as unknown,
    });
  });

  it('when scoring runs, then it asks registration, activities and lectures with its own token and has a verification key but no personal-data keys', async () => {
    const { scoring, registration } = await wired(stack);
    expect(scoring).toEqual({
      REGISTRATION_GRPC_ADDRESS: '127.0.0.1:9101',
      REGISTRATION_SERVICE_TOKEN: 'token-of-scoring',
      ACTIVITIES_GRPC_ADDRESS: '127.0.0.1:9102',
      ACTIVITIES_SERVICE_TOKEN: 'token-of-scoring',
      LECTURES_GRPC_ADDRESS: '127.0.0.1:9103',
      LECTURES_SERVICE_TOKEN: 'token-of-scoring',
      VERIFICATION_KEY: expect.stringMatching(/^secret-/) as unknown,
    });
    expect(registration).not.toHaveProperty('VERIFICATION_KEY');
    expect(SERVICE_SECRETS).toEqual({
      scoring: ['VERIFICATION_KEY'],
      activities: ['VERIFICATION_KEY'],
    });
  });

  it('when a verification key is made, then it is base64 of 32 random bytes, a new one each time', () => {
    const key = generateSecret();
    expect(key).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    expect(generateSecret()).not.toBe(key);
  });

  it('when lectures does not run, then nobody is given its address', async () => {
    const { registration } = await wired(stack.filter((service) => service.name !== 'lectures'));
    expect(registration).not.toHaveProperty('SEATING_LECTURES_GRPC_ADDRESS');
    expect(registration).toHaveProperty('SEATING_ACTIVITIES_GRPC_ADDRESS', '127.0.0.1:9102');
  });

  it('when activities does not run, then registration is given neither its address nor training’s', async () => {
    const { registration } = await wired(stack.filter((service) => service.name !== 'activities'));
    expect(registration).not.toHaveProperty('SEATING_ACTIVITIES_GRPC_ADDRESS');
    expect(registration).not.toHaveProperty('SEATING_TRAINING_GRPC_ADDRESS');
    expect(registration).toHaveProperty('SEATING_LECTURES_GRPC_ADDRESS', '127.0.0.1:9103');
  });

  it('when the calls are listed, then each caller–callee pair appears once per token, lectures calling registration and activities', () => {
    const lecturesCalls = GRPC_CALLS.filter((call) => call.caller === 'lectures');
    expect(lecturesCalls.map((call) => call.callee).sort()).toEqual(['activities', 'registration']);
    expect(
      new Set(GRPC_CALLS.map((call) => `${call.caller}→${call.callee}:${call.token}`)).size,
    ).toBe(GRPC_CALLS.length);
  });

  it('when every service runs, then registration reaches each one’s PersonalDataService with its personal-data token', async () => {
    const { registration } = await wired(stack);
    expect(registration).toMatchObject({
      ACTIVITIES_GRPC_ADDRESS: '127.0.0.1:9102',
      LECTURES_GRPC_ADDRESS: '127.0.0.1:9103',
      SCORING_GRPC_ADDRESS: '127.0.0.1:9104',
      NOTIFICATIONS_GRPC_ADDRESS: '127.0.0.1:9105',
      PERSONAL_DATA_SERVICE_TOKEN: 'token-of-registration',
    });
  });

  it('when the banner lists the calls, then it names only those whose both ends run', () => {
    expect(
      describeCalls(['activities', 'lectures', 'notifications', 'registration', 'scoring']),
    ).toEqual([
      'registration → activities, lectures, scoring, notifications',
      'activities → registration, lectures',
      'lectures → registration, activities',
      'scoring → registration, activities, lectures',
      'notifications → registration',
    ]);
    expect(describeCalls(['activities', 'lectures', 'registration', 'scoring'])).not.toContainEqual(
      'notifications → registration',
    );
    expect(describeCalls(['lectures', 'registration'])).toEqual([
      'registration → lectures',
      'lectures → registration',
    ]);
  });
});
