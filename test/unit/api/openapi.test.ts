import { describe, expect, it } from 'vitest';
import type { Router } from 'express';
import { analyticsRouter } from '../../../src/api/analytics.js';
import { apiKeysRouter } from '../../../src/api/api-keys.js';
import { approvalsRouter } from '../../../src/api/approvals.js';
import { conversationsRouter } from '../../../src/api/conversations.js';
import { openApiDocument } from '../../../src/api/openapi.js';
import { storesRouter } from '../../../src/api/stores.js';
import type { AppContext } from '../../../src/app/context.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Routers only close over the context when built; nothing here touches a database or Redis. */
const fakeCtx = { db: {}, redis: {}, logger: {}, config: { QUEUE_PREFIX: 'x', API_RATE_LIMIT_PER_MIN: 1 } } as unknown as AppContext;

function routesOf(router: Router): string[] {
  return (router.stack as { route?: { path: string; methods: Record<string, boolean> } }[])
    .filter((l) => l.route)
    .flatMap((l) => Object.keys(l.route!.methods).map((m) => `${m} /api/v1${l.route!.path.replace(/:(\w+)/g, '{$1}')}`));
}

describe('OpenAPI document', () => {
  const doc = openApiDocument() as Json;

  it('documents every route of the API routers', () => {
    const documented = Object.entries(doc.paths as Json).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    const routers = [conversationsRouter, approvalsRouter, storesRouter, apiKeysRouter, analyticsRouter].map((r) => r(fakeCtx));
    const routes = routers.flatMap(routesOf);
    expect(routes.length).toBe(17);
    for (const route of routes) expect(documented).toContain(route);
  });

  it('gives each operation a unique id, its permission, and the error answers it can give', () => {
    const ids = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths as Json)) {
      for (const op of Object.values(ops as Json) as Json[]) {
        expect(ids.has(op.operationId), `${path} ${op.operationId}`).toBe(false);
        ids.add(op.operationId);
        if (op['x-permission']) {
          expect(op.security).toEqual([{ bearerAuth: [] }]);
          expect(op.responses['401']).toBeDefined();
        }
        for (const p of op.parameters ?? []) if (p.in === 'path') expect(path).toContain(`{${p.name}}`);
      }
    }
  });

  it('builds request and response schemas from the zod schemas', () => {
    const list = doc.paths['/api/v1/conversations'].get;
    const limit = list.parameters.find((p: Json) => p.name === 'limit');
    expect(limit).toMatchObject({ in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } });
    const resolve = doc.paths['/api/v1/conversations/{id}/resolve'].post.requestBody.content['application/json'].schema;
    expect(resolve.properties.csat_score).toMatchObject({ type: 'integer', minimum: 1, maximum: 5 });
    const turn = doc.components.schemas.TurnResult;
    for (const field of ['conversation_id', 'message_id', 'response', 'intent', 'requires_action', 'actions_taken']) expect(turn.required).toContain(field);
    const patch = doc.components.schemas.StorePatch.properties.settings.properties;
    expect(patch.modes.properties.order_status.enum).toEqual(['off', 'draft', 'auto']);
    expect(doc.paths['/api/v1/stores/{storeId}/api-keys/{keyId}'].delete.responses['409']).toBeDefined();
    expect(doc.paths['/api/v1/conversations'].post.responses['429'].headers['Retry-After']).toBeDefined();
  });

  it('contains no unresolved $ref', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    for (const ref of refs) expect(doc.components.schemas[ref], ref).toBeDefined();
    expect(JSON.stringify(doc)).not.toContain('#/$defs/');
  });
});
