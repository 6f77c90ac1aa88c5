import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import supertest from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/app/context.js';
import { createApp } from '../../../src/http/app.js';
import { dashboardRouter } from '../../../src/http/dashboard.js';
import { createLogger } from '../../../src/logger.js';
import { testConfig } from '../../helpers/context.js';

// Serving only needs the config and a logger: no database or Redis is involved.
function appWith(dir: string, env: Record<string, string> = {}) {
  const ctx = { config: testConfig(env), logger: createLogger('silent') } as unknown as AppContext;
  return createApp(ctx, [{ path: '/dashboard', router: dashboardRouter(ctx, { dir }) }]);
}

const INDEX = '<!doctype html><html><head><title>Support bot dashboard</title></head><body><div id="root"></div></body></html>';

describe('GET /dashboard (src/http/dashboard.ts)', () => {
  const built = mkdtempSync(join(tmpdir(), 'hsb-dash-'));
  mkdirSync(join(built, 'assets'));
  writeFileSync(join(built, 'index.html'), INDEX);
  writeFileSync(join(built, 'assets', 'index-abc123.js'), 'console.log("app")');
  const missing = mkdtempSync(join(tmpdir(), 'hsb-dash-missing-'));
  afterAll(() => {
    rmSync(built, { recursive: true, force: true });
    rmSync(missing, { recursive: true, force: true });
  });

  it('answers 503 saying how to build it when the build is missing', async () => {
    const res = await supertest(appWith(missing)).get('/dashboard/conversations');
    expect(res.status).toBe(503);
    expect(res.text).toContain('npm run build:dashboard');
  });

  it('serves the app page for every route of the app, never cached, with a CSP', async () => {
    const bare = await supertest(appWith(built)).get('/dashboard');
    expect(bare.status).toBe(301);
    expect(bare.headers.location).toBe('/dashboard/');
    for (const path of ['/dashboard/', '/dashboard/conversations/3f2b9c1e-0000-4000-8000-000000000000', '/dashboard/settings?x=1']) {
      const res = await supertest(appWith(built)).get(path);
      expect(res.status, path).toBe(200);
      expect(res.type).toBe('text/html');
      expect(res.text).toContain('<div id="root">');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    }
  });

  it('serves hashed assets with a long cache and answers 404 for a missing file', async () => {
    const asset = await supertest(appWith(built)).get('/dashboard/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    const gone = await supertest(appWith(built)).get('/dashboard/assets/index-old999.js');
    expect(gone.status).toBe(404);
    expect(gone.type).toBe('application/json');
    expect((await supertest(appWith(built)).get('/dashboard/favicon.ico')).status).toBe(404);
  });

  it('loads App Bridge only when opened inside Shopify admin with the app configured', async () => {
    const shopify = { SHOPIFY_API_KEY: 'client-id-123', SHOPIFY_API_SECRET: 'secret' };
    const embedded = await supertest(appWith(built, shopify)).get('/dashboard/?shop=acme.myshopify.com&host=YWRtaW4&embedded=1');
    expect(embedded.text).toContain('<meta name="shopify-api-key" content="client-id-123" />');
    expect(embedded.text).toContain('https://cdn.shopify.com/shopifycloud/app-bridge.js');
    const selfHosted = await supertest(appWith(built, shopify)).get('/dashboard/');
    expect(selfHosted.text).not.toContain('app-bridge');
    const notConfigured = await supertest(appWith(built)).get('/dashboard/?host=YWRtaW4');
    expect(notConfigured.text).not.toContain('app-bridge');
  });
});
