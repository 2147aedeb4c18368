/**
 * Webhook calls over node:http(s): the connection goes to the address the
 * target check approved (the host name still names the server, for TLS and
 * Host), so a DNS answer changed since the check is never followed.
 */
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type {
  HostResolver,
  WebhookRequest,
  WebhookResponse,
  WebhookTransport,
} from '../../application/webhooks/ports.js';
import { lookup } from 'node:dns/promises';

/** Every address of the host, IPv4 and IPv6. */
export const dnsResolver: HostResolver = {
  async resolve(host) {
    const found = await lookup(host, { all: true, verbatim: true });
    return found.map((item) => item.address);
  },
};

const pinnedLookup =
  (address: string): LookupFunction =>
  (_hostname, options, callback) => {
    const family = isIP(address);
    if (options.all === true) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };

export class HttpWebhookTransport implements WebhookTransport {
  // Kept-alive connections: a busy subscriber is called many times a second.
  private readonly agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };

  post(request: WebhookRequest): Promise<WebhookResponse> {
    const url = new URL(request.url);
    const secure = url.protocol === 'https:';
    const started = performance.now();
    const latency = () => Math.round(performance.now() - started);
    return new Promise((resolve) => {
      const outgoing = (secure ? https : http).request(
        url,
        {
          method: 'POST',
          agent: secure ? this.agents.https : this.agents.http,
          headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body) },
          lookup: pinnedLookup(request.address),
          signal: AbortSignal.timeout(request.timeoutMs),
        },
        (response) => {
          // The receiver's answer is not read: only its status counts.
          response.resume();
          response.on('end', () => {
            resolve({ status: response.statusCode ?? 0, latencyMs: latency() });
          });
          response.on('error', (error) => {
            resolve({ error: error.message, latencyMs: latency() });
          });
        },
      );
      outgoing.on('error', (error) => {
        resolve({
          error:
            error.name === 'AbortError' ? `timed out after ${request.timeoutMs} ms` : error.message,
          latencyMs: latency(),
        });
      });
      outgoing.end(request.body);
    });
  }

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}
