/**
 * The shape of a service definition as ts-proto writes it (`outputServices=grpc-js`):
 * one entry per method, keyed by the method's camelCase name, with its path and
 * codecs. Request and response types are read from the codecs, so servers and
 * clients built from a definition are typed without any generated interfaces.
 */

export interface MethodDefinitionLike {
  readonly path: string;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
  // `never` parameters accept a codec of any message type (parameters are contravariant).
  readonly requestSerialize: (value: never) => Buffer;
  readonly requestDeserialize: (bytes: Buffer) => unknown;
  readonly responseSerialize: (value: never) => Buffer;
  readonly responseDeserialize: (bytes: Buffer) => unknown;
}

export type ServiceDefinitionLike = Readonly<Record<string, MethodDefinitionLike>>;

export type RequestOf<M> = M extends { requestDeserialize: (bytes: Buffer) => infer R } ? R : never;
export type ResponseOf<M> = M extends { responseDeserialize: (bytes: Buffer) => infer R }
  ? R
  : never;

export type UnaryMethodNames<S extends ServiceDefinitionLike> = {
  [K in keyof S & string]: S[K] extends { requestStream: false; responseStream: false } ? K : never;
}[keyof S & string];

export type ServerStreamMethodNames<S extends ServiceDefinitionLike> = {
  [K in keyof S & string]: S[K] extends { requestStream: false; responseStream: true } ? K : never;
}[keyof S & string];

/** `/learning.activities.v1.ActivityService/GetActivity` → service and method names. */
export function splitPath(path: string): { service: string; method: string } {
  const match = /^\/([^/]+)\/([^/]+)$/.exec(path);
  if (match?.[1] === undefined || match[2] === undefined) {
    throw new TypeError(`"${path}" is not a gRPC method path (/package.Service/Method).`);
  }
  return { service: match[1], method: match[2] };
}

/** The fully qualified service name of a definition, read from its methods' paths. */
export function serviceNameOf(definition: ServiceDefinitionLike): string {
  const names = new Set(Object.values(definition).map((method) => splitPath(method.path).service));
  const [name, ...others] = names;
  if (name === undefined || others.length > 0) {
    throw new TypeError('A service definition must have at least one method, all of one service.');
  }
  return name;
}

/** A method with its message types erased, for code that serves or calls any method. */
export interface UntypedMethod {
  readonly path: string;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
  readonly requestSerialize: (value: unknown) => Buffer;
  readonly requestDeserialize: (bytes: Buffer) => unknown;
  readonly responseSerialize: (value: unknown) => Buffer;
  readonly responseDeserialize: (bytes: Buffer) => unknown;
}

/**
 * Erases a method's message types. Sound where it is used: the mapped types of
 * implementations and clients bind each handler and request to its own method.
 */
export const untyped = (method: MethodDefinitionLike): UntypedMethod => ({
  path: method.path,
  requestStream: method.requestStream,
  responseStream: method.responseStream,
  requestSerialize: method.requestSerialize as (value: unknown) => Buffer,
  requestDeserialize: method.requestDeserialize,
  responseSerialize: method.responseSerialize as (value: unknown) => Buffer,
  responseDeserialize: method.responseDeserialize,
});
