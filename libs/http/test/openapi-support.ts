/** The parts of an OpenAPI 3 document the tests read, and a flat list of its operations. */
export interface OpenApiResponse {
  description: string;
  content?: Record<string, { schema?: unknown }>;
}

export interface OpenApiOperation {
  operationId?: string;
  parameters?: { in: string; name: string; required?: boolean }[];
  requestBody?: unknown;
  responses: Record<string, OpenApiResponse>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, unknown> };
}

export interface FlatOperation {
  id: string;
  path: string;
  method: string;
  parameters: { in: string; name: string; required?: boolean }[];
  responses: Record<string, OpenApiResponse>;
}

export const openApiOperations = (document: OpenApiDocument): FlatOperation[] =>
  Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      id: `${method.toUpperCase()} ${path}`,
      path,
      method,
      parameters: operation.parameters ?? [],
      responses: operation.responses,
    })),
  );
