// The sign-in page (web mode and Electron): user name and password, or the company's identity
// provider when one is configured. A message explains why the user is here (link used, IdP refused).
import { useState, type FormEvent } from 'react';
import type { AuthClient } from '../api/auth';

const REASONS: Record<string, string> = {
  link: 'That sign-in link was already used or has expired. Sign in below, or start the console again for a new link.',
  'oidc-failed': 'Signing in with your company account did not complete. Try again.',
  'oidc-unknown': 'Your company account is not linked to a PrivacyDesk user. Ask an administrator to add you.',
  'oidc-down': 'The identity provider is not reachable right now. Sign in with your password, or try again later.',
  'oidc-off': 'Sign-in with a company account is not configured on this server.',
  ended: 'Your session ended. Sign in again.',
};

export function LoginScreen({ auth, oidc, reason, onSignedIn }: {
  auth: AuthClient; oidc: { label: string } | null; reason: string | null; onSignedIn: () => void;
}) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim() || !password) { setError('Enter your user name and password.'); return; }
    setBusy(true); setError(null);
    try { await auth.login(name.trim(), password); onSignedIn(); } catch (err) {
      setError((err as Error).message === 'wrong user name or password' ? 'Wrong user name or password.' : (err as Error).message);
      setPassword('');
    } finally { setBusy(false); }
  };
  return (
    <div className="login">
      <main className="login-card" aria-labelledby="login-title">
        <div className="login-brand"><span className="logo" aria-hidden="true">◆</span> PrivacyDesk</div>
        <h1 id="login-title">Sign in to the staff console</h1>
        {reason && REASONS[reason] ? <p className="login-note" role="status">{REASONS[reason]}</p> : null}
        <form onSubmit={(e) => void submit(e)} noValidate>
          <div className={`field${error ? ' has-error' : ''}`}>
            <label htmlFor="login-name">User name</label>
            <input id="login-name" name="username" autoComplete="username" autoFocus value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <div className={`field${error ? ' has-error' : ''}`}>
            <label htmlFor="login-password">Password</label>
            <input id="login-password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          </div>
          {error ? <p className="field-error" role="alert">{error}</p> : null}
          <button className="btn primary login-submit" type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
        </form>
        {oidc && auth.oidcStartUrl ? (
          <>
            <div className="login-or"><span>or</span></div>
            <a className="btn ghost login-oidc" href={auth.oidcStartUrl}>{oidc.label}</a>
          </>
        ) : null}
        <p className="login-help">No account yet? An administrator adds one with <code>privacy-desk users add NAME --role analyst</code>; the first start of <code>npm start</code> prints a one-time link for <code>admin</code>.</p>
      </main>
    </div>
  );
}
