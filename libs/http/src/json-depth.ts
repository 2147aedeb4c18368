/**
 * JSON bodies nested deeper than any route accepts are refused before they
 * are parsed: parsing, the forbidden-key walk and validation of a 900 KB body
 * nested 450,000 levels deep took most of a second, time taken from every
 * other request. No maintained parser limits depth (secure-json-parse, which
 * fastify parses with, does not), so one linear scan counts brackets outside
 * strings and stops at the first one too deep.
 */
import { AppError } from '@learning/errors';
import type { FastifyInstance } from 'fastify';

/** Deeper than any body the platform's routes accept (their schemas nest a few levels). */
export const MAX_JSON_DEPTH = 32;

export const JSON_TOO_DEEP = 'JSON_TOO_DEEP';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Whether `text` opens more than `maxDepth` objects or arrays inside each other. */
export function exceedsJsonDepth(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === BACKSLASH) index += 1;
      else if (char === QUOTE) inString = false;
    } else if (char === QUOTE) {
      inString = true;
    } else if (char === OPEN_BRACE || char === OPEN_BRACKET) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (char === CLOSE_BRACE || char === CLOSE_BRACKET) {
      depth -= 1;
    }
  }
  return false;
}

/** Replaces fastify's JSON parser with the same parser behind the depth scan. */
export function installJsonDepthLimit(app: FastifyInstance, maxDepth = MAX_JSON_DEPTH): void {
  // fastify's defaults: a __proto__ or constructor.prototype key is an error, not stripped.
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (exceedsJsonDepth(text, maxDepth)) {
      done(
        new AppError(
          'invalid_argument',
          JSON_TOO_DEEP,
          `The request body is nested more than ${maxDepth} levels deep.`,
        ),
        undefined,
      );
      return;
    }
    // fastify's JSON parser answers through `done`; its type also allows a promise, never returned.
    void parse(request, text, done);
  });
}
