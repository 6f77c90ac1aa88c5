import { useEffect, useRef, useState, type ReactNode } from 'react';
import { api, DELIVERIES_PAGE } from '../api';
import { APPROVALS_CHANGED, DELIVERIES_CHANGED } from '../events';
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

/** Header, navigation and the main region; focus moves to the page title on navigation. */
export function Layout({ children }: { children: ReactNode }) {
  const session = useSession();
  const { path } = useLocation();
  const main = useRef<HTMLElement>(null);
  const { storeId } = session;
  // What needs a person, shown in the menu: drafts and actions waiting, deliveries that failed.
  const waiting = useMenuCount(path, APPROVALS_CHANGED, () => api.approvals().then((a) => a.drafts.length + a.actions.length));
  const failed = useMenuCount(path, DELIVERIES_CHANGED, () => api.deadDeliveries(storeId).then((d) => d.length));
  // Failed deliveries come one page at a time: a full page means "at least that many".
  const counts: Record<string, { n: number; says: string; atLeast?: boolean }> = {
    '/approvals': { n: waiting, says: 'waiting' },
    '/deliveries': { n: failed, says: 'failed', atLeast: failed >= DELIVERIES_PAGE },
  };

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
                    <span className="count" aria-label={`${count.n}${count.atLeast ? ' or more' : ''} ${count.says}`}>
                      {count.n}
                      {count.atLeast && '+'}
                    </span>
                  )}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <main id="main" ref={main} tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

/** A count for the menu, refreshed on navigation and when a page fires `changed` (0 on error). */
function useMenuCount(path: string, changed: string, load: () => Promise<number>): number {
  const [count, setCount] = useState(0);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const bump = () => setTick((t) => t + 1);
    window.addEventListener(changed, bump);
    return () => window.removeEventListener(changed, bump);
  }, [changed]);
  useEffect(() => {
    let live = true;
    load().then(
      (n) => live && setCount(n),
      () => live && setCount(0),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [path, tick]);
  return count;
}
