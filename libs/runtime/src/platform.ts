/**
 * What every part of a service is built on: its connections and servers,
 * opened once by the app, and the hooks a module uses to have its outbox
 * published, its events consumed and its workers run while the app runs.
 */
import type { AuditLog, AuditTrail } from '@learning/audit';
import type { Subscription, WithOutbox } from '@learning/events';
import type { GrpcServer } from '@learning/grpc';
import type { HttpServer } from '@learning/http';
import type { Logger } from '@learning/logger';
import type { RedisClient } from '@learning/redis';
import type { Kafka, Producer } from 'kafkajs';
import type { Connection, Model } from 'mongoose';
import type { Registry } from 'prom-client';
import type { ServiceConfig } from './config.js';

export interface Platform<C extends ServiceConfig = ServiceConfig> {
  readonly config: C;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly mongo: Connection;
  readonly redis: RedisClient;
  readonly kafka: Kafka;
  readonly producer: Producer;
  readonly http: HttpServer;
  readonly grpc: GrpcServer;
  /** Now, as the service sees it; tests pass their own. */
  readonly clock: () => Date;
  /** The service's audit trail: add `audit.entry(...)` to the outbox of every change a person makes. */
  readonly audit: AuditTrail;
  readonly auditLog: AuditLog;
  /** Publishes the outbox of an aggregate model (its schema uses `outboxPlugin`) while the app runs. */
  publishOutboxOf<T extends WithOutbox>(model: Model<T>): void;
  /** Handles these events in consumer group `groupId` (declared in the events registry) while the app runs. */
  consume(groupId: string, ...subscriptions: Subscription<unknown>[]): void;
  /** Runs a background worker once the servers listen; `stop` is awaited before connections close. */
  runWorker(name: string, worker: Worker): void;
  /** Closes something the module opened (a gRPC client), after the servers have drained. */
  onClose(name: string, close: () => Promise<unknown>): void;
}

/** Something that works in the background while the app runs (a scheduler, an import worker). */
export interface Worker {
  start(): void;
  stop(): Promise<void>;
}

/**
 * One slice of a service: registers its models, routes, gRPC services,
 * outboxes, subscriptions and workers. Runs before indexes are built and anything is served.
 */
export type Module<P extends Platform = Platform> = (platform: P) => void | Promise<void>;
