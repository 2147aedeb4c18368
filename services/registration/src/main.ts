/** The registration process: config, logger, app, and a graceful end on SIGTERM/SIGINT. */
import closeWithGrace from 'close-with-grace';
import { ConfigError } from '@learning/config';
import { createRootLogger } from '@learning/logger';
import { buildApp, SERVICE } from './app.js';
import { loadRegistrationConfig, type RegistrationConfig } from './config.js';

let config: RegistrationConfig;
try {
  config = loadRegistrationConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  // No logger yet: its level is part of the configuration that just failed.
  process.stderr.write(`registration: ${error.message}\n`);
  process.exit(1);
}

const logger = createRootLogger({
  service: SERVICE.name,
  version: SERVICE.version,
  level: config.LOG_LEVEL,
});
const app = buildApp(config, { logger });

const shutdown = closeWithGrace(
  {
    delay: config.SHUTDOWN_GRACE_MS,
    logger: false,
    onTimeout: (delay) => {
      logger.error({ delayMs: delay }, 'shutdown did not finish within the grace period; exiting');
    },
  },
  async ({ signal, err }) => {
    if (err !== undefined) logger.fatal({ err }, 'unexpected error; shutting down');
    else logger.info({ signal }, 'shutting down');
    await app.stop();
    logger.info('stopped');
  },
);

try {
  const { httpPort, grpcPort } = await app.start();
  logger.info({ httpPort, grpcPort }, 'registration service started');
} catch (error) {
  logger.fatal({ err: error }, 'registration service failed to start');
  // start() has closed what it opened; the exit code must say it failed.
  shutdown.uninstall();
  process.exit(1);
}
