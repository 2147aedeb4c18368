export { loadServiceConfig, serviceEnv, type ServiceConfig } from './config.js';
export type { Module, Platform, Worker } from './platform.js';
export {
  buildServiceApp,
  verifierFromConfig,
  type App,
  type AppDeps,
  type ServiceDefinition,
} from './app.js';
export { runService } from './main.js';
export { tickingWorker, type TickerOptions } from './ticker.js';
