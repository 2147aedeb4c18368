import {
  captureLogger,
  describeWithServers,
  rejectionOf,
  startTcpProxy,
  uniqueName,
  type TcpProxy,
} from '@learning/testing';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectMongo, isMongoUnavailable } from '../../src/index.js';
import { memberModel } from '../support/members.js';

describeWithServers(['mongo'], 'a MongoDB connection', (servers) => {
  const log = captureLogger('mongo-connection-test');
  let proxy: TcpProxy;
  let connection: Connection;

  beforeAll(async () => {
    // Through a proxy, so one test can make the server stop answering without stopping it.
    proxy = await startTcpProxy(servers.mongo.uri);
    connection = await connectMongo({
      uri: proxy.through(servers.mongo.uri),
      database: uniqueName('mongo_connection'),
      logger: log.logger,
      serverSelectionTimeoutMS: 500,
      connectTimeoutMS: 500,
      socketTimeoutMS: 500,
    });
  });

  afterAll(async () => {
    await connection.close(true);
    await proxy.close();
  });

  it('when a query runs, then no stack trace was captured for it (skipOriginalStackTraces)', async () => {
    const query = memberModel(connection).findOne({ name: 'nobody' });
    await query.exec();

    const again = (await rejectionOf(query.exec())) as Error & { originalStack?: unknown };

    // The error for a query run twice carries the stack of its first run only when one was captured.
    expect(again.message).toContain('Query was already executed');
    expect(again.originalStack).toBeUndefined();
  });

  it('when the server stops answering, then the operation fails as unavailable instead of hanging', async () => {
    const members = memberModel(connection);
    await members.findOne({}).exec();
    proxy.stall();

    const error = await rejectionOf(members.findOne({}).exec());

    expect(isMongoUnavailable(error)).toBe(true);
    expect(isMongoUnavailable(new Error('a bug of ours'))).toBe(false);
  });
});
