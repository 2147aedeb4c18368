import { describe, expect, it } from 'vitest';
import { rejectionOf } from '../../src/index.js';

describe('rejectionOf', () => {
  it('when the promise rejects, then it resolves with the very reason', async () => {
    const reason = new RangeError('out of range');

    await expect(rejectionOf(Promise.reject(reason))).resolves.toBe(reason);
  });

  it('when the promise resolves, then it throws naming the value it resolved with', async () => {
    await expect(rejectionOf(Promise.resolve({ subject: 'u-1' }))).rejects.toThrow(
      "expected the promise to reject, but it resolved with { subject: 'u-1' }",
    );
  });

  it('when the promise resolves with nothing, then it still throws, saying so', async () => {
    await expect(rejectionOf(Promise.resolve())).rejects.toThrow(
      'expected the promise to reject, but it resolved with undefined',
    );
  });
});
