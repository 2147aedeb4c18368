import { rejectionOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import { serviceCredentialsProblems, serviceTokenProvider } from '../../src/index.js';

const credentials = {
  SERVICE_TOKEN_URL: 'https://id.city.example/oauth/token',
  SERVICE_CLIENT_ID: 'activities',
  SERVICE_CLIENT_SECRET: 'client-secret-4b1d',
};

describe('serviceCredentialsProblems', () => {
  it('when none or all three are set, then there is no problem', () => {
    expect(serviceCredentialsProblems({})).toEqual([]);
    expect(serviceCredentialsProblems(credentials)).toEqual([]);
  });

  it('when only some are set, then the missing ones are named and no value is shown', () => {
    const problems = serviceCredentialsProblems({
      SERVICE_TOKEN_URL: credentials.SERVICE_TOKEN_URL,
      SERVICE_CLIENT_SECRET: credentials.SERVICE_CLIENT_SECRET,
    });

    expect(problems).toEqual([
      'SERVICE_TOKEN_URL, SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET are set together or not at all; SERVICE_CLIENT_ID missing',
    ]);
    expect(problems.join('\n')).not.toContain(credentials.SERVICE_CLIENT_SECRET);
  });

  it.each([
    [
      'http://id.city.example/oauth/token',
      ['SERVICE_TOKEN_URL must be https (http only for 127.0.0.1 or localhost)'],
    ],
    ['http://127.0.0.1:8080/oauth/token', []],
    ['http://localhost/oauth/token', []],
  ])('when the token URL is %s, then the problems are %j', (url, expected) => {
    expect(serviceCredentialsProblems({ ...credentials, SERVICE_TOKEN_URL: url })).toEqual(
      expected,
    );
  });
});

describe('serviceTokenProvider', () => {
  it('when neither credentials nor a static token are set, then there is no provider', () => {
    expect(serviceTokenProvider({}, undefined)).toBeUndefined();
  });

  it('when only the static token is set, then it is presented as it is', async () => {
    const provider = serviceTokenProvider({}, 'static.jwt.token');

    expect(await provider?.()).toBe('static.jwt.token');
  });

  it('when the credentials are set, then the token comes from the token endpoint, not the static one', async () => {
    // Nothing listens on port 1: the renewing provider asks it and fails; a static one would not ask.
    const provider = serviceTokenProvider(
      { ...credentials, SERVICE_TOKEN_URL: 'http://127.0.0.1:1/oauth/token' },
      'static.jwt.token',
    );

    const error = await rejectionOf(Promise.resolve(provider?.()));

    expect(error).toMatchObject({ code: 'SERVICE_TOKEN_UNAVAILABLE' });
  });
});
