import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, ApiError, clearKey, embeddedInShopify, setUnauthorizedHandler, storedKey, storeKey } from './api';
import type { Me } from './types';

/** Who is signed in: the key's store and permissions (from GET /api/v1/me). */
export type Session = { me: Me; storeId: string; canWrite: boolean; canAdmin: boolean; signOut: () => void };

type State =
  | { status: 'checking' }
  | { status: 'signed-out'; message?: string }
  | { status: 'signed-in'; me: Me };

type Ctx = { state: State; signIn: (key: string) => Promise<void>; signOut: (message?: string) => void };

const SessionContext = createContext<Ctx | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>(() =>
    storedKey() || embeddedInShopify() ? { status: 'checking' } : { status: 'signed-out' },
  );

  const signOut = useCallback((message?: string) => {
    clearKey();
    setState({ status: 'signed-out', message });
  }, []);

  useEffect(() => {
    setUnauthorizedHandler((message) => setState({ status: 'signed-out', message: `Signed out: ${message}` }));
  }, []);

  // A key kept in this tab's sessionStorage (or the Shopify session) is checked once on load.
  useEffect(() => {
    if (state.status !== 'checking') return;
    api.me().then(
      (me) => setState({ status: 'signed-in', me }),
      (err: unknown) => setState({ status: 'signed-out', message: err instanceof Error ? err.message : String(err) }),
    );
  }, [state.status]);

  const signIn = useCallback(async (key: string) => {
    storeKey(key);
    try {
      const me = await api.me();
      if (!me.store) throw new ApiError(403, 'this key is not attached to a store');
      setState({ status: 'signed-in', me });
    } catch (err) {
      clearKey();
      throw err;
    }
  }, []);

  return <SessionContext.Provider value={{ state, signIn, signOut }}>{children}</SessionContext.Provider>;
}

export function useSessionState(): Ctx {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSessionState outside SessionProvider');
  return ctx;
}

/** For pages behind sign-in: the session is always there. */
export function useSession(): Session {
  const { state, signOut } = useSessionState();
  if (state.status !== 'signed-in') throw new Error('useSession on a signed-out page');
  const perms = state.me.key.permissions;
  return {
    me: state.me,
    storeId: state.me.store!.id,
    canWrite: perms.includes('write') || perms.includes('admin'),
    canAdmin: perms.includes('admin'),
    signOut: () => signOut(),
  };
}
