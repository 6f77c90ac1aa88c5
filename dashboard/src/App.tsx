import { useEffect } from 'react';
import { Layout } from './components/Layout';
import { Loading } from './components/StateViews';
import { AnalyticsPage } from './pages/Analytics';
import { ApprovalsPage } from './pages/Approvals';
import { ConversationPage } from './pages/Conversation';
import { ConversationsPage } from './pages/Conversations';
import { DeliveriesPage } from './pages/Deliveries';
import { KnowledgePage } from './pages/Knowledge';
import { NotFoundPage } from './pages/NotFound';
import { SettingsPage } from './pages/Settings';
import { SignInPage } from './pages/SignIn';
import { TryItPage } from './pages/TryIt';
import { match, navigate, useLocation } from './router';
import { useSessionState } from './session';

/** Signed out: the sign-in page (remembering where the user was going); signed in: the pages. */
export function App() {
  const { state } = useSessionState();
  const { path, query } = useLocation();

  useEffect(() => {
    if (state.status === 'signed-in' && (path === '/' || path === '/sign-in')) {
      navigate(query.get('next') ?? '/conversations', { replace: true });
    }
  }, [state.status, path, query]);

  if (state.status === 'checking') return <Loading what="Checking your session" />;
  if (state.status === 'signed-out') return <SignInPage message={state.message} />;
  return <Layout>{route(path)}</Layout>;
}

function route(path: string) {
  if (path === '/' || path === '/sign-in') return <Loading />;
  if (path === '/conversations') return <ConversationsPage />;
  const conv = match('/conversations/:id', path);
  if (conv) return <ConversationPage id={conv.id!} />;
  if (path === '/approvals') return <ApprovalsPage />;
  if (path === '/deliveries') return <DeliveriesPage />;
  if (path === '/settings') return <SettingsPage />;
  if (path === '/knowledge') return <KnowledgePage />;
  if (path === '/analytics') return <AnalyticsPage />;
  if (path === '/try') return <TryItPage />;
  return <NotFoundPage />;
}
