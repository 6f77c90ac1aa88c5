import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';
import type { DocumentFormat } from './import.js';

export type KnowledgeFile = { path: string; sourceRef: string; title: string; format: DocumentFormat; content: string };

const FORMAT_BY_EXT: Record<string, DocumentFormat> = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.mdx': 'markdown',
  '.txt': 'text',
  '.text': 'text',
  '.html': 'html',
  '.htm': 'html',
};

/**
 * The importable files under each path (a file, or a folder read recursively). A file's key
 * (sourceRef) is its path relative to the folder given, or its name when given directly, so
 * importing the same folder again replaces its documents wherever the command runs from.
 */
export function collectKnowledgeFiles(paths: string[]): { files: KnowledgeFile[]; skipped: string[] } {
  const files: KnowledgeFile[] = [];
  const skipped: string[] = [];
  const add = (path: string, ref: string) => {
    const format = FORMAT_BY_EXT[extname(path).toLowerCase()];
    if (!format) {
      skipped.push(path);
      return;
    }
    const content = readFileSync(path, 'utf8');
    files.push({ path, sourceRef: ref.split('\\').join('/'), title: titleOf(content, format, path), format, content });
  };
  for (const p of paths) {
    const st = statSync(p);
    if (st.isFile()) add(p, basename(p));
    else if (st.isDirectory()) for (const f of walk(p)) add(f, relative(p, f));
  }
  return { files, skipped };
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** The first h1 (Markdown `# x`, HTML <h1> or <title>), else the file name without extension. */
export function titleOf(content: string, format: DocumentFormat, path: string): string {
  const fromMd = format === 'markdown' ? /^#\s+(.+?)\s*#*\s*$/m.exec(content)?.[1] : undefined;
  const fromHtml =
    format === 'html'
      ? (/<h1\b[^>]*>([\s\S]*?)<\/h1>/i.exec(content)?.[1] ?? /<title\b[^>]*>([\s\S]*?)<\/title>/i.exec(content)?.[1])
      : undefined;
  const raw = (fromMd ?? fromHtml ?? '').replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
  return raw || basename(path, extname(path)).replace(/[-_]+/g, ' ');
}
