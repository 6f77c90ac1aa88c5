/**
 * The dashboard (a static Vite + React build, dashboard/dist) served by the web process at
 * /dashboard: hashed assets cached for a year, every other path answers index.html (the app routes
 * in the browser). The app talks only to /api/v1. Without a build, /dashboard answers 503 saying
 * how to build it, and the rest of the server works as before.
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import express, { Router, type Response } from 'express';
import type { AppContext } from '../app/context.js';
import { repoRoot } from '../paths.js';
import { errorBody } from './middleware/errors.js';

export const dashboardDist = (): string => join(repoRoot(), 'dashboard', 'dist');

// Embedded in Shopify admin the page is framed by the admin and loads App Bridge from Shopify's CDN.
const CSP = [
  "default-src 'self'",
  "script-src 'self' https://cdn.shopify.com",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self' https://*.shopify.com",
  "frame-ancestors 'self' https://admin.shopify.com https://*.myshopify.com",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

const escapeAttr = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function dashboardRouter(ctx: AppContext, opts: { dir?: string } = {}): Router {
  const dir = opts.dir ?? dashboardDist();
  const router = Router();
  let indexHtml: string | null = null;
  // Read once it exists: building while the server runs needs no restart.
  const index = (): string | null => {
    if (indexHtml === null && existsSync(join(dir, 'index.html'))) indexHtml = readFileSync(join(dir, 'index.html'), 'utf8');
    return indexHtml;
  };

  router.use((req, res, next) => {
    if (!index()) {
      res
        .status(503)
        .type('text/plain')
        .send('The dashboard is not built: run `npm run build:dashboard` (or `npm run build`), then reload.\n');
      return;
    }
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });

  // Vite names assets by content hash: they never change under the same URL.
  router.use('/assets', express.static(join(dir, 'assets'), { immutable: true, maxAge: '1y', index: false }));
  router.use(express.static(dir, { index: false, maxAge: '1h' }));

  router.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    // A missing file (an old asset, a typo) is a 404, not the app's page.
    if (req.path.startsWith('/assets/') || extname(req.path) !== '') {
      res.status(404).json(errorBody(404, `no dashboard file ${req.path}`));
      return;
    }
    sendIndex(res, withAppBridge(index()!, ctx, req.query));
  });

  return router;
}

function sendIndex(res: Response, html: string): void {
  res.setHeader('Cache-Control', 'no-cache');
  res.status(200).type('html').send(html);
}

/**
 * Opened inside Shopify admin (the URL carries `host`), the page loads App Bridge, which gives the
 * app its session token; the API key (client id) it needs is public.
 */
function withAppBridge(html: string, ctx: AppContext, query: Record<string, unknown>): string {
  const apiKey = ctx.config.SHOPIFY_API_KEY;
  if (!apiKey || typeof query.host !== 'string' || !query.host) return html;
  const tags =
    `<meta name="shopify-api-key" content="${escapeAttr(apiKey)}" />` +
    '<script src="https://cdn.shopify.com/shopifycloud/app-bridge.js"></script>';
  return html.replace('<head>', `<head>${tags}`);
}
