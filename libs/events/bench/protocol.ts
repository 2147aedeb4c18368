/** What bench/events.ts and its forked role processes (bench/role.ts) say to each other. */
export type RoleName = 'raw-producer' | 'raw-consumer' | 'writer' | 'relay' | 'consumer';

/** Where a role process connects and what it works on; passed as JSON on its command line. */
export interface RolePlan {
  mongoUri: string;
  dbName: string;
  brokers: string[];
  topic: string;
  partitions: number;
  groupId: string;
  collection: string;
  inboxCollection: string;
  noteBytes: number;
  relayIdleDelayMs: number;
  relayMaxIdleDelayMs: number;
}

export type RequestBody =
  | { kind: 'measure' | 'status' | 'report' | 'stop' }
  /** Without a rate: `count` writes as fast as they go, `batch` per command; with one: one per event, paced. */
  | { kind: 'write'; prefix: string; count: number; batch: number; rate?: number };

export type Request = { id: number } & RequestBody;

/** What a role process reports of a measured stretch. */
export interface RoleReport {
  cpuMicros: number;
  /** MongoDB commands started, by command name. */
  commands: Record<string, number>;
  /** Write → handled, in ms, of each event the consumer handled. */
  latencies: number[];
  handled: number;
}
