import { api } from '../api';
import { Candidates } from '../components/knowledge/Candidates';
import { Documents } from '../components/knowledge/Documents';
import { ImportForm } from '../components/knowledge/Import';
import { SearchPreview } from '../components/knowledge/SearchPreview';
import { useSession } from '../session';
import { useAsync } from '../useAsync';

/** What the bot may cite: the store's documents, a search preview, import, and learned answers. */
export function KnowledgePage() {
  const { storeId, canWrite } = useSession();
  const docs = useAsync(() => api.knowledge(storeId), [storeId]);
  const all = docs.data;
  const candidates = all?.filter((d) => d.status === 'candidate') ?? [];
  const listed = all?.filter((d) => d.status !== 'candidate');

  return (
    <section>
      <h1 tabIndex={-1}>Knowledge</h1>
      <SearchPreview storeId={storeId} />
      {canWrite && <Candidates storeId={storeId} docs={candidates} reload={docs.reload} />}
      <Documents storeId={storeId} docs={listed} error={docs.error} loading={docs.loading} reload={docs.reload} canWrite={canWrite} />
      {canWrite && <ImportForm storeId={storeId} onImported={docs.reload} />}
    </section>
  );
}
