/**
 * Names, titles and free text as people type them: normalized to NFC (so the
 * same name is stored as the same code points whichever keyboard sent it) and
 * refused when they carry what no person means to type and what hides or
 * reorders text on another's screen.
 */
import { Type, type StringOptions, type TString } from '@sinclair/typebox';
import type { Ajv } from '@fastify/ajv-compiler';

/** The JSON Schema keyword that marks a string as text from people; ajv enforces it. */
export const TEXT_KEYWORD = 'x-text';

/**
 * `line`: one line that must show something (names, titles). `multiline`: line breaks and
 * tabs allowed, blank allowed (descriptions, reasons).
 */
export type TextKind = 'line' | 'multiline';

// \p{Cc} is C0, DEL and C1: NUL, escape sequences, and line breaks where one line is expected.
const CONTROL_IN_LINE = /\p{Cc}/u;
const CONTROL_IN_MULTILINE = /[^\P{Cc}\t\n\r]/u;
// In a /u pattern only unpaired halves of a surrogate pair match \p{Cs}.
const LONE_SURROGATE = /\p{Cs}/u;
// Embeddings, overrides and isolates reorder what follows them (the "Trojan Source" characters).
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;
// Anything a reader can see: not spaces, not format characters (zero-width ones included),
// not combining marks alone, not the fillers that render blank.
const VISIBLE = /[^\p{White_Space}\p{Cf}\p{Mn}\p{Me}\u115F\u1160\u3164\uFFA0\u2800]/u;

/** Why `value` is refused as text of `kind`, said for people; undefined when it is accepted. */
export function textProblem(value: string, kind: TextKind): string | undefined {
  if (LONE_SURROGATE.test(value)) return 'must not contain unpaired surrogate code units';
  if ((kind === 'line' ? CONTROL_IN_LINE : CONTROL_IN_MULTILINE).test(value))
    return kind === 'line'
      ? 'must not contain control characters or line breaks'
      : 'must not contain control characters';
  if (BIDI_CONTROL.test(value)) return 'must not contain bidirectional override characters';
  // A name or title must show something; blank free text is left to the rules of its field
  // (a reason that is required answers with its own code).
  if (kind === 'line' && value.length > 0 && !VISIBLE.test(value))
    return 'must contain visible characters';
  return undefined;
}

interface TextValidator {
  (
    kind: TextKind,
    data: string,
    parentSchema: unknown,
    dataCxt?: { parentData: Record<string | number, unknown>; parentDataProperty: string | number },
  ): boolean;
  errors?: { keyword: string; message: string; params: Record<string, unknown> }[];
}

const validateText: TextValidator = (kind, data, _parentSchema, dataCxt) => {
  const problem = textProblem(data, kind);
  if (problem !== undefined) {
    validateText.errors = [{ keyword: TEXT_KEYWORD, message: problem, params: { kind } }];
    return false;
  }
  // A bare string body has no parent to write to; every text field is inside an object or array.
  if (dataCxt !== undefined) dataCxt.parentData[dataCxt.parentDataProperty] = data.normalize('NFC');
  return true;
};

/** Teaches an ajv instance the text keyword: refuses, then normalizes in place. */
export function addTextKeyword(ajv: Ajv): void {
  ajv.addKeyword({
    keyword: TEXT_KEYWORD,
    type: 'string',
    schemaType: 'string',
    modifying: true,
    errors: true,
    metaSchema: { enum: ['line', 'multiline'] },
    validate: validateText,
  });
}

const RULES =
  'Normalized to NFC; control characters, unpaired surrogates and bidirectional overrides are ' +
  'refused, and in a name or title invisible-only text.';

// The rules are appended to any description given, so every such field documents them.
const textOf = (kind: TextKind, options: StringOptions, described: string): TString =>
  Type.String({
    ...options,
    [TEXT_KEYWORD]: kind,
    description: `${options.description ?? described} ${RULES}`,
  });

/** A name (of a person, place or organization): one line, 1–`maxLength` characters. */
export const Name = (maxLength = 100, options: StringOptions = {}): TString =>
  textOf('line', { minLength: 1, maxLength, ...options }, 'A name.');

/** A title, or any other one-line text: 1–`maxLength` characters. */
export const Title = (maxLength = 200, options: StringOptions = {}): TString =>
  textOf('line', { minLength: 1, maxLength, ...options }, 'A title.');

/** Free text (descriptions, reasons): line breaks allowed, up to `maxLength`. */
export const Text = (maxLength: number, options: StringOptions = {}): TString =>
  textOf('multiline', { maxLength, ...options }, 'Free text; line breaks allowed.');
