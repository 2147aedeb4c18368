import { AjvCompiler, type ValidatorFactory } from '@fastify/ajv-compiler';
import { addTextKeyword } from './text.js';

/**
 * Validators that refuse rather than repair: unknown fields are errors (not
 * silently dropped) and every error is reported. Bodies are JSON and already
 * typed, so `"42"` is not taken for a number there; query strings, path
 * parameters and headers arrive as text and are converted as fastify does.
 * Both know the keyword of names, titles and free text (text.ts).
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
    return (route) => (route.httpPart === 'body' ? body(route) : text(route));
  };
}
