import { AjvCompiler, type Ajv, type ValidatorFactory } from '@fastify/ajv-compiler';
import { addTextKeyword } from './text.js';

/**
 * Validators that refuse rather than repair: unknown fields are errors (not
 * silently dropped) and every error is reported. Bodies are JSON and already
 * typed, so `"42"` is not taken for a number there; query strings, path
 * parameters and headers arrive as text and are converted as fastify does.
 * Both know the keyword of names, titles and free text (text.ts).
 * Text converted to a number must be finite: ajv turns `1e309` into Infinity
 * and then skips `maximum` (ajv-validator/ajv#2212), which would let
 * `?pageSize=1e309` through as an unbounded page. Dates and instants in the
 * year 0000, which RFC 3339 allows, are refused (see yearZeroRefused).
 */
export function strictValidators(): ValidatorFactory {
  const fromPool = AjvCompiler();
  const common = { removeAdditional: false, allErrors: true } as const;
  return (externalSchemas) => {
    const body = fromPool(externalSchemas, {
      customOptions: { ...common, coerceTypes: false },
      onCreate: teach,
    });
    const text = fromPool(externalSchemas, {
      customOptions: { ...common, coerceTypes: 'array' },
      onCreate: teach,
    });
    return (route) => (route.httpPart === 'body' ? body(route) : finiteOnly(text(route)));
  };
}

function teach(ajv: Ajv): void {
  addTextKeyword(ajv);
  yearZeroRefused(ajv);
}

/**
 * The year 0000 is valid RFC 3339 but not a year every store and language
 * can hold (BSON decoders built on Python's datetime, .NET's DateTime start at
 * 0001): one such date in a filter closed the test stand-in's connection and
 * failed every request sharing it. No date of the platform lies there.
 */
function yearZeroRefused(ajv: Ajv): void {
  for (const name of ['date', 'date-time']) {
    const format: unknown = ajv.formats[name];
    const check =
      typeof format === 'function'
        ? (format as (text: string) => boolean)
        : (format as { validate: (text: string) => boolean }).validate;
    const compare =
      typeof format === 'object' && format !== null && 'compare' in format
        ? { compare: format.compare as (a: string, b: string) => number | undefined }
        : {};
    ajv.addFormat(name, {
      type: 'string',
      validate: (text: string) => !text.startsWith('0000') && check(text),
      ...compare,
    });
  }
}

type Validate = ReturnType<ReturnType<ReturnType<typeof AjvCompiler>>>;

/** Fields of a converted query, path or header object that became Infinity (or -Infinity). */
function nonFinite(data: unknown): string[] {
  if (typeof data !== 'object' || data === null) return [];
  return Object.entries(data).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).some(
      (item) => typeof item === 'number' && !Number.isFinite(item),
    )
      ? [name]
      : [],
  );
}

function finiteOnly(validate: Validate): Validate {
  const check = (data: unknown): data is unknown => {
    const valid = validate(data) as boolean;
    checked.errors = validate.errors ?? null;
    if (!valid) return false;
    const fields = nonFinite(data);
    if (fields.length === 0) return true;
    checked.errors = fields.map((name) => ({
      keyword: 'finite',
      instancePath: `/${name}`,
      schemaPath: '#/finite',
      params: {},
      message: 'must be a finite number',
    }));
    return false;
  };
  const checked: Validate = Object.assign(check, {
    schema: validate.schema,
    schemaEnv: validate.schemaEnv,
  });
  return checked;
}
