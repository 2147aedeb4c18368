/** In-memory stand-ins for the enrollment ports, keeping storage's one promise: a seat has one holder. */
import { auditTrail } from '@learning/audit';
import { topics, type OutboxEntry } from '@learning/events';
import { captureLogger } from '@learning/testing';
import type {
  EligibilityFacts,
  EnrollmentChange,
  EnrollmentRecord,
  EnrollmentRepository,
  Expectation,
  InsertConflict,
  NewEnrollment,
  ParticipantDirectory,
  SeatedEventInfo,
  SeatedEventLedger,
  SeatedEventLedgers,
  SeatedEventSource,
} from '../../../src/application/enrollments/ports.js';
import type { EventSummaries } from '../../../src/application/enrollments/event-summaries.js';
import type { CurrentMemberships } from '../../../src/application/memberships/membership-repository.js';
import { EnrollmentEvents } from '../../../src/application/enrollments/events.js';
import { applyChange, SeatFiller } from '../../../src/application/enrollments/seats.js';
import type { Capacity } from '../../../src/domain/enrollment.js';

/** Lets other work run between two storage calls, as a real round trip would. */
const roundTrip = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Every account is an ordinary citizen of T1 whose participant id is `p-<account>`. */
export const citizensOfT1: ParticipantDirectory = {
  findByAccount: async (subject) => {
    await roundTrip();
    return citizenOf(subject);
  },
  findByAccounts: async (subjects) => {
    await roundTrip();
    return new Map(subjects.map((subject) => [subject, citizenOf(subject)]));
  },
  findById: async () => null,
};

function citizenOf(subject: string): EligibilityFacts {
  return {
    participantId: `p-${subject}`,
    tier: 'ordinary_citizen',
    jurisdictionPath: ['C', 'T1'],
    birthDate: null,
  };
}

export class FakeEnrollments implements Partial<EnrollmentRepository> {
  readonly rows = new Map<string, EnrollmentRecord>();
  readonly published: OutboxEntry[] = [];

  async get(_scope: unknown, id: string) {
    await roundTrip();
    return this.rows.get(id) ?? null;
  }

  private seatHeld(eventKey: string, seat: number | null, except: string): boolean {
    return (
      seat !== null &&
      [...this.rows.values()].some(
        (row) =>
          row.id !== except &&
          row.eventKey === eventKey &&
          row.status === 'confirmed' &&
          row.seat === seat,
      )
    );
  }

  async getMany(_scope: unknown, ids: readonly string[]) {
    await roundTrip();
    return ids.flatMap((id) => {
      const row = this.rows.get(id);
      return row === undefined ? [] : [row];
    });
  }

  /** One round trip, then each enrollment as `add` would store it; the test's override of `add` applies. */
  async addMany(
    items: readonly {
      readonly enrollment: NewEnrollment;
      readonly events: readonly OutboxEntry[];
    }[],
  ): Promise<(EnrollmentRecord | InsertConflict)[]> {
    await roundTrip();
    return Promise.all(items.map(({ enrollment, events }) => this.add(enrollment, events)));
  }

  async add(
    enrollment: NewEnrollment,
    events: readonly OutboxEntry[],
  ): Promise<EnrollmentRecord | InsertConflict> {
    await roundTrip();
    if (this.rows.has(enrollment.id)) return 'enrollment';
    if (
      enrollment.status === 'confirmed' &&
      this.seatHeld(enrollment.eventKey, enrollment.seat, enrollment.id)
    )
      return 'seat';
    const record = { ...enrollment, version: 1 };
    this.rows.set(record.id, record);
    this.published.push(...events);
    return record;
  }

  async change(
    id: string,
    expected: Expectation,
    change: EnrollmentChange,
    events: readonly OutboxEntry[],
  ) {
    await roundTrip();
    const row = this.rows.get(id);
    if (
      row === undefined ||
      row.status !== expected.status ||
      (expected.notCheckedIn === true && row.checkedInAt !== null) ||
      (expected.notAttended === true && row.attendedAt !== null) ||
      (expected.checkedInAt !== undefined &&
        row.checkedInAt?.getTime() !== expected.checkedInAt.getTime()) ||
      (expected.attendedAt !== undefined &&
        row.attendedAt?.getTime() !== expected.attendedAt.getTime()) ||
      (expected.sessionNotCheckedIn !== undefined &&
        (row.sessionCheckIns ?? []).some(
          (entry) => entry.sessionId === expected.sessionNotCheckedIn,
        ))
    )
      return null;
    const next = applyChange(row, change);
    if (next.status === 'confirmed' && this.seatHeld(next.eventKey, next.seat, id))
      return 'seat' as const;
    this.rows.set(id, next);
    this.published.push(...events);
    return next;
  }

  async firstWaitlisted(eventKey: string) {
    await roundTrip();
    return (
      [...this.rows.values()]
        .filter((row) => row.eventKey === eventKey && row.status === 'waitlisted')
        .sort((a, b) => a.sequence - b.sequence)[0] ?? null
    );
  }

  async heldSeats(eventKey: string) {
    await roundTrip();
    const confirmed = [...this.rows.values()].filter(
      (row) => row.eventKey === eventKey && row.status === 'confirmed',
    );
    return {
      confirmed: confirmed.length,
      seats: new Set(confirmed.flatMap((row) => (row.seat === null ? [] : [row.seat]))),
    };
  }

  async openOfParticipant(participantId: string, limit: number) {
    await roundTrip();
    return [...this.rows.values()]
      .filter(
        (row) =>
          row.participantId === participantId &&
          row.status !== 'cancelled' &&
          row.checkedInAt === null,
      )
      .slice(0, limit);
  }

  async checkedInNotAttended(eventKey: string, afterId: string | null, limit: number) {
    await roundTrip();
    return [...this.rows.values()]
      .filter(
        (row) =>
          row.eventKey === eventKey &&
          row.status === 'confirmed' &&
          row.checkedInAt !== null &&
          row.attendedAt === null &&
          row.attendanceWithdrawnAt === null &&
          (afterId === null || row.id > afterId),
      )
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, limit);
  }

  async checkedInOf(eventKey: string, afterId: string | null, limit: number) {
    await roundTrip();
    return [...this.rows.values()]
      .filter(
        (row) =>
          row.eventKey === eventKey &&
          row.status === 'confirmed' &&
          row.checkedInAt !== null &&
          (afterId === null || row.id > afterId),
      )
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, limit);
  }

  async flagRescheduled(eventKey: string, startsAt: Date, endsAt: Date, at: Date) {
    await roundTrip();
    let flagged = 0;
    for (const row of this.rows.values())
      if (row.eventKey === eventKey && row.status !== 'cancelled') {
        this.rows.set(row.id, { ...row, rescheduled: { startsAt, endsAt, at } });
        flagged += 1;
      }
    return flagged;
  }

  async moveSeat(eventKey: string, from: number, to: number) {
    await roundTrip();
    const holder = this.confirmed(eventKey).find((row) => row.seat === from);
    if (holder === undefined || this.seatHeld(eventKey, to, holder.id)) return false;
    this.rows.set(holder.id, { ...holder, seat: to });
    return true;
  }

  async storedBefore(eventKey: string, sequence: number) {
    await roundTrip();
    return [...this.rows.values()].filter(
      (row) => row.eventKey === eventKey && row.sequence < sequence,
    ).length;
  }

  async storedSequences(eventKey: string) {
    await roundTrip();
    return [...this.rows.values()]
      .filter((row) => row.eventKey === eventKey)
      .map((row) => row.sequence);
  }

  async eventsWithSeatsToRefill() {
    await roundTrip();
    return [];
  }

  async clearSeatsToRefill() {
    await roundTrip();
  }

  confirmed(eventKey: string): EnrollmentRecord[] {
    return [...this.rows.values()].filter(
      (row) => row.eventKey === eventKey && row.status === 'confirmed',
    );
  }
}

export class FakeLedgers implements SeatedEventLedgers {
  readonly ledgers = new Map<string, SeatedEventLedger>();

  async arrive(eventKey: string, capacity: Capacity, count = 1) {
    await roundTrip();
    const current = this.ledgers.get(eventKey) ?? {
      eventKey,
      arrivals: 0,
      directSeats: capacity === 'unlimited' ? 0 : capacity,
      capacity,
      vacancies: 0,
      cancelled: false,
      retired: [],
    };
    const next = { ...current, arrivals: current.arrivals + count };
    this.ledgers.set(eventKey, next);
    return { ...next, sequence: next.arrivals - count + 1 };
  }
  async get(eventKey: string) {
    await roundTrip();
    return this.ledgers.get(eventKey) ?? null;
  }
  async setVacancies(eventKey: string, vacancies: number) {
    const current = this.ledgers.get(eventKey);
    if (current !== undefined) this.ledgers.set(eventKey, { ...current, vacancies });
    await roundTrip();
  }
  /** A ledger as if `arrivals` people had signed up while the capacity was `capacity`. */
  open(eventKey: string, capacity: Capacity, arrivals: number) {
    this.ledgers.set(eventKey, {
      eventKey,
      arrivals,
      directSeats: capacity === 'unlimited' ? 0 : capacity,
      capacity,
      vacancies: 0,
      cancelled: false,
      retired: [],
    });
  }
  async retire(eventKey: string, sequences: readonly number[]) {
    const current = this.ledgers.get(eventKey);
    if (current !== undefined)
      this.ledgers.set(eventKey, {
        ...current,
        retired: [...new Set([...current.retired, ...sequences])],
      });
    await roundTrip();
  }
  async changeCapacity(eventKey: string, capacity: Capacity) {
    const current = this.ledgers.get(eventKey);
    if (current !== undefined) this.ledgers.set(eventKey, { ...current, capacity, directSeats: 0 });
    await roundTrip();
  }
  async markCancelled(eventKey: string) {
    const current = this.ledgers.get(eventKey);
    if (current !== undefined) this.ledgers.set(eventKey, { ...current, cancelled: true });
    await roundTrip();
  }
  /** Every ledger is quiet here: time does not pass in the fakes. */
  async unswept() {
    await roundTrip();
    return [...this.ledgers.values()];
  }
  async markSwept() {
    await roundTrip();
  }
}

export const EVENT_KEY = 'activities:a-1';

export function enrollmentOf(
  id: string,
  sequence: number,
  overrides: Partial<EnrollmentRecord> = {},
): EnrollmentRecord {
  const at = new Date('2025-04-01T00:00:00Z');
  return {
    id,
    eventKey: EVENT_KEY,
    owner: 'activities',
    eventId: 'a-1',
    participantId: `p-${id}`,
    accountSubject: `s-${id}`,
    status: 'waitlisted',
    sequence,
    seat: null,
    checkInCode: `CODE${String(sequence).padStart(4, '2')}`,
    jurisdictionPath: ['C', 'T1'],
    organizerOrganizationId: null,
    confirmedAt: null,
    checkedInAt: null,
    attendedAt: null,
    attendanceBasis: null,
    attendanceWithdrawnAt: null,
    cancelledAt: null,
    cancellationReason: null,
    rescheduled: null,
    createdAt: at,
    updatedAt: at,
    version: 1,
    ...overrides,
  };
}

/** The event of EVENT_KEY as its owner tells it: under way around the fakes' clock (2025-04-02T00:00Z). */
export function eventInfo(overrides: Partial<SeatedEventInfo> = {}): SeatedEventInfo {
  return {
    owner: 'activities',
    eventId: 'a-1',
    title: 'A talk',
    capacity: 10,
    window: {
      opensAt: new Date('2025-03-01T00:00:00Z'),
      closesAt: new Date('2025-04-10T00:00:00Z'),
    },
    startsAt: new Date('2025-04-01T23:30:00Z'),
    endsAt: new Date('2025-04-02T01:00:00Z'),
    audience: {
      targetTiers: ['ordinary_citizen'],
      areaRootCodes: ['C'],
      pupilAgeBand: null,
      organizationIds: [],
    },
    status: 'published',
    jurisdictionPath: ['C', 'T1'],
    organizerOrganizationId: null,
    categories: ['science_culture_skills'],
    campaignId: null,
    learningMinutes: 90,
    sessions: [],
    ...overrides,
  };
}

export const sourceOf = (info: SeatedEventInfo): SeatedEventSource => ({
  get: async () => {
    await roundTrip();
    return info;
  },
  forget: async () => undefined,
});

export const CHECK_IN_WINDOW = { opensBeforeMinutes: 60, closesAfterMinutes: 120 };

export function fakeDeps() {
  const enrollments = new FakeEnrollments();
  const ledgers = new FakeLedgers();
  const events = new EnrollmentEvents(auditTrail('registration', topics.registrationAudit));
  const clock = () => new Date('2025-04-02T00:00:00Z');
  const repository = enrollments as unknown as EnrollmentRepository;
  const info = eventInfo();
  const summaries: EventSummaries = async () => ({
    title: info.title,
    startsAt: info.startsAt,
    endsAt: info.endsAt,
    jurisdictionPath: info.jurisdictionPath,
    organizerOrganizationId: null,
    organizer: null,
  });
  const fillerDeps = {
    enrollments: repository,
    ledgers,
    events,
    summaries,
    clock,
    logger: captureLogger().logger,
  };
  const filler = new SeatFiller(fillerDeps);
  return {
    enrollments,
    repository,
    ledgers,
    events,
    summaries,
    clock,
    filler,
    fillerDeps,
    source: sourceOf(eventInfo()),
    checkInWindow: CHECK_IN_WINDOW,
    memberships: membershipsOf({}),
  };
}

/** Each participant's current organizations, as the memberships would tell them. */
export const membershipsOf = (
  organizations: Readonly<Record<string, readonly string[]>>,
): CurrentMemberships => ({
  organizationsOf: async (_scope, participantIds) => {
    await roundTrip();
    return new Map(
      participantIds.flatMap((id) => {
        const found = organizations[id];
        return found === undefined ? [] : [[id, found] as const];
      }),
    );
  },
});
