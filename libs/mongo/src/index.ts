export {
  connectMongo,
  isMongoUnavailable,
  mongoReady,
  syncIndexes,
  type ConnectMongoOptions,
} from './connection.js';
export { keysetPage } from './keyset-page.js';
export { scopeFilter, type ScopeFilter } from './scope.js';
export {
  ScopedRepository,
  scopedFields,
  type PageRequest,
  type ScopedDocument,
  type ScopedRepositoryOptions,
  type SortField,
  type Stored,
} from './repository.js';
export {
  DUPLICATE_KEY,
  failedOnlyOnDuplicates,
  isDuplicateKey,
  writeErrorsOf,
} from './write-errors.js';
export {
  driverCollection,
  insertAbsent,
  schemaViolations,
  type InsertResult,
} from './driver-writes.js';
