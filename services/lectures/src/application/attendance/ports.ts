/** Where the local copy of registration's attendance is kept, and what it touches besides. */

export interface AttendanceRecord {
  /** Registration's enrollment id: one record per enrollment. */
  readonly enrollmentId: string;
  readonly sessionId: string;
  readonly participantId: string;
  readonly accountSubject: string;
  readonly attendedAt: Date;
  /** The session's township, for coverage. */
  readonly townshipCode: string;
  readonly recordedAt: Date;
}

export interface AttendanceStore {
  /** Stores the record unless its enrollment (or its person at its session) is stored: true when new. */
  add(record: AttendanceRecord): Promise<boolean>;
  /** Removes the enrollment's record and answers it; null when there was none. */
  remove(enrollmentId: string): Promise<AttendanceRecord | null>;
  /** The participant recorded as `accountSubject` attending the session, or null. */
  attendeeOf(sessionId: string, accountSubject: string): Promise<string | null>;
  countFor(sessionId: string): Promise<number>;
}

/** Feedback whose author's attendance is withdrawn stays stored, out of aggregates and lists. */
export interface FeedbackStanding {
  setWithdrawn(sessionId: string, accountSubject: string, withdrawn: boolean): Promise<void>;
}
