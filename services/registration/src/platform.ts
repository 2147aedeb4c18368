/**
 * What every part of the registration service is built on: its connections
 * and servers, opened once by the app, and the hooks a module uses to have
 * its outbox published and its events consumed while the app runs.
 */
import type { AuditLog, AuditTrail } from '@learning/audit';
import type { Subscription, WithOutbox } from '@learning/events';
import type { GrpcServer } from '@learning/grpc';
import type { HttpServer } from '@learning/http';
import type { Logger } from '@learning/logger';
import type { PiiVault } from '@learning/pii';
import type { RedisClient } from '@learning/redis';
import type { Kafka, Producer } from 'kafkajs';
import type { Connection, Model } from 'mongoose';
import type { Registry } from 'prom-client';
import type { RegistrationConfig } from './config.js';

export interface Platform {
  readonly config: RegistrationConfig;
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
  /** Encrypts and blind-indexes phone and ID numbers. */
  readonly pii: PiiVault;
  /** Publishes the outbox of an aggregate model (its schema uses `outboxPlugin`) while the app runs. */
  publishOutboxOf(model: Model<WithOutbox>): void;
  /** Handles these events in consumer group `groupId` (declared in the events registry) while the app runs. */
  consume(groupId: string, ...subscriptions: Subscription<unknown>[]): void;
  /** Closes something the module opened (a gRPC client), after the servers have drained. */
  onClose(name: string, close: () => Promise<unknown>): void;
}

/**
 * One slice of the service: registers its models, routes, gRPC services,
 * outboxes and subscriptions. Runs before indexes are built and anything is served.
 */
export type Module = (platform: Platform) => void | Promise<void>;
