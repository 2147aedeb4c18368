import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../../src/gateway.js';
import { startRecordingReceiver, type RecordingReceiver } from '../../src/recording-receiver.js';

describe('the gateway', () => {
  let root: string;
  let activities: RecordingReceiver;
  let gateway: Gateway;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'portal-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>学习网</title>');
    writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
    activities = await startRecordingReceiver({
      respond: () => ({ status: 200, body: { items: [], nextPageToken: null } }),
    });
    // A port nothing listens on: the OpenID provider of a stack started without it.
    const absent = await freePort();
    gateway = await startGateway({
      port: 0,
      root,
      services: { activities: activities.url },
      oidcUrl: `http://127.0.0.1:${absent}`,
    });
  });
  afterAll(async () => {
    await gateway.stop();
    await activities.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('when the portal asks /api/<service>/…, then the service gets the path without the prefix and its answer comes back', async () => {
    const response = await fetch(
      `${gateway.url}/api/activities/v1/public/activities?q=%E8%AF%BB%E4%B9%A6`,
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ items: [], nextPageToken: null });
    const [received] = await activities.waitFor(1);
    expect(received?.path).toBe('/v1/public/activities');
    expect(received?.query.get('q')).toBe('读书');
    expect(received?.headers['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('when a page of the portal is opened by its address, then index.html answers, not to be cached', async () => {
    for (const path of ['/', '/lectures/3f1e2d4c-0000-4000-8000-000000000000']) {
      const response = await fetch(`${gateway.url}${path}`, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('学习网');
      expect(response.headers.get('cache-control')).toBe('no-cache');
    }
  });

  it('when a hashed bundle is asked for, then it is served to be cached for good', async () => {
    const response = await fetch(`${gateway.url}/assets/index-abc.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('immutable');
  });

  it('when an API path names no service, then a JSON 404 answers, not the portal', async () => {
    const response = await fetch(`${gateway.url}/api/nowhere/v1/x`, {
      headers: { accept: 'text/html' },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('when the OpenID provider is not running, then /oidc/ answers an error and the gateway stays up', async () => {
    const response = await fetch(`${gateway.url}/oidc/.well-known/openid-configuration`);
    expect(response.status).toBeGreaterThanOrEqual(500);
    expect((await fetch(`${gateway.url}/`, { headers: { accept: 'text/html' } })).status).toBe(200);
  });
});

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}
