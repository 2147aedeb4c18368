export {
  actorOf,
  auditTrail,
  systemActor,
  type AuditActor,
  type AuditInput,
  type AuditPayload,
  type AuditTrail,
} from './record.js';
export {
  AuditLog,
  auditModel,
  auditSink,
  type AuditDocument,
  type AuditEntryView,
  type AuditQuery,
} from './store.js';
export { AUDIT_RANGE_INVALID, registerAuditRoutes } from './routes.js';
