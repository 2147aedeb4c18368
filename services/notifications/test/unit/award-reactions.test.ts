import { PermanentEventError, type ConsumedEvent } from '@learning/events';
import { scoring } from '@learning/proto';
import { describe, expect, it } from 'vitest';
import { awardGrantOf } from '../../src/adapters/kafka/reactions.js';
import { awardGrantedNotice } from '../../src/domain/reactions.js';

const consumed = <T>(data: T): ConsumedEvent<T> => ({
  id: 'evt-1',
  source: '/learning/scoring',
  type: 'scoring.award.granted.v1',
  subject: 'p-1',
  time: '2026-12-22T00:00:00.000Z',
  data,
  topic: 't',
  partition: 0,
  offset: '0',
});

const granted = (overrides: Partial<scoring.AwardGranted> = {}) =>
  scoring.AwardGranted.fromPartial({
    awardId: 'a-1',
    nominationId: 'n-1',
    year: 2026,
    category: scoring.AwardCategory.AWARD_CATEGORY_SELF_TAUGHT_ACHIEVER,
    nomineeKind: scoring.NomineeKind.NOMINEE_KIND_PERSON,
    nomineeId: 'p-1',
    materialAwardYuan: '5000.00',
    grantedAt: new Date('2026-12-21T02:00:00Z'),
    jurisdictionPath: ['330281000000'],
    ...overrides,
  });

describe('an award in the terms of the reactions', () => {
  it('when a person is awarded, then they are told the category in their language and the year, under the event’s id, not urgent', () => {
    const grant = awardGrantOf(consumed(granted()));
    if (grant === null) throw new Error('no grant');

    expect(awardGrantedNotice(grant, 'zh-CN')).toEqual({
      noticeId: 'evt-1',
      kind: 'award.granted',
      recipient: 'p-1',
      urgent: false,
      variables: { award: '自学成才者', year: 2026 },
      occurredAt: new Date('2026-12-21T02:00:00Z'),
      sender: 'service:scoring',
    });
    expect(awardGrantedNotice(grant, 'en').variables).toEqual({
      award: 'a self-taught achiever',
      year: 2026,
    });
  });

  it('when an organization is awarded, then no person is told', () => {
    expect(
      awardGrantOf(
        consumed(
          granted({
            nomineeKind: scoring.NomineeKind.NOMINEE_KIND_ORGANIZATION,
            category: scoring.AwardCategory.AWARD_CATEGORY_EXEMPLARY_ORGANIZATION,
          }),
        ),
      ),
    ).toBeNull();
  });

  it('when a person’s award lacks its nominee or a person category, then it fails permanently; without its time, the envelope’s stands in', () => {
    expect(() => awardGrantOf(consumed(granted({ nomineeId: '' })))).toThrow(PermanentEventError);
    expect(() =>
      awardGrantOf(
        consumed(
          granted({ category: scoring.AwardCategory.AWARD_CATEGORY_EXEMPLARY_ORGANIZATION }),
        ),
      ),
    ).toThrow(PermanentEventError);
    expect(awardGrantOf(consumed(granted({ grantedAt: undefined })))?.grantedAt).toEqual(
      new Date('2026-12-22T00:00:00.000Z'),
    );
  });
});
