import { z } from 'zod';
import { DOCUMENT_FORMATS } from './import.js';

/** Body of POST /api/v1/stores/:storeId/knowledge. */
export const importBodySchema = z.object({
  title: z.string().trim().min(1).max(300),
  content: z.string().min(1).max(5_000_000),
  format: z.enum(DOCUMENT_FORMATS).default('markdown'),
  /** Re-importing the same sourceRef replaces the document. Defaults to a slug of the title. */
  sourceRef: z.string().trim().min(1).max(500).optional(),
  source: z.enum(['api', 'faq', 'file']).default('api'),
  category: z.string().trim().min(1).max(100).nullable().optional(),
  language: z
    .string()
    .regex(/^[a-z_]{2,40}$/, 'a Postgres text-search configuration name, e.g. english')
    .optional(),
});

export const listQuerySchema = z.object({
  status: z.enum(['active', 'candidate', 'rejected']).optional(),
  source: z.enum(['file', 'api', 'macro', 'faq', 'learned']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const searchQuerySchema = z.object({
  q: z.string().trim().min(1).max(2000),
  intent: z.string().trim().max(60).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(5),
});

export const approveBodySchema = z
  .object({ title: z.string().trim().min(1).max(300).optional(), content: z.string().min(1).max(100_000).optional() })
  .default({});

export const learnBodySchema = z.object({ conversationId: z.string().uuid() });
export const macroSyncBodySchema = z.object({
  source: z.enum(['zendesk', 'gorgias']),
  language: z.string().regex(/^[a-z_]{2,40}$/).optional(),
});

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => UUID_RE.test(s);

/** "Returns & Refunds (EU)" → "returns-refunds-eu". */
export function slugify(s: string): string {
  return (
    s
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 120) || 'document'
  );
}
