/** Requests to an app in the scoring tests, their replies read once: status, headers and the JSON body. */
import type { RunningApp } from '@learning/runtime/testing';

export interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** `app.send` with extra request headers, the body read as JSON (`{}` when empty). */
export const replySender =
  (app: RunningApp) =>
  async (
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Reply> => {
    const response = await app.send(
      method,
      path,
      token,
      body,
      headers === undefined ? {} : { headers },
    );
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
    };
  };

/** What a refusal is checked by: its status and stable code. */
export const refusal = (reply: Reply) => ({ status: reply.status, code: reply.body['code'] });
