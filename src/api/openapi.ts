/**
 *   GET /api/v1/openapi.json   (no auth) OpenAPI 3.1, built from the zod schemas the routes validate with.
 */
import { Router } from 'express';
import { z } from 'zod';
import { errorSchema } from './schemas/common.js';
import { operations, type Operation } from './openapi-operations.js';

type Json = Record<string, unknown>;

const STATUS_TEXT: Record<number, string> = {
  400: 'invalid request (details list each field)',
  401: 'missing, unknown or revoked API key',
  403: "the key lacks the permission, or the resource is another store's",
  404: 'not found (ids of another store are not found either)',
  409: 'conflict with the current state',
  413: 'request body too large',
  429: 'rate limited: retry after `Retry-After` seconds',
  503: 'a dependency (Redis, database) is unavailable: retry',
};

/** zod → JSON Schema (2020-12, what OpenAPI 3.1 uses); named schemas go to components. */
function schemaOf(schema: z.ZodType, io: 'input' | 'output', components: Json): Json {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  const defs = (out.$defs ?? {}) as Json;
  delete out.$defs;
  delete out.$schema;
  for (const [id, def] of Object.entries(defs)) {
    const rewritten = rewriteRefs(def);
    const existing = components[id];
    if (existing && JSON.stringify(existing) !== JSON.stringify(rewritten)) {
      throw new Error(`OpenAPI: schema "${id}" is used with two different shapes (request and response?)`);
    }
    components[id] = rewritten;
  }
  return rewriteRefs(out) as Json;
}

const rewriteRefs = (v: unknown): unknown => JSON.parse(JSON.stringify(v).replaceAll('"#/$defs/', '"#/components/schemas/'));

function parametersOf(op: Operation, components: Json): Json[] {
  const params: Json[] = [];
  for (const [where, obj] of [['path', op.params], ['query', op.query]] as const) {
    if (!obj) continue;
    for (const [name, field] of Object.entries(obj.shape as Record<string, z.ZodType>)) {
      const schema = schemaOf(field, 'input', components);
      const description = schema.description;
      delete schema.description;
      params.push({
        name,
        in: where,
        required: where === 'path' || !field.safeParse(undefined).success,
        schema,
        ...(description ? { description } : {}),
      });
    }
  }
  if (op.idempotent) {
    params.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'retrying with the same key answers the first result instead of sending the message twice',
      schema: { type: 'string', minLength: 1, maxLength: 200 },
    });
  }
  return params;
}

function errorStatuses(op: Operation): number[] {
  const s = new Set<number>(op.errors ?? []);
  if (op.body || op.query || op.idempotent) s.add(400);
  if (op.body) s.add(413);
  if (op.permission) [401, 403].forEach((c) => s.add(c));
  if (op.rateLimited) s.add(429);
  if (op.path.includes('/:')) s.add(404);
  return [...s].sort();
}

function buildDocument(): Json {
  const components: Json = { Error: schemaOf(errorSchema, 'output', {}) };
  const paths: Record<string, Json> = {};
  for (const op of operations) {
    const path = op.path.replace(/:(\w+)/g, '{$1}');
    const responses: Json = {
      [op.ok.status]: {
        description: op.ok.description,
        ...(op.ok.schema ? { content: { 'application/json': { schema: schemaOf(op.ok.schema, 'output', components) } } } : {}),
      },
    };
    for (const status of errorStatuses(op)) {
      responses[status] = {
        description: STATUS_TEXT[status] ?? 'error',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        ...(status === 429 ? { headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'seconds' } } } : {}),
      };
    }
    const params = parametersOf(op, components);
    paths[path] ??= {};
    paths[path][op.method] = {
      tags: [op.tag],
      summary: op.summary,
      operationId: `${op.method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      ...(op.description ? { description: op.description } : {}),
      ...(op.permission ? { security: [{ bearerAuth: [] }], 'x-permission': op.permission } : { security: [] }),
      ...(params.length ? { parameters: params } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(op.body, 'input', components) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Helpdesk support bot API',
      version: '1.0.0',
      description:
        'Conversations (widget/API channel), approvals, store settings, analytics and API keys. ' +
        'Authenticate with `Authorization: Bearer <api key>`; a key belongs to one store and has ' +
        'read, write or admin permission (admin ⊃ write ⊃ read). Errors: `{"error": {"status", "message", "details"?}}`.',
    },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }],
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'an API key of the store' } },
      schemas: components,
    },
    paths,
  };
}

let cached: Json | null = null;

/** The document (built once per process: the schemas do not change at run time). */
export function openApiDocument(): Json {
  cached ??= buildDocument();
  return cached;
}

export function openApiRouter(): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  return router;
}
