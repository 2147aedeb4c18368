/** A service's process: config, logger, app, and a graceful end on SIGTERM/SIGINT. */
import { ConfigError } from '@learning/config';
import { createRootLogger } from '@learning/logger';
import closeWithGrace from 'close-with-grace';
import { buildServiceApp, type ServiceDefinition } from './app.js';
import type { ServiceConfig } from './config.js';
import type { Platform } from './platform.js';

export async function runService<C extends ServiceConfig, P extends Platform<C>>(
  service: ServiceDefinition<C, P>,
  loadConfig: (environment: NodeJS.ProcessEnv) => C,
): Promise<void> {
  let config: C;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // No logger yet: its level is part of the configuration that just failed.
    process.stderr.write(`${service.name}: ${error.message}\n`);
    process.exit(1);
  }

  const logger = createRootLogger({
    service: service.name,
    version: service.version,
    level: config.LOG_LEVEL,
  });
  const app = buildServiceApp(service, config, { logger });

  const shutdown = closeWithGrace(
    {
      delay: config.SHUTDOWN_GRACE_MS,
      logger: false,
      onTimeout: (delay) => {
        logger.error(
          { delayMs: delay },
          'shutdown did not finish within the grace period; exiting',
        );
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
    logger.info({ httpPort, grpcPort }, `${service.name} service started`);
  } catch (error) {
    logger.fatal({ err: error }, `${service.name} service failed to start`);
    // start() has closed what it opened; the exit code must say it failed.
    shutdown.uninstall();
    process.exit(1);
  }
}
