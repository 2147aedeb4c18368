/**
 * What a served OpenAPI document must hold for Swagger UI's "Try it out" to
 * send what a route requires and show what it may answer: the Idempotency-Key
 * header where the route needs one (and on every POST), and the shared Error
 * schema for 400 and 500 on every operation.
 */
interface Operation {
  description?: string;
  parameters?: { in: string; name: string; required?: boolean }[];
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
}

const ERROR_SCHEMA = JSON.stringify({ $ref: '#/components/schemas/Error' });

/** How many operations the document has, and what each is missing (empty when nothing is). */
export function openApiProblems(document: unknown): { operations: number; problems: string[] } {
  const { paths } = document as OpenApiDocument;
  const operations = Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      id: `${method} ${path}`,
      method,
      operation,
    })),
  );
  const problems: string[] = [];
  for (const { id, method, operation } of operations) {
    const key = operation.parameters?.find((parameter) => parameter.name === 'idempotency-key');
    if (/needs an Idempotency-Key/.test(operation.description ?? '') && key?.required !== true)
      problems.push(`${id}: its description needs an Idempotency-Key, its parameters do not`);
    if (method === 'post' && key === undefined) problems.push(`${id}: no Idempotency-Key`);
    for (const status of ['400', '500']) {
      const schema = operation.responses[status]?.content?.['application/json']?.schema;
      if (JSON.stringify(schema) !== ERROR_SCHEMA)
        problems.push(`${id}: no ${status} with the Error schema`);
    }
  }
  return { operations: operations.length, problems };
}
