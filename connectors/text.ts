/** Text/HTML helpers of the helpdesk connectors (replies go out as HTML, messages come as both). */
import { z } from 'zod';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Plain text → paragraphs and line breaks, escaped. */
export function textToHtml(text: string): string {
  return text
    .trim()
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

/**
 * A readable approximation of HTML as text (for vendors and mail that only send HTML). Scripts and
 * styles are dropped; quoted blocks become "> " lines so quote stripping still finds them.
 */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<blockquote[\s\S]*?<\/blockquote>/gi, (q) => `\n> ${q.replace(/<[^>]+>/g, ' ').trim()}\n`)
    .replace(/<(br|\/p|\/div|\/li)[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * A vendor id: number or numeric string (Zendesk trigger placeholders render as strings, the
 * event API sends strings, the REST API numbers). Unrendered placeholders count as missing.
 */
export const vendorId = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .refine((v) => v !== '' && !/^\{\{.*\}\}$/.test(v), 'missing id');

/** Like vendorId but missing/blank/unrendered values become undefined instead of failing. */
export const optionalVendorId = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v) => {
    if (v === undefined || v === null) return undefined;
    const s = String(v).trim();
    return s === '' || /^\{\{.*\}\}$/.test(s) ? undefined : s;
  });

/** Optional text where blank or unrendered placeholders mean "not given". */
export const optionalText = z
  .union([z.string(), z.null()])
  .optional()
  .transform((v) => {
    if (v === undefined || v === null) return undefined;
    const s = v.trim();
    return s === '' || /^\{\{.*\}\}$/.test(s) ? undefined : v;
  });

/** true/false as booleans or the strings a template renders ("true", "false"). */
export const optionalBool = z
  .union([z.boolean(), z.string(), z.null()])
  .optional()
  .transform((v) => {
    if (typeof v === 'boolean') return v;
    if (typeof v !== 'string') return undefined;
    const s = v.trim().toLowerCase();
    return s === 'true' ? true : s === 'false' ? false : undefined;
  });
