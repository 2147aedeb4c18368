/**
 * Error codes with what they mean, defined once: the HTTP and gRPC status of
 * each follows from its kind (or the HTTP status it names), and documentation
 * is generated from or checked against the catalogue rather than kept by hand.
 */
import {
  AppError,
  errorKinds,
  GrpcStatus,
  type AppErrorOptions,
  type ErrorKind,
  type GrpcStatusCode,
} from './app-error.js';

export interface ErrorCodeDefinition {
  readonly kind: ErrorKind;
  /** When a caller gets it, said for people reading the docs. */
  readonly when: string;
  /** An HTTP status other than the kind's own (415, 422). */
  readonly httpStatus?: number;
}

export class ErrorCatalogue<C extends string = string> {
  private readonly entries: ReadonlyMap<C, ErrorCodeDefinition>;

  constructor(definitions: Readonly<Record<C, ErrorCodeDefinition>>) {
    this.entries = new Map(Object.entries(definitions) as [C, ErrorCodeDefinition][]);
  }

  get codes(): readonly C[] {
    return [...this.entries.keys()];
  }

  has(code: string): code is C {
    return this.entries.has(code as C);
  }

  definitionOf(code: C): ErrorCodeDefinition {
    const definition = this.entries.get(code);
    if (definition === undefined) throw new TypeError(`${code} is not in the catalogue.`);
    return definition;
  }

  httpStatusOf(code: C): number {
    const definition = this.definitionOf(code);
    return definition.httpStatus ?? errorKinds[definition.kind].http;
  }

  grpcStatusOf(code: C): GrpcStatusCode {
    return errorKinds[this.definitionOf(code).kind].grpc;
  }

  /** The AppError of `code`, its kind from the catalogue. */
  error(code: C, message: string, options: AppErrorOptions = {}): AppError {
    return new AppError(this.definitionOf(code).kind, code, message, options);
  }

  /**
   * How thrown errors differ from their entries: a code not in the catalogue, or
   * a kind, HTTP or gRPC status other than its entry's; empty when they agree.
   */
  problemsOf(errors: readonly AppError[]): string[] {
    return errors.flatMap((error) => {
      const { code } = error;
      if (!this.has(code)) return [`${code} is not in the catalogue`];
      const expected = {
        kind: this.definitionOf(code).kind,
        http: this.httpStatusOf(code),
        grpc: this.grpcStatusOf(code),
      };
      const actual = { kind: error.kind, http: error.httpStatus, grpc: error.grpcStatus };
      return JSON.stringify(actual) === JSON.stringify(expected)
        ? []
        : [`${code} is ${JSON.stringify(actual)}, its entry says ${JSON.stringify(expected)}`];
    });
  }

  /** Both catalogues in one; a code defined in both must mean the same. */
  with<D extends string>(other: ErrorCatalogue<D>): ErrorCatalogue<C | D> {
    const merged: Record<string, ErrorCodeDefinition> = {};
    for (const catalogue of [this, other] as ErrorCatalogue[]) {
      for (const code of catalogue.codes) {
        const definition = catalogue.definitionOf(code);
        const existing = merged[code];
        if (existing !== undefined && existing.kind !== definition.kind) {
          throw new TypeError(`${code} is defined twice with different kinds.`);
        }
        merged[code] = definition;
      }
    }
    return new ErrorCatalogue<C | D>(merged as Record<C | D, ErrorCodeDefinition>);
  }

  /** A Markdown table (status, gRPC status, code, when), in status then code order. */
  markdownTable(): string {
    const grpcNames = new Map<number, string>(
      Object.entries(GrpcStatus).map(([name, value]) => [value, name]),
    );
    const rows = this.codes
      .map((code) => ({
        status: this.httpStatusOf(code),
        grpc: grpcNames.get(this.grpcStatusOf(code)) ?? String(this.grpcStatusOf(code)),
        code,
        when: this.definitionOf(code).when,
      }))
      .sort((a, b) => a.status - b.status || a.code.localeCompare(b.code));
    return [
      '| HTTP | gRPC | code | when |',
      '| ---- | ---- | ---- | ---- |',
      ...rows.map((row) => `| ${row.status} | ${row.grpc} | \`${row.code}\` | ${row.when} |`),
    ].join('\n');
  }

  /**
   * How the table between `<!-- marker:start -->` and `<!-- marker:end -->` in
   * `markdown` differs from `markdownTable()`, row by row (cell padding aside:
   * formatters align columns); empty when they match.
   */
  tableProblems(markdown: string, marker: string): string[] {
    const section = new RegExp(`<!-- ${marker}:start -->([\\s\\S]*)<!-- ${marker}:end -->`).exec(
      markdown,
    )?.[1];
    if (section === undefined) return [`no <!-- ${marker}:start --> … end section`];
    const documented = tableRows(section);
    const expected = tableRows(this.markdownTable());
    return [
      ...expected.filter((row) => !documented.includes(row)).map((row) => `missing: ${row}`),
      ...documented
        .filter((row) => !expected.includes(row))
        .map((row) => `not in the catalogue: ${row}`),
    ];
  }
}

/** A Markdown table's body rows, each as its cells joined by " | ", padding dropped. */
const tableRows = (markdown: string): string[] =>
  markdown
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line))
    .slice(1)
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim())
        .join(' | '),
    );

export const defineErrorCodes = <const C extends string>(
  definitions: Readonly<Record<C, ErrorCodeDefinition>>,
): ErrorCatalogue<C> => new ErrorCatalogue(definitions);
