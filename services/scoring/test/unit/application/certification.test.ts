import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Balances, LedgerTotals } from '../../../src/application/ports.js';
import { certification } from '../../../src/application/verification/certify.js';
import type { Certificate, Certificates } from '../../../src/application/verification/ports.js';
import { holderKey, type HolderRef } from '../../../src/domain/facts.js';
import { totalsOf } from '../../../src/domain/records.js';

class FakeCertificates implements Certificates {
  readonly stored = new Map<string, Certificate>();
  lookups = 0;

  add(certificate: Certificate): Promise<void> {
    this.stored.set(certificate.code, certificate);
    return Promise.resolve();
  }

  byCode(code: string): Promise<Certificate | null> {
    this.lookups += 1;
    return Promise.resolve(this.stored.get(code) ?? null);
  }
}

class FakeBalances implements Balances {
  readonly totals = new Map<string, LedgerTotals>();

  of(holders: readonly HolderRef[]): Promise<ReadonlyMap<string, LedgerTotals>> {
    return Promise.resolve(
      new Map(
        holders.flatMap((holder) => {
          const total = this.totals.get(holderKey(holder));
          return total === undefined ? [] : [[holderKey(holder), total] as const];
        }),
      ),
    );
  }
}

const setUp = () => {
  const certificates = new FakeCertificates();
  const balances = new FakeBalances();
  const key = randomBytes(32);
  const withdrawn = new Set<string>();
  const certify = certification({
    certificates,
    balances,
    key,
    randomBytes,
    clock: () => new Date('2026-12-01T04:00:00Z'),
    sharingWithdrawn: async (participantId) => withdrawn.has(participantId),
  });
  const totals = totalsOf([
    { amount: 200, minutes: 90, category: 'political_theory' },
    { amount: 100, minutes: 30, category: null },
  ]);
  balances.totals.set('person:p1', { credits: 300, minutes: 120, entries: 2 });
  const issue = () =>
    certify.issue({ participantId: 'p1', name: '张晓明', year: 2026, totals, format: 'pdf' });
  return { certificates, balances, certify, issue, withdrawn };
};

describe('certification', () => {
  it('when an export is certified, then the certificate keeps the totals and the masked name, and its code verifies as current', async () => {
    const { certificates, certify, issue } = setUp();
    const certificate = await issue();

    expect(certificates.stored.get(certificate.code)).toMatchObject({
      participantId: 'p1',
      maskedName: '张*明',
      year: 2026,
      totals: { credits: 300, minutes: 120, entries: 2 },
    });
    await expect(certify.verify(certificate.code)).resolves.toMatchObject({
      code: certificate.code,
      maskedName: '张*明',
      status: 'current',
    });
  });

  it('when a code is altered, then VERIFICATION_CODE_INVALID, and the certificates are not read', async () => {
    const { certificates, certify, issue } = setUp();
    const { code } = await issue();
    const altered = `${code.slice(0, -1)}${code.endsWith('7') ? '8' : '7'}`;

    await expect(certify.verify(altered)).rejects.toMatchObject({
      code: 'VERIFICATION_CODE_INVALID',
    });
    expect(certificates.lookups).toBe(0);
  });

  it('when a signed code was never stored, then VERIFICATION_CODE_UNKNOWN', async () => {
    const { certificates, certify, issue } = setUp();
    const { code } = await issue();
    certificates.stored.clear();

    await expect(certify.verify(code)).rejects.toMatchObject({
      code: 'VERIFICATION_CODE_UNKNOWN',
    });
  });

  it('when the ledger changed after the export, then the certificate is superseded but still says what it certified', async () => {
    const { balances, certify, issue } = setUp();
    const { code } = await issue();
    balances.totals.set('person:p1', { credits: 200, minutes: 120, entries: 3 });

    await expect(certify.verify(code)).resolves.toMatchObject({
      status: 'superseded',
      totals: { credits: 300 },
    });
  });

  it('when the person withdrew consent to employers verifying their record, then VERIFICATION_SHARING_WITHDRAWN, and once given again it verifies', async () => {
    const { certify, issue, withdrawn } = setUp();
    const { code } = await issue();
    withdrawn.add('p1');

    await expect(certify.verify(code)).rejects.toMatchObject({
      code: 'VERIFICATION_SHARING_WITHDRAWN',
    });
    withdrawn.delete('p1');
    await expect(certify.verify(code)).resolves.toMatchObject({ status: 'current' });
  });
});
