/** The MongoDB the integration tests use: MONGODB_URI when set, else a stand-in of their own. */
import { startMongoStandIn, type MongoStandIn } from '@learning/local-infra';

export function startTestMongo(): Promise<MongoStandIn> {
  const fromEnvironment = process.env['MONGODB_URI'];
  if (fromEnvironment !== undefined && fromEnvironment !== '') {
    return Promise.resolve({ uri: fromEnvironment, stop: () => Promise.resolve() });
  }
  return startMongoStandIn();
}
