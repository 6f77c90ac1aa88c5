import { useState, type ChangeEvent, type FormEvent } from 'react';
import { api } from '../../api';
import { Notice } from '../StateViews';

const FORMATS = [
  ['markdown', 'Markdown'],
  ['text', 'Plain text'],
  ['html', 'HTML'],
] as const;

/** Paste or load a policy, FAQ or help-center page; it is split into passages and searchable at once. */
export function ImportForm({ storeId, onImported }: { storeId: string; onImported: () => void }) {
  const [title, setTitle] = useState('');
  const [format, setFormat] = useState<string>('markdown');
  const [category, setCategory] = useState('');
  const [content, setContent] = useState('');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();

  const loadFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    setContent(await file.text());
    if (!title) setTitle(file.name.replace(/\.[^.]+$/, ''));
    if (/\.html?$/i.test(file.name)) setFormat('html');
    else if (/\.txt$/i.test(file.name)) setFormat('text');
    else setFormat('markdown');
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!title.trim() || !content.trim()) {
      setNotice({ kind: 'error', text: 'A title and some content are needed.' });
      return;
    }
    setBusy(true);
    setNotice(undefined);
    try {
      const res = await api.importKnowledge(storeId, { title: title.trim(), content, format, category: category.trim() || null });
      setNotice({
        kind: 'ok',
        text: res.unchanged ? `“${title.trim()}” is already up to date.` : `Imported “${title.trim()}” as ${res.chunks} passages.`,
      });
      setTitle('');
      setCategory('');
      setContent('');
      onImported();
    } catch (err) {
      setNotice({ kind: 'error', text: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card" onSubmit={submit} aria-labelledby="kb-import-title">
      <h2 id="kb-import-title">Import a document</h2>
      <div className="grid-3">
        <div className="field">
          <label htmlFor="kb-title">Title</label>
          <input id="kb-title" value={title} onChange={(e) => setTitle(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="kb-format">Format</label>
          <select id="kb-format" value={format} onChange={(e) => setFormat(e.target.value)}>
            {FORMATS.map(([v, t]) => (
              <option key={v} value={v}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="kb-category">Category (optional)</label>
          <input id="kb-category" value={category} onChange={(e) => setCategory(e.target.value)} placeholder="policy, faq, shipping…" />
        </div>
      </div>
      <div className="field">
        <label htmlFor="kb-file">Load from a file (optional)</label>
        <input id="kb-file" type="file" accept=".md,.markdown,.txt,.html,.htm,text/*" onChange={loadFile} />
      </div>
      <div className="field">
        <label htmlFor="kb-content">Content</label>
        <textarea id="kb-content" rows={8} value={content} onChange={(e) => setContent(e.target.value)} />
      </div>
      <div className="buttons">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Importing…' : 'Import'}
        </button>
      </div>
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
    </form>
  );
}
