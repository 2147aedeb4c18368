import { describe, expect, it } from 'vitest';
import {
  recordConsentChange,
  type ConsentChange,
  type ConsentPurpose,
  type ConsentStore,
} from '../../../src/application/consents/consents.js';

/** Keeps the highest version per participant and purpose, as the Mongo store does. */
class MemoryConsents implements ConsentStore {
  readonly stored = new Map<string, ConsentChange>();

  async apply(change: ConsentChange): Promise<ConsentChange> {
    const key = `${change.participantId}:${change.purpose}`;
    const current = this.stored.get(key);
    if (current === undefined || current.version < change.version) this.stored.set(key, change);
    return this.stored.get(key) ?? change;
  }

  async withdrawn(participantId: string, purpose: ConsentPurpose): Promise<boolean> {
    return this.stored.get(`${participantId}:${purpose}`)?.given === false;
  }
}

const setUp = () => {
  const consents = new MemoryConsents();
  const erased = new Set<string>();
  const stopped: [ConsentPurpose, string][] = [];
  const record = recordConsentChange({
    consents,
    erased: { isErased: async (participantId) => erased.has(participantId) },
    stopUse: {
      publicity: async (participantId) => {
        stopped.push(['publicity', participantId]);
      },
      employer_sharing: async (participantId) => {
        stopped.push(['employer_sharing', participantId]);
      },
    },
  });
  return { consents, erased, stopped, record };
};

const change = (fields: Partial<ConsentChange>): ConsentChange => ({
  participantId: 'p1',
  purpose: 'publicity',
  given: true,
  textVersion: '2026-12',
  changedAt: new Date('2026-12-01T00:00:00Z'),
  version: 1,
  ...fields,
});

describe('consent changes', () => {
  it('when a consent is withdrawn, then its use stops; given, nothing stops', async () => {
    const { record, stopped } = setUp();
    await record(change({ given: true, version: 1 }));
    expect(stopped).toEqual([]);
    await record(change({ given: false, version: 2 }));
    await record(change({ purpose: 'employer_sharing', given: false, version: 3 }));
    expect(stopped).toEqual([
      ['publicity', 'p1'],
      ['employer_sharing', 'p1'],
    ]);
  });

  it('when an older event arrives after a newer one, then the newer stands and its use stays stopped', async () => {
    const { record, consents, stopped } = setUp();
    await record(change({ given: false, version: 5 }));
    await record(change({ given: true, version: 4 }));
    expect(await consents.withdrawn('p1', 'publicity')).toBe(true);
    // Stopped again on the older event's delivery: harmless, and it finishes a stop a crash cut short.
    expect(stopped).toEqual([
      ['publicity', 'p1'],
      ['publicity', 'p1'],
    ]);
    await record(change({ given: true, version: 6 }));
    expect(await consents.withdrawn('p1', 'publicity')).toBe(false);
  });

  it('when the person was erased here, then the change is dropped: nothing stored, nothing stopped', async () => {
    const { record, consents, erased, stopped } = setUp();
    erased.add('p1');
    expect(await record(change({ given: false, version: 2 }))).toBe('erased');
    expect(consents.stored.size).toBe(0);
    expect(stopped).toEqual([]);
  });
});
