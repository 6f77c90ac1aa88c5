import type {
  Analytics,
  Approvals,
  ConversationDetail,
  ConversationSummary,
  Connector,
  Delivery,
  DeliverySummary,
  KnowledgeDocument,
  KnowledgeHit,
  Me,
  Page,
  Settings,
  StoreView,
  TurnResult,
} from './types';

/**
 * The one client of the public API. Every request carries the signed-in credential; a 401 signs
 * the user out and sends them back to the sign-in page with the server's reason.
 */

const KEY_STORAGE = 'hsb.dashboard.apiKey';
const BASE = '/api/v1';

/** App Bridge (injected by the server into index.html when the app is opened inside Shopify admin). */
type ShopifyGlobal = { idToken?: () => Promise<string> };
const shopifyBridge = (): ShopifyGlobal | undefined => (window as unknown as { shopify?: ShopifyGlobal }).shopify;

export function embeddedInShopify(): boolean {
  return typeof shopifyBridge()?.idToken === 'function';
}

export function storedKey(): string | null {
  return sessionStorage.getItem(KEY_STORAGE);
}
export function storeKey(key: string): void {
  sessionStorage.setItem(KEY_STORAGE, key);
}
export function clearKey(): void {
  sessionStorage.removeItem(KEY_STORAGE);
}

async function bearer(): Promise<string | null> {
  // Inside Shopify admin the app's session token (short-lived, fetched per request) is the credential.
  const bridge = shopifyBridge();
  if (bridge?.idToken) return bridge.idToken();
  return storedKey();
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

let onUnauthorized: (message: string) => void = () => {};
/** The app registers what a 401 does (sign out, show the sign-in page with the reason). */
export function setUnauthorizedHandler(fn: (message: string) => void): void {
  onUnauthorized = fn;
}

type Query = Record<string, string | number | undefined | null>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

export async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const token = await bearer();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(BASE + withQuery(path, query), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'The server did not answer. Check that the web process is running.');
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const err = (json as { error?: { message?: string; details?: unknown } } | null)?.error;
    const message = err?.message ?? `${res.status} ${res.statusText}`;
    if (res.status === 401) {
      clearKey();
      onUnauthorized(message);
    }
    throw new ApiError(res.status, message, err?.details);
  }
  return json as T;
}

const store = (storeId: string) => `/stores/${encodeURIComponent(storeId)}`;

/** Failed deliveries fetched at once (newest first); the API allows up to 500. */
export const DELIVERIES_PAGE = 100;
/** The latest tickets the bot left alone, shown under the failed deliveries. */
export const SKIPPED_PAGE = 25;

export const api = {
  me: () => request<Me>('GET', '/me'),

  conversations: (query: Query) => request<Page<ConversationSummary>>('GET', '/conversations', undefined, query),
  conversation: (id: string) => request<ConversationDetail>('GET', `/conversations/${id}`),
  startConversation: (body: { channel: string; customer_email: string; initial_message: string }) =>
    request<TurnResult>('POST', '/conversations', body),
  sendMessage: (id: string, content: string) => request<TurnResult>('POST', `/conversations/${id}/messages`, { content }),
  escalate: (id: string, reason: string) => request<unknown>('POST', `/conversations/${id}/escalate`, { reason }),
  resolve: (id: string, body: { resolution_summary: string; csat_score?: number }) =>
    request<unknown>('POST', `/conversations/${id}/resolve`, body),

  approvals: () => request<Approvals>('GET', '/approvals'),
  approveMessage: (id: string, content?: string) =>
    request<unknown>('POST', `/messages/${id}/approve`, content === undefined ? {} : { content }),
  rejectMessage: (id: string, reason?: string) =>
    request<unknown>('POST', `/messages/${id}/reject`, reason ? { reason } : {}),
  approveAction: (id: string) => request<unknown>('POST', `/actions/${id}/approve`, {}),
  rejectAction: (id: string, reason?: string) =>
    request<unknown>('POST', `/actions/${id}/reject`, reason ? { reason } : {}),

  store: (storeId: string) => request<StoreView>('GET', store(storeId)),
  updateSettings: (storeId: string, settings: Partial<Settings>) =>
    request<StoreView>('PATCH', store(storeId), { settings }),
  connectors: (storeId: string) => request<{ connectors: Connector[] }>('GET', `${store(storeId)}/connectors`),
  testConnector: (storeId: string, kind: string) =>
    request<{ kind: string; ok: boolean; message?: string }>('POST', `${store(storeId)}/connectors/${kind}/test`, {}),

  knowledge: (storeId: string, query: { status?: string } = {}) =>
    request<unknown>('GET', `${store(storeId)}/knowledge`, undefined, query).then(listOf<KnowledgeDocument>),
  importKnowledge: (
    storeId: string,
    doc: { title: string; content: string; format: string; category?: string | null; source?: 'api' | 'faq' | 'file' },
  ) => request<{ chunks: number; unchanged: boolean }>('POST', `${store(storeId)}/knowledge`, doc),
  approveCandidate: (storeId: string, documentId: string) =>
    request<unknown>('POST', `${store(storeId)}/knowledge/candidates/${documentId}/approve`, {}),
  rejectCandidate: (storeId: string, documentId: string) =>
    request<unknown>('POST', `${store(storeId)}/knowledge/candidates/${documentId}/reject`, {}),
  deleteKnowledge: (storeId: string, documentId: string) =>
    request<unknown>('DELETE', `${store(storeId)}/knowledge/${documentId}`),
  searchKnowledge: (storeId: string, q: string) =>
    request<unknown>('GET', `${store(storeId)}/knowledge/search`, undefined, { q }).then(listOf<KnowledgeHit>),

  deliverySummary: (storeId: string) => request<DeliverySummary>('GET', `${store(storeId)}/inbound-events/summary`),
  deadDeliveries: (storeId: string) =>
    request<{ data: Delivery[] }>('GET', `${store(storeId)}/inbound-events`, undefined, { status: 'dead', limit: DELIVERIES_PAGE }).then((r) => r.data),
  skippedDeliveries: (storeId: string) =>
    request<{ data: Delivery[] }>('GET', `${store(storeId)}/inbound-events`, undefined, { status: 'skipped', limit: SKIPPED_PAGE }).then((r) => r.data),
  retryDelivery: (storeId: string, eventId: string) =>
    request<{ id: string; status: 'queued' }>('POST', `${store(storeId)}/inbound-events/${eventId}/retry`, {}),
  retryAllDeliveries: (storeId: string) => request<{ queued: number }>('POST', `${store(storeId)}/inbound-events/retry-dead`, {}),

  analytics: (storeId: string, query: { start_date?: string; end_date?: string }) =>
    request<Analytics>('GET', `${store(storeId)}/analytics`, undefined, query),
};

/** Lists come back as `{data: [...]}` or a named array; accept either. */
function listOf<T>(body: unknown): T[] {
  if (Array.isArray(body)) return body as T[];
  if (body && typeof body === 'object') {
    for (const k of ['data', 'documents', 'passages', 'candidates']) {
      const v = (body as Record<string, unknown>)[k];
      if (Array.isArray(v)) return v as T[];
    }
  }
  return [];
}
