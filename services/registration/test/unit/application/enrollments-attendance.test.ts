import { describe, expect, it } from 'vitest';
import { confirmAttendance } from '../../../src/application/enrollments/attendance.js';
import type {
  AttendeeDirectory,
  AttendeeFacts,
} from '../../../src/application/enrollments/ports.js';
import { enrollmentOf, eventInfo, fakeDeps, sourceOf } from './enrollments-fakes.js';

const officer = {
  subject: 'officer',
  roles: ['area_officer' as const],
  cityWide: false,
  jurisdictions: ['T1'],
  organizations: [],
};
/** Ended an hour before the fakes' clock (2025-04-02T00:00Z). */
const ended = eventInfo({
  startsAt: new Date('2025-04-01T21:00:00Z'),
  endsAt: new Date('2025-04-01T23:00:00Z'),
  categories: ['ethics_etiquette'],
  campaignId: 'april',
  learningMinutes: 120,
});

/** Knows every participant but `missing`; counts its reads and what each asked for. */
function directory(missing: ReadonlySet<string> = new Set()) {
  const reads: string[][] = [];
  const attendees: AttendeeDirectory = {
    attendees: async (ids) => {
      reads.push([...ids]);
      const found = new Map<string, AttendeeFacts>();
      for (const id of ids)
        if (!missing.has(id))
          found.set(id, {
            tier: 'pupil',
            jurisdictionPath: ['C', 'T1'],
            organizationIds: [`org-${id}`],
          });
      return found;
    },
  };
  return { reads, attendees };
}

function seed(count: number, overrides = {}) {
  const deps = fakeDeps();
  for (let n = 0; n < count; n += 1) {
    const id = `e-${String(n).padStart(4, '0')}`;
    deps.enrollments.rows.set(
      id,
      enrollmentOf(id, n + 1, {
        status: 'confirmed',
        checkedInAt: new Date('2025-04-01T21:05:00Z'),
        ...overrides,
      }),
    );
  }
  return deps;
}

const attendedPayloads = (deps: ReturnType<typeof fakeDeps>) =>
  deps.enrollments.published
    .filter((entry) => entry.type === 'registration.enrollment.attendance-recorded.v1')
    .map((entry) => entry.data as Record<string, unknown>);

describe('confirmAttendance', () => {
  it('when 450 checked-in people are confirmed, then their attendees are read once per page of 200, not once each', async () => {
    const deps = seed(450);
    const { reads, attendees } = directory();
    const confirm = confirmAttendance({
      ...deps,
      enrollments: deps.repository,
      source: sourceOf(ended),
      attendees,
    });

    const summary = await confirm(officer, { owner: 'activities', eventId: 'a-1', by: 'check_in' });

    expect(summary).toEqual({ recorded: 450, alreadyRecorded: 0, refused: [] });
    expect(reads.map((ids) => ids.length)).toEqual([200, 200, 50]);
    expect(attendedPayloads(deps)).toHaveLength(450);
  });

  it('when attendance is recorded, then its event carries the attendee and the event as the owner describes it', async () => {
    const deps = seed(1);
    const { attendees } = directory();
    const confirm = confirmAttendance({
      ...deps,
      enrollments: deps.repository,
      source: sourceOf(ended),
      attendees,
    });

    await confirm(officer, { owner: 'activities', eventId: 'a-1', by: 'check_in' });

    expect(attendedPayloads(deps)[0]).toMatchObject({
      participantId: 'p-e-0000',
      attendee: {
        tier: 'TIER_PUPIL',
        jurisdictionPath: ['C', 'T1'],
        organizationIds: ['org-p-e-0000'],
      },
      attendedEvent: {
        title: 'A talk',
        categories: ['CONTENT_CATEGORY_ETHICS_ETIQUETTE'],
        campaignId: 'april',
        learningMinutes: 120,
        jurisdictionPath: ['C', 'T1'],
      },
    });
  });

  it('when an officer vouches for people, then they are read in one go, and one whose record is gone is recorded without an attendee', async () => {
    const deps = seed(3, { checkedInAt: null });
    const { reads, attendees } = directory(new Set(['p-e-0001']));
    const confirm = confirmAttendance({
      ...deps,
      enrollments: deps.repository,
      source: sourceOf(ended),
      attendees,
    });

    const summary = await confirm(officer, {
      owner: 'activities',
      eventId: 'a-1',
      by: 'officer',
      enrollmentIds: ['e-0000', 'e-0001', 'e-0002', 'e-0000'],
    });

    expect(summary).toEqual({ recorded: 3, alreadyRecorded: 0, refused: [] });
    expect(reads).toEqual([['p-e-0000', 'p-e-0001', 'p-e-0002']]);
    const gone = attendedPayloads(deps).find((data) => data['participantId'] === 'p-e-0001');
    expect(gone).toBeDefined();
    expect(gone?.['attendee']).toBeUndefined();
  });

  it('when an attendance was withdrawn, then confirming from check-ins does not record it again', async () => {
    const deps = seed(2);
    const withdrawn = deps.enrollments.rows.get('e-0001');
    if (withdrawn === undefined) throw new Error('seeded');
    deps.enrollments.rows.set('e-0001', {
      ...withdrawn,
      attendanceWithdrawnAt: new Date('2025-04-01T23:30:00Z'),
    });
    const { attendees } = directory();
    const confirm = confirmAttendance({
      ...deps,
      enrollments: deps.repository,
      source: sourceOf(ended),
      attendees,
    });

    const summary = await confirm(officer, { owner: 'activities', eventId: 'a-1', by: 'check_in' });

    expect(summary.recorded).toBe(1);
    expect(deps.enrollments.rows.get('e-0001')?.attendedAt).toBeNull();
  });
});
