/**
 * One mongoose Connection per service database. Never the global default
 * connection: a process may hold several, and tests open and close their own.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@learning/logger';
import mongoose, { type Connection } from 'mongoose';

// Every query would otherwise capture a stack trace (`new Error().stack`) only
// to explain a query run twice, a bug we do not have; on a cached listing's
// misses and every write it is CPU spent for nothing. Set once, on the
// mongoose instance every connection below is created from.
mongoose.set('skipOriginalStackTraces', true);

export interface ConnectMongoOptions {
  uri: string;
  database: string;
  logger: Logger;
  /** Shown in the server's logs and currentOp; defaults to the driver's own. */
  appName?: string;
  /** How long an operation waits for a usable server before failing. */
  serverSelectionTimeoutMS?: number;
  /**
   * How long opening a connection, and a heartbeat's reply, may take; the
   * driver's 30 s when absent (a busy stand-in can take seconds to answer).
   */
  connectTimeoutMS?: number;
  /**
   * How long an operation may wait for the server's reply before it fails
   * instead of hanging; none when absent, as a bulk command on a stand-in may
   * take minutes. The heartbeats mark a server that stops answering unknown
   * after `connectTimeoutMS` either way, and later operations fail fast.
   */
  socketTimeoutMS?: number;
}

const DEFAULT_SERVER_SELECTION_TIMEOUT_MS = 5_000;

/** Opens a connection and resolves once it is usable; rejects if no server answers in time. */
export async function connectMongo(options: ConnectMongoOptions): Promise<Connection> {
  const connection = mongoose.createConnection(options.uri, {
    dbName: options.database,
    ...(options.appName === undefined ? {} : { appName: options.appName }),
    serverSelectionTimeoutMS:
      options.serverSelectionTimeoutMS ?? DEFAULT_SERVER_SELECTION_TIMEOUT_MS,
    ...(options.connectTimeoutMS === undefined
      ? {}
      : { connectTimeoutMS: options.connectTimeoutMS }),
    ...(options.socketTimeoutMS === undefined ? {} : { socketTimeoutMS: options.socketTimeoutMS }),
    // Indexes and collections are created once, deliberately, by syncIndexes() at start.
    autoIndex: false,
    autoCreate: false,
    // Fail at once while disconnected instead of queueing operations in memory.
    bufferCommands: false,
  });
  try {
    await connection.asPromise();
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
  // host and port only: the URI may carry credentials.
  options.logger.info(
    { host: connection.host, port: connection.port, database: connection.name },
    'connected to MongoDB',
  );
  return connection;
}

const DEFAULT_READY_TIMEOUT_MS = 1_000;

/** Readiness probe: true when the server answers a ping within `timeoutMs`. */
export async function mongoReady(
  connection: Connection,
  timeoutMs = DEFAULT_READY_TIMEOUT_MS,
): Promise<boolean> {
  const db = connection.db;
  // A closed connection must not be revived by the driver's connect-on-demand.
  if (connection.readyState !== mongoose.ConnectionStates.connected || db === undefined)
    return false;
  const timer = new AbortController();
  try {
    return await Promise.race([
      db.command({ ping: 1 }).then((reply) => reply['ok'] === 1),
      sleep(timeoutMs, false, { signal: timer.signal }),
    ]);
  } catch {
    return false;
  } finally {
    timer.abort();
  }
}

/**
 * Makes each registered model's indexes match its schema: creates what is
 * declared and drops what is not. Dropping is right because the service owns
 * its database, so an undeclared index is a leftover that slows writes (or a
 * stale unique constraint that rejects valid ones). Call it after registering
 * every model and before serving.
 */
export async function syncIndexes(connection: Connection, logger: Logger): Promise<void> {
  for (const model of Object.values(connection.models)) {
    // The diff is read first only to say what is about to change.
    const toCreate = ((await model.diffIndexes()).toCreate as Record<string, unknown>[]).map(
      defaultIndexName,
    );
    const dropped = await model.syncIndexes();
    logger.info(
      {
        collection: model.collection.collectionName,
        created: toCreate,
        dropped,
      },
      toCreate.length === 0 && dropped.length === 0 ? 'indexes up to date' : 'indexes synchronised',
    );
  }
}

/**
 * `{ phone: 1 }` -> 'phone_1', as MongoDB names it by default. Logged as a
 * name, not the key object, because the logger masks values under keys such as
 * `phone`, which would hide which index this is.
 */
const defaultIndexName = (keys: Record<string, unknown>): string =>
  Object.entries(keys)
    .map(([field, direction]) => `${field}_${String(direction)}`)
    .join('_');

/**
 * The driver's errors that mean MongoDB did not answer (a timeout, a lost or
 * refused connection, no server to send to), not that the request was wrong:
 * a caller may retry them shortly.
 */
export const isMongoUnavailable = (error: unknown): boolean =>
  error instanceof mongoose.mongo.MongoNetworkError ||
  error instanceof mongoose.mongo.MongoServerSelectionError ||
  error instanceof mongoose.mongo.MongoOperationTimeoutError ||
  error instanceof mongoose.mongo.MongoTopologyClosedError ||
  error instanceof mongoose.Error.MongooseServerSelectionError;
