import { AjvCompiler, type ValidatorFactory } from '@fastify/ajv-compiler';
import { addTextKeyword } from './text.js';

/**
 * Validators that refuse rather than repair: unknown fields are errors (not
 * silently dropped) and every error is reported. Bodies are JSON and already
 * typed, so `"42"` is not taken for a number there; query strings, path
 * parameters and headers arrive as text and are converted as fastify does.
 * Both know the keyword of names, titles and free text (text.ts).
 * Text converted to a number must be finite: ajv turns `1e309` into Infinity
 * and then skips `maximum` (ajv-validator/ajv#2212), which would let
 * `?pageSize=1e309` through as an unbounded page.
 */
export function strictValidators(): ValidatorFactory {
  const fromPool = AjvCompiler();
  const common = { removeAdditional: false, allErrors: true } as const;
  return (externalSchemas) => {
    const body = fromPool(externalSchemas, {
      customOptions: { ...common, coerceTypes: false },
      onCreate: addTextKeyword,
    });
    const text = fromPool(externalSchemas, {
      customOptions: { ...common, coerceTypes: 'array' },
      onCreate: addTextKeyword,
    });
    return (route) => (route.httpPart === 'body' ? body(route) : finiteOnly(text(route)));
  };
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
