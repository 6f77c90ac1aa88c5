import { z } from 'zod';
import { PermanentError, RetryableError } from '../errors.js';
import { htmlToMarkdown } from './html.js';

/** A helpdesk macro (canned reply) reduced to what knowledge needs. */
export type Macro = { id: string; title: string; text: string; language?: string | null };

export type HelpdeskAuth = { baseUrl: string; authorization: string };
export type MacroSource = 'zendesk' | 'gorgias';

const MAX_PAGES = 20;

// Zendesk "List Active Macros" (developer.zendesk.com/api-reference/ticketing/business-rules/macros):
// {macros:[{id, title, active, actions:[{field, value}]}], next_page}. A reply is the action
// `comment_value` (a string, or [channel, text]) or `comment_value_html`.
const zendeskPage = z.object({
  macros: z.array(
    z.object({
      id: z.union([z.number(), z.string()]),
      title: z.string(),
      active: z.boolean().optional(),
      actions: z.array(z.object({ field: z.string(), value: z.unknown() })).default([]),
    }),
  ),
  next_page: z.string().nullable().optional(),
});

// Gorgias "List macros" (developers.gorgias.com/reference/macros; cursor pagination per
// vendor-apis.md): {data:[{id, name, language, actions:[{name, arguments:{body_text, body_html}}]}],
// meta:{next_cursor}}. The reply is the `setResponseText` action [S: Macro object example].
const gorgiasPage = z.object({
  data: z.array(
    z.object({
      id: z.union([z.number(), z.string()]),
      name: z.string(),
      language: z.string().nullable().optional(),
      actions: z
        .array(z.object({ name: z.string(), arguments: z.record(z.string(), z.unknown()).nullable().optional() }))
        .nullable()
        .default([]),
    }),
  ),
  meta: z.object({ next_cursor: z.string().nullable().optional() }).partial().optional(),
});

/** Every macro with a reply text, following pagination (at most MAX_PAGES pages). */
export async function fetchMacros(source: MacroSource, auth: HelpdeskAuth, fetchImpl: typeof fetch = fetch): Promise<Macro[]> {
  const base = auth.baseUrl.replace(/\/+$/, '');
  const out: Macro[] = [];
  if (source === 'zendesk') {
    let url: string | null = `${base}/api/v2/macros/active.json?per_page=100`;
    for (let page = 0; url && page < MAX_PAGES; page++) {
      const body = zendeskPage.parse(await getJson(url, auth, fetchImpl));
      for (const m of body.macros) {
        const text = zendeskReply(m.actions);
        if (text && m.active !== false) out.push({ id: String(m.id), title: m.title, text });
      }
      url = body.next_page ?? null;
    }
    return out;
  }
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const url = `${base}/api/macros?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const body = gorgiasPage.parse(await getJson(url, auth, fetchImpl));
    for (const m of body.data) {
      const action = (m.actions ?? []).find((a) => a.name === 'setResponseText');
      const args = action?.arguments ?? {};
      const text =
        typeof args.body_text === 'string' && args.body_text.trim()
          ? args.body_text
          : typeof args.body_html === 'string'
            ? htmlToMarkdown(args.body_html)
            : '';
      if (text.trim()) out.push({ id: String(m.id), title: m.name, text: text.trim(), language: m.language ?? null });
    }
    cursor = body.meta?.next_cursor ?? null;
    if (!cursor) break;
  }
  return out;
}

function zendeskReply(actions: { field: string; value: unknown }[]): string {
  for (const a of actions) {
    if (a.field === 'comment_value_html' && typeof a.value === 'string') return htmlToMarkdown(a.value);
    if (a.field === 'comment_value') {
      if (typeof a.value === 'string') return a.value.trim();
      if (Array.isArray(a.value) && typeof a.value[1] === 'string') return a.value[1].trim();
    }
  }
  return '';
}

/** GET with the helpdesk's auth; 429/5xx → RetryableError, other failures → PermanentError. */
async function getJson(url: string, auth: HelpdeskAuth, fetchImpl: typeof fetch): Promise<unknown> {
  let res: Response;
  try {
    res = await fetchImpl(url, {
      headers: { authorization: auth.authorization, accept: 'application/json' },
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    throw new RetryableError(`helpdesk request failed: ${(err as Error).message}`, undefined, { cause: err });
  }
  if (res.status === 429 || res.status >= 500) {
    const after = Number(res.headers.get('retry-after'));
    throw new RetryableError(`helpdesk answered ${res.status}`, Number.isFinite(after) ? after * 1000 : undefined);
  }
  if (!res.ok) throw new PermanentError(`helpdesk answered ${res.status} when listing macros`, res.status);
  return res.json();
}

/**
 * Auth for a helpdesk from stored credentials (or the single-store environment variables):
 * OAuth token → Bearer; else Zendesk `{email}/token:{api_token}` / Gorgias `{email}:{api_key}`
 * as Basic. Accepts camelCase and snake_case field names. Null when incomplete.
 */
export function helpdeskAuth(source: MacroSource, fields: Record<string, unknown>): HelpdeskAuth | null {
  const get = (...names: string[]) => {
    for (const n of names) {
      const v = fields[n];
      if (typeof v === 'string' && v.trim()) return v.trim();
    }
    return undefined;
  };
  const host = source === 'zendesk' ? get('subdomain') : get('account', 'subdomain');
  const baseUrl = get('baseUrl', 'base_url') ?? (host ? `https://${host}.${source}.com` : undefined);
  if (!baseUrl) return null;
  const oauth = get('oauthToken', 'oauth_token', 'accessToken', 'access_token');
  if (oauth) return { baseUrl, authorization: `Bearer ${oauth}` };
  const email = get('email', 'username');
  const secret = source === 'zendesk' ? get('apiToken', 'api_token', 'token') : get('apiKey', 'api_key', 'password');
  if (!email || !secret) return null;
  const user = source === 'zendesk' ? `${email}/token:${secret}` : `${email}:${secret}`;
  return { baseUrl, authorization: `Basic ${Buffer.from(user).toString('base64')}` };
}
