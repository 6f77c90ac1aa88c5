import { useEffect, useRef, useState, type ReactNode } from 'react';
import { api } from '../api';
import { APPROVALS_CHANGED, DELIVERIES_CHANGED } from '../events';
import { ms } from '../format';
import { Link, useLocation } from '../router';
import { useSession } from '../session';

const NAV = [
  { to: '/conversations', label: 'Conversations' },
  { to: '/approvals', label: 'Approvals' },
  { to: '/deliveries', label: 'Deliveries' },
  { to: '/analytics', label: 'Analytics' },
  { to: '/knowledge', label: 'Knowledge' },
  { to: '/settings', label: 'Settings' },
  { to: '/try', label: 'Try it' },
];

/**
 * A ticket is answered in seconds, and a helpdesk outage is retried for about two minutes: one
 * still waiting after five means the worker is stopped or far behind.
 */
const BEHIND_AFTER_S = 300;

/** Header, navigation and the main region; focus moves to the page title on navigation. */
export function Layout({ children }: { children: ReactNode }) {
  const session = useSession();
  const { path } = useLocation();
  const main = useRef<HTMLElement>(null);
  const { storeId } = session;
  // What needs a person, shown in the menu: drafts and actions waiting, deliveries that failed.
  const waiting = useMenuData(path, APPROVALS_CHANGED, () => api.approvals().then((a) => a.drafts.length + a.actions.length));
  const deliveries = useMenuData(path, DELIVERIES_CHANGED, () => api.deliverySummary(storeId));
  const counts: Record<string, { n: number; says: string }> = {
    '/approvals': { n: waiting ?? 0, says: 'waiting' },
    '/deliveries': { n: deliveries?.dead ?? 0, says: 'failed' },
  };
  const behind = deliveries && deliveries.oldest_pending_s !== null && deliveries.oldest_pending_s >= BEHIND_AFTER_S ? deliveries : null;

  // After in-app navigation (not the first load), focus goes to the new page's title, as a page
  // load would put a screen reader at the top of the new content.
  const shown = useRef(path);
  useEffect(() => {
    if (shown.current === path) return;
    shown.current = path;
    main.current?.querySelector('h1')?.focus();
  }, [path]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Support bot</span>
        <span className="store-name" title={`store ${session.me.store?.slug ?? ''}`}>
          {session.me.store?.name}
        </span>
        <span className="spacer" />
        <span className="key-name">Key: {session.me.key.name}</span>
        <button type="button" className="btn btn-quiet" onClick={session.signOut}>
          Sign out
        </button>
      </header>
      <nav className="sidenav" aria-label="Dashboard">
        <ul>
          {NAV.map((item) => {
            const current = path === item.to || path.startsWith(`${item.to}/`);
            const count = counts[item.to];
            return (
              <li key={item.to}>
                <Link to={item.to} aria-current={current ? 'page' : undefined}>
                  {item.label}
                  {count && count.n > 0 && (
                    <span className="count" aria-label={`${count.n} ${count.says}`}>
                      {count.n}
                    </span>
                  )}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <main id="main" ref={main} tabIndex={-1}>
        {behind && (
          <p className="notice notice-error" role="alert">
            Tickets are waiting on the bot: {behind.pending} not answered, the oldest for {ms(behind.oldest_pending_s! * 1000)}.{' '}
            {behind.rate_limited > 0
              ? `The helpdesk's API rate limit is holding ${behind.rate_limited} of them back: they are answered as the limit allows, and none is dropped. A plan with a higher API limit, or fewer other apps using the same account, speeds this up.`
              : 'The worker may be stopped or far behind; check that it is running.'}
          </p>
        )}
        {children}
      </main>
    </div>
  );
}

/** Data for the menu, refreshed on navigation and when a page fires `changed` (undefined on error). */
function useMenuData<T>(path: string, changed: string, load: () => Promise<T>): T | undefined {
  const [data, setData] = useState<T>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const bump = () => setTick((t) => t + 1);
    window.addEventListener(changed, bump);
    return () => window.removeEventListener(changed, bump);
  }, [changed]);
  useEffect(() => {
    let live = true;
    load().then(
      (value) => live && setData(value),
      () => live && setData(undefined),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [path, tick]);
  return data;
}
