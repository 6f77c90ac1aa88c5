import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useSessionState } from '../session';

/** Self-hosted installs sign in with an API key; it is kept in this tab's sessionStorage only. */
export function SignInPage({ message }: { message?: string }) {
  const { signIn } = useSessionState();
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => input.current?.focus(), []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!key.trim()) {
      setError('Enter an API key.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await signIn(key.trim());
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  const shown = error ?? message;
  return (
    <main className="signin" id="main">
      <form className="card signin-card" onSubmit={submit} noValidate>
        <h1>Support bot dashboard</h1>
        <p className="muted">Review what the bot did, approve its drafts and tune how much it may do on its own.</p>
        {shown && (
          <p className="notice notice-error" role="alert" id="signin-error">
            {shown}
          </p>
        )}
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          ref={input}
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={key}
          onChange={(e) => setKey(e.target.value)}
          aria-describedby={`key-help${shown ? ' signin-error' : ''}`}
          aria-invalid={error ? true : undefined}
        />
        <p id="key-help" className="help">
          The key <code>npm start</code> printed on first run (or <code>BOOTSTRAP_API_KEY</code>). It stays in this browser
          tab only. Inside Shopify admin you are signed in by the app.
        </p>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
