import { en, type Phrases } from './phrases-en.js';
import { intl } from './phrases-intl.js';

/** Phrases in `language`, falling back entry by entry to English. */
export function phrasesFor(language: string): { phrases: Phrases; language: string } {
  const t = intl[language];
  if (!t) return { phrases: en, language: 'en' };
  const merged = { ...en } as Record<string, unknown>;
  for (const [k, v] of Object.entries(t)) {
    const base = (en as Record<string, unknown>)[k];
    merged[k] = base && typeof base === 'object' && typeof v === 'object' ? { ...base, ...v } : v;
  }
  return { phrases: merged as Phrases, language };
}

/** Whether replies in this language exist (else the store's default language is used). */
export const hasLanguage = (language: string) => language === 'en' || language in intl;
