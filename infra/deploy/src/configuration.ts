/**
 * The configuration reference, docs/configuration.md: every variable of every
 * service's config schema with what it takes and its default, described by
 * the doc comment written beside it in the code (or the schema's own
 * description). Variables all five share with one schema are listed once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TObject, TSchema } from '@sinclair/typebox';
import ts from 'typescript';
import { activitiesEnv } from '../../../services/activities/src/config.js';
import { lecturesEnv } from '../../../services/lectures/src/config.js';
import { notificationsEnv } from '../../../services/notifications/src/config.js';
import { registrationEnv } from '../../../services/registration/src/config.js';
import { scoringEnv } from '../../../services/scoring/src/config.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Each service's environment schema, as it validates at start. */
export const serviceEnvironments: Readonly<Record<string, TObject>> = {
  registration: registrationEnv,
  activities: activitiesEnv,
  lectures: lecturesEnv,
  scoring: scoringEnv,
  notifications: notificationsEnv,
};

const VARIABLE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/;

/** The sources where variables are declared: the shared libraries and each service's config. */
function declaringSources(): string[] {
  const libs = readdirSync(`${root}libs`).flatMap((lib) => {
    const directory = `${root}libs/${lib}/src`;
    try {
      return readdirSync(directory, { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.ts'))
        .map((file) => `${directory}/${file}`);
    } catch {
      return [];
    }
  });
  return [
    ...libs,
    ...Object.keys(serviceEnvironments).map((name) => `${root}services/${name}/src/config.ts`),
  ];
}

const docComment = (node: ts.Node): string =>
  ts
    .getJSDocCommentsAndTags(node)
    .filter(ts.isJSDoc)
    .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '')
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * Variable name → the doc comment on its declaration (`NAME: env…` in an object literal).
 * A comment also covers the variables declared right after it without one of their own
 * (`SEAT_SWEEP_EVERY_MS` and `SEAT_SWEEP_QUIET_MS` under one comment).
 */
export function variableComments(): Map<string, string> {
  const comments = new Map<string, string>();
  for (const path of declaringSources()) {
    const text = readFileSync(path, 'utf8');
    if (!/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\s*:/.test(text)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isObjectLiteralExpression(node)) {
        let group = '';
        for (const property of node.properties) {
          if (
            !ts.isPropertyAssignment(property) ||
            !ts.isIdentifier(property.name) ||
            !VARIABLE.test(property.name.text)
          ) {
            group = '';
            continue;
          }
          group = docComment(property) || group;
          const name = property.name.text;
          if (group !== '' && !comments.has(name)) comments.set(name, group);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true));
  }
  return comments;
}

/** What a variable takes, read from its schema. */
export function describeSchema(schema: TSchema): string {
  const literals = (schema['anyOf'] as TSchema[] | undefined)?.map(
    (member) => member['const'] as unknown,
  );
  if (literals !== undefined && literals.every((value) => typeof value === 'string'))
    return `one of ${literals.map((value) => `\`${value}\``).join(', ')}`;
  const type = String(schema['type'] ?? 'string');
  const bounds: string[] = [];
  if (typeof schema['minimum'] === 'number') bounds.push(`≥ ${String(schema['minimum'])}`);
  if (typeof schema['maximum'] === 'number') bounds.push(`≤ ${String(schema['maximum'])}`);
  const pattern = schema['pattern'] as string | undefined;
  const protocols = pattern?.match(/^\^\((.+)\):\/\/\.\+$/)?.[1];
  if (protocols !== undefined)
    return `URL (${protocols.replaceAll('\\+', '+').split('|').join(', ')})`;
  if (pattern === '^[^,]+(,[^,]+)*$') return 'comma-separated list';
  return [type, ...bounds].join(' ');
}

interface Row {
  readonly name: string;
  readonly takes: string;
  readonly default: string;
  readonly description: string;
}

function rowsOf(schema: TObject, comments: ReadonlyMap<string, string>): Row[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, property]) => {
    const fallback = property['default'] as string | number | boolean | undefined;
    return {
      name,
      takes: describeSchema(property),
      default:
        fallback !== undefined
          ? `\`${String(fallback)}\``
          : required.has(name)
            ? '**required**'
            : 'unset',
      description: (comments.get(name) ?? property['description'] ?? '').replaceAll('|', '\\|'),
    };
  });
}

const table = (rows: readonly Row[]): string[] => [
  '| variable | takes | default | what it is |',
  '| --- | --- | --- | --- |',
  ...rows.map((row) => `| \`${row.name}\` | ${row.takes} | ${row.default} | ${row.description} |`),
];

/** docs/configuration.md: generated, and held equal to the schemas by a unit test. */
export function renderConfigurationReference(): string {
  const comments = variableComments();
  const services = Object.entries(serviceEnvironments).map(([name, schema]) => ({
    name,
    rows: rowsOf(schema, comments),
  }));
  const sameEverywhere = (row: Row): boolean =>
    services.every((service) =>
      service.rows.some((other) => JSON.stringify(other) === JSON.stringify(row)),
    );
  const shared = services[0]?.rows.filter(sameEverywhere) ?? [];
  const sharedNames = new Set(shared.map((row) => row.name));
  const lines = [
    '# Configuration',
    '',
    "<!-- Generated from the services' config schemas by `pnpm --filter @learning/deploy",
    'configuration-reference`; a unit test keeps it equal to them. -->',
    '',
    'Every service reads its configuration from environment variables, validated once at start',
    'against its schema (`services/<name>/src/config.ts`): a missing or malformed value stops the',
    'start with every problem named. Variables of the same name mean the same in every service.',
    '',
    '## Every service',
    '',
    ...table(shared),
  ];
  for (const service of services) {
    lines.push(
      '',
      `## ${service.name}`,
      '',
      ...table(service.rows.filter((row) => !sharedNames.has(row.name))),
    );
  }
  return `${lines.join('\n')}\n`;
}
