import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  createRootLogger,
  runWithContext,
  acceptCorrelationId,
  REDACTED,
} from '../../src/index.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      raw.push(chunk.toString());
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      callback();
    },
  });
  const logger = createRootLogger({ service: 'registration', version: '1.2.3', destination });
  return { logger, lines, raw };
}

describe('createRootLogger', () => {
  it('when a line is written, then it carries the service and version', () => {
    const { logger, lines } = capture();
    logger.info('started');
    expect(lines[0]).toMatchObject({
      service: 'registration',
      version: '1.2.3',
      msg: 'started',
      level: 'info',
    });
  });

  it('when work runs with a correlation id, then every line inside it carries that id', async () => {
    const { logger, lines } = capture();
    await runWithContext({ correlationId: 'corr-12345678' }, async () => {
      logger.info('one');
      await new Promise((resolve) => setTimeout(resolve, 1));
      logger.child({ component: 'relay' }).info('two');
    });
    logger.info('outside');
    expect(lines.map((line) => line['correlationId'])).toEqual([
      'corr-12345678',
      'corr-12345678',
      undefined,
    ]);
  });

  it('when personal data is logged under known keys, nested or in arrays, then the values are redacted', () => {
    const { logger, raw, lines } = capture();
    logger.info(
      {
        participant: { name: '张三', phone: '13800138000', idNumber: '11010519491231002X' },
        contacts: [{ mobile: '13912345678' }],
        headers: { authorization: 'Bearer abc.def.ghi' },
      },
      'registered',
    );
    const output = raw.join('');
    expect(output).not.toContain('13800138000');
    expect(output).not.toContain('11010519491231002X');
    expect(output).not.toContain('13912345678');
    expect(output).not.toContain('abc.def.ghi');
    expect(lines[0]).toMatchObject({
      participant: { name: '张三', phone: REDACTED, idNumber: REDACTED },
    });
  });

  it('when personal data appears in free text, a message or an error, then it is scrubbed', () => {
    const { logger, raw } = capture();
    const error = new Error('E11000 duplicate key error dup key: { phone: "13800138000" }');
    logger.error(
      { err: error, note: 'id 11010519491231002X' },
      'insert failed for +86 13800138000',
    );
    const output = raw.join('');
    expect(output).not.toContain('13800138000');
    expect(output).not.toContain('11010519491231002X');
    expect(output).toContain('E11000 duplicate key error');
  });
});

describe('acceptCorrelationId', () => {
  it('when a header value is hostile or oversized, then it is refused', () => {
    expect(acceptCorrelationId('abc\n{"level":"fatal"}')).toBeUndefined();
    expect(acceptCorrelationId('x'.repeat(500))).toBeUndefined();
    expect(acceptCorrelationId('4b4b0a7e-8a3c-4d5e-9f00-0a1b2c3d4e5f')).toBe(
      '4b4b0a7e-8a3c-4d5e-9f00-0a1b2c3d4e5f',
    );
  });
});
