import { describe, expect, it } from 'vitest';
import { openApiProblems } from '../../src/openapi.js';

const error = {
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};
const key = (required: boolean) => ({ in: 'header', name: 'idempotency-key', required });

describe('openApiProblems', () => {
  it('when every operation declares its key and errors, then nothing is missing', () => {
    const document = {
      paths: {
        '/v1/things': {
          get: { responses: { 400: error, 500: error } },
          post: { parameters: [key(false)], responses: { 400: error, 500: error } },
        },
      },
    };
    expect(openApiProblems(document)).toEqual({ operations: 2, problems: [] });
  });

  it('when a POST has no key, a route needing one marks it optional and an error is undeclared, then each is named', () => {
    const document = {
      paths: {
        '/v1/things': { post: { responses: { 400: error, 500: error } } },
        '/v1/things/{id}': {
          put: {
            description: 'Replaces it; needs an Idempotency-Key.',
            parameters: [key(false)],
            responses: { 400: { content: {} }, 500: error },
          },
        },
      },
    };
    expect(openApiProblems(document).problems).toEqual([
      'post /v1/things: no Idempotency-Key',
      'put /v1/things/{id}: its description needs an Idempotency-Key, its parameters do not',
      'put /v1/things/{id}: no 400 with the Error schema',
    ]);
  });
});
