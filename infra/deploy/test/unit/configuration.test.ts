import { readFileSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import {
  describeSchema,
  renderConfigurationReference,
  serviceEnvironments,
  variableComments,
} from '../../src/configuration.js';

describe('the configuration reference', () => {
  const page = renderConfigurationReference();

  it('when docs/configuration.md is read, then it is what the schemas generate (pnpm --filter @learning/deploy configuration-reference)', () => {
    const written = readFileSync(
      new URL('../../../../docs/configuration.md', import.meta.url),
      'utf8',
    );
    expect(written).toBe(page);
  });

  it('when generated, then every variable of every service is on it, each described', () => {
    const comments = variableComments();
    for (const schema of Object.values(serviceEnvironments)) {
      for (const name of Object.keys(schema.properties)) {
        expect(page).toContain(`| \`${name}\` |`);
        expect(comments.get(name) ?? schema.properties[name]?.['description'], name).toBeTruthy();
      }
    }
  });

  it('when a variable is shared by all five with one schema, then it is listed once, under every service', () => {
    const occurrences = page.split('| `KAFKA_BROKERS` |').length - 1;
    expect(occurrences).toBe(1);
    expect(page.indexOf('| `KAFKA_BROKERS` |')).toBeLessThan(page.indexOf('## registration'));
    expect(page.split('| `MONGODB_DATABASE` |').length - 1).toBe(5);
  });

  it('when a schema is read, then what it takes is said in words', () => {
    expect(describeSchema(Type.Union([Type.Literal('a'), Type.Literal('b')]))).toBe(
      'one of `a`, `b`',
    );
    expect(describeSchema(Type.Integer({ minimum: 1, maximum: 9 }))).toBe('integer ≥ 1 ≤ 9');
    expect(describeSchema(Type.String({ pattern: '^(smtp|smtps)://.+' }))).toBe(
      'URL (smtp, smtps)',
    );
    expect(describeSchema(Type.String({ pattern: '^[^,]+(,[^,]+)*$' }))).toBe(
      'comma-separated list',
    );
  });
});
