/**
 * Requests to a running registration app as a signed-in caller (JSON, or a
 * streamed CSV upload), and the jurisdiction tree most tests start from.
 */
import { randomUUID } from 'node:crypto';
import { request as httpRequest, type ClientRequest } from 'node:http';
import type { JurisdictionNode } from '@learning/testing';

import { send } from '@learning/runtime/testing';

export { call, send, type Call, type SendOptions } from '@learning/runtime/testing';

/** The body of POST /v1/jurisdictions:import for the nodes `jurisdictionTree` made. */
export const importBodyOf = (tree: readonly JurisdictionNode[]) => ({
  items: tree.map(({ code, name, level, path }) => ({
    code,
    name,
    level,
    parentCode: path.at(-2) ?? null,
  })),
});

/** Imports `tree` through the API as `token` (a city admin's); throws unless it was stored. */
export async function seedJurisdictions(
  base: string,
  token: string,
  tree: readonly JurisdictionNode[],
): Promise<void> {
  const response = await send(base, 'POST', '/v1/jurisdictions:import', token, importBodyOf(tree));
  if (response.status !== 200)
    throw new Error(
      `importing the jurisdiction tree: HTTP ${response.status} ${await response.text()}`,
    );
}

/**
 * A CSV upload over node:http, which has no response deadline of its own and
 * sends the body as `write` writes it: it may declare more than it sends.
 */
export function streamUpload(
  url: string,
  token: string,
  contentLength: number,
  write: (request: ClientRequest) => void,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'text/csv',
          'content-length': String(contentLength),
          'idempotency-key': randomUUID(),
        },
      },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, body });
          // The rest of a body the server answered early is not sent.
          request.destroy();
        });
      },
    );
    request.on('error', reject);
    write(request);
  });
}
