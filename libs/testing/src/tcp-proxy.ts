/**
 * A TCP proxy in front of a real server, for tests of what a service does when
 * that server stops answering: `stall()` keeps every connection open but
 * forwards nothing more either way, as a server that hangs does.
 */
import { connect, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  /** Where to connect instead of the server: `127.0.0.1:<port>`. */
  readonly host: string;
  /** The URL given with its host and port replaced by the proxy's. */
  through(url: string): string;
  stall(): void;
  close(): Promise<void>;
}

/** Starts a proxy to the server `url` names (any scheme: mongodb://, redis://). */
export async function startTcpProxy(url: string): Promise<TcpProxy> {
  const target = new URL(url);
  const targetPort = Number(target.port);
  const sockets = new Set<Socket>();
  let stalled = false;

  const server = createServer((client) => {
    const upstream = connect(targetPort, target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => {
      if (!stalled) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!stalled) client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no port');
  const host = `127.0.0.1:${address.port}`;

  return {
    host,
    through(original) {
      const proxied = new URL(original);
      proxied.host = host;
      return proxied.toString();
    },
    stall() {
      stalled = true;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}
