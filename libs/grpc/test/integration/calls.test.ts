import { AppError, INTERNAL_ERROR_CODE } from '@learning/errors';
import { runWithContext } from '@learning/logger';
import { rejectionOf } from '@learning/testing';
import { describe, expect, it, vi } from 'vitest';
import { UPSTREAM_TIMEOUT } from '../../src/index.js';
import {
  FAILED_PRECONDITION_ERROR,
  localIssuer,
  probeClient,
  serviceToken,
  useProbeBed,
} from '../support.js';

describe('gRPC calls between services', () => {
  const bed = useProbeBed();

  const linesOf = (method: string) =>
    bed.probe.logs.lines.filter((line) => line['method'] === method);

  it('when a call succeeds, then the handler sees the calling service and one line and one sample record it', async () => {
    const reply = await bed.client.call.echo({ text: 'hello' });

    expect(reply).toMatchObject({ text: 'hello', caller: 'activities' });
    const completed = bed.probe.logs.lines.filter(
      (line) => line.msg === 'grpc call completed' && line['method'] === 'test.v1.Probe/Echo',
    );
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({ level: 'info', grpcStatus: 'OK', actor: 'activities' });
    expect(typeof completed[0]?.['durationMs']).toBe('number');
    const metrics = await bed.probe.registry.getSingleMetricAsString(
      'grpc_server_handling_seconds',
    );
    expect(metrics).toContain(
      'grpc_server_handling_seconds_count{method="test.v1.Probe/Echo",code="OK"} 1',
    );
  });

  it('when the caller has a correlation id, then the handler runs under it and every server line carries it and the caller', async () => {
    const correlationId = 'corr-4f1c2a9e-echo';

    const reply = await runWithContext({ correlationId }, () =>
      bed.client.call.echo({ text: 'traced' }),
    );

    expect(reply.correlationId).toBe(correlationId);
    const lines = bed.probe.logs.lines.filter((line) => line.correlationId === correlationId);
    expect(lines.map((line) => line.msg)).toEqual(['echo handled', 'grpc call completed']);
    // The caller's identity is part of the context too, once its token is verified.
    expect(lines.map((line) => line['actor'])).toEqual(['activities', 'activities']);
  });

  it('when the caller has no correlation id, then the server makes one for the call', async () => {
    const reply = await bed.client.call.echo({ text: 'untraced' });

    expect(reply.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    const handled = bed.probe.logs.lines.find((line) => line['text'] === 'untraced');
    expect(handled?.correlationId).toBe(reply.correlationId);
  });

  it('when a handler throws an AppError, then the caller gets the same kind, code, message and field issues', async () => {
    const error = await rejectionOf(bed.client.call.fail({ failWith: 'app-error' }));

    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      kind: FAILED_PRECONDITION_ERROR.kind,
      code: FAILED_PRECONDITION_ERROR.code,
      message: FAILED_PRECONDITION_ERROR.message,
      details: FAILED_PRECONDITION_ERROR.details,
    });
    const line = linesOf('test.v1.Probe/Fail').at(-1);
    expect(line).toMatchObject({
      level: 'info',
      grpcStatus: 'FAILED_PRECONDITION',
      errorCode: 'ACTIVITY_FULL',
    });
  });

  it('when a handler throws an unknown error, then the caller gets INTERNAL without its text and the server logs it', async () => {
    const error = await rejectionOf(bed.client.call.fail({ failWith: 'unknown-error' }));

    expect(error).toMatchObject({ kind: 'internal', code: INTERNAL_ERROR_CODE });
    expect((error as AppError).message).not.toMatch(/hunter2|db-7/);
    const line = linesOf('test.v1.Probe/Fail').at(-1);
    expect(line).toMatchObject({
      level: 'error',
      grpcStatus: 'INTERNAL',
      msg: 'grpc call failed unexpectedly',
    });
    expect(JSON.stringify(line?.['err'])).toContain('db-7.internal');
  });

  it('when a handler takes longer than the deadline, then the caller gets a clear deadline_exceeded and the server logs it', async () => {
    const error = await rejectionOf(bed.client.call.slow({ delayMs: 5_000 }, { deadlineMs: 150 }));

    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      kind: 'deadline_exceeded',
      code: UPSTREAM_TIMEOUT,
      message: 'test.v1.Probe did not answer within 150 ms.',
    });
    await vi.waitFor(() => {
      expect(linesOf('test.v1.Probe/Slow').at(-1)).toMatchObject({
        level: 'warn',
        grpcStatus: 'DEADLINE_EXCEEDED',
        msg: 'grpc call ended before its handler finished',
      });
    });
    // The handler stopped on the call's signal; its abort is not reported as a failure.
    expect(
      bed.probe.logs.lines.some((line) => line.msg === 'grpc handler failed after its call ended'),
    ).toBe(false);
  });

  it('when a server-streaming handler sends messages, then the caller iterates them in order', async () => {
    const messages: unknown[] = [];
    for await (const message of bed.client.call.count({ count: 3 })) messages.push(message);

    expect(messages).toEqual([
      { text: 'message 0', index: 0 },
      { text: 'message 1', index: 1 },
      { text: 'message 2', index: 2 },
    ]);
    expect(linesOf('test.v1.Probe/Count').at(-1)).toMatchObject({ grpcStatus: 'OK' });
  });

  it('when a stream is opened under a correlation id and read later, then the server still sees that id', async () => {
    const correlationId = 'corr-77d0c1b3-count';
    const stream = runWithContext({ correlationId }, () => bed.client.call.count({ count: 1 }));

    const messages: unknown[] = [];
    for await (const message of stream) messages.push(message.index);

    expect(messages).toEqual([0]);
    expect(linesOf('test.v1.Probe/Count').at(-1)).toMatchObject({
      grpcStatus: 'OK',
      correlationId,
    });
  });

  it('when a server-streaming handler fails midway, then the caller gets the messages sent, then the AppError', async () => {
    const messages: unknown[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const message of bed.client.call.count({ count: 5, failAfter: 2 }))
          messages.push(message.index);
      })(),
    );

    expect(messages).toEqual([0, 1]);
    expect(error).toMatchObject({
      kind: 'failed_precondition',
      code: 'COUNT_STOPPED',
      message: 'Counting stopped here.',
    });
  });

  describe('service identity', () => {
    it('when no token is sent, then the call is refused with UNAUTHENTICATED', async () => {
      const anonymous = probeClient(bed.probe.address);
      const error = await rejectionOf(anonymous.call.echo({ text: 'hi' }));
      anonymous.close();

      expect(error).toMatchObject({ kind: 'unauthenticated', code: 'TOKEN_MISSING' });
    });

    it('when the token is not valid, then the call is refused with UNAUTHENTICATED', async () => {
      const stranger = await localIssuer();
      const forged = probeClient(bed.probe.address, {
        tokenProvider: () => serviceToken(stranger),
      });
      const garbled = probeClient(bed.probe.address, { tokenProvider: () => 'not-a-jwt' });

      await expect(rejectionOf(forged.call.echo({ text: 'hi' }))).resolves.toMatchObject({
        kind: 'unauthenticated',
        code: 'TOKEN_INVALID',
      });
      await expect(rejectionOf(garbled.call.echo({ text: 'hi' }))).resolves.toMatchObject({
        kind: 'unauthenticated',
        code: 'TOKEN_INVALID',
      });
      forged.close();
      garbled.close();
    });

    it('when the token names a person rather than a service, then the call is refused with PERMISSION_DENIED', async () => {
      const personToken = await bed.issuer.sign({ subject: 'u-1', roles: ['city_admin'] });
      const person = probeClient(bed.probe.address, { tokenProvider: () => personToken });

      const error = await rejectionOf(person.call.echo({ text: 'hi' }));
      person.close();

      expect(error).toMatchObject({ kind: 'permission_denied', code: 'ROLE_REQUIRED' });
      const metrics = await bed.probe.registry.getSingleMetricAsString(
        'grpc_server_handling_seconds',
      );
      expect(metrics).toContain(
        'grpc_server_handling_seconds_count{method="test.v1.Probe/Echo",code="PERMISSION_DENIED"} 1',
      );
    });

    it('when a service token is scoped to one township, then the call is refused with UNAUTHENTICATED rather than served city-wide', async () => {
      const scopedToken = await bed.issuer.sign({
        subject: 'svc-activities',
        roles: ['service'],
        service: 'activities',
        jurisdictions: ['330281001'],
      });
      const scoped = probeClient(bed.probe.address, { tokenProvider: () => scopedToken });

      const error = await rejectionOf(scoped.call.echo({ text: 'hi' }));
      scoped.close();

      expect(error).toMatchObject({ kind: 'unauthenticated', code: 'TOKEN_INVALID' });
      expect(error).toHaveProperty('message', expect.stringContaining('whole city'));
    });
  });
});
