import type { FastifyInstance } from 'fastify';

/**
 * Stops taking connections and waits for requests in flight, up to
 * `timeoutMs`; then cuts the connections still open. Resolves true when every
 * request finished in time.
 */
export async function closeGracefully(app: FastifyInstance, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(resolve, timeoutMs, false);
  });
  const closed = app.close().then(() => true);
  try {
    if (await Promise.race([closed, timedOut])) return true;
    app.log.warn(
      { timeoutMs },
      'requests still in flight at the shutdown deadline; closing their connections',
    );
    app.server.closeAllConnections();
    await closed;
    return false;
  } finally {
    clearTimeout(timer);
  }
}
